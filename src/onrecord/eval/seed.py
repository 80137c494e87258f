"""Scoring the example article against its hand-made gold record.

A gold statement is *found* when a predicted statement's content overlaps it with
character IoU >= 0.5; it is found *with the right speakers* when the predicted
speakers' names match the gold names one to one. Predictions matching no gold
statement are false hits; any statement drawn from boilerplate or from a scare
quote is listed separately.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.eval.spans import PRF
from onrecord.nlp import Attribution
from onrecord.record import Document, Figure, Statement

IOU_MIN = 0.5
_NAME_NOISE = {"the", "a", "an", "of", "'s", "’s"}


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def name_key(name: str) -> tuple[str, ...]:
    """A name reduced for comparison: case, articles, possessives and inflection dropped
    ("Ukraine’s Air Force" and "Ukrainian Air Force" compare equal)."""
    words = re.findall(r"[\w-]+", name.lower().replace("’s", "").replace("'s", ""))
    return tuple(w[:5] for w in words if w not in _NAME_NOISE)


def same_names(predicted: list[str], gold: list[str]) -> bool:
    return sorted(map(name_key, predicted)) == sorted(map(name_key, gold))


@dataclass
class SeedScore:
    gold: int
    predicted: int
    found: int
    right_speakers: int
    false_hits: list[Statement] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    wrong_speakers: list[tuple[dict, list[str]]] = field(default_factory=list)
    bad_hits: list[tuple[str, Statement]] = field(default_factory=list)
    people_ok: int = 0
    people_gold: int = 0
    people_misses: list[str] = field(default_factory=list)


def score_seed(doc: Document, gold: dict) -> SeedScore:
    """Compare the record of the seed article with its gold record."""
    statements = gold["statements"]
    used: set[int] = set()
    result = SeedScore(
        gold=len(statements), predicted=len(doc.statements), found=0, right_speakers=0
    )
    for g in statements:
        span = (g["content"]["start"], g["content"]["end"])
        best, best_iou = None, IOU_MIN
        for n, st in enumerate(doc.statements):
            if n in used:
                continue
            score = iou(span, (st.content.start, st.content.end))
            names = doc.speaker_names(st)
            # Prefer the candidate with the right speakers among those that overlap enough.
            bonus = 0.5 if same_names(names, g["speakers"]) else 0.0
            if score >= IOU_MIN and score + bonus > best_iou:
                best, best_iou = n, score + bonus
        if best is None:
            result.misses.append(g)
            continue
        used.add(best)
        result.found += 1
        names = doc.speaker_names(doc.statements[best])
        if same_names(names, g["speakers"]):
            result.right_speakers += 1
        else:
            result.wrong_speakers.append((g, names))
    result.false_hits = [st for n, st in enumerate(doc.statements) if n not in used]

    lines = doc.text.splitlines(keepends=True)
    starts = [sum(len(x) for x in lines[:i]) for i in range(len(lines) + 1)]
    boiler = [(starts[n - 1], starts[n]) for n in gold.get("boilerplate_lines", [])]
    # Quoted words the gold lists as not statements (scare quotes, names).
    not_quotes = {
        q for note in gold.get("not_statements", []) for q in re.findall(r"“([^”]+)”", note)
    }
    scare = [m.span(1) for m in re.finditer(r"“([^”]+)”", doc.text) if m.group(1) in not_quotes]
    for st in doc.statements:
        span = (st.content.start, st.content.end)
        if any(s <= span[0] < e for s, e in boiler):
            result.bad_hits.append(("boilerplate", st))
        if any(span == q for q in scare):
            result.bad_hits.append(("scare quote", st))

    people = [e for e in gold["entities"] if e["type"] == "PERSON"]
    result.people_gold = len(people)
    for g in people:
        match = next((e for e in doc.entities if e.type == "PERSON" and e.name == g["name"]), None)
        titles = {t.lower() for t in match.titles} if match else set()
        if match and all(t.lower() in titles for t in g["titles"]):
            result.people_ok += 1
        else:
            result.people_misses.append(
                f"{g['name']} {g['titles']} -> "
                + (f"{match.name} {match.titles}" if match else "not found")
            )
    return result


def report(score: SeedScore) -> str:
    out = []
    for g in score.misses:
        out.append(f"  miss   line {g['line']}: {g['speakers']} {g['content']['text'][:70]!r}")
    for g, names in score.wrong_speakers:
        out.append(f"  wrong  line {g['line']}: gold {g['speakers']} got {names}")
    for st in score.false_hits:
        out.append(f"  false  {st.source.text if st.source else '-'}: {st.content.text[:70]!r}")
    for why, st in score.bad_hits:
        out.append(f"  BAD    from {why}: {st.content.text[:70]!r}")
    for m in score.people_misses:
        out.append(f"  person {m}")
    prf = PRF(tp=score.right_speakers, gold=score.gold, pred=score.predicted)
    out.append(
        f"statements: gold {score.gold}  predicted {score.predicted}  found {score.found}  "
        f"right speakers {score.right_speakers}  false hits {len(score.false_hits)}  "
        f"boilerplate/scare hits {len(score.bad_hits)}"
    )
    out.append(
        f"statements with right speakers: P {prf.precision:.3f}  R {prf.recall:.3f}  "
        f"F1 {prf.f1:.3f}"
    )
    out.append(f"people with full name and titles: {score.people_ok}/{score.people_gold}")
    return "\n".join(out)


@dataclass
class FigureScore:
    gold: int
    predicted: int
    found: int = 0  # same text and value
    right_unit: int = 0
    right_claimant: int = 0
    misses: list[dict] = field(default_factory=list)
    false_hits: list[Figure] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _same_value(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def score_figures(doc: Document, gold: dict) -> FigureScore:
    """Gold figures (``text``, ``value``, ``unit``, ``source``) against the record's figures.

    A gold figure is found by a predicted figure whose span text equals the gold text (or
    contains it, or is contained in it) with the same value; each predicted figure
    matches once. Its unit must equal the gold unit; its claimant names (the speakers,
    or nobody for the article) must match the gold source, whose parenthetical ("(according
    to a White House official)") is dropped.
    """
    figures = gold.get("figures", [])
    result = FigureScore(gold=len(figures), predicted=len(doc.figures))
    used: set[str] = set()
    for g in figures:
        text = g["text"]
        match = next(
            (
                f
                for f in doc.figures
                if f.id not in used
                and (f.span.text == text or text in f.span.text or f.span.text in text)
                and _same_value(f.value, float(g["value"]))
            ),
            None,
        )
        if match is None:
            result.misses.append(g)
            continue
        used.add(match.id)
        result.found += 1
        if match.unit == g.get("unit"):
            result.right_unit += 1
        else:
            result.wrong.append(f"{text!r}: unit {match.unit} (gold {g.get('unit')})")
        names = [e.name for eid in match.claimed_by if (e := doc.entity(eid)) is not None]
        source = re.sub(r"\s*\(.*?\)\s*", " ", g.get("source") or "").strip()
        if same_names(names, [source] if source else []):
            result.right_claimant += 1
        else:
            result.wrong.append(f"{text!r}: claimed by {names} (gold {g.get('source')})")
    result.false_hits = [f for f in doc.figures if f.id not in used]
    return result


def report_figures(score: FigureScore) -> str:
    out = []
    for g in score.misses:
        out.append(f"  miss   figure {g['text']!r} = {g['value']} {g.get('unit')}")
    for w in score.wrong:
        out.append(f"  wrong  figure {w}")
    for f in score.false_hits:
        value = f.value if f.value is not None else (f.low, f.high)
        out.append(f"  false  figure {f.span.text!r} = {value}")
    prf = PRF(tp=score.found, gold=score.gold, pred=score.predicted)
    out.append(
        f"figures: gold {score.gold}  predicted {score.predicted}  found {score.found}  "
        f"right unit {score.right_unit}  right claimant {score.right_claimant}"
    )
    out.append(
        f"figures (text and value): P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"
    )
    return "\n".join(out)


def report_dates(doc: Document) -> str:
    """The resolved dates, for review (the gold record lists none)."""
    out = [f"dates resolved against {doc.published or 'no publication date'}:"]
    for d in doc.dates:
        what = d.value if d.value else f"unresolved ({d.reason})"
        gran = d.granularity or ""
        out.append(f"  {d.span.start:>6}  {d.span.text!r:28} {what}  {gran} {d.kind}")
    return "\n".join(out)


def run_seed_eval(gold_path: str | None, shared: Path, published: str | None = None,
                  attribution: Attribution = "learned") -> int:
    """``onrecord eval seed``: print misses, false hits and P/R/F1 for statements and figures;
    with a publication date, the resolved dates for review."""
    from onrecord.nlp.pipeline import extract

    path = Path(gold_path) if gold_path else shared / "seed" / "coalition-of-the-willing.gold.json"
    if path.suffix != ".json":
        path = path.with_suffix(".gold.json") if path.suffix == ".txt" else path
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (path.parent / gold["document"]).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError) as exc:
        print(f"onrecord: cannot read the seed gold record {path}: {exc}", file=sys.stderr)
        return 2
    doc = extract(
        text, doc_id=path.stem, path=str(path.parent / gold["document"]), published=published,
        attribution=attribution,
    )
    print(report(score_seed(doc, gold)))
    print(report_figures(score_figures(doc, gold)))
    if published:
        print(report_dates(doc))
    return 0
