"""Build ``data/names/first_names.tsv``: the gender first names are used with, from GAP.

GAP (Webster et al. 2018, Apache 2.0) pairs each pronoun with two candidate names of the
pronoun's gender, so every name in it is seen with "he" or "she". A first name seen at
least :data:`MIN_SEEN` times with one gender in at least :data:`MIN_SHARE` of them is
kept. Speaker resolution uses it to make a "he" skip "Hillary Clinton" where no honorific
tells her gender. Run ``python -m onrecord.train.first_names [GAP_DIR]``; the test split
is left out (it stays a check for pronoun resolution).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from onrecord.nlp.lexicon import HONORIFICS

SPLITS = ("gap-development.tsv", "gap-validation.tsv")
MALE = {"he", "him", "his"}
FEMALE = {"she", "her", "hers"}
MIN_SEEN = 1
MIN_SHARE = 0.9
OUT = Path(__file__).resolve().parent.parent / "data" / "names" / "first_names.tsv"


def first_name(name: str) -> str | None:
    """The first word of a full name, if the name has two words or more and it is one."""
    words = [w for w in name.split() if w.lower() not in HONORIFICS]
    if len(words) < 2 or not words[0].isalpha() or not words[0][:1].isupper():
        return None
    return words[0].lower() if len(words[0]) > 1 else None


def count(gap_dir: Path) -> dict[str, Counter[str]]:
    seen: dict[str, Counter[str]] = {}
    for split in SPLITS:
        with (gap_dir / split).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                pronoun = row["Pronoun"].lower()
                gender = "male" if pronoun in MALE else "female" if pronoun in FEMALE else None
                if gender is None:
                    continue
                for name in (row["A"], row["B"]):
                    first = first_name(name)
                    if first:
                        seen.setdefault(first, Counter())[gender] += 1
    return seen


def build(gap_dir: Path, out: Path = OUT) -> int:
    rows = []
    for name, c in sorted(count(gap_dir).items()):
        gender, n = c.most_common(1)[0]
        total = sum(c.values())
        if total >= MIN_SEEN and n / total >= MIN_SHARE:
            rows.append(f"{name}\t{gender}\t{total}\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# first name, gender, times seen (from GAP dev+validation, Apache 2.0)\n"
                   + "".join(rows), encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    gap = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/gap")
    print(f"{build(gap)} first names written to {OUT}")
