"""How much a story matters on a day: evidence from outlets, copies, recency, people and events.

``score = outlets * independent outlets + copies * syndicated copies
+ documents * documents + recency * 0.5 ** (days since last seen / half_life)
+ people * min(key people quoted or named in 2+ documents, people_cap)
+ events * min(distinct event types, events_cap)``. The weights come from
:class:`Weights` defaults, a config file, environment variables or CLI options
(see docs/briefing.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from onrecord.stories.store import Story


@dataclass
class Weights:
    outlets: float = 2.0
    copies: float = 0.5
    documents: float = 0.5
    recency: float = 2.0
    half_life: float = 1.0  # days
    people: float = 0.3
    people_cap: float = 4
    events: float = 0.2
    events_cap: float = 5
    lookback_days: float = 1  # a day's briefing covers stories seen in the last N days

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class Ranked:
    story: Story
    score: float
    evidence: dict[str, float]  # feature -> its value (before weighting)

    def why(self) -> str:
        """The evidence in words a reader can take in: "3 outlets, 1 copy, ... seen today"."""
        e = self.evidence
        age = int(e["age_days"])
        seen = "seen today" if age == 0 else f"last seen {count(age, 'day', 'days')} before"
        return ", ".join([count(e["outlets"], "outlet", "outlets"),
                          count(e["copies"], "syndicated copy", "syndicated copies"),
                          count(e["documents"], "article", "articles"), seen,
                          count(e["people"], "person", "people"),
                          count(e["events"], "kind of event", "kinds of event")])


def count(n: float, one: str, many: str) -> str:
    """``n`` and the noun in its number: "1 copy", "2 copies", "0 copies"."""
    return f"{n:g} {one if n == 1 else many}"


def evidence(story: Story, day: dt.date) -> dict[str, float]:
    last = story.last_seen or day
    types = {ev.type for d in story.docs for ev in d.record.events if ev.status != "negated"}
    people = [p for p in story.people if p.documents >= 2 or p.statements >= 1]
    return {"outlets": len(story.independent_outlets), "copies": story.copies,
            "documents": len(story.docs), "age_days": max(0, (day - last).days),
            "people": len(people), "events": len(types)}


def score(ev: dict[str, float], w: Weights) -> float:
    return (w.outlets * ev["outlets"] + w.copies * ev["copies"] + w.documents * ev["documents"]
            + w.recency * 0.5 ** (ev["age_days"] / max(w.half_life, 1e-6))
            + w.people * min(ev["people"], w.people_cap)
            + w.events * min(ev["events"], w.events_cap))


def rank(stories: list[Story], day: dt.date, weights: Weights | None = None) -> list[Ranked]:
    """Stories with news in the ``lookback_days`` up to ``day``, as they stood then, best first."""
    w = weights or Weights()
    out = []
    for s in stories:
        seen = s.until(day)
        last = seen.last_seen
        if last is None or (day - last).days >= max(1, int(w.lookback_days)):
            continue
        ev = evidence(seen, day)
        out.append(Ranked(seen, round(score(ev, w), 3), ev))
    out.sort(key=lambda r: (-r.score, -(r.story.last_seen or day).toordinal(), r.story.id))
    return out
