"""WARC archives: each HTML response record becomes a document, in archive order.

A broken record ends that archive (the reader cannot find the next record
boundary reliably) with an error naming the record; what came before it stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from onrecord.ingest.base import MAX_HTML_BYTES, InputError, Source
from onrecord.ingest.fetch import HTML_TYPES
from onrecord.ingest.html import html_source

_BROKEN = (ArchiveLoadFailed, ValueError, EOFError, OSError, KeyError, IndexError, TypeError)


def warc_sources(stream: BinaryIO, name: str) -> Iterator[Source | InputError]:
    """The HTML pages archived in ``stream`` (plain or gzipped WARC)."""
    n = 0
    try:
        for record in ArchiveIterator(stream):
            n += 1
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
            ok = record.http_headers.get_statuscode() == "200"
            if not ok or ctype.strip().lower() not in HTML_TYPES:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"record-{n}"
            label = f"{name} record {n} ({uri})"
            body = record.content_stream().read(MAX_HTML_BYTES + 1)
            src = html_source(body, uri, label, url=uri)
            if isinstance(src, Source):
                src.name = label
            yield src
    except _BROKEN as exc:
        detail = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        yield InputError(f"{name} record {n + 1}", f"broken WARC record: {detail}")
