"""Reading the inputs named on the command line into :class:`Source` texts.

An input is a text or HTML file (``.gz`` too), a WARC, a JSON Lines file, an RSS or
Atom feed (file or URL), a page URL, a directory (read recursively, in sorted
order) or ``-`` for stdin. Containers expand to their documents in order. Each
document yields either a :class:`Source` or an :class:`InputError` naming it.
"""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from onrecord.ingest.base import (
    MAX_DOCUMENT_CHARS,
    MAX_HTML_BYTES,
    MAX_TEXT_BYTES,
    InputError,
    Source,
)
from onrecord.ingest.encoding import gunzip, looks_binary, repair_mojibake, utf16_32
from onrecord.ingest.feeds import feed_sources, is_feed
from onrecord.ingest.fetch import FEED_TYPES, HTML_TYPES, Fetcher, FetchError
from onrecord.ingest.html import html_source
from onrecord.ingest.jsonl import bounded_lines, jsonl_sources
from onrecord.ingest.lang import detect_language
from onrecord.ingest.warc import warc_sources
from onrecord.record import one_line

__all__ = ["InputError", "Source", "dir_files", "file_sources", "iter_sources"]

FETCH_THREADS = 4  # URLs fetched at once (each within the fetcher's deadline)
KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".warc": "warc",
         ".jsonl": "jsonl", ".ndjson": "jsonl", ".rss": "feed", ".atom": "feed", ".xml": "feed"}


def decode_text(data: bytes, name: str) -> str | InputError:
    """UTF-8 (or BOM-marked UTF-16/32) text, or an error for empty, binary or wrongly
    encoded bytes."""
    bom = utf16_32(data)
    if bom is not None:
        try:
            data = data.decode(bom).encode("utf-8")
        except UnicodeDecodeError as exc:
            return InputError(name, f"not {bom.upper()} text (invalid bytes at offset "
                                    f"{exc.start})")
    if not data.strip():
        return InputError(name, "empty document")
    if looks_binary(data):
        return InputError(name, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(name, f"not UTF-8 text (invalid byte at offset {exc.start})")
    return repair_mojibake(text, name)


def sniff(data: bytes) -> str:
    """The kind of document in ``data`` when no file name says."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if is_feed(head):
        return "feed"
    lower = head.lower()
    if any(tag in lower for tag in (b"<!doctype html", b"<html", b"<body", b"<p>", b"<div")):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def _kind(path: Path) -> tuple[str | None, bool]:
    """(kind by suffix or None, gzipped?) for a file name."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    return (KINDS.get(suffixes[-1]) if suffixes else None), gz


def _doc_id(path: Path) -> str:
    name = path.name
    for suffix in reversed(path.suffixes[-2:]):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


def _from_bytes(data: bytes, kind: str | None, name: str, doc_id: str, path: str | None,
                fetcher: Fetcher, url: str | None = None) -> Iterator[Source | InputError]:
    """The documents in ``data`` (gzipped or not) of ``kind``, sniffed when None."""
    if data[:2] == b"\x1f\x8b":
        unzipped = gunzip(data, name, MAX_TEXT_BYTES)
        if isinstance(unzipped, InputError):
            yield unzipped
            return
        data = unzipped
    kind = kind or sniff(data)
    if kind == "warc":
        yield from warc_sources(io.BytesIO(data), name)
    elif kind == "feed":
        yield from feed_sources(data, name, fetcher)
    elif kind == "jsonl":
        yield from jsonl_sources(data.splitlines(), name, doc_id)
    elif kind == "html":
        yield html_source(data, doc_id, name, url=url, path=path)
    else:
        text = decode_text(data, name)
        yield text if isinstance(text, InputError) else Source(id=doc_id, text=text, path=path)


def _read_stream(stream: BinaryIO, name: str, path: Path,
                 fetcher: Fetcher) -> Iterator[Source | InputError]:
    """The documents in one open file, of the kind its ``path`` says."""
    kind, gz = _kind(path)
    if kind == "warc":
        yield from warc_sources(stream, name)
        return
    if kind == "jsonl":
        lines = gzip.GzipFile(fileobj=stream) if gz else stream
        try:
            yield from jsonl_sources(bounded_lines(lines), name, _doc_id(path))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # the lines before stand
            yield InputError(name, f"corrupt gzip: {exc}")
        return
    limit = MAX_HTML_BYTES if kind in ("html", "feed") else MAX_TEXT_BYTES
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield InputError(name, f"too large (over {limit} bytes)")
        return
    yield from _from_bytes(data, kind, name, _doc_id(path), name, fetcher)


def _read_file(path: Path, fetcher: Fetcher) -> Iterator[Source | InputError]:
    name = str(path)
    try:
        with path.open("rb") as stream:
            yield from _read_stream(stream, name, path, fetcher)
    except FileNotFoundError:
        yield InputError(name, "no such file")
    except OSError as exc:
        yield InputError(name, f"cannot read ({exc.strerror or exc})")


def _read_url(url: str, fetcher: Fetcher) -> Iterator[Source | InputError]:
    try:
        page = fetcher.fetch(url)
    except FetchError as exc:
        yield InputError(url, str(exc))
        return
    if page.content_type in FEED_TYPES or (page.content_type not in HTML_TYPES
                                           and is_feed(page.body)):
        yield from feed_sources(page.body, url, fetcher)
    else:
        kind = "html" if page.content_type in HTML_TYPES else "text"
        yield from _from_bytes(page.body, kind, url, url, None, fetcher, url=page.url)


def dir_files(path: Path) -> list[Path]:
    """The files in a directory that name a readable kind, recursively, in sorted order."""
    return sorted(p for p in path.rglob("*") if p.is_file() and _kind(p)[0]
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


def _read_dir(path: Path, fetcher: Fetcher) -> Iterator[Source | InputError]:
    for file in dir_files(path):
        yield from _read_file(file, fetcher)


def _read_stdin(fetcher: Fetcher) -> Iterator[Source | InputError]:
    data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)  # capped while reading, like files
    if len(data) > MAX_TEXT_BYTES:
        yield InputError("<stdin>", f"too large (over {MAX_TEXT_BYTES} bytes)")
        return
    yield from _from_bytes(data, None, "<stdin>", "stdin", None, fetcher)


def check_source(src: Source) -> Source | InputError:
    """The source with its language noted; an error when it is too long to parse, and a
    skip when it is not English."""
    if len(src.text) > MAX_DOCUMENT_CHARS:
        return InputError(
            src.label, f"too long ({len(src.text):,} characters; limit {MAX_DOCUMENT_CHARS:,})"
        )
    if isinstance(src.meta.get("title"), str):
        src.meta["title"] = one_line(str(src.meta["title"])) or None
    lang = detect_language(src.text)
    if lang:
        src.meta["language"] = lang
    if lang and lang != "en":
        return InputError(src.label, f"not English (language {lang} not supported)",
                          skipped=True)
    return src


def _guarded(docs: Iterator[Source | InputError], name: str) -> Iterator[Source | InputError]:
    """``docs`` checked, with a reader's unforeseen exception on hostile bytes turned into
    an error naming the input, so that one file never ends the batch."""
    try:
        for doc in docs:
            yield check_source(doc) if isinstance(doc, Source) else doc
    except Exception as exc:  # noqa: BLE001
        yield InputError(name, f"unreadable ({type(exc).__name__})")


def file_sources(name: str, data: bytes | None = None,
                 fetcher: Fetcher | None = None) -> Iterator[Source | InputError]:
    """The checked documents of one file, read from disk, or from ``data`` when a cluster
    hands over the bytes of a remote file (``name`` is then its URI)."""
    fetcher = fetcher or Fetcher()
    if data is None:
        docs = _read_file(Path(name), fetcher)
    else:
        docs = _read_stream(io.BytesIO(data), name, Path(name), fetcher)
    yield from _guarded(docs, name)


def iter_sources(inputs: list[str], fetcher: Fetcher | None = None
                 ) -> Iterator[Source | InputError]:
    """Each input's documents, in input order. URLs are fetched on a few threads while
    the local inputs are read, so one slow host holds up neither them nor other hosts."""
    fetcher = fetcher or Fetcher()
    urls = dict.fromkeys(i for i in inputs if i.startswith(("http://", "https://")))
    with ThreadPoolExecutor(max_workers=FETCH_THREADS) as pool:
        fetched = {url: pool.submit(lambda u: list(_guarded(_read_url(u, fetcher), u)), url)
                   for url in urls}
        for item in inputs:
            if item in fetched:
                yield from fetched[item].result()
                continue
            if item == "-":
                docs = _read_stdin(fetcher)
            elif Path(item).is_dir():
                docs = _read_dir(Path(item), fetcher)
            else:
                docs = _read_file(Path(item), fetcher)
            yield from _guarded(docs, item)
