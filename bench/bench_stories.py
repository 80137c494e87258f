"""Story grouping benchmark: time against the number of articles, and against the window.

    .venv/bin/python bench/bench_stories.py [--docs 10000] [--per-day 14] [--repeat 3]

Articles come from bench_store's generator (templates, entities and statements; no
spaCy). Each run featurizes the articles and groups them one at a time in publication
order, as ``update_stories`` does (:class:`onrecord.stories.cluster.StoryIndex`).

Table 1, *more days*: the first N of ``--docs`` articles published ``--per-day`` a day,
so the window (the articles within ``max_days`` of one) holds the same number whatever
N is. Grouping is linear in N when the time per article stays flat: the ratio column is
the time per article over that of the smallest N, measured in the same run.

Table 2, *fuller window*: the same number of articles published over fewer days, so each
window holds more; the time per article grows with the articles in the window (each is
compared with the members of its window), and the total is the number of articles times
that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import generate  # noqa: E402
from onrecord.record import DateMention, Document, Span  # noqa: E402
from onrecord.stories.cluster import StoryIndex  # noqa: E402
from onrecord.stories.features import featurize  # noqa: E402

START = dt.date(2024, 1, 1)


def redate(docs: list[Document], per_day: float) -> list[Document]:
    """The documents published ``per_day`` a day from START, in order, each with its first
    word read as the day before (so its lead words are tied to a day, as in real news)."""
    out = []
    for i, d in enumerate(docs):
        day = START + dt.timedelta(days=int(i / per_day))
        first = d.text.split(maxsplit=1)[0]
        when = DateMention(span=Span(start=0, end=len(first), text=first),
                           value=(day - dt.timedelta(days=1)).isoformat(), granularity="day")
        out.append(d.model_copy(update={"published": day.isoformat(), "dates": [when]}))
    return out


def run(docs: list[Document]) -> tuple[float, float, int, float]:
    """Seconds to featurize, seconds to group, stories, mean candidates compared."""
    t0 = time.perf_counter()
    feats = [featurize(d) for d in docs]
    t1 = time.perf_counter()
    index = StoryIndex()
    compared = 0
    for f in feats:
        compared += len(index.candidates(f))
        index.assign(f)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(index.members), compared / max(1, len(docs))


def timed(docs: list[Document], repeat: int) -> tuple[float, float, int, float]:
    runs = [run(docs) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            runs[0][2], runs[0][3])


def table(title: str, rows: list[tuple[int, float, tuple[float, float, int, float]]]) -> None:
    print(f"\n{title}\n")
    print("| articles | per day | compared per article | stories | featurize s | group s "
          "| group µs/article | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    base = rows[0][2][1] / rows[0][0]
    for n, per_day, (feat_s, group_s, stories, compared) in rows:
        per = group_s / n
        print(f"| {n:,} | {per_day:g} | {compared:.0f} | {stories:,} | {feat_s:.2f} | "
              f"{group_s:.2f} | {per * 1e6:,.0f} | {per / base:.2f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--per-day", type=float, default=14.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    docs, _ = generate(args.docs)
    print(f"generated {len(docs):,} articles ({time.perf_counter() - t0:.1f}s); "
          f"medians of {args.repeat} runs", flush=True)
    sizes = [n for n in (args.docs // 8, args.docs // 4, args.docs // 2, args.docs) if n]
    more_days = [(n, args.per_day, timed(redate(docs[:n], args.per_day), args.repeat))
                 for n in sizes]
    table(f"More days ({args.per_day:g} articles a day): time per article against N", more_days)
    n = sizes[0]
    fuller = [(n, k * args.per_day, timed(redate(docs[:n], k * args.per_day), args.repeat))
              for k in (1, 2, 4, 8)]
    table(f"Fuller window ({n:,} articles): time per article against articles a day", fuller)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
