"""PolNeAR articles turned into tagger training paragraphs.

Each article is parsed exactly as :func:`onrecord.nlp.pipeline.extract` parses it
(boilerplate masked, same spaCy pipeline, same rules), so the features seen in
training are the features seen at run time. Gold spans are trimmed like the scorer
trims them and turned into per-token B/I/O tags, one tag layer per role.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.eval.brat import GoldAttribution, read_ann, read_text
from onrecord.eval.polnear import GoldDocument
from onrecord.eval.spans import trim
from onrecord.nlp.pipeline import _prepare
from onrecord.nlp.statements import doc_text, find_statements, quotes_of
from onrecord.nlp.tagger import ROLES, paragraph_heads, paragraphs, token_columns


@dataclass
class Example:
    """One paragraph: its feature columns, heads, and the gold tags of each role."""

    doc: str
    columns: dict[str, list[str]]
    heads: list[int]
    tags: dict[str, list[str]]


def gold_tags(doc: Doc, gold: Sequence[GoldAttribution], role: str) -> list[str]:
    """B/I/O per token for one role; where spans of the role nest, the outer one wins."""
    text = doc_text(doc)
    units = {t for att in gold for seg in att.role(role) if (t := trim(text, *seg))}
    tags = ["O"] * len(doc)
    for start, end in sorted(units, key=lambda u: u[0] - u[1]):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(tags[t.i] != "O" for t in span):
            continue
        for k, tok in enumerate(span):
            tags[tok.i] = "B" if k == 0 else "I"
    return tags


def examples(docs: Sequence[GoldDocument], nlp: Language) -> Iterator[Example]:
    """Training sequences (one per paragraph) of the given articles."""
    texts = (read_text(d.text_path) for d in docs)
    prepared = ((_prepare(t)[0], d) for t, d in zip(texts, docs, strict=True))
    for doc, d in nlp.pipe(prepared, as_tuples=True, batch_size=16):
        gold = read_ann(d.ann_path).attributions
        columns = token_columns(doc, find_statements(doc), quotes_of(doc))
        tags = {role: gold_tags(doc, gold, role) for role in ROLES}
        for start, end in paragraphs(doc):
            yield Example(d.name, {c: v[start:end] for c, v in columns.items()},
                          paragraph_heads(doc, start, end),
                          {role: tags[role][start:end] for role in ROLES})
