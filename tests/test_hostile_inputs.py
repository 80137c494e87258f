"""Hostile files and streams: limits apply while reading, and every refusal says why."""

from __future__ import annotations

import gzip
import io
import sys
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import pytest

from onrecord.ingest.base import MAX_HTML_BYTES, MAX_TEXT_BYTES, InputError, Source
from onrecord.ingest.sources import iter_sources

ENGLISH = "The mayor said on Monday that the harbour bridge would reopen in the spring.\n"
FOREIGN = {
    "ru": "Президент России заявил в понедельник, что переговоры продолжатся на следующей "
          "неделе в Москве. Министр иностранных дел сказал журналистам, что стороны близки "
          "к соглашению.",
    "zh": "国家主席周一表示，谈判将于下周在北京继续进行。外交部长对记者说，双方已接近达成协议。",
    "ar": "قال الرئيس يوم الاثنين إن المفاوضات ستستمر الأسبوع المقبل في القاهرة. وقال وزير "
          "الخارجية للصحفيين إن الطرفين قريبان من التوصل إلى اتفاق.",
}


def read(*paths: Path) -> list[Source | InputError]:
    return list(iter_sources([str(p) for p in paths]))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path: Path, codec: str):
    path = tmp_path / "wide.txt"
    bom = {"utf-16-be": b"\xfe\xff"}.get(codec, b"")
    path.write_bytes(bom + ENGLISH.encode(codec))
    (item,) = read(path)
    assert isinstance(item, Source) and item.text == ENGLISH


@pytest.mark.parametrize("lang", sorted(FOREIGN))
def test_other_scripts_are_skipped_as_unsupported(tmp_path: Path, lang: str):
    path = tmp_path / f"{lang}.txt"
    path.write_text(FOREIGN[lang] + "\n", encoding="utf-8")
    (item,) = read(path)
    assert isinstance(item, InputError) and item.skipped
    assert item.reason == f"not English (language {lang} not supported)"


def test_latin1_jsonl_line_is_named_not_utf8(tmp_path: Path):
    path = tmp_path / "l1.jsonl"
    path.write_bytes(('{"id": "a", "text": "Café owners said on Monday that rents rise."}\n'
                      '{"id": "b", "text": "' + ENGLISH.strip() + '"}\n').encode("latin-1"))
    first, second = read(path)
    assert isinstance(first, InputError)
    assert first.reason == "not UTF-8 text (invalid byte at offset 24)"
    assert isinstance(second, Source)


def test_a_huge_jsonl_line_is_refused_while_reading(tmp_path: Path):
    path = tmp_path / "bomb.jsonl.gz"
    line = b'{"id": "x", "text": "' + b"a" * (10 * MAX_HTML_BYTES) + b'"}\n'
    path.write_bytes(gzip.compress(line + b'{"id": "y", "text": "' + ENGLISH.encode().strip()
                                   + b'"}\n', compresslevel=1))
    del line
    tracemalloc.start()
    try:
        items = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(items[0], InputError)
    assert items[0].reason == f"too large (over {MAX_HTML_BYTES} bytes)"
    assert isinstance(items[1], Source) and items[1].id == "y"
    assert peak < 4 * MAX_HTML_BYTES  # never the whole 100 MB line


class Endless(io.RawIOBase):
    """An endless stdin: reading it without a size would never return."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "stdin read without a cap"
        return b"a" * size


def test_stdin_is_capped_while_reading(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=Endless()))
    (item,) = iter_sources(["-"])
    assert isinstance(item, InputError)
    assert item.reason == f"too large (over {MAX_TEXT_BYTES} bytes)"


def test_html_nested_10000_deep_still_gives_its_text(tmp_path: Path):
    para = ("<p>The mayor said on Monday that the harbour bridge would reopen in the spring "
            "after repairs that inspectors had asked for last year.</p>")
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 10_000 + para * 3 + "</div>" * 10_000
                    + "</body></html>")
    (item,) = read(path)
    assert isinstance(item, Source) and "harbour bridge would reopen" in item.text
