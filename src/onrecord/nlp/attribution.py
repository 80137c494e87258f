"""Statements from the tagged spans, combined with the rules' statements.

The tagger labels each role on its own; a statement needs them joined. The rules join
them well (their attribution F1 is higher than linking the tagged spans by distance),
so the rules' statements stay, with the cue and source bounds the tagger gives, and
the tagged statements the rules missed are added, each content joined to the cue a
dependency arc points to and the cue to its nearest source.
Measured against the alternatives in docs/model-card.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from onrecord.nlp.quotes import Quote
from onrecord.nlp.statements import Found, find_statements, link_nested, quotes_of
from onrecord.nlp.tagger import ROLES, Span2, Tagger, load, rule_spans, token_features


def _tokens(doc: Doc, span: Span2) -> tuple[int, int] | None:
    s = doc.char_span(span[0], span[1], alignment_mode="expand")
    return (s.start, s.end) if s is not None and len(s) else None


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two token ranges (0 when they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _linked(heads: Sequence[int], a: tuple[int, int], b: tuple[int, int]) -> bool:
    """A dependency arc joins a token of ``a`` to a token of ``b``."""
    return any(a[0] <= heads[i] < a[1] for i in range(*b)) or any(
        b[0] <= heads[i] < b[1] for i in range(*a))


def _nearest(heads: Sequence[int], sents: Sequence[tuple[int, int]], anchor: tuple[int, int],
             candidates: Sequence[tuple[int, int]], limit: int) -> tuple[int, int] | None:
    """The candidate joined to ``anchor`` by an arc, else the closest one within ``limit``
    tokens in the sentences the anchor spans (arcs never leave a sentence)."""
    lo, hi = sents[anchor[0]][0], sents[anchor[1] - 1][1]
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    for c in candidates:
        if not lo <= c[0] < hi or (c[0] < anchor[1] and anchor[0] < c[1]):
            continue
        linked = _linked(heads, anchor, c)
        gap = _gap(anchor, c)
        if not linked and gap > limit:
            continue
        key = (0 if linked else 1, gap)
        if best is None or key < best[0]:
            best = (key, c)
    return best[1] if best else None


def link(doc: Doc, spans: dict[str, list[Span2]], quotes: Sequence[Quote]) -> list[Found]:
    """Statements from the tagged spans: each content with the cue a dependency arc joins
    it to (a cue found only by distance added false statements and no true ones on
    PolNeAR dev), and the source nearest that cue."""
    tok = {role: [t for s in spans[role] if (t := _tokens(doc, s))] for role in ROLES}
    if not tok["content"]:
        return []
    heads = [t.head.i for t in doc]
    sents = [(0, 0)] * len(doc)
    for sent in doc.sents:
        sents[sent.start:sent.end] = [(sent.start, sent.end)] * len(sent)
    found: list[Found] = []
    for content in tok["content"]:
        cue = _nearest(heads, sents, content, tok["cue"], limit=-1)
        source = _nearest(heads, sents, cue or content, tok["source"], limit=12)
        start, end = _chars(doc, content)
        found.append(Found(
            type=_kind(doc, (start, end), cue, quotes),
            content=(start, end),
            cue=_chars(doc, cue) if cue else None,
            source=_chars(doc, source) if source else None,
            source_token=doc[source[0]:source[1]].root if source else None,
        ))
    return found


def _chars(doc: Doc, toks: tuple[int, int]) -> Span2:
    last = doc[toks[1] - 1]
    return doc[toks[0]].idx, last.idx + len(last.text)


def _kind(doc: Doc, content: Span2, cue: tuple[int, int] | None,
          quotes: Sequence[Quote]) -> str:
    """direct (inside quotation marks), mixed (quoting part), according_to, or indirect."""
    start, end = content
    if any(q.start <= start and end <= q.end for q in quotes):
        return "direct"
    if any(q.start < end and start < q.end and q.speech for q in quotes):
        return "mixed"
    if cue is not None and doc[cue[0]].lower_ == "according":
        return "according_to"
    return "indirect"


def _best_overlap(span: Span2 | None, candidates: Sequence[Span2],
                  content: Span2) -> Span2 | None:
    """The candidate overlapping ``span`` the most (by IoU), else ``span`` itself; never
    one reaching into the statement's ``content`` (a cue or source is outside it)."""
    if span is None:
        return None
    start, end = span
    candidates = [c for c in candidates if c[1] <= content[0] or content[1] <= c[0]]

    def iou(c: Span2) -> float:
        inter = min(end, c[1]) - max(start, c[0])
        return inter / (max(end, c[1]) - min(start, c[0]))

    over = [c for c in candidates if c[0] < end and start < c[1]]
    return max(over, key=iou) if over else span


def find_learned(doc: Doc, tagger: Tagger | None = None) -> list[Found]:
    """The rules' statements with their cue and source bounds as tagged, and the tagged
    statements the rules missed (those with a cue; a lone content is mostly noise).

    Measured on PolNeAR dev (see docs/model-card.md), this beats both the rules alone
    and the tagger's own statements, whose linking loses attributions the rules get.
    """
    tagger = tagger or load()
    quotes = quotes_of(doc)
    found = find_statements(doc)
    spans = tagger.spans(doc, token_features(doc, rule_spans(found), quotes))
    for f in found:
        f.cue = _best_overlap(f.cue, spans["cue"], f.content)
        f.source = _best_overlap(f.source, spans["source"], f.content)
    found += [
        f for f in link(doc, spans, quotes)
        if f.cue is not None and not any(
            f.content[0] < g.content[1] and g.content[0] < f.content[1] for g in found)
    ]
    found.sort(key=lambda f: (f.content[0], f.cue[0] if f.cue else 0))
    link_nested(found)
    return found
