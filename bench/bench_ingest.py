"""Ingestion benchmark: HTML page to body, headline and publication date, on unseen sites.

Two data sets under ../shared/data: wcxb-dev (gold body, headline, date, must-exclude
snippets) and the article-extraction benchmark (gold body; the date a page declares).
Pages are split by site into a tuning half and a checking half (a hash of the host
name, fixed here), so a rule tuned on one half is judged on sites it never saw. Each
system runs on the same pages in the same run: onrecord, trafilatura alone (defaults,
comments off), trafilatura with metadata (its title and date), htmldate alone
(extensive search). Baseline outputs may be cached under /tmp while iterating
(``--cache``); the table then gives no ms ratio, and the paired timing (onrecord and
trafilatura with metadata in turn on every ``--time-every``-th page) is the one to read.

    nice .venv/bin/python bench/bench_ingest.py [--data DIR] [--cache DIR] [--save F]
        [--against F] [--time-every N] [--timing-only] [--only wcxb|aeb] [--half tune|check]

``--save`` writes onrecord's per-page scores; ``--against`` a saved file prints paired
bootstrap intervals of the change, page by page, on each half.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

import htmldate
import lxml.html
import trafilatura

from onrecord.ingest.base import Source
from onrecord.ingest.dedup import mark_copies
from onrecord.ingest.html import html_source

SHARED = Path(os.environ.get("ONRECORD_SHARED_DATA", Path(__file__).parents[1] / "../shared/data"))
_TOKEN = re.compile(r"\w+")
HALVES = ("tune", "check")


def half_of(url: str) -> str:
    """The fixed split: a site (host without ``www.``) is in one half for good."""
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    return HALVES[hashlib.sha1(host.encode()).digest()[0] % 2]


# --- the metrics --------------------------------------------------------------------------


def _shingles(text: str, n: int = 4) -> Counter[str]:
    toks = _TOKEN.findall(text or "")
    return Counter(" ".join(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))
                   if toks[i:i + n])


def _pr(g: Counter[str], p: Counter[str]) -> tuple[float, float]:
    tp, fp, fn = sum((g & p).values()), sum((p - g).values()), sum((g - p).values())
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def precision_recall(gold: str, pred: str) -> tuple[float, float]:
    """Per-page precision and recall of 4-word shingle multisets (the benchmark's rule)."""
    return _pr(_shingles(gold), _shingles(pred))


def word_f1(gold: str, pred: str) -> float:
    """F1 of the multisets of lower-cased words (WCXB's body score)."""
    p, r = _pr(Counter(_TOKEN.findall(gold.lower())), Counter(_TOKEN.findall(pred.lower())))
    return 2 * p * r / (p + r) if p + r else 0.0


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def same_headline(gold: str, pred: str | None) -> bool:
    return pred is not None and " ".join(gold.split()) == " ".join(pred.split())


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


# --- the pages and the systems ------------------------------------------------------------


@dataclass
class Page:
    key: str
    url: str | None
    html: bytes
    body: str
    title: str | None = None  # gold headline (wcxb only)
    date: str | None = None  # gold day; for the benchmark, the day the page declares
    date_known: bool = True  # False: no gold to say the page has no date
    exclude: list[str] = field(default_factory=list)

    @property
    def site(self) -> str:
        return (urlsplit(self.url).hostname or self.url) if self.url else self.key

    @property
    def half(self) -> str:
        return half_of(self.url or self.key)  # a page without a URL is its own site


@dataclass
class Out:
    body: str | None
    title: str | None
    date: str | None
    ms: float


def load_wcxb(root: Path) -> list[Page]:
    pages = []
    with open(root / "ground-truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            g = json.loads(line)
            html = gzip.decompress((root / "html" / f"{g['id']}.html.gz").read_bytes())
            pages.append(Page(f"wcxb/{g['id']}", g["url"], html, g["main_content"] or "",
                              g["title"], g["published"], True, g.get("must_exclude") or []))
    return pages


def load_aeb(root: Path) -> list[Page]:
    gold = json.loads((root / "ground-truth.json").read_text())
    pages = []
    for k, v in sorted(gold.items()):
        html = gzip.decompress((root / "html" / f"{k}.html.gz").read_bytes())
        declared = declared_date(html)
        pages.append(Page(f"aeb/{k}", v["url"], html, v["articleBody"], None, declared,
                          declared is not None))
    return pages


def _ours(page: Page) -> tuple[str | None, str | None, str | None]:
    src = html_source(page.html, page.key, page.key, url=page.url)
    if not isinstance(src, Source):
        return "", None, None
    title, date = src.meta.get("title"), src.meta.get("published")
    return (src.text, title if isinstance(title, str) else None,
            date if isinstance(date, str) else None)


def _traf(page: Page) -> tuple[str | None, str | None, str | None]:
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or "", None, None


def _traf_meta(page: Page) -> tuple[str | None, str | None, str | None]:
    doc = trafilatura.bare_extraction(page.html, url=page.url, include_comments=False,
                                      with_metadata=True)
    if doc is None:
        return "", None, None
    return doc.text or "", doc.title, doc.date


def _htmldate(page: Page) -> tuple[str | None, str | None, str | None]:
    date = htmldate.find_date(page.html, extensive_search=True, original_date=True, url=page.url)
    return None, None, date


Runner = Callable[[Page], tuple[str | None, str | None, str | None]]
BASELINES: dict[str, Runner] = {
    "trafilatura (defaults)": _traf,
    "trafilatura + metadata": _traf_meta,
    "htmldate (extensive)": _htmldate,
}


def run(name: str, fn: Runner, pages: list[Page], cache: Path | None) -> dict[str, Out]:
    """Each page's output from ``fn``, timed; baselines reused from ``cache`` when given."""
    stamp = f"{trafilatura.__version__}-{htmldate.__version__}"
    slug = re.sub(r"\W+", "_", name)
    path = cache / f"{slug}-{stamp}.json" if cache else None
    done: dict[str, Out] = {}
    if path and path.exists():
        done = {k: Out(**v) for k, v in json.loads(path.read_text()).items()}
    for page in pages:
        if page.key in done:
            continue
        start = time.perf_counter()
        body, title, date = fn(page)
        done[page.key] = Out(body, title, date, 1000 * (time.perf_counter() - start))
    if path:
        path.write_text(json.dumps({k: vars(v) for k, v in done.items()}))
    return done


# --- the report -------------------------------------------------------------------------------


def page_scores(page: Page, out: Out) -> dict[str, float | None]:
    """What one output scores on one page (None: not applicable)."""
    scores: dict[str, float | None] = {"f1": None, "p4": None, "r4": None, "leak": None,
                                       "date": None, "given_undated": None, "head": None,
                                       "ms": out.ms}
    if out.body is not None and page.body:  # pages without a gold body score no body
        scores["f1"] = word_f1(page.body, out.body)
        scores["p4"], scores["r4"] = precision_recall(page.body, out.body)
        if page.exclude:
            body = _norm(out.body)
            scores["leak"] = sum(_norm(s) in body for s in page.exclude) / len(page.exclude)
    if page.date:
        scores["date"] = float(out.date == page.date) if out.date else None
    elif page.date_known:
        scores["given_undated"] = float(out.date is not None)
    if page.title is not None:
        scores["head"] = float(same_headline(page.title, out.title))
    return scores


def _mean(xs: Iterable[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


def summary(pages: list[Page], scores: dict[str, dict[str, float | None]],
            has: tuple[bool, bool, bool]) -> dict[str, float | None]:
    """The table's columns for one system on ``pages``."""
    rows = [scores[p.key] for p in pages]
    body, head, date = has
    p4, r4 = _mean(r["p4"] for r in rows), _mean(r["r4"] for r in rows)
    dated = [r for p, r in zip(pages, rows, strict=True) if p.date]
    given = [r["date"] for r in dated if r["date"] is not None]
    return {
        "wordF1": _mean(r["f1"] for r in rows) if body else None,
        "sh4F1": 2 * p4 * r4 / (p4 + r4) if body and p4 and r4 else None,
        "leak": _mean(r["leak"] for r in rows) if body else None,
        "dateAcc": sum(given) / len(dated) if date and dated else None,
        "datePrec": sum(given) / len(given) if date and given else None,
        "undatedGiven": _mean(r["given_undated"] for r in rows) if date else None,
        "head": _mean(r["head"] for r in rows) if head else None,
        "ms": _mean(r["ms"] for r in rows),
    }


COLUMNS = ("wordF1", "sh4F1", "leak", "dateAcc", "datePrec", "undatedGiven", "head", "ms")
HAS = {"onrecord": (True, True, True), "trafilatura (defaults)": (True, False, False),
       "trafilatura + metadata": (True, True, True), "htmldate (extensive)": (False, False, True)}


def print_table(title: str, pages: list[Page], results: dict[str, dict[str, dict]],
                same_run: bool = True) -> None:
    """One row per system; the ms ratio only when every system was timed in this run."""
    n_dated = sum(bool(p.date) for p in pages)
    n_undated = sum(p.date_known and not p.date for p in pages)
    print(f"\n{title}: {len(pages)} pages, {len({p.site for p in pages})} "
          f"sites, {n_dated} with a gold date, {n_undated} known undated")
    ratio_head = f"{'ms ratio':>10}" if same_run else ""
    print(f"{'system':<24}" + "".join(f"{c:>13}" for c in COLUMNS) + ratio_head)
    ref = summary(pages, results["trafilatura + metadata"], HAS["trafilatura + metadata"])["ms"]
    for name, scores in results.items():
        row = summary(pages, scores, HAS[name])
        cells = "".join(f"{'-':>13}" if row[c] is None else f"{row[c]:13.4f}" for c in COLUMNS)
        ratio = f"{(row['ms'] or 0) / (ref or 1):10.2f}" if same_run else ""
        print(f"{name:<24}{cells}{ratio}")


def bootstrap(diffs: list[float], n: int = 2000, seed: int = 15) -> tuple[float, float, float]:
    """Mean of paired per-page differences and its 95% percentile bootstrap interval."""
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(diffs, k=len(diffs))) / len(diffs) for _ in range(n))
    return sum(diffs) / len(diffs), means[int(0.025 * n)], means[int(0.975 * n) - 1]


def _as_hit(s: dict[str, float | None], metric: str) -> float | None:
    if metric == "date":  # a page with a gold date: right (1) or not (0, abstained included)
        return s["date"] if s["date"] is not None else (0.0 if s["given_undated"] is None
                                                         else None)
    return s[metric]


def print_paired(title: str, pages: list[Page], new: dict[str, dict], old: dict[str, dict],
                 metrics: tuple[str, ...] = ("f1", "date", "head")) -> None:
    """Paired bootstrap of new minus old, page by page, per metric."""
    for metric in metrics:
        diffs = []
        for p in pages:
            if p.key not in old or (metric == "date" and not p.date):
                continue
            a, b = _as_hit(new[p.key], metric), _as_hit(old[p.key], metric)
            if a is not None and b is not None:
                diffs.append(a - b)
        if diffs:
            mean, lo, hi = bootstrap(diffs)
            print(f"  {title:<34} {metric:<5} n={len(diffs):4d}  {mean:+.4f}  "
                  f"95% [{lo:+.4f}, {hi:+.4f}]")


def paired_timing(pages: list[Page], every: int) -> None:
    """ms per page for onrecord and trafilatura + metadata, page by page in turn.

    Cached baseline timings come from another run; this pairs the two on every
    ``every``-th page in this run, so load on a shared machine falls on both alike.
    """
    ours = theirs = 0.0
    sample = pages[::every]
    for page in sample:
        for fn in (_ours, _traf_meta):
            start = time.perf_counter()
            fn(page)
            ms = 1000 * (time.perf_counter() - start)
            if fn is _ours:
                ours += ms
            else:
                theirs += ms
    print(f"  paired timing on {len(sample)} pages: onrecord {ours / len(sample):.1f} ms, "
          f"trafilatura + metadata {theirs / len(sample):.1f} ms, ratio {ours / theirs:.2f}")


def copy_groups(pages: list[Page]) -> None:
    rng = random.Random(7)
    texts, truth = [], []
    for page in pages:
        for text in [page.body, *variants(page.body, rng)]:
            texts.append(text)
            truth.append(page.key)
    start = time.perf_counter()
    marks = mark_copies([str(i) for i in range(len(texts))], texts, [None] * len(texts))
    secs = time.perf_counter() - start
    predicted = [group or str(i) for i, (_, group) in enumerate(marks)]
    p, r = pairwise(truth, predicted)
    print(f"\ncopy groups: {len(pages)} gold bodies x (original + 5 variants) = {len(texts)} "
          f"documents, {secs:.1f}s")
    print(f"pairwise precision {p:.4f}  recall {r:.4f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--cache", type=Path, help="reuse baseline outputs kept here (e.g. /tmp/...)")
    ap.add_argument("--only", choices=("wcxb", "aeb"), help="one data set")
    ap.add_argument("--half", choices=HALVES, help="run on one half only")
    ap.add_argument("--save", type=Path, help="write onrecord's per-page scores here")
    ap.add_argument("--against", type=Path, help="paired bootstrap against saved scores")
    ap.add_argument("--time-every", type=int, default=4,
                    help="paired timing on every n-th page of each half (0: none)")
    ap.add_argument("--timing-only", action="store_true", help="just the paired timing")
    args = ap.parse_args(argv)
    sets = {"wcxb-dev": (args.data / "wcxb-dev", load_wcxb),
            "article-extraction-benchmark": (args.data / "article-extraction-benchmark",
                                             load_aeb)}
    if args.only:
        sets = {k: v for k, v in sets.items() if k.startswith(args.only[:4])}
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    saved: dict[str, dict] = {}
    old = json.loads(args.against.read_text()) if args.against else {}
    for name, (root, load) in sets.items():
        if not root.is_dir():
            print(f"bench_ingest: no data at {root}", file=sys.stderr)
            return 1
        pages = [p for p in load(root) if args.half in (None, p.half)]
        if args.timing_only:
            for half in HALVES:
                print(f"{name}, {half} half:")
                paired_timing([p for p in pages if p.half == half], args.time_every or 1)
            continue
        results: dict[str, dict[str, dict]] = {}
        for system, fn in [("onrecord", _ours), *BASELINES.items()]:
            outs = run(system, fn, pages, args.cache if system != "onrecord" else None)
            results[system] = {p.key: page_scores(p, outs[p.key]) for p in pages}
        saved.update(results["onrecord"])
        if args.half is None:
            print_table(f"{name}, all pages", pages, results, args.cache is None)
        for half in HALVES:
            part = [p for p in pages if p.half == half]
            if part:
                print_table(f"{name}, {half} half", part, results, args.cache is None)
                if args.time_every:
                    paired_timing(part, args.time_every)
        print(f"\n{name}: paired bootstrap over pages (onrecord minus the other)")
        for half in HALVES:
            part = [p for p in pages if p.half == half]
            print_paired(f"{half}: vs trafilatura (defaults)", part, results["onrecord"],
                         results["trafilatura (defaults)"], ("f1",))
            print_paired(f"{half}: vs htmldate", part, results["onrecord"],
                         results["htmldate (extensive)"], ("date",))
            if old:
                print_paired(f"{half}: vs --against", part, results["onrecord"], old)
        if name.startswith("article"):
            copy_groups(pages)
    if args.save:
        args.save.write_text(json.dumps(saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
