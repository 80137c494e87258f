"""Measure the confidence rates the record gives (``src/onrecord/data/confidence.json``).

* speaker: for each way a source is resolved (``Statement.speaker_basis``), the share of
  found gold statements with the right speaker, over PolNeAR speakers-dev and quotes-dev;
* statement: for each set of readers that found a statement (``Found.origin``), the share
  of predicted statements whose content matches a gold PolNeAR dev content (IoU >= 0.5).

A rate is written only where at least MIN_SEEN statements were seen, shrunk toward the
overall rate (add-k smoothing), so a basis seen a few times does not claim certainty.
Run: ``python bench/calibrate_confidence.py [--write]`` (prints the table either way).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from onrecord.eval.brat import read_ann, read_text
from onrecord.eval.polnear import list_documents
from onrecord.eval.spans import iou, trim_all
from onrecord.eval.speakers import evaluate_quotes, evaluate_speakers
from onrecord.nlp.confidence import PATH

SHARED = Path("../shared/data")
MIN_SEEN = 5
PRIOR = 4  # pseudo-counts at the overall rate


def shrunk(right: int, seen: int, overall: float) -> float:
    return round((right + PRIOR * overall) / (seen + PRIOR), 3)


def speaker_rates() -> dict[str, tuple[int, int]]:
    outcomes = evaluate_speakers(SHARED / "polnear" / "speakers-dev",
                                 SHARED / "polnear" / "dev" / "text").outcomes
    outcomes += evaluate_quotes(SHARED / "article-extraction-benchmark" / "quotes-dev",
                                SHARED / "article-extraction-benchmark" / "html").outcomes
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for o in outcomes:
        if o.status in ("right", "wrong") and o.basis:
            seen[o.basis] += 1
            right[o.basis] += o.status == "right"
    return {b: (right[b], seen[b]) for b in seen}


def statement_rates() -> dict[str, tuple[int, int]]:
    from onrecord.nlp import model
    from onrecord.nlp.attribution import find_learned

    docs = list_documents(SHARED / "polnear" / "dev")
    nlp = model.load()
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    texts = [read_text(d.text_path) for d in docs]
    for d, text, doc in zip(docs, texts, nlp.pipe(texts), strict=True):
        gold = [trim_all(text, g.content) for g in read_ann(d.ann_path).attributions]
        for f in find_learned(doc):
            unit = trim_all(text, [f.content])
            seen[f.origin] += 1
            right[f.origin] += any(iou(g, unit) >= 0.5 for g in gold)
    return {o: (right[o], seen[o]) for o in seen}


def table(rates: dict[str, tuple[int, int]]) -> dict[str, float]:
    total = sum(n for _, n in rates.values())
    overall = sum(r for r, _ in rates.values()) / total if total else 0.0
    return {k: shrunk(r, n, overall) for k, (r, n) in sorted(rates.items()) if n >= MIN_SEEN}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help=f"write {PATH}")
    args = ap.parse_args()
    out = {}
    for name, rates in (("speaker", speaker_rates()), ("statement", statement_rates())):
        out[name] = table(rates)
        print(f"\n{name:<22} {'right':>6} {'seen':>6} {'rate':>6} {'written':>8}")
        for k, (r, n) in sorted(rates.items(), key=lambda kv: -kv[1][1]):
            print(f"{k:<22} {r:>6} {n:>6} {r / n:>6.3f} {out[name].get(k, '-')!s:>8}")
    if args.write:
        PATH.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {PATH}")


if __name__ == "__main__":
    main()
