"""Article text cut into segments for the article page: plain runs and marked statement parts.

Each statement's content, cue and source span becomes a ``<mark>`` in the template; where
spans nest or overlap, a segment belongs to the shortest span covering it. The template
escapes every segment's text (nothing here builds HTML).
"""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.record import Document, Statement

PALETTE = 8  # speaker colour classes sp0 .. sp7 in style.css


@dataclass
class Segment:
    text: str
    kind: str | None = None  # "content", "cue" or "source"
    statement: str | None = None  # statement id, for the link to its entry below the text
    css: str = ""
    title: str = ""
    boiler: bool = False
    fact: str | None = None  # "figure", "date" or "event": a fact mark inside the segment
    fact_anchor: str = ""  # id of its entry below the text
    fact_title: str = ""
    anchor: bool = False  # the first piece of a statement's content: /doc/ID#S5 lands here


@dataclass
class Fact:
    """A figure, date or event trigger to mark in the text (details in ``title``)."""

    start: int
    end: int
    kind: str
    anchor: str
    title: str


def _num(v: float | None) -> str:
    return "?" if v is None else f"{v:,.12g}"


def facts(doc: Document) -> list[Fact]:
    """Figures, dates and event triggers of ``doc`` with one-line descriptions."""

    def names(ids: list[str]) -> str:
        return " & ".join(e.name for i in ids if (e := doc.entity(i)) is not None)

    out: list[Fact] = []
    for f in doc.figures:
        value = _num(f.value) if f.value is not None else f"{_num(f.low)}–{_num(f.high)}"
        parts = [f"figure: {f.hedge + ' ' if f.hedge else ''}{value} {f.unit}"]
        if f.counted:
            parts.append(f.counted.text)
        if f.period:
            parts.append(f.period.text)
        parts.append("claimed by " + (names(f.claimed_by) or "the article"))
        out.append(Fact(f.span.start, f.span.end, "figure", f"fig-{f.id}", " | ".join(parts)))
    for n, d in enumerate(doc.dates, 1):
        what = d.value or f"unresolved ({d.reason or 'no reason given'})"
        detail = ", ".join(x for x in (d.granularity, d.kind) if x)
        out.append(Fact(d.span.start, d.span.end, "date", f"date-{n}",
                        f"date: {what}" + (f" ({detail})" if detail else "")))
    for e in doc.events:
        parts = [f"event: {e.type}" + (f" ({e.mode})" if e.mode else ""),
                 f"{names(e.actors) or '?'} → {names(e.recipients) or '-'}", e.status]
        if e.date:
            parts.append(e.date + (" (publication date)" if e.date_basis == "published" else ""))
        if e.size:
            parts.append(", ".join(f"{k} {_num(v)}" for k, v in e.size.items()))
        out.append(Fact(e.trigger.start, e.trigger.end, "event", f"ev-{e.id}", " | ".join(parts)))
    return out


def speaker_classes(doc: Document, entity_ids: dict[str, int]) -> dict[int, str]:
    """A colour class per store-wide speaker id, in order of first statement."""
    classes: dict[int, str] = {}
    for st in doc.statements:
        for local in st.speakers:
            gid = entity_ids.get(local)
            if gid is not None and gid not in classes:
                classes[gid] = f"sp{len(classes) % PALETTE}"
    return classes


def statement_class(st: Statement, entity_ids: dict[str, int], colours: dict[int, str]) -> str:
    for local in st.speakers:
        gid = entity_ids.get(local)
        if gid is not None:
            return colours[gid]
    return "spx"


def describe(doc: Document, st: Statement) -> str:
    who = " & ".join(doc.speaker_names(st)) or (st.source.text if st.source else "unknown")
    if st.speakers and st.unsure:
        who += " (unsure)"
    cue = st.cue.text if st.cue else "-"
    return f"{who} | {st.type.replace('_', ' ')} | cue: {cue}"


def segments(doc: Document, entity_ids: dict[str, int], colours: dict[int, str],
             marks: list[Fact] | None = None) -> list[Segment]:
    text = doc.text
    n = len(text)
    spans: list[tuple[int, int, str, Statement]] = []
    for st in doc.statements:
        for kind, span in (("content", st.content), ("cue", st.cue), ("source", st.source)):
            if span is not None and 0 <= span.start < span.end <= n:
                spans.append((span.start, span.end, kind, st))
    regions = [(r.start, r.end) for r in doc.boilerplate if 0 <= r.start < r.end <= n]
    cuts = {0, n}
    for s, e, _, _ in spans:
        cuts.update((s, e))
    for s, e in regions:
        cuts.update((s, e))
    fact_spans = [m for m in marks or [] if 0 <= m.start < m.end <= n]
    for m in fact_spans:
        cuts.update((m.start, m.end))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        covering = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        boiler = any(s <= a and b <= e for s, e in regions)
        if covering:
            s, e, kind, st = min(covering, key=lambda sp: sp[1] - sp[0])
            seg = Segment(text[a:b], kind, st.id,
                          f"{kind} {statement_class(st, entity_ids, colours)}",
                          describe(doc, st), boiler)
        else:
            seg = Segment(text[a:b], boiler=boiler)
        in_fact = [m for m in fact_spans if m.start <= a and b <= m.end]
        if in_fact:
            m = min(in_fact, key=lambda m: m.end - m.start)
            seg.fact, seg.fact_anchor, seg.fact_title = m.kind, m.anchor, m.title
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == seg.kind and prev.statement == seg.statement
                and prev.boiler == seg.boiler and prev.fact_anchor == seg.fact_anchor):
            prev.text += seg.text
        else:
            out.append(seg)
    seen: set[str] = set()
    for seg in out:
        if seg.kind == "content" and seg.statement is not None and seg.statement not in seen:
            seen.add(seg.statement)
            seg.anchor = True
    return out
