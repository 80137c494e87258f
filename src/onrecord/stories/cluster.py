"""Incremental story grouping: each new document joins the most similar story or opens one.

Two documents are alike when they share what is specific to one event: the cosine of
their term vectors, each term weighed ``(1 + log tf) * idf * kind weight``, where the
IDF is counted over the documents within ``idf_days`` of the new one
(:mod:`onrecord.stories.window`), so the candidates, "campaign" and "poll" in every
article that week weigh nearly nothing while "Hofstra", "tax return" or a figure
both articles cite weigh most. Terms are content words, two-word phrases, entities,
days the text resolves, figures and events with a participant
(:mod:`onrecord.stories.features`).

Similarity of a document to a story is its best similarity to a member published
within ``max_days`` of it (so a story can drift over days), scaled down by
``time_decay`` per day apart. A document joins a story when the score reaches
``threshold`` **and** the part of it from words, phrases, figures and days
reaches ``min_text``: shared people or places alone never join two documents. Only
members within ``max_days`` are compared, so placing a document costs time in
proportion to the documents of its window. Every join records what did it
(:class:`Explanation`), naming the event: the rare words and phrases, its day,
figures and events both documents share.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from onrecord.stories.features import DocFeatures, kind
from onrecord.stories.window import WindowDF

TEXT_KINDS = ("word", "phrase", "figure", "day")


@dataclass
class ClusterConfig:
    threshold: float = 0.08
    min_text: float = 0.03
    max_days: int = 4
    idf_days: int = 7  # the IDF window: documents within this many days
    idf_prior: float = 10.0  # documents without a term the window counts as well
    time_decay: float = 0.05  # share of the score lost per day apart
    w_word: float = 1.0
    w_phrase: float = 1.0
    w_entity: float = 1.0
    w_day: float = 1.0
    w_figure: float = 1.0
    w_event: float = 1.0

    def weight(self, term_kind: str) -> float:
        return float(getattr(self, f"w_{term_kind}"))


@dataclass
class Explanation:
    """Why a document joined a story (or, with ``matched`` None, why it opened one)."""

    score: float = 0.0
    matched: str | None = None  # the member document it is most like
    text: float = 0.0  # the part of the score from words, phrases, figures and days
    entities: list[str] = field(default_factory=list)  # display names shared
    terms: list[str] = field(default_factory=list)  # rare words and phrases in both
    events: list[str] = field(default_factory=list)  # shared events (with participants)
    dates: list[str] = field(default_factory=list)  # days both texts refer to
    figures: list[str] = field(default_factory=list)  # figures both cite
    days_apart: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Explanation:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def event(self) -> str:
        """The event the two documents share, in a few words: "debate, hofstra on 2016-09-26"."""
        words = ", ".join(self.terms[:4])
        when = f" on {', '.join(self.dates[:2])}" if self.dates else ""
        return (words or ", ".join(self.events[:2]) or "the same article") + when

    def short(self) -> str:
        """Which event joined it: "same event as X: debate, hofstra on 2016-09-26"."""
        if self.matched is None:
            return "opened the story"
        return f"same event as {self.matched}: {self.event()}"

    def summary(self) -> str:
        """:meth:`short`, then the score and every kind of evidence shared."""
        if self.matched is None:
            return self.short()
        parts = [self.short(), f"score {self.score:.2f} (text {self.text:.2f})"]
        if self.figures:
            parts.append("figures: " + ", ".join(self.figures))
        if self.events:
            parts.append("events: " + ", ".join(self.events))
        if self.entities:
            parts.append("shared: " + ", ".join(self.entities))
        return "; ".join(parts)


class StoryIndex:
    """Stories held in memory: members by day and the window document frequencies."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self.window = WindowDF(self.config.idf_days, self.config.idf_prior)
        self.members: dict[int, list[DocFeatures]] = {}
        self.story_of: dict[str, int] = {}
        self.by_day: dict[dt.date, list[DocFeatures]] = defaultdict(list)
        self.copies: dict[str, int] = {}
        self.last_day = dt.date.min
        self._vectors: dict[str, tuple[dt.date, dict[str, float], dict[str, float]]] = {}
        self._next = 1

    def day(self, f: DocFeatures) -> dt.date:
        """The document's day (an undated one: the latest day seen)."""
        return f.day or self.last_day

    def observe(self, f: DocFeatures) -> None:
        """Count a document's terms in the window document frequencies."""
        if f.day:
            self.last_day = max(self.last_day, f.day)
        self.window.add(self.day(f), f.terms)

    def place(self, f: DocFeatures, story: int) -> None:
        """Record a known assignment (loaded from the store)."""
        self.members.setdefault(story, []).append(f)
        self.story_of[f.id] = story
        self.by_day[self.day(f)].append(f)
        if f.copy_group:
            self.copies.setdefault(f.copy_group, story)
        self._next = max(self._next, story + 1)

    def move(self, story: int, to: int) -> None:
        """Renumber a story (the store numbered a new one differently)."""
        self.members[to] = self.members.pop(story)
        for f in self.members[to]:
            self.story_of[f.id] = to
        self.copies.update({g: to for g, s in self.copies.items() if s == story})
        self._next = max(self._next, to + 1)

    def vector(self, f: DocFeatures, anchor: dt.date) -> tuple[dict[str, float], dict[str, float]]:
        """``f``'s unit term vector under the IDF of the window around ``anchor``, split
        into its text part (words, phrases, figures, days) and the rest. Computed once
        per document and anchor day, so documents added later that day leave it as is."""
        cached = self._vectors.get(f.id)
        if cached and cached[0] == anchor:
            return cached[1], cached[2]
        self.window.move_to(anchor)
        cfg, idf = self.config, self.window.idf
        weights = {k: cfg.weight(k) for k in (*TEXT_KINDS, "entity", "event")}
        text: dict[str, float] = {}
        rest: dict[str, float] = {}
        for t, n in f.terms.items():
            k = kind(t)
            w = (1 + math.log(n)) * idf(t) * weights[k]
            if w > 0:
                (text if k in TEXT_KINDS else rest)[t] = w
        norm = math.sqrt(sum(v * v for v in text.values()) + sum(v * v for v in rest.values()))
        norm = norm or 1.0
        out = ({t: v / norm for t, v in text.items()}, {t: v / norm for t, v in rest.items()})
        self._vectors[f.id] = (anchor, *out)
        return out

    def _score(self, a: DocFeatures, b: DocFeatures) -> tuple[float, float]:
        """Score and its text part."""
        anchor = self.day(a)
        (ta, ra), (tb, rb) = self.vector(a, anchor), self.vector(b, anchor)
        text = _dot(ta, tb)
        score = text + _dot(ra, rb)
        if a.day and b.day:
            score *= max(0.0, 1 - self.config.time_decay * abs((a.day - b.day).days))
        return round(score, 4), round(text, 4)

    def similarity(self, a: DocFeatures, b: DocFeatures) -> Explanation:
        """How alike ``a`` and ``b`` are under the IDF of ``a``'s window, and why."""
        score, text = self._score(a, b)
        anchor = self.day(a)
        va, vb = self.vector(a, anchor), self.vector(b, anchor)
        shared = {t: w * v[t] for u, v in zip(va, vb, strict=True) for t, w in u.items() if t in v}
        days = abs((a.day - b.day).days) if a.day and b.day else None
        return explain(a, b, shared, score, text, days)

    def joins(self, e: Explanation) -> bool:
        cfg = self.config
        if e.days_apart is not None and e.days_apart > cfg.max_days:
            return False
        return e.score >= cfg.threshold and e.text >= cfg.min_text

    def candidates(self, f: DocFeatures) -> list[DocFeatures]:
        """Members published within ``max_days`` of ``f``."""
        day, one = self.day(f), dt.timedelta(days=1)
        out: list[DocFeatures] = []
        for k in range(-self.config.max_days, self.config.max_days + 1):
            out += self.by_day.get(day + k * one, [])
        return out

    def best(self, f: DocFeatures) -> tuple[int | None, Explanation]:
        """The story ``f`` should join (None: a new one) and why."""
        if f.copy_group and f.copy_group in self.copies:
            story = self.copies[f.copy_group]
            first = next(m for m in self.members[story] if m.copy_group == f.copy_group)
            return story, Explanation(score=1.0, matched=first.id, text=1.0,
                                      events=["copy of the same article"])
        cfg = self.config
        best: tuple[float, DocFeatures | None] = (0.0, None)
        for m in self.candidates(f):
            score, text = self._score(f, m)
            if score >= cfg.threshold and text >= cfg.min_text and score > best[0]:
                best = (score, m)
        if best[1] is None:
            return None, Explanation()
        return self.story_of[best[1].id], self.similarity(f, best[1])

    def assign(self, f: DocFeatures) -> tuple[int, Explanation]:
        """Count ``f``, put it in the best story (or a new one) and say why."""
        self.observe(f)
        story, why = self.best(f)
        if story is None:
            story = self._next
        self.place(f, story)
        return story, why


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def _shown(term: str) -> str:
    return term.lstrip("=@#!")


def explain(a: DocFeatures, b: DocFeatures, shared: dict[str, float], score: float,
            text: float, days: int | None) -> Explanation:
    """The shared terms that weigh most, sorted into what they say about the event."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for t in sorted(shared, key=lambda t: (-shared[t], t)):
        by_kind[kind(t)].append(t)
    words = sorted(by_kind["word"] + by_kind["phrase"], key=lambda t: (-shared[t], t))
    # A phrase says more than its words: drop a word a listed phrase contains.
    phrases = [t for t in words if " " in t][:4]
    terms = [t for t in words if " " in t or not any(t in p.split() for p in phrases)][:6]
    events = []
    for t in by_kind["event"][:3]:
        typ, who = t[1:].split("=", 1)
        events.append(f"{typ} ({a.names.get(who, who)})")
    return Explanation(score=score, matched=b.id, text=text,
                       entities=sorted(a.names[k[1:]] for k in by_kind["entity"]
                                       if k[1:] in a.names)[:6],
                       terms=terms, events=events,
                       dates=sorted(_shown(t) for t in by_kind["day"][:3]),
                       figures=[_shown(t) for t in by_kind["figure"][:3]],
                       days_apart=days)
