"""Batch steps: syndicated copies grouped, per-site template lines removed."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

from onrecord.ingest.base import InputError, Source
from onrecord.ingest.batch import prepare_batch
from onrecord.ingest.dedup import mark_copies

_spec = importlib.util.spec_from_file_location(
    "bench_ingest", Path(__file__).resolve().parents[1] / "bench" / "bench_ingest.py")
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_ingest"] = bench  # its dataclasses look their module up
_spec.loader.exec_module(bench)

WORDS = ("minister council harbour budget river police school station market court union "
         "hospital farmers prices bridge election mayor museum storm energy tax rail water "
         "plan vote report strike teachers nurses grant airport village coast fishing road "
         "said told would could after before during because while although since").split()


def article(seed: int, paragraphs: int = 8) -> str:
    """A made-up article of distinct sentences, one paragraph per line."""
    rng = random.Random(seed)
    return "\n".join(
        " ".join(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "."
                 for _ in range(3))
        for _ in range(paragraphs))


def test_variants_group_with_their_original_and_nothing_else():
    rng = random.Random(3)
    texts, truth = [], []
    for k in range(12):
        body = article(k)
        for text in [body, *bench.variants(body, rng)]:
            texts.append(text)
            truth.append(k)
    marks = mark_copies([str(i) for i in range(len(texts))], texts, [None] * len(texts))
    predicted = [group or str(i) for i, (_, group) in enumerate(marks)]
    assert bench.pairwise([str(t) for t in truth], predicted) == (1.0, 1.0)


def test_earliest_copy_by_date_then_input_order():
    body = article(1)
    texts = [body, body + "\nSubscribe to our newsletter today.", body, article(2)]
    dates = [None, "2025-01-02", "2025-01-01", "2024-12-31"]
    marks = mark_copies(["a", "b", "c", "d"], texts, dates)
    assert marks == [("c", "c"), ("c", "c"), (None, "c"), (None, None)]
    undated = mark_copies(["a", "b"], [body, body], [None, None])
    assert undated == [(None, "a"), ("a", "a")]


def site_page(n: int, host: str = "news.example.com") -> Source:
    text = "\n".join(["Share this article on your favourite network", article(100 + n, 4),
                      "Related coverage from the newsroom desk", f"Page {n} only line"])
    return Source(id=f"p{n}", text=text, meta={"url": f"https://{host}/{n}"})


def test_site_template_lines_removed_only_for_sites_with_many_pages():
    pages = [site_page(n) for n in range(4)]
    other = [site_page(n, "other.example.org") for n in range(2)]
    out = prepare_batch([*pages, *other])
    for src in out[:4]:
        assert isinstance(src, Source)
        assert "Share this article" not in src.text and "Related coverage" not in src.text
        assert "only line" in src.text and len(src.text.splitlines()) == 5
    assert out[4:] == other and "Share this article" in other[0].text


def test_copies_vote_once_and_empty_pages_become_errors():
    same = article(7, 4)
    pages = [Source(id=f"c{n}", text=same, meta={"url": f"https://a.example.com/{n}"})
             for n in range(4)]  # one story four times: not a template
    out = prepare_batch(list(pages))
    assert all(isinstance(s, Source) and s.text == same for s in out)
    assert [s.meta.get("duplicate_of") for s in pages] == [None, "c0", "c0", "c0"]
    template = ("Share this article on your favourite network\n"
                "Related coverage from the newsroom desk")
    blank = Source(id="blank", text=template, meta={"url": "https://b.example/blank"})
    out = prepare_batch([blank, *(site_page(n, "b.example") for n in range(3))])
    assert isinstance(out[0], InputError) and "no article text" in out[0].reason
    assert all(isinstance(s, Source) for s in out[1:])
