"""Extraction cost of long documents: time and peak memory at 50K, 200K and 950K characters.

    .venv/bin/python bench/bench_long.py [--sizes 50000,200000,950000] [--attribution learned]

Each size is extracted in a fresh process (so its peak resident memory is its own) from
a text made of the bundled demo articles repeated and cut at a paragraph end. Time per
character is reported as a ratio to the smallest size, measured in the same run; linear
cost reads 1.0 all the way down.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "src" / "onrecord" / "data" / "demo"

CHILD = """
import json, resource, sys, time
from onrecord.nlp import model
from onrecord.nlp.pipeline import extract
text = sys.stdin.read()
nlp = model.load()
extract("The mayor said on Monday that the bridge would reopen.", nlp=nlp)  # warm-up
started = time.perf_counter()
doc = extract(text, nlp=nlp, attribution=sys.argv[1])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "statements": len(doc.statements)}))
"""


def long_text(chars: int) -> str:
    """The demo articles over and over, cut at the last paragraph end before ``chars``."""
    base = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(DEMO.glob("*.txt")))
    text = (base + "\n\n") * (chars // len(base) + 1)
    return text[: text.rfind("\n", 0, chars) + 1]


def measure(chars: int, attribution: str) -> dict[str, float]:
    text = long_text(chars)
    out = subprocess.run([sys.executable, "-c", CHILD, attribution], input=text, text=True,
                         capture_output=True, check=True, cwd=REPO)
    return {"chars": len(text), **json.loads(out.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000,950000")
    parser.add_argument("--attribution", choices=("learned", "rules"), default="learned")
    args = parser.parse_args()
    rows = [measure(int(n), args.attribution) for n in args.sizes.split(",")]
    base = rows[0]["seconds"] / rows[0]["chars"]
    print(f"| characters | seconds | µs/char | ratio to {rows[0]['chars']:,.0f} | peak MB "
          "| statements |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        per = r["seconds"] / r["chars"]
        print(f"| {r['chars']:,.0f} | {r['seconds']:.1f} | {per * 1e6:.0f} | {per / base:.2f} "
              f"| {r['peak_mb']:,.0f} | {r['statements']:,.0f} |")


if __name__ == "__main__":
    main()
