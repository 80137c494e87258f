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
    cue = st.cue.text if st.cue else "-"
    return f"{who} | {st.type.replace('_', ' ')} | cue: {cue}"


def segments(doc: Document, entity_ids: dict[str, int], colours: dict[int, str]) -> list[Segment]:
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
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == seg.kind and prev.statement == seg.statement
                and prev.boiler == seg.boiler):
            prev.text += seg.text
        else:
            out.append(seg)
    return out
