"""Reading the inputs named on the command line into :class:`Source` texts.

Each input yields either a :class:`Source` (text ready for the NLP pipeline) or an
:class:`InputError` naming the document and what was wrong with it, so a batch can
report a bad document and go on with the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_TEXT_BYTES = 20_000_000


@dataclass
class Source:
    """One document's text and what is known about it before extraction."""

    id: str
    text: str
    path: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


@dataclass
class InputError:
    """A document that could not be read, with a one-line reason."""

    name: str
    reason: str
    skipped: bool = False  # True for documents deliberately not processed (e.g. not English)

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def decode_text(data: bytes, name: str) -> str | InputError:
    """UTF-8 text, or an error for empty, binary or wrongly encoded bytes."""
    if not data.strip():
        return InputError(name, "empty document")
    if b"\x00" in data[:8192]:
        return InputError(name, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(name, f"not UTF-8 text (invalid byte at offset {exc.start})")


def read_text_file(path: Path) -> Source | InputError:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            return InputError(name, f"too large ({size} bytes; limit {MAX_TEXT_BYTES})")
        data = path.read_bytes()
    except FileNotFoundError:
        return InputError(name, "no such file")
    except IsADirectoryError:
        return InputError(name, "is a directory")
    except OSError as exc:
        return InputError(name, f"cannot read ({exc.strerror})")
    text = decode_text(data, name)
    if isinstance(text, InputError):
        return text
    return Source(id=path.stem, text=text, path=name)


def read_stdin() -> Source | InputError:
    text = decode_text(sys.stdin.buffer.read(), "<stdin>")
    if isinstance(text, InputError):
        return text
    return Source(id="stdin", text=text, path=None)


def iter_sources(inputs: list[str]) -> Iterator[Source | InputError]:
    """Each input's documents, in input order."""
    for item in inputs:
        if item == "-":
            yield read_stdin()
        else:
            yield read_text_file(Path(item))
