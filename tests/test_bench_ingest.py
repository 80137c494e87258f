"""The ingestion bench's split and scores (the figures acceptance rests on)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "bench_ingest", Path(__file__).resolve().parents[1] / "bench" / "bench_ingest.py")
assert _spec and _spec.loader
bench = sys.modules.get("bench_ingest") or importlib.util.module_from_spec(_spec)
if "bench_ingest" not in sys.modules:
    sys.modules["bench_ingest"] = bench  # its dataclasses look their module up
    _spec.loader.exec_module(bench)


def test_split_is_by_site_and_fixed():
    a = bench.half_of("https://www.example.com/news/one")
    assert a == bench.half_of("http://example.com/other/page?x=1")
    halves = {bench.half_of(f"https://site{i}.example.org/a") for i in range(40)}
    assert halves == {"tune", "check"}
    # fixed in the script: a change of hash or rule would move these sites
    assert [bench.half_of(f"https://site{i}.example.org/") for i in range(4)] == [
        bench.HALVES[hashlib.sha1(f"site{i}.example.org".encode()).digest()[0] % 2]
        for i in range(4)]


def test_scores():
    assert bench.word_f1("The pier, the pier!", "the pier the pier") == 1.0
    assert bench.word_f1("harbour pier", "") == 0.0
    assert round(bench.word_f1("a b c d", "a b"), 4) == round(2 * 1 * 0.5 / 1.5, 4)
    assert bench.same_headline("Pier  to be\nrebuilt", " Pier to be rebuilt ")
    assert not bench.same_headline("Pier to be rebuilt", "Pier to be rebuilt | Gazette")


def test_page_scores_date_and_leak():
    page = bench.Page("p", "https://x.org/a", b"", "the harbour pier will be rebuilt", "T",
                      "2025-03-11", True, ["Sign up now"])
    out = bench.Out("the harbour pier will be rebuilt. Sign  up now", "T", "2025-03-12", 1.0)
    scores = bench.page_scores(page, out)
    assert scores["leak"] == 1.0 and scores["date"] == 0.0 and scores["head"] == 1.0
    undated = bench.Page("q", "https://x.org/b", b"", "text", None, None, True)
    assert bench.page_scores(undated, bench.Out("text", None, None, 1.0))["given_undated"] == 0.0


def test_bootstrap_interval_holds_the_mean():
    mean, lo, hi = bench.bootstrap([0.0, 1.0] * 50)
    assert lo <= mean == 0.5 <= hi and hi - lo < 0.3
