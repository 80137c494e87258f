"""WARC archives: each HTML response record becomes a document, in archive order.

A record is only a document when all of its block arrived (as many bytes as its
Content-Length) and its WARC block and payload digests, where present, match: a
cut or corrupted record is an error naming it, never a new version of the page.
A record the parser cannot read ends that archive (the next record boundary cannot
be found reliably) with an error naming the record; what came before it stands.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from onrecord.ingest.base import MAX_HTML_BYTES, InputError, Source
from onrecord.ingest.fetch import HTML_TYPES
from onrecord.ingest.html import html_source

_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")
_NOT_WARC = "not a WARC record"


def _detail(exc: Exception) -> str:
    """A short, printable reason: the parser's messages can quote the archive's raw bytes."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if text.startswith("Unknown archive format"):
        return _NOT_WARC
    return _UNPRINTABLE.sub("?", text)[:80]


def _checked_body(record: Any, label: str) -> bytes | InputError:
    """The record's HTTP body, or an error when its block is cut short, oversized or
    fails its digest. The whole block is read so that the digests can be checked."""
    body = record.content_stream().read(MAX_HTML_BYTES + 1)
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    missing = getattr(raw, "limit", 0)
    if missing > 0:
        return InputError(label, f"truncated WARC record ({missing:,} of {record.length:,} "
                                 "bytes missing)")
    if record.digest_checker.passed is False:
        return InputError(label, "corrupt WARC record: "
                                 + _UNPRINTABLE.sub("?", record.digest_checker.problems[0]))
    if len(body) > MAX_HTML_BYTES:
        return InputError(label, f"too large (over {MAX_HTML_BYTES} bytes)")
    return body


class _GzipCheck:
    """Hands a stream's bytes to warcio while checking that its gzip members are whole:
    warcio ends quietly when a member stops early, dropping the record cut in it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._gzip: bool | None = None
        self._unzip: Any = None
        self.broken = False

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if self._gzip is None and data:
            self._gzip = data[:2] == b"\x1f\x8b"
        if self._gzip and not self.broken:
            try:
                self._check(data)
            except zlib.error:
                self.broken = True
        return data

    def _check(self, data: bytes) -> None:
        while data:
            if self._unzip is None:
                self._unzip = zlib.decompressobj(31)
            self._unzip.decompress(data, 1 << 20)
            while self._unzip.unconsumed_tail:
                self._unzip.decompress(self._unzip.unconsumed_tail, 1 << 20)
            data = b""
            if self._unzip.eof:
                data, self._unzip = self._unzip.unused_data, None

    @property
    def cut(self) -> bool:
        """Whether the gzip data so far ended inside a member or was corrupt."""
        return self.broken or self._unzip is not None


class _Misplaced(ValueError):
    """The previous record's Content-Length is wrong: that record is not whole."""


def _records(stream: _GzipCheck) -> Iterator[Any]:
    """warcio's records, its stderr warnings kept quiet: a record that does not start
    where the previous one's Content-Length says ends the archive as broken."""
    records = ArchiveIterator(stream, check_digests=True)
    while True:
        with contextlib.redirect_stderr(io.StringIO()):
            record = next(records, None)
        if record is None:
            return
        if records.err_count:
            raise _Misplaced("its Content-Length does not end where the next record starts")
        if record.format != "warc":  # warcio also takes stray text for an ARC record
            raise ValueError(_NOT_WARC)
        yield record


def _page(record: Any, n: int, name: str) -> Source | InputError | None:
    """The HTML page in an archived 200 response, checked whole; None for other records."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
    ok = record.http_headers.get_statuscode() == "200"
    if not ok or ctype.strip().lower() not in HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"record-{n}"
    label = f"{name} record {n} ({_UNPRINTABLE.sub('?', uri)[:200]})"
    body = _checked_body(record, label)
    src = body if isinstance(body, InputError) else html_source(body, uri, label, url=uri)
    if isinstance(src, Source):
        src.name = label
    return src


def warc_sources(stream: BinaryIO, name: str) -> Iterator[Source | InputError]:
    """The HTML pages archived in ``stream`` (plain or gzipped WARC). Each page waits
    until the next record is found where its Content-Length says the page ends."""
    n = 0
    pending: Source | InputError | None = None
    checked = _GzipCheck(stream)
    try:
        for record in _records(checked):
            if pending is not None:
                yield pending
            n += 1
            pending = _page(record, n, name)
    # warcio raises whatever its parsing meets on hostile bytes (AttributeError, ...);
    # any of them means this record and the rest of the archive cannot be read.
    except Exception as exc:  # noqa: BLE001
        detail = _detail(exc)
        if isinstance(exc, _Misplaced):
            yield InputError(f"{name} record {n}", f"broken WARC record: {detail}")
        else:
            if pending is not None:
                yield pending
            if n == 0 and detail == _NOT_WARC:
                yield InputError(name, "not a WARC file (it does not start with a WARC record)")
            else:
                yield InputError(f"{name} record {n + 1}", f"broken WARC record: {detail}")
        return
    if pending is not None:
        yield pending
    if checked.cut:
        how = "corrupt gzip data" if checked.broken else "gzip data cut short"
        yield InputError(f"{name} record {n + 1}", f"truncated WARC record ({how})")
    elif n == 0:
        yield InputError(name, "not a WARC file (no WARC records)")
