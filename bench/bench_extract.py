"""Extraction speed on PolNeAR dev texts: bare spaCy vs the whole pipeline vs the CLI.

    .venv/bin/python bench/bench_extract.py [--docs N] [--dir DIR] [--repeat 3]

In one run, after a warm-up, each of these is timed ``--repeat`` times over the same
texts (the rows taking turns) and the median reported in words/s (words = whitespace
tokens):

(a) bare ``nlp.pipe`` with the same spaCy model (without onrecord's own component),
(b) ``onrecord.nlp.pipeline.extract_many`` (boilerplate, parse, statements, entities,
    figures, dates, events) with the default learned attribution tagger (``learned``),
(b') the same with the rules alone (``--attribution rules``),
(e) (b) with the events read by the rules alone, without the learned trigger classifier,
(c) bare spaCy as a whole process: start Python, load the model, read and pipe the files,
(d) ``onrecord extract --format jsonl FILES`` as a whole process (startup, model load,
    reading, copy detection, extraction, JSON output).

In-process rows are compared with (a), whole-process rows with (c). ``--in-process``
skips (c) and (d).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from onrecord.nlp import ATTRIBUTIONS, Attribution, model
from onrecord.nlp.pipeline import extract_many

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "data" / "polnear" / "dev"
BATCH_SIZE = 16  # extract_many's default


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def _cli_command(files: list[Path]) -> list[str]:
    script = Path(sys.executable).with_name("onrecord")
    exe = [str(script)] if script.exists() else (
        [shutil.which("onrecord")] if shutil.which("onrecord") else
        [sys.executable, "-m", "onrecord.cli"])
    return [*(str(e) for e in exe), "extract", "--format", "jsonl", *map(str, files)]


BARE_PROCESS = (
    "import sys, spacy\n"
    "nlp = spacy.load(sys.argv[1])\n"
    "texts = [open(f, encoding='utf-8').read() for f in sys.argv[2:]]\n"
    "nlp.max_length = max(nlp.max_length, max(map(len, texts)) + 1)\n"
    f"for _ in nlp.pipe(texts, batch_size={BATCH_SIZE}):\n"
    "    pass\n"
)


def _peak_rss_mb(who: int) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                    help="PolNeAR split directory (with text/*.txt)")
    ap.add_argument("--docs", type=int, default=None, help="use the first N texts (default all)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--in-process", action="store_true", help="skip the whole-process rows")
    args = ap.parse_args(argv)

    files = sorted((args.dir / "text").glob("*.txt"))
    if args.docs is not None:
        files = files[:args.docs]
    if not files:
        print(f"bench: no texts in {args.dir / 'text'}", file=sys.stderr)
        return 2
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = sum(len(t.split()) for t in texts)
    items = [(t, f.stem, str(f), None) for t, f in zip(texts, files, strict=True)]

    name = model.available_model()
    t0 = time.perf_counter()
    bare = spacy.load(name)
    full = model.load()
    load_s = time.perf_counter() - t0
    for nlp in (bare, full):
        nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=BATCH_SIZE):
            pass

    def run_full(attribution: Attribution, events: str = "shipped") -> Callable[[], None]:
        def run() -> None:
            for _ in extract_many(items, nlp=full, batch_size=BATCH_SIZE,
                                  attribution=attribution,
                                  event_model=events):  # type: ignore[arg-type]
                pass
        return run

    def run_process(cmd: list[str]) -> Callable[[], None]:
        def run() -> None:
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, cwd=REPO)
            if done.returncode:
                raise SystemExit(f"bench: {cmd[0]} failed ({done.returncode}): "
                                 f"{done.stderr.strip()}")
        return run

    run_cli = run_process(_cli_command(files))
    run_bare_process = run_process([sys.executable, "-c", BARE_PROCESS, name, *map(str, files)])

    # warm-up: a few documents through each in-process path
    warm = items[:4]
    for _ in bare.pipe([t for t, *_ in warm]):
        pass
    for attribution in ATTRIBUTIONS:
        for _ in extract_many(warm, nlp=full, attribution=attribution):
            pass

    runs = {
        "(a) bare nlp.pipe": run_bare,
        "(b) extract_many learned": run_full("learned"),
        "(b') extract_many rules": run_full("rules"),
        "(e) (b) with rule events": run_full("learned", "rules"),
    }
    if not args.in_process:
        runs["(c) bare spaCy process"] = run_bare_process
        runs["(d) onrecord extract"] = run_cli
    # Round-robin, so a burst of load on a shared machine falls on every row alike.
    results: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.repeat):
        for label, fn in runs.items():
            results[label] += _timed(fn, 1)
    medians = {k: statistics.median(v) for k, v in results.items()}
    baseline = {"(a)": "(a) bare nlp.pipe", "(b)": "(a) bare nlp.pipe", "(b'": "(a) bare nlp.pipe",
                "(e)": "(a) bare nlp.pipe",
                "(c)": "(c) bare spaCy process", "(d)": "(c) bare spaCy process"}

    print(f"model {name} (spaCy {spacy.__version__}); {len(files)} docs, {words} words; "
          f"repeat {args.repeat}, median; model load {load_s:.2f} s (not timed)")
    head = (f"{'run':<26} {'median s':>9} {'min s':>7} {'max s':>7} {'words/s':>9} "
            f"{'ratio':>6}  vs")
    print(head)
    print("-" * len(head))
    for label, times in results.items():
        wps = words / medians[label]
        base = baseline[label[:3]]
        ratio = medians[base] / medians[label]
        print(f"{label:<26} {medians[label]:>9.2f} {min(times):>7.2f} {max(times):>7.2f} "
              f"{wps:>9,.0f} {ratio:>6.2f}  {base[:3]}")
    print(f"peak RSS: this process {_peak_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
          f"largest CLI subprocess {_peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
