"""Nested cross-validation of the two event settings chosen on the PLOVER folds: the WordNet
kin depth and the classifier's fallback threshold (see docs/events.md).

For each outer fold, every setting is scored by an inner cross-validation over the other
folds (each inner fold read by a classifier trained on the remaining ones, with the rules'
trigger words that only the inner and outer folds support hidden, as ``hybrid*`` hides a
fold's own words); the best setting on the inner folds then scores the outer fold. Parses
and everything but the events are computed once per record, so the grid costs only the
event reader and the classifiers' training.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from onrecord.eval import plover as pl
from onrecord.nlp import events as ev
from onrecord.nlp.event_model import EventModel
from onrecord.record import DateMention, Document, Entity, Figure, Statement

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEPTHS = (1, 2, 3)
# 1.01: no threshold, the likeliest word is always taken in a sentence the rules miss.
THRESHOLDS = (0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
SHIPPED = (ev.KIN_DEPTH, EventModel.threshold)
Setting = tuple[int, float]


@dataclass
class _Record:
    """A record parsed and read once: all but its events."""

    gold: dict
    doc: Doc
    entities: list[Entity]
    statements: list[Statement]
    dates: list[DateMention]
    figures: list[Figure]


def _prepare(records: Sequence[dict], docs: Sequence[Doc]) -> list[_Record]:
    from onrecord.nlp.attribution import find_learned
    from onrecord.nlp.dates import find_dates
    from onrecord.nlp.entities import resolve
    from onrecord.nlp.figures import find_figures

    out = []
    for rec, doc in zip(records, docs, strict=True):
        text = rec["text"]
        doc.user_data.setdefault("onrecord_text", text)
        entities, statements = resolve(doc, text, find_learned(doc))
        dates = find_dates(doc, text, None, [])
        figures = find_figures(doc, text, statements, dates, [])
        out.append(_Record(rec, doc, entities, statements, dates, figures))
    return out


def _score(prepared: Sequence[_Record], reader: EventModel) -> pl.PloverScore:
    """As :func:`plover.score_plover`, from the prepared records."""
    result = pl.PloverScore()
    for r in prepared:
        text = r.gold["text"]
        events, groups = ev.find_events(r.doc, text, r.entities, r.statements, r.dates,
                                        r.figures, None, reader)
        pl.tally(result, r.gold, r.doc, Document(
            id="plover", text=text, entities=r.entities + groups, statements=r.statements,
            figures=r.figures, dates=r.dates, events=events))
    return result


@dataclass
class Nested:
    """The data, folds and trained classifiers of one nested cross-validation."""

    records: list[_Record]
    folds: list[int]
    written: list
    written_docs: list
    gold: list
    gold_docs: list
    support: dict[int, dict[str, set[int]]] = field(default_factory=dict)
    models: dict[tuple, EventModel] = field(default_factory=dict)

    def score(self, held: int, without: set[int], setting: Setting) -> pl.PloverScore:
        """Fold ``held`` read by a classifier trained on the folds not in ``without``, with
        the rules' words that only ``without`` supports hidden."""
        from onrecord.train.events import examples, fit

        depth, threshold = setting
        with ev.kin_depth(depth):
            if depth not in self.support:
                self.support[depth] = pl.trigger_support(self.gold_docs)
            hidden = frozenset(w for w, ids in self.support[depth].items()
                               if all(self.folds[i] in without for i in ids))
            key = (frozenset(without), hidden)
            if key not in self.models:
                data = [x for s in examples(self.written, self.written_docs, hidden) for x in s]
                data += [x for i, s in enumerate(examples(self.gold, self.gold_docs, hidden))
                         if self.folds[i] not in without for x in s]
                self.models[key] = fit(data)
            m = self.models[key]
            reader = pl.Unseen(m.classes, m.index, m.weights, m.bias, hidden=hidden,
                               known=m.known, threshold=threshold)
            return _score([r for i, r in enumerate(self.records) if self.folds[i] == held],
                          reader)

    def choose(self, outer: int, k: int, grid: Sequence[Setting]) -> Setting:
        """The setting with the best inner accuracy (then actor F1) without fold ``outer``."""
        def inner(setting: Setting) -> tuple[float, float, bool]:
            scores = [self.score(g, {outer, g}, setting) for g in range(k) if g != outer]
            return (round(float(np.mean([pl.accuracy(s) for s in scores])), 6),
                    round(float(np.mean([pl.actor_f1(s) for s in scores])), 6),
                    setting == SHIPPED)
        return max(grid, key=inner)


def nested_cross_validate(records: list[dict], k: int,
                          grid: Sequence[Setting] = tuple(itertools.product(DEPTHS, THRESHOLDS))
                          ) -> tuple[list[Setting], list[pl.PloverScore], list[pl.PloverScore]]:
    """Per outer fold: the setting chosen on the other folds, its score, and the shipped
    setting's score."""
    from onrecord.nlp import model
    from onrecord.train.events import gold_sentences, parse, template_sentences

    nlp = model.load()
    written = template_sentences([r["text"] for r in records])
    gold = gold_sentences(records)
    gold_docs = parse(gold, nlp)
    run = Nested(_prepare(records, gold_docs), pl.fold_of(records, k), written,
                 parse(written, nlp), gold, gold_docs)
    chosen = [run.choose(f, k, grid) for f in range(k)]
    nested = [run.score(f, {f}, s) for f, s in enumerate(chosen)]
    shipped = [run.score(f, {f}, SHIPPED) for f in range(k)]
    return chosen, nested, shipped


def report_nested(chosen: list[Setting], nested: list[pl.PloverScore],
                  shipped: list[pl.PloverScore]) -> str:
    out = ["chosen (kin depth, threshold) per fold: "
           + " ".join(f"({d}, {'none' if t > 1 else t})" for d, t in chosen)]
    for name, scores in (("nested", nested), ("shipped", shipped)):
        out.append(pl.report_folds({f"hybrid* {name}": scores}))
    return "\n".join(out)
