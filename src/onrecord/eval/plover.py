"""Scoring events against the PLOVER gold-standard records (``gsr-dev.json``).

Each record is one sentence with one coded event: its type, source actors and target
actors (``actorText``). The sentence goes through the whole pipeline; its *main*
event is the one whose trigger sits highest in the dependency tree (ties: one with
actors, then the earliest). Reported:

* type accuracy: the main event's type equals the gold type, over all records (no
  event counts as wrong). The file uses older labels; as its README states, DEMAND,
  DISAPPROVE and FIGHT are REQUEST, ACCUSE and ASSAULT. INVESTIGATE is ACCUSE as well
  (with mode "investigate"): the README maps the four old labels to three types, and
  the current PLOVER ontology files investigation under ACCUSE.
* source and target actor P/R/F1 over the main event's actors and recipients: a
  predicted actor is right when its text shares a content word with a gold actor's
  text ("Israeli army bulldozers" ~ "Israeli army"); a gold actor is found when some
  predicted actor shares a word with it. Lenient by design: the gold spans are short
  and the record's entities are whole phrases.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.record import Document, Event

if TYPE_CHECKING:
    from spacy.tokens import Doc

OLD_LABELS = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
STOP = {"the", "a", "an", "of", "and", "in", "on", "s", "its", "their", "his", "her", "to"}


def gold_type(label: str) -> str:
    return OLD_LABELS.get(label, label)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’s", "")) if w not in STOP}


def _actor_texts(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [a["actorText"] for a in value if isinstance(a, dict) and a.get("actorText")]


@dataclass
class Counts:
    pred: int = 0
    pred_ok: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(self, predicted: list[str], gold: list[str]) -> None:
        pw = [_words(p) for p in predicted]
        gw = [_words(g) for g in gold]
        self.pred += len(pw)
        self.gold += len(gw)
        self.pred_ok += sum(1 for p in pw if any(p & g for g in gw))
        self.gold_found += sum(1 for g in gw if any(p & g for p in pw))

    def prf(self) -> tuple[float, float, float]:
        p = self.pred_ok / self.pred if self.pred else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class PloverScore:
    records: int = 0
    right_type: int = 0
    no_event: int = 0
    source: Counts = field(default_factory=Counts)
    target: Counts = field(default_factory=Counts)
    confusion: Counter = field(default_factory=Counter)


def _depth(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or not len(span):
        return 99
    tok, depth = span[0], 0
    while tok.head is not tok and depth < 50:
        tok, depth = tok.head, depth + 1
    return depth


def main_event(doc: Doc, record: Document) -> Event | None:
    if not record.events:
        return None
    return min(
        record.events,
        key=lambda e: (_depth(doc, e.trigger.start), not e.actors, e.trigger.start),
    )


def _names(record: Document, ids: list[str], near: int) -> list[str]:
    """Texts for entity ids: the mention nearest ``near`` (the sentence's own words)."""
    out = []
    for eid in ids:
        ent = record.entity(eid)
        if ent is None:
            continue
        if ent.mentions:
            out.append(min(ent.mentions, key=lambda m: abs(m.start - near)).text)
        else:
            out.append(ent.name)
    return out


def score_plover(records: list[dict]) -> PloverScore:
    from onrecord.nlp import model
    from onrecord.nlp.pipeline import build_record

    nlp = model.load()
    result = PloverScore()
    texts = [r["text"] for r in records]
    for rec, doc, text in zip(records, nlp.pipe(texts, batch_size=32), texts, strict=True):
        record = build_record(doc, text, [], rec.get("id", "plover"))
        result.records += 1
        want = gold_type(rec["event"])
        ev = main_event(doc, record)
        got = ev.type if ev else "-"
        result.confusion[(want, got)] += 1
        if ev is None:
            result.no_event += 1
        elif got == want:
            result.right_type += 1
        near = ev.trigger.start if ev else 0
        result.source.add(
            _names(record, ev.actors, near) if ev else [], _actor_texts(rec.get("source"))
        )
        result.target.add(
            _names(record, ev.recipients, near) if ev else [], _actor_texts(rec.get("target"))
        )
    return result


def report(score: PloverScore) -> str:
    out = [f"records {score.records}  no event found {score.no_event}"]
    acc = score.right_type / score.records if score.records else 0.0
    out.append(f"event type accuracy: {score.right_type}/{score.records} = {acc:.3f}")
    for name, c in (("source", score.source), ("target", score.target)):
        p, r, f1 = c.prf()
        out.append(
            f"{name} actors: P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  (gold {c.gold}, predicted {c.pred})"
        )
    both = Counts(
        pred=score.source.pred + score.target.pred,
        pred_ok=score.source.pred_ok + score.target.pred_ok,
        gold=score.source.gold + score.target.gold,
        gold_found=score.source.gold_found + score.target.gold_found,
    )
    p, r, f1 = both.prf()
    out.append(f"all actors: P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    wrong = [(k, n) for k, n in score.confusion.most_common() if k[0] != k[1]][:12]
    out.append(
        "most frequent confusions (gold -> predicted): "
        + ", ".join(f"{g}->{p} {n}" for (g, p), n in wrong)
    )
    return "\n".join(out)


def run_plover_eval(path: str, limit: int | None = None) -> int:
    """``onrecord eval plover FILE``."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"onrecord: cannot read the PLOVER records {path}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(records, list):
        print(f"onrecord: {path}: expected a JSON list of records", file=sys.stderr)
        return 2
    records = [r for r in records if isinstance(r, dict) and r.get("text") and r.get("event")]
    if limit:
        records = records[:limit]
    print(report(score_plover(records)))
    return 0
