"""JSON Lines: one document per line, ``{"id", "url", "html" | "text", "published"?}``.

Each bad line is its own error (named ``file:line``); the other lines go on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Protocol

from onrecord.ingest.base import MAX_HTML_BYTES, InputError, Source
from onrecord.ingest.encoding import repair_mojibake
from onrecord.ingest.html import html_source


def _date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _line_source(line: bytes, label: str, default_id: str) -> Source | InputError:
    if len(line) > MAX_HTML_BYTES:
        return InputError(label, f"too large (over {MAX_HTML_BYTES} bytes)")
    try:  # decoded here: json.loads guesses an encoding and names the wrong one
        obj = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return InputError(label, f"not UTF-8 text (invalid byte at offset {exc.start})")
    except (ValueError, RecursionError) as exc:
        return InputError(label, f"not JSON: {exc}")
    if not isinstance(obj, dict):
        return InputError(label, "not a JSON object")
    doc_id = str(obj.get("id") or default_id)
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    html, text = obj.get("html"), obj.get("text")
    if isinstance(html, str):
        src = html_source(html, doc_id, label, url=url)
    elif isinstance(text, str) and text.strip():
        fixed = repair_mojibake(text, label)
        if isinstance(fixed, InputError):
            return fixed
        src = Source(id=doc_id, text=fixed, meta={"url": url} if url else {})
    else:
        return InputError(label, "no document: needs an \"html\" or \"text\" string")
    if isinstance(src, Source):
        src.name = f"{label} ({doc_id})"
        published = _date(obj.get("published"))
        if published:  # the line's own date, not the page's
            src.meta["published"] = published
            src.meta.pop("published_source", None)
    return src


class Readable(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def bounded_lines(stream: Readable, limit: int = MAX_HTML_BYTES) -> Iterator[bytes]:
    """The stream's lines, none held longer than ``limit`` + 1 bytes: the start of a longer
    line stands for it (and is reported too large) while the rest is skipped in chunks."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def jsonl_sources(lines: Iterable[bytes], name: str, stem: str) -> Iterator[Source | InputError]:
    """The documents in a JSON Lines stream; blank lines are ignored."""
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield _line_source(line, f"{name}:{n}", f"{stem}-{n}")
