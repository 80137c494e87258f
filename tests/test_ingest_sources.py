"""Inputs to Sources: JSON Lines, directories, stdin, and fuzzed HTML and JSONL readers."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.ingest.base import InputError, Source
from onrecord.ingest.html import html_source
from onrecord.ingest.jsonl import jsonl_sources
from onrecord.ingest.sources import iter_sources

TEXT = ("The council said on Monday that the new bridge would open in May, after two years "
        "of delays caused by flooding and a shortage of steel. Residents have waited a long "
        "time for the crossing, which the mayor told reporters was the town's top priority.")
TEXT2 = ("Work on the approach roads is finished, the engineer in charge said, and the last "
         "section of the deck will be lifted into place next month if the weather holds.")
HTML = (f"<html><body><nav>Home News</nav><article><p>{TEXT}</p><p>{TEXT2}</p></article>"
        "</body></html>")
BODY = f"{TEXT}\n{TEXT2}"


def kinds(items: list[Source | InputError]) -> list[str]:
    return [type(i).__name__ for i in items]


def test_jsonl_documents_in_order_with_ids_and_bad_lines_reported(tmp_path: Path):
    lines = [
        {"id": "one", "url": "https://example.com/1", "html": HTML, "published": "2025-02-03"},
        "not json at all",
        {"id": "two", "text": TEXT, "published": "2025-02-04T10:00:00Z"},
        {"url": "https://example.com/3"},
        ["a", "list"],
        {"url": "https://example.com/4", "text": TEXT},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n")
    items = list(iter_sources([str(path)]))
    assert kinds(items) == ["Source", "InputError", "Source", "InputError", "InputError", "Source"]
    one, two, four = items[0], items[2], items[5]
    assert isinstance(one, Source) and isinstance(two, Source) and isinstance(four, Source)
    assert (one.id, one.meta["published"], one.meta["url"]) == ("one", "2025-02-03",
                                                                 "https://example.com/1")
    assert one.text == BODY and "Home" not in one.text
    assert (two.id, two.text, two.meta["published"]) == ("two", TEXT, "2025-02-04")
    assert four.id == "batch-6"  # no id given: file stem and line number
    assert str(items[1]).startswith(f"{path}:2: not JSON")
    assert "needs an \"html\" or \"text\"" in str(items[3])


def test_directory_recursive_sorted_known_kinds_only(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "page.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c1", "text": TEXT}) + "\n")
    (tmp_path / ".hidden.txt").write_text(TEXT)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = list(iter_sources([str(tmp_path)]))
    assert [i.id for i in items if isinstance(i, Source)] == ["a", "page", "c1"]
    assert all(isinstance(i, Source) and i.meta["language"] == "en" for i in items)


def test_stdin_sniffs_html_jsonl_and_gzip(monkeypatch):
    for data in (HTML.encode(), gzip.compress(HTML.encode()),
                 json.dumps({"id": "s", "html": HTML}).encode()):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        (item,) = iter_sources(["-"])
        assert isinstance(item, Source) and item.text == BODY


def test_unknown_suffix_is_sniffed(tmp_path: Path):
    path = tmp_path / "download"
    path.write_bytes(HTML.encode())
    (item,) = iter_sources([str(path)])
    assert isinstance(item, Source) and item.text == BODY


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: f"<html><body><p>{t}</p></body></html>"),
    st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<script>", "<!--", "&amp;", "\x00",
                              "<meta charset='koi8-r'>", "Ã©", "said", " the ", "\n"]),
             max_size=200).map("".join),
))
def test_fuzz_html_reader_never_raises(data):
    result = html_source(data, "fuzz", "fuzz.html")
    assert isinstance(result, Source | InputError)
    if isinstance(result, Source):
        assert result.text.strip()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=200),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
docs = st.fixed_dictionaries({}, optional={"id": json_values, "url": json_values,
                                           "html": json_values, "text": json_values,
                                           "published": json_values})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=300), docs.map(lambda d: json.dumps(d).encode()),
                          json_values.map(lambda v: json.dumps(v).encode())), max_size=8))
def test_fuzz_jsonl_reader_one_result_per_nonblank_line(lines):
    lines = [ln.replace(b"\n", b" ").replace(b"\r", b" ") for ln in lines]
    results = list(jsonl_sources(lines, "fuzz.jsonl", "fuzz"))
    assert len(results) == sum(1 for ln in lines if ln.strip())
    assert all(isinstance(r, Source | InputError) for r in results)
