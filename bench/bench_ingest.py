"""Ingestion benchmark on the article-extraction benchmark (../shared/data).

Prints one table: body-extraction F1 and ms/page for onrecord and for trafilatura
alone (default settings), published-date accuracy against the date each page
declares, and pairwise precision/recall of copy groups over syndicated variants
generated from the gold bodies.

    .venv/bin/python bench/bench_ingest.py [DATA_DIR]
"""

from __future__ import annotations

import gzip
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import lxml.html
import trafilatura

from onrecord.ingest.base import Source
from onrecord.ingest.dedup import mark_copies
from onrecord.ingest.html import html_source

SHARED = Path(os.environ.get("ONRECORD_SHARED_DATA", Path(__file__).parents[1] / "../shared/data"))
_TOKEN = re.compile(r"\w+")

# --- the benchmark's metric -------------------------------------------------------------


def _shingles(text: str, n: int = 4) -> Counter[str]:
    toks = _TOKEN.findall(text or "")
    return Counter(" ".join(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))
                   if toks[i:i + n])


def precision_recall(gold: str, pred: str) -> tuple[float, float]:
    """Per-page precision and recall of 4-word shingle multisets (the benchmark's rule)."""
    g, p = _shingles(gold), _shingles(pred)
    tp, fp, fn = sum((g & p).values()), sum((p - g).values()), sum((g - p).values())
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def score(name: str, pages: dict[str, tuple[bytes, str, str]],
          extract: Callable[[bytes, str], str]) -> tuple[str, float, float, float, float]:
    p_sum = r_sum = 0.0
    start = time.perf_counter()
    for html, url, gold in pages.values():
        p, r = precision_recall(gold, extract(html, url))
        p_sum, r_sum = p_sum + p, r_sum + r
    ms = 1000 * (time.perf_counter() - start) / len(pages)
    p, r = p_sum / len(pages), r_sum / len(pages)
    return name, p, r, 2 * p * r / (p + r), ms


# --- declared publication dates ----------------------------------------------------------

_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _ld_date(node: object) -> str | None:
    if isinstance(node, dict):
        if isinstance(node.get("datePublished"), str):
            return node["datePublished"]
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            found = _ld_date(item)
            if found:
                return found
    return None


def declared_date(html: bytes) -> str | None:
    """The publication day the page states: article:published_time, JSON-LD, or <time>."""
    tree = lxml.html.fromstring(html)
    candidates = tree.xpath('//meta[@property="article:published_time"]/@content')
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            found = _ld_date(json.loads(script))
        except ValueError:
            continue
        if found:
            candidates.append(found)
    candidates += tree.xpath('//*[@itemprop="datePublished"]/@content')
    candidates += tree.xpath("//time/@datetime")
    for value in candidates:
        m = _ISO_DAY.search(value)
        if m and m.group(1) >= "1995":  # placeholders such as 0001-01-01 declare nothing
            return m.group(1)
    return None


# --- syndicated variants -------------------------------------------------------------------

PROMOS = [
    ["Subscribe to The Daily Ledger for unlimited access.",
     "Sign up for our newsletter to get the latest news delivered to your inbox."],
    ["Buy the e-paper and read the digital edition on any device.",
     "Follow us on Facebook and Twitter for more."],
    ["Read more: related stories from our newsroom, click here.",
     "We use cookies to improve your experience. See our privacy policy."],
    ["Keep up with the news: sign up for our morning newsletter.",
     "Support independent journalism: subscribe today from $1."],
    ["Download our app for instant access to breaking news.",
     "Copyright 2025 Herald Media. All rights reserved."],
]
_SWAPS = {"said": "stated", "says": "states", "the": "this", "and": "as well as", "is": "was",
          "a": "one", "of": "from", "to": "towards", "in": "within", "for": "regarding"}


def reword(paragraphs: list[str], rng: random.Random) -> list[str]:
    """The paragraphs with one longer sentence reworded (words swapped, clause order turned)."""
    spots = [(i, s) for i, p in enumerate(paragraphs) for s in re.split(r"(?<=[.!?])\s+", p)
             if len(s.split()) >= 8]
    if not spots:
        return paragraphs
    i, sentence = rng.choice(spots)
    words = [_SWAPS.get(w.lower(), w) for w in sentence.rstrip(".!?").split()]
    half = len(words) // 2
    new = " ".join(words[half:] + ["-"] + words[:half]) + "."
    out = list(paragraphs)
    out[i] = paragraphs[i].replace(sentence, new, 1)
    return out


def variants(body: str, rng: random.Random) -> list[str]:
    """Five republished copies of ``body``: other promo lines, truncation, a reworded sentence."""
    paras = [p.strip() for p in body.splitlines() if p.strip()]
    cut = paras[: max(1, math.ceil(0.7 * len(paras)))]

    def wrap(k: int, ps: list[str]) -> str:
        head, foot = PROMOS[k]
        return "\n".join([head, *ps, foot])

    plain = [p.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'") for p in paras]
    return [
        wrap(0, paras),
        wrap(1, reword(paras, rng)),
        wrap(2, cut),
        wrap(3, reword(cut, rng)),
        wrap(4, reword(plain, rng)),
    ]


def pairwise(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    """Precision and recall over pairs of documents put in one group."""
    same_t = {(i, j) for i, j in combinations(range(len(truth)), 2) if truth[i] == truth[j]}
    same_p = {(i, j) for i, j in combinations(range(len(truth)), 2)
              if predicted[i] == predicted[j]}
    tp = len(same_t & same_p)
    return tp / max(len(same_p), 1), tp / max(len(same_t), 1)


# --- the run ---------------------------------------------------------------------------------


def main(data_dir: Path) -> int:
    bench = data_dir / "article-extraction-benchmark"
    if not bench.is_dir():
        print(f"bench_ingest: no benchmark at {bench}", file=sys.stderr)
        return 1
    gold = json.loads((bench / "ground-truth.json").read_text())
    pages = {k: (gzip.decompress((bench / "html" / f"{k}.html.gz").read_bytes()), v["url"],
                 v["articleBody"]) for k, v in sorted(gold.items())}
    found: dict[str, Source] = {}

    def ours(html: bytes, url: str) -> str:
        src = html_source(html, url, url, url=url)
        if isinstance(src, Source):
            found[url] = src
        return src.text if isinstance(src, Source) else ""

    rows = [score("trafilatura alone (defaults)", pages,
                  lambda html, url: trafilatura.extract(html, url=url) or ""),
            score("onrecord ingest", pages, ours)]
    print(f"article bodies: {len(pages)} pages")
    print(f"{'extractor':<30} {'P':>7} {'R':>7} {'F1':>7} {'ms/page':>8}")
    for name, p, r, f1, ms in rows:
        print(f"{name:<30} {p:7.4f} {r:7.4f} {f1:7.4f} {ms:8.1f}")

    right = n = 0
    for html, url, _ in pages.values():
        declared = declared_date(html)
        if declared:
            n += 1
            right += found.get(url) is not None and found[url].meta.get("published") == declared
    print(f"\npublished date right to the day: {right}/{n} pages that declare one "
          f"({100 * right / max(n, 1):.1f}%)")

    rng = random.Random(7)
    texts, truth = [], []
    for key, (_, _, body) in pages.items():
        for text in [body, *variants(body, rng)]:
            texts.append(text)
            truth.append(key)
    start = time.perf_counter()
    marks = mark_copies([str(i) for i in range(len(texts))], texts, [None] * len(texts))
    secs = time.perf_counter() - start
    predicted = [group or str(i) for i, (_, group) in enumerate(marks)]
    p, r = pairwise(truth, predicted)
    print(f"\ncopy groups: {len(pages)} gold bodies x (original + 5 variants) = {len(texts)} "
          f"documents, {secs:.1f}s")
    print(f"pairwise precision {p:.4f}  recall {r:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED))
