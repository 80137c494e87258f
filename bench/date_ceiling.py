"""How far the publication date can go on wcxb-dev: where each gold day stands among the
page's candidate days (``onrecord.ingest.pubdate.candidates``), per half of the fixed split.

A page's gold day is either no candidate at all, a day the page declares as published
(JSON-LD, meta, ``time[pubdate]``, the URL), a day only shown as a date, or a day the page
names only as an update (a modified stamp or an "Updated" label). A picker that takes a
declared publication day over an update (as the record must: ``updated`` is never
``published``) can be right at most on the declared and shown ones; the table also counts
the pages where the gold is the declared day while an update is shown too, the convention
that rules out taking the update instead.

    nice .venv/bin/python bench/date_ceiling.py [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from trafilatura.utils import decode_file

from bench_ingest import HALVES, SHARED, Page, load_wcxb
from onrecord.ingest.parse import parse_html
from onrecord.ingest.pubdate import PUBLISHED_FEATURES, candidates

DECLARED = PUBLISHED_FEATURES | {"url"}
UPDATE = frozenset({"modified", "label_update"})
KINDS = (
    ("declared", "a declared publication day, no other update"),
    ("declared+update", "a declared publication day, another day as update"),
    ("shown", "a day shown, not as an update"),
    ("update, declared other", "only an update; the page declares another day"),
    ("update, none declared", "only an update; no day declared"),
    ("absent", "no candidate"),
)


def kind_of(page: Page) -> str | None:
    """Where ``page``'s gold day stands among its candidates (None: no full gold day)."""
    if not page.date or len(page.date) < 10:
        return None
    tree = parse_html(decode_file(page.html))
    found, _ = candidates(tree, page.url) if tree is not None else ({}, None)
    gold = found.get(page.date[:10])
    if gold is None:
        return "absent"
    if gold & DECLARED:
        other_update = any(day != page.date[:10] and f & UPDATE and not f & DECLARED
                           for day, f in found.items())
        return "declared+update" if other_update else "declared"
    if gold & UPDATE:
        declares = any(f & PUBLISHED_FEATURES for f in found.values())
        return "update, declared other" if declares else "update, none declared"
    return "shown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    root = args.data / "wcxb-dev"
    if not root.is_dir():
        print(f"date_ceiling: no data at {root}", file=sys.stderr)
        return 1
    counts = {half: Counter[str]() for half in HALVES}
    for page in load_wcxb(root):
        if (kind := kind_of(page)) is not None:
            counts[page.half][kind] += 1
    print(f"{'gold day is':52s}" + "".join(f"{h:>10s}" for h in HALVES))
    for key, label in KINDS:
        print(f"{label:52s}" + "".join(f"{counts[h][key]:10d}" for h in HALVES))
    dated = {h: sum(c.values()) for h, c in counts.items()}
    print(f"{'pages with a full gold day':52s}" + "".join(f"{dated[h]:10d}" for h in HALVES))
    for label, keys in (("ceiling, declared day over an update", ("declared", "declared+update",
                                                                     "shown",
                                                                     "update, none declared")),
                        ("ceiling, any candidate", tuple(k for k, _ in KINDS if k != "absent"))):
        print(f"{label:52s}" + "".join(
            f"{sum(counts[h][k] for k in keys) / max(1, dated[h]):10.3f}" for h in HALVES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
