"""Incremental story grouping: each new document joins the most similar story or opens one.

Two documents are alike when they share what is specific to one event: the cosine of
their term vectors, each term weighed ``(1 + log tf) * idf * kind weight``, where the
IDF is counted over the documents within ``idf_days`` of the new one
(:mod:`onrecord.stories.window`), so the candidates, "campaign" and "poll" in every
article that week weigh nearly nothing while "Hofstra", "tax return" or a figure
both articles cite weigh most. Terms are content words, two-word phrases, entities,
days the text resolves, figures and events with a participant
(:mod:`onrecord.stories.features`). To that cosine adds ``w_lead`` times the cosine of
their leads (headline and first paragraph words, under an IDF of leads over the same
window): the lead says what happened; and ``w_dated`` times the cosine of their lead words
tied to a day the text resolves ("Monday night's debate" -> ``@2016-09-26 debate``, under
their own window IDF): what happened and when, the same in a preview, a report and a
reaction published days apart, where the rest of their words differ.

That similarity, scaled down by ``time_decay`` per day apart, is then corrected for
*hubs*: a long round-up ("The Latest: ...") is a little like every article of its week,
and a short one like none. Each document keeps the ``hub_k`` highest similarities it has
had with the documents of its window (earlier and later), and the score of a pair is
``2 * similarity - hub(a) - hub(b)`` (``hub`` the mean of those ``hub_k``): how much more
alike the two are than each is to its usual neighbours (cross-domain similarity local
scaling, Conneau et al. 2018). A document joins the story of its best-scoring member
published within ``max_days`` when the score reaches ``threshold`` **and** the cosine
part from words, phrases, figures and days (dated words included) reaches ``min_text``:
shared people or places alone never join two documents. Only members within ``max_days``
are compared, so placing a document costs time in proportion to the documents of its
window. Every join records what did it (:class:`Explanation`), naming the event: the
lead words both tie to one day, the rare words and phrases, headline words, its day,
figures and events both documents share.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from onrecord.stories.features import DocFeatures, kind
from onrecord.stories.window import WindowDF

TEXT_KINDS = ("word", "phrase", "figure", "day")


@dataclass
class ClusterConfig:
    threshold: float = 0.13
    min_text: float = 0.03
    w_lead: float = 0.2  # weight of the leads' cosine
    w_dated: float = 1.0  # weight of the cosine of words tied to a day
    hub_k: int = 8  # similarities each document's hub level averages (0: no correction)
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
    headline: list[str] = field(default_factory=list)  # rare words both leads have
    events: list[str] = field(default_factory=list)  # shared events (with participants)
    dates: list[str] = field(default_factory=list)  # days both texts refer to
    dated: list[str] = field(default_factory=list)  # lead words tied to a day: "2016-09-26 debate"
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
        tied = [t.split(" ", 1) for t in self.dated]
        words = ", ".join(list(dict.fromkeys(
            [*(w for _, w in tied), *self.headline[:2], *self.terms]))[:4])
        days = list(dict.fromkeys([*(d for d, _ in tied), *self.dates]))[:2]
        when = f" on {', '.join(days)}" if days else ""
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
        if self.headline:
            parts.append("headlines: " + ", ".join(self.headline))
        if self.dated:
            parts.append("on the day: " + ", ".join(self.dated))
        if self.figures:
            parts.append("figures: " + ", ".join(self.figures))
        if self.events:
            parts.append("events: " + ", ".join(self.events))
        if self.entities:
            parts.append("shared: " + ", ".join(self.entities))
        return "; ".join(parts)


class StoryIndex:
    """Stories held in memory: members by day, the window document frequencies (of terms
    and of leads) and each document's highest similarities (its hub level)."""

    def __init__(self, config: ClusterConfig | None = None,
                 vectors: dict[tuple[str, dt.date], Vectors] | None = None) -> None:
        """``vectors`` may be shared by indexes fed the same documents in the same order
        under the same IDF settings (cross-validation groups one stream many times); it
        then keeps every vector, while an index's own keeps those of one anchor day."""
        self.config = config or ClusterConfig()
        self.window = WindowDF(self.config.idf_days, self.config.idf_prior)
        self.leads = WindowDF(self.config.idf_days, self.config.idf_prior)
        self.dated = WindowDF(self.config.idf_days, self.config.idf_prior)
        self.members: dict[int, list[DocFeatures]] = {}
        self.story_of: dict[str, int] = {}
        self.by_day: dict[dt.date, list[DocFeatures]] = defaultdict(list)
        self.copies: dict[str, int] = {}
        self.last_day = dt.date.min
        self._vectors = {} if vectors is None else vectors
        self._shared = vectors is not None
        self._anchor: dt.date | None = None
        self._near: dict[str, list[float]] = defaultdict(list)  # min-heaps of hub_k scores
        self._next = 1

    def day(self, f: DocFeatures) -> dt.date:
        """The document's day (an undated one: the latest day seen)."""
        return f.day or self.last_day

    def observe(self, f: DocFeatures) -> None:
        """Count a document's terms and lead words in the window document frequencies."""
        if f.day:
            self.last_day = max(self.last_day, f.day)
        self.window.add(self.day(f), f.terms)
        self.leads.add(self.day(f), f.lead)
        self.dated.add(self.day(f), f.dated)

    def place(self, f: DocFeatures, story: int) -> None:
        """Record a known assignment (loaded from the store)."""
        self.members.setdefault(story, []).append(f)
        self.story_of[f.id] = story
        self.by_day[self.day(f)].append(f)
        if f.copy_group:
            self.copies.setdefault(f.copy_group, story)
        self._next = max(self._next, story + 1)

    def load(self, f: DocFeatures, story: int) -> None:
        """Take in a document already assigned (from the store) as :meth:`assign` would
        have: counted, compared with its window for the hub levels, placed."""
        self.observe(f)
        self.neighbours(f)
        self.place(f, story)

    def move(self, story: int, to: int) -> None:
        """Renumber a story (the store numbered a new one differently)."""
        self.members[to] = self.members.pop(story)
        for f in self.members[to]:
            self.story_of[f.id] = to
        self.copies.update({g: to for g, s in self.copies.items() if s == story})
        self._next = max(self._next, to + 1)

    def vector(self, f: DocFeatures, anchor: dt.date) -> Vectors:
        """``f``'s unit term vector under the IDF of the window around ``anchor``, split
        into its text part (words, phrases, figures, days) and the rest, and its unit
        lead and dated-word vectors. Computed once per document and anchor day, so
        documents added later that day leave it as is."""
        if anchor != self._anchor and not self._shared:
            self._vectors.clear()  # documents come in day order: the old day's are done
        self._anchor = anchor
        cached = self._vectors.get((f.id, anchor))
        if cached:
            return cached
        self.window.move_to(anchor)
        self.leads.move_to(anchor)
        self.dated.move_to(anchor)
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
        out = Vectors({t: v / norm for t, v in text.items()},
                      {t: v / norm for t, v in rest.items()},
                      _unit(f.lead, self.leads), _unit(f.dated, self.dated))
        self._vectors[(f.id, anchor)] = out
        return out

    def _similarity(self, a: DocFeatures, b: DocFeatures) -> tuple[float, float]:
        """The similarity before the hub correction, and its text part (words, phrases,
        figures, days and the words tied to a day)."""
        anchor = self.day(a)
        va, vb = self.vector(a, anchor), self.vector(b, anchor)
        text = _dot(va.text, vb.text) + self.config.w_dated * _dot(va.dated, vb.dated)
        sim = text + _dot(va.rest, vb.rest) + self.config.w_lead * _dot(va.lead, vb.lead)
        if a.day and b.day:
            sim *= max(0.0, 1 - self.config.time_decay * abs((a.day - b.day).days))
        return sim, text

    def hub(self, f: DocFeatures) -> float:
        """The mean of ``f``'s ``hub_k`` highest similarities so far (missing ones count 0)."""
        k = self.config.hub_k
        return sum(self._near.get(f.id, ())) / k if k else 0.0

    def _remember(self, f: DocFeatures, sim: float) -> None:
        near, k = self._near[f.id], self.config.hub_k
        if len(near) < k:
            heapq.heappush(near, sim)
        elif k and sim > near[0]:
            heapq.heapreplace(near, sim)

    def neighbours(self, f: DocFeatures) -> list[tuple[DocFeatures, float, float]]:
        """Each member within ``max_days`` of ``f`` with its similarity and text part;
        both sides remember the similarity for their hub levels."""
        out = []
        for m in self.candidates(f):
            sim, text = self._similarity(f, m)
            self._remember(f, sim)
            self._remember(m, sim)
            out.append((m, sim, text))
        return out

    def _score(self, a: DocFeatures, b: DocFeatures, sim: float) -> float:
        return round(2 * sim - self.hub(a) - self.hub(b) if self.config.hub_k else sim, 4)

    def similarity(self, a: DocFeatures, b: DocFeatures) -> Explanation:
        """How alike ``a`` and ``b`` are under the IDF of ``a``'s window (with the hub
        levels as they stand), and why."""
        sim, text = self._similarity(a, b)
        return self._explain(a, b, self._score(a, b, sim), text)

    def _explain(self, a: DocFeatures, b: DocFeatures, score: float, text: float) -> Explanation:
        anchor = self.day(a)
        va, vb = self.vector(a, anchor), self.vector(b, anchor)
        shared = {t: w * v[t] for u, v in ((va.text, vb.text), (va.rest, vb.rest))
                  for t, w in u.items() if t in v}
        # Headline words that are part of a name say who, not what happened.
        named = {w for f in (a, b) for name in f.entities for w in name.split()}
        headline = sorted((t for t in va.lead if t in vb.lead and t not in named),
                          key=lambda t: (-va.lead[t] * vb.lead[t], t))
        days = abs((a.day - b.day).days) if a.day and b.day else None
        why = explain(a, b, shared, score, round(text, 4), days)
        why.headline = headline[:4]
        tied = sorted((t for t in va.dated if t in vb.dated),
                      key=lambda t: (-va.dated[t] * vb.dated[t], t))
        why.dated = [_shown(t) for t in tied[:3]]
        return why

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
        near = self.neighbours(f)
        if f.copy_group and f.copy_group in self.copies:
            story = self.copies[f.copy_group]
            first = next(m for m in self.members[story] if m.copy_group == f.copy_group)
            return story, Explanation(score=1.0, matched=first.id, text=1.0,
                                      events=["copy of the same article"])
        cfg = self.config
        best: tuple[float, float, DocFeatures | None] = (-math.inf, 0.0, None)
        for m, sim, text in near:
            score = self._score(f, m, sim)
            if score >= cfg.threshold and text >= cfg.min_text and score > best[0]:
                best = (score, text, m)
        if best[2] is None:
            return None, Explanation()
        return self.story_of[best[2].id], self._explain(f, best[2], best[0], best[1])

    def assign(self, f: DocFeatures) -> tuple[int, Explanation]:
        """Count ``f``, put it in the best story (or a new one) and say why."""
        self.observe(f)
        story, why = self.best(f)
        if story is None:
            story = self._next
        self.place(f, story)
        return story, why


class Vectors(NamedTuple):
    """A document's unit vectors: text terms and the rest share one norm; the lead its own."""

    text: dict[str, float]
    rest: dict[str, float]
    lead: dict[str, float]
    dated: dict[str, float]


def _unit(terms: Counter[str], df: WindowDF) -> dict[str, float]:
    """The terms weighed by their window IDF, as a unit vector."""
    weights = {t: w for t in terms if (w := df.idf(t)) > 0}
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {t: v / norm for t, v in weights.items()}


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
