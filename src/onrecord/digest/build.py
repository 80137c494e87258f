"""The briefing for one day, built from the store: what goes in it, before any rendering.

Each story gets a summary line taken from its own text (the sentence closest to the
story as a whole among each original document's first sentences, with every outlet
that carries a like sentence as its source), its most telling direct quotes (key
people first, one per speaker, longer and more widely carried first), its figures with
who claims them, the cross-source checks and links to its documents.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from onrecord.store.base import Store, canonical_name
from onrecord.stories.checks import (
    FigureConflict,
    QuoteVariant,
    figure_conflicts,
    quote_variants,
    speakers,
)
from onrecord.stories.cluster import ClusterConfig
from onrecord.stories.features import content_words
from onrecord.stories.rank import Ranked, Weights, rank
from onrecord.stories.store import Story, StoryDoc, load_stories, sentences


@dataclass
class DocLink:
    id: str
    outlet: str
    published: str | None
    title: str
    url: str | None
    href: str  # the document's page in the onrecord web app
    copy: bool = False


@dataclass
class Quote:
    speaker: str
    text: str
    outlet: str
    doc: str
    href: str
    outlets: list[str] = field(default_factory=list)  # every outlet carrying it


@dataclass
class FigureLine:
    text: str
    claimed_by: str  # display names, or "the article"
    outlets: list[str]


@dataclass
class StoryBrief:
    rank: int
    id: int
    title: str
    score: float
    why: str
    summary: str
    summary_sources: list[str]
    first_seen: str | None
    last_seen: str | None
    outlets: list[str]
    people: list[str]
    quotes: list[Quote]
    figures: list[FigureLine]
    conflicts: list[FigureConflict]
    variants: list[QuoteVariant]
    documents: list[DocLink]
    explanations: list[tuple[str, str]]  # (document id, what joined it)


@dataclass
class Briefing:
    day: dt.date
    stories: list[StoryBrief]
    base_url: str

    @property
    def subject(self) -> str:
        head = f"onrecord briefing, {self.day:%A %d %B %Y}"
        return f"{head}: {self.stories[0].title}" if self.stories else f"{head}: no stories"


def _vec(words: list[str]) -> Counter[str]:
    return Counter(words)


def _cos(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def summary_line(story: Story, lead: int = 3) -> tuple[str, list[str]]:
    """The sentence nearest the story's words among the leads of its original documents."""
    originals = [d for d in story.docs if not d.is_copy] or story.docs
    whole: Counter[str] = Counter()
    cands: list[tuple[StoryDoc, str, Counter[str], int]] = []
    for d in originals:
        text = d.record.text
        whole.update(set(content_words(text)))
        for pos, (s, e) in enumerate(sentences(text)[:lead]):
            sent = " ".join(text[s:e].split())
            cands.append((d, sent, _vec(content_words(sent)), pos))
    if not cands:
        return "", []
    shared = Counter({w: n for w, n in whole.items() if n > 1}) or whole

    def score(c: tuple[StoryDoc, str, Counter[str], int]) -> float:
        words = len(c[1].split())
        fit = 1.0 if 12 <= words <= 40 else 0.7
        return _cos(c[2], shared) * fit * (1.0 - 0.1 * c[3])

    best = max(cands, key=score)
    sources = sorted({d.outlet for d, _, vec, _ in cands if _cos(vec, best[2]) >= 0.5}
                     | {best[0].outlet})
    return best[1], sources


def telling_quotes(story: Story, href: str, top: int = 3) -> list[Quote]:
    key = {canonical_name(p.name) for p in story.people}
    found: dict[tuple[str, str], Quote] = {}
    for d in story.docs:
        for st in d.record.statements:
            if st.type not in ("direct", "mixed"):
                continue
            names = speakers(d.record, st)
            text = " ".join(st.content.text.strip(" ,\u201c\u201d\"").split())
            if not names or not 5 <= len(text.split()) <= 60:
                continue
            k = (canonical_name(names[0]), text.lower())
            if k in found:
                if d.outlet not in found[k].outlets:
                    found[k].outlets.append(d.outlet)
                continue
            found[k] = Quote(" & ".join(names), text, d.outlet, d.id, f"{href}/documents/{d.id}",
                             [d.outlet])
    ranked = sorted(found.values(), key=lambda q: (
        canonical_name(q.speaker) not in key, -len(q.outlets), -min(len(q.text.split()), 25)))
    out: list[Quote] = []
    said: set[str] = set()
    for q in ranked:
        if canonical_name(q.speaker) in said:
            continue
        said.add(canonical_name(q.speaker))
        out.append(q)
        if len(out) == top:
            break
    return out


def figure_lines(story: Story, top: int = 5) -> list[FigureLine]:
    lines: dict[tuple[str, str], FigureLine] = {}
    for d in story.docs:
        for f in d.record.figures:
            if not f.counted and f.unit == "count":
                continue  # a bare number says too little on its own
            end = max(f.span.end, f.counted.end if f.counted else 0)
            text = " ".join(d.record.text[f.span.start:end].split())
            if f.hedge and not text.lower().startswith(f.hedge.lower()):
                text = f"{f.hedge} {text}"
            who = " & ".join(e.name + (f" ({e.titles[0]})" if e.titles else "")
                             for i in f.claimed_by
                             if (e := d.record.entity(i)) is not None) or "the article"
            k = (text.lower(), who.lower())
            if k in lines:
                if d.outlet not in lines[k].outlets:
                    lines[k].outlets.append(d.outlet)
            else:
                lines[k] = FigureLine(text, who, [d.outlet])
    ordered = sorted(lines.values(), key=lambda f: (f.claimed_by == "the article",
                                                    -len(f.outlets)))
    return ordered[:top]


def story_brief(r: Ranked, n: int, base_url: str) -> StoryBrief:
    s = r.story
    summary, sources = summary_line(s)
    docs = [DocLink(d.id, d.outlet, d.record.published, d.record.title or "",
                    d.record.url, f"{base_url}/documents/{d.id}", d.is_copy) for d in s.docs]
    return StoryBrief(
        rank=n, id=s.id, title=s.title, score=r.score, why=r.why(), summary=summary,
        summary_sources=sources,
        first_seen=s.first_seen.isoformat() if s.first_seen else None,
        last_seen=s.last_seen.isoformat() if s.last_seen else None,
        outlets=s.outlets, people=[p.name for p in s.people],
        quotes=telling_quotes(s, base_url), figures=figure_lines(s),
        conflicts=figure_conflicts(s), variants=quote_variants(s), documents=docs,
        explanations=[(d.id, d.why.summary()) for d in s.docs])


def latest_day(stories: list[Story]) -> dt.date | None:
    days = [s.last_seen for s in stories if s.last_seen]
    return max(days) if days else None


def build_briefing(store: Store, day: dt.date | None = None, top: int = 5,
                   weights: Weights | None = None, cluster: ClusterConfig | None = None,
                   base_url: str = "http://127.0.0.1:8000",
                   stories: list[Story] | None = None) -> Briefing:
    """The briefing for ``day`` (default: the latest day with news) with ``top`` stories."""
    if stories is None:
        stories = load_stories(store, cluster)
    day = day or latest_day(stories) or dt.date.today()
    ranked = rank(stories, day, weights)[:top]
    base = base_url.rstrip("/")
    return Briefing(day, [story_brief(r, i, base) for i, r in enumerate(ranked, 1)], base)
