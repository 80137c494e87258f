"""Cross-source checks within a story: one quote worded differently, and figures that disagree.

- **Quote variants.** Direct (or mixed) quotes of the same speaker in documents from
  different outlets whose words are alike (``difflib`` ratio over words at least
  ``min_ratio``) but not the same. Syndicated copies are not compared.
- **Figure conflicts.** Figures with the same unit counting the same thing (the last word
  of the counted phrase, plural folded) whose values cannot both be true: each value
  is read as an interval by its hedge ("more than 30" is (30, inf), "about 900" is
  900 +-10%), and two claims conflict when their intervals do not meet.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field

from onrecord.record import Document, Figure, Statement
from onrecord.store.base import canonical_name
from onrecord.stories.features import stem
from onrecord.stories.store import Story, StoryDoc

_WORDS = re.compile(r"\w+")


@dataclass
class QuoteRef:
    doc: str
    outlet: str
    speaker: str
    text: str
    start: int
    end: int


@dataclass
class QuoteVariant:
    speaker: str
    quotes: list[QuoteRef]
    ratio: float


@dataclass
class FigureClaim:
    doc: str
    outlet: str  # outlets printing it, comma-separated
    text: str  # the figure with what it counts, as printed: "140 drones"
    value: float | None
    low: float
    high: float
    claimed_by: list[str]  # display names; empty: the article itself


@dataclass
class FigureConflict:
    thing: str  # what is counted ("drones"), with the unit when not a count
    unit: str
    claims: list[FigureClaim] = field(default_factory=list)


def speakers(doc: Document, st: Statement) -> list[str]:
    return [e.name for i in st.speakers if (e := doc.entity(i)) is not None]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


def quote_variants(story: Story, min_ratio: float = 0.6) -> list[QuoteVariant]:
    refs: dict[str, list[tuple[StoryDoc, QuoteRef]]] = {}
    for d in story.docs:
        if d.is_copy:
            continue
        for st in d.record.statements:
            if st.type not in ("direct", "mixed"):
                continue
            for name in speakers(d.record, st):
                ent_key = canonical_name(name)
                refs.setdefault(ent_key, []).append(
                    (d, QuoteRef(d.id, d.outlet, name, st.content.text.strip(" ,.\u201c\u201d\""),
                                 st.content.start, st.content.end)))
    out: list[QuoteVariant] = []
    for items in refs.values():
        used: set[int] = set()
        for i, (da, qa) in enumerate(items):
            for j in range(i + 1, len(items)):
                db, qb = items[j]
                if da.outlet == db.outlet or i in used or j in used:
                    continue
                wa, wb = _words(qa.text), _words(qb.text)
                if wa == wb:
                    continue
                ratio = difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
                if ratio >= min_ratio:
                    used.update((i, j))
                    out.append(QuoteVariant(qa.speaker, [qa, qb], round(ratio, 3)))
    return out


HEDGES_ABOVE = {"more than", "over", "above", "at least", "upwards of", "in excess of"}
HEDGES_BELOW = {"fewer than", "less than", "under", "below", "up to", "at most", "no more than"}
HEDGES_NEAR = {"about", "around", "roughly", "some", "approximately", "nearly", "almost",
               "close to", "an estimated", "estimated", "circa"}


def interval(f: Figure) -> tuple[float, float] | None:
    if f.value is None:
        if f.low is None or f.high is None:
            return None
        return f.low, f.high
    v = f.value
    hedge = (f.hedge or "").lower()
    if hedge in HEDGES_ABOVE:
        return v, math.inf
    if hedge in HEDGES_BELOW:
        return 0.0, v
    if hedge in HEDGES_NEAR or hedge:
        return v * 0.9, v * 1.1
    return v, v


def _meet(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] * 1.0001 and b[0] <= a[1] * 1.0001


def figure_conflicts(story: Story) -> list[FigureConflict]:
    groups: dict[tuple[str, str], list[FigureClaim]] = {}
    things: dict[tuple[str, str], str] = {}
    for d in story.docs:
        for f in d.record.figures:
            if not f.counted or not f.counted.text.strip():
                continue
            span = interval(f)
            if span is None:
                continue
            word = f.counted.text.split()[-1]
            head = stem(word)
            who = [e.name for i in f.claimed_by if (e := d.record.entity(i)) is not None]
            start, end = f.span.start, max(f.span.end, f.counted.end)
            printed = " ".join(d.record.text[start:end].split())
            if f.hedge and not printed.lower().startswith(f.hedge.lower()):
                printed = f"{f.hedge} {printed}"
            things.setdefault((head, f.unit), word.lower())
            groups.setdefault((head, f.unit), []).append(FigureClaim(
                d.id, d.outlet, printed, f.value, span[0], span[1], who))
    out = []
    for key, claims in groups.items():
        clashing = {id(x) for i, a in enumerate(claims) for b in claims[i + 1:]
                    if a.doc != b.doc and not _meet((a.low, a.high), (b.low, b.high))
                    for x in (a, b)}
        if not clashing:
            continue
        kept: dict[tuple[str, tuple[str, ...]], FigureClaim] = {}
        for c in claims:
            if id(c) in clashing:
                k = (c.text.lower(), tuple(c.claimed_by))
                if k in kept:
                    if c.outlet not in kept[k].outlet.split(", "):
                        kept[k].outlet += f", {c.outlet}"
                else:
                    kept[k] = FigureClaim(c.doc, c.outlet, c.text, c.value, c.low, c.high,
                                          c.claimed_by)
        unit = key[1]
        thing = things[key] if unit == "count" else f"{things[key]} ({unit})"
        out.append(FigureConflict(thing, unit, list(kept.values())))
    return out
