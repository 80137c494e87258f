"""What a batch reads: the input files (the units of parallel work) and their documents.

A unit is one file. Local paths are expanded here (directories recursively, as
``extract`` does) and read where the work runs; a URI with a scheme (``s3a://``,
``hdfs://``, ``file://``) is for Spark, which lists it and hands each file's bytes to an
executor. Copy groups and site templates need a batch: they are found per chunk of a
file's documents, so one file behaves like one ``onrecord extract`` run on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from onrecord.ingest.base import InputError, Source
from onrecord.ingest.batch import prepare_batch
from onrecord.ingest.sources import dir_files, file_sources

CHUNK = 1000  # documents held at once: copies and templates are found within a chunk
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Unit:
    """One input file; ``data`` holds its bytes when Spark read it from a URI."""

    name: str
    data: bytes | None = None


def is_uri(name: str) -> bool:
    return bool(_SCHEME.match(name))


def local_files(inputs: list[str]) -> list[str]:
    """Each local input, directories expanded to the readable files in them."""
    files: list[str] = []
    for item in inputs:
        path = Path(item)
        files += [str(p) for p in dir_files(path)] if path.is_dir() else [item]
    return files


def chunks(unit: Unit, size: int = CHUNK) -> Iterator[list[Source | InputError]]:
    """The unit's documents in order, ``size`` at a time, each chunk a prepared batch."""
    docs = file_sources(unit.name, unit.data)
    while chunk := list(islice(docs, size)):
        yield prepare_batch(chunk)
