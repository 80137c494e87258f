"""Incremental story grouping: each new document joins the most similar story or opens one.

Similarity of a document to a story is its best similarity to any member published
within ``max_days`` of it (so a story can drift over days). Two documents are alike by

- ``text``: cosine of TF-IDF vectors of content words (document frequencies counted over
  every document seen so far), entity names left out;
- ``entities``: weighted Dice overlap of named entities (people and places weigh most);
- ``events``: shared PLOVER event types, full weight when they also share a participant;

combined as ``w_text*text + w_entities*entities + w_events*events``, scaled down by
``time_decay`` per day apart. A document joins a story when the score reaches
``threshold`` **and** the text similarity reaches ``min_text``: shared people, places or
events (an event type with a shared participant is often just the same person acting
again) never join two documents on their own. Every join
records what did it (:class:`Explanation`), so a grouping can be checked.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from onrecord.stories.features import DocFeatures

ENTITY_WEIGHTS = {"PERSON": 1.0, "GPE": 0.8, "LOC": 0.8, "ORG": 0.8, "NORP": 0.4}


@dataclass
class ClusterConfig:
    w_text: float = 1.0
    w_entities: float = 0.35
    w_events: float = 0.15
    entity_cap: float = 1.5
    threshold: float = 0.22
    min_text: float = 0.12
    max_days: int = 4
    time_decay: float = 0.05  # share of the score lost per day apart


@dataclass
class Explanation:
    """Why a document joined a story (or, with ``matched`` None, why it opened one)."""

    score: float = 0.0
    matched: str | None = None  # the member document it is most like
    text: float = 0.0
    entities: list[str] = field(default_factory=list)  # display names shared
    terms: list[str] = field(default_factory=list)  # content words that weigh most in both
    events: list[str] = field(default_factory=list)  # shared event types (with participants)
    days_apart: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Explanation:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def summary(self) -> str:
        if self.matched is None:
            return "opened the story"
        parts = [f"score {self.score:.2f} with {self.matched}", f"text {self.text:.2f}"]
        if self.terms:
            parts.append("words: " + ", ".join(self.terms))
        if self.entities:
            parts.append("shared: " + ", ".join(self.entities))
        if self.events:
            parts.append("events: " + ", ".join(self.events))
        return "; ".join(parts)


class StoryIndex:
    """Stories held in memory: members' features and the document frequencies seen so far."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.members: dict[int, list[DocFeatures]] = {}
        self.story_of: dict[str, int] = {}
        self._next = 1

    def observe(self, f: DocFeatures) -> None:
        """Count a document's words in the document frequencies."""
        self.n_docs += 1
        self.df.update(f.terms.keys())

    def place(self, f: DocFeatures, story: int) -> None:
        """Record a known assignment (loaded from the store)."""
        self.members.setdefault(story, []).append(f)
        self.story_of[f.id] = story
        self._next = max(self._next, story + 1)

    def idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df[term])) + 1.0

    def _vector(self, f: DocFeatures) -> dict[str, float]:
        vec = {t: (1 + math.log(n)) * self.idf(t) for t, n in f.terms.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def similarity(self, a: DocFeatures, b: DocFeatures,
                   va: dict[str, float] | None = None,
                   vb: dict[str, float] | None = None) -> Explanation:
        cfg = self.config
        days = abs((a.day - b.day).days) if a.day and b.day else None
        va = va if va is not None else self._vector(a)
        vb = vb if vb is not None else self._vector(b)
        shared_terms = {t: va[t] * vb[t] for t in va.keys() & vb.keys()}
        text = sum(shared_terms.values())
        wa = sum(ENTITY_WEIGHTS[t] for t in a.entities.values())
        wb = sum(ENTITY_WEIGHTS[t] for t in b.entities.values())
        shared_ents = a.entities.keys() & b.entities.keys()
        ws = sum(ENTITY_WEIGHTS[a.entities[k]] for k in shared_ents)
        ents = 2 * ws / (wa + wb) if wa + wb else 0.0
        events: list[str] = []
        ev_score = 0.0
        types_a = {t for t, _ in a.events}
        types_b = {t for t, _ in b.events}
        for t in sorted(types_a & types_b):
            who_a = set().union(*(w for tt, w in a.events if tt == t))
            who_b = set().union(*(w for tt, w in b.events if tt == t))
            common = who_a & who_b
            if common:
                ev_score = 1.0
                events.append(f"{t} ({', '.join(sorted(a.names.get(c, c) for c in common))})")
            else:
                ev_score = max(ev_score, 0.5)
                events.append(t)
        # Shared names can at most multiply the evidence of shared words by entity_cap.
        ent_part = min(cfg.w_entities * ents, cfg.entity_cap * cfg.w_text * text)
        score = cfg.w_text * text + ent_part + cfg.w_events * ev_score
        if days is not None:
            score *= max(0.0, 1 - cfg.time_decay * days)
        top = sorted(shared_terms, key=lambda t: -shared_terms[t])[:6]
        return Explanation(score=round(score, 4), matched=b.id, text=round(text, 4),
                           entities=sorted(a.names[k] for k in shared_ents),
                           terms=top, events=events, days_apart=days)

    def joins(self, e: Explanation) -> bool:
        cfg = self.config
        if e.days_apart is not None and e.days_apart > cfg.max_days:
            return False
        return e.score >= cfg.threshold and e.text >= cfg.min_text

    def best(self, f: DocFeatures) -> tuple[int | None, Explanation]:
        """The story ``f`` should join (None: a new one) and why."""
        if f.copy_group:
            for story, members in self.members.items():
                for m in members:
                    if m.copy_group == f.copy_group:
                        return story, Explanation(score=1.0, matched=m.id, text=1.0,
                                                  events=["copy of the same article"])
        va = self._vector(f)
        best_story: int | None = None
        best = Explanation()
        for story, members in self.members.items():
            for m in members:
                e = self.similarity(f, m, va)
                if self.joins(e) and e.score > best.score:
                    best_story, best = story, e
        if best_story is None:
            return None, Explanation()
        return best_story, best

    def assign(self, f: DocFeatures) -> tuple[int, Explanation]:
        """Count ``f``, put it in the best story (or a new one) and say why."""
        self.observe(f)
        story, why = self.best(f)
        if story is None:
            story = self._next
        self.place(f, story)
        return story, why
