"""Stories over the record store: assign new documents incrementally, then read stories back.

:func:`update_stories` assigns every current document that has no story yet, oldest
published first, to the best existing story or a new one, and stores the assignment
with its explanation (a read-only store gets the same grouping in memory, unsaved).
:func:`load_stories` returns :class:`Story` views: title, documents, first/last seen,
outlets and key people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from onrecord.record import Document, one_line
from onrecord.store.base import DocumentInfo, ReadOnlyDatabase, Store, canonical_name
from onrecord.stories.cluster import ClusterConfig, Explanation, StoryIndex
from onrecord.stories.features import day_of, featurize, outlet_of

_SENTENCE = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split at end punctuation before a capital."""
    out = []
    for para_start, para in _paragraphs(text):
        start = 0
        for m in _SENTENCE.finditer(para):
            out.append((para_start + start, para_start + m.start()))
            start = m.end()
        if para[start:].strip():
            out.append((para_start + start, para_start + len(para.rstrip())))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


@dataclass
class StoryDoc:
    info: DocumentInfo
    record: Document
    why: Explanation

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def outlet(self) -> str:
        return outlet_of(self.record) or "unknown outlet"

    @property
    def day(self) -> dt.date | None:
        return day_of(self.record)

    @property
    def is_copy(self) -> bool:
        return self.record.duplicate_of is not None


@dataclass
class Person:
    name: str
    documents: int
    statements: int


@dataclass
class Story:
    id: int
    docs: list[StoryDoc]  # publication order
    title: str = ""
    people: list[Person] = field(default_factory=list)

    @property
    def first_seen(self) -> dt.date | None:
        days = [d.day for d in self.docs if d.day]
        return min(days) if days else None

    @property
    def last_seen(self) -> dt.date | None:
        days = [d.day for d in self.docs if d.day]
        return max(days) if days else None

    @property
    def outlets(self) -> list[str]:
        return sorted({d.outlet for d in self.docs})

    @property
    def independent_outlets(self) -> list[str]:
        """Outlets with their own text (a syndicated copy is not independent)."""
        return sorted({d.outlet for d in self.docs if not d.is_copy})

    @property
    def copies(self) -> int:
        return sum(1 for d in self.docs if d.is_copy)

    def until(self, day: dt.date) -> Story:
        """The story as it stood at the end of ``day`` (dated documents published by then)."""
        kept = [d for d in self.docs if d.day is not None and d.day <= day]
        return Story(self.id, kept, self.title, key_people(kept))


def key_people(docs: list[StoryDoc], top: int = 4) -> list[Person]:
    """People in the most documents of the story, then with the most statements."""
    in_docs: Counter[str] = Counter()
    said: Counter[str] = Counter()
    names: dict[str, str] = {}
    for d in docs:
        seen: set[str] = set()
        for ent in d.record.entities:
            if ent.type != "PERSON" or len(ent.name.split()) < 2:
                continue
            key = canonical_name(ent.name)
            names.setdefault(key, ent.name)
            if key not in seen:
                seen.add(key)
                in_docs[key] += 1
        for st in d.record.statements:
            for name in d.record.speaker_names(st):
                if canonical_name(name) in names:
                    said[canonical_name(name)] += 1
    # "Abara" (from "Cdr Abara") folds into "Ruth Abara" when only one full name ends so.
    for key in list(in_docs):
        longer = [k for k in in_docs if k != key and k.endswith(" " + key.split()[-1])
                  and len(k.split()) > len(key.split())]
        if len(key.split()) == 1 and len(longer) == 1:
            in_docs[longer[0]] += in_docs.pop(key)
            said[longer[0]] += said.pop(key, 0)
    ranked = sorted(in_docs, key=lambda k: (-in_docs[k], -said[k], names[k]))
    return [Person(names[k], in_docs[k], said[k]) for k in ranked[:top]]


def story_title(docs: list[StoryDoc], max_words: int = 12) -> str:
    """The first document's title, else its first sentence, shortened."""
    originals = [d for d in docs if not d.is_copy] or docs
    first = originals[0].record
    if first.title:
        return one_line(first.title)
    spans = sentences(first.text)
    text = first.text[spans[0][0]:spans[0][1]] if spans else first.text
    words = text.split()
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")


def _order(docs: list[tuple[DocumentInfo, Document]]) -> list[tuple[DocumentInfo, Document]]:
    # Stable: within a day, the order they were stored in (iter_documents order).
    return sorted(docs, key=lambda p: (p[1].published is None, p[1].published or ""))


def update_stories(store: Store, config: ClusterConfig | None = None, persist: bool = True,
                   ) -> tuple[dict[str, int], dict[str, Explanation]]:
    """Assign unassigned current documents; every current document's story and explanation.
    With ``persist`` False the new assignments stay in memory (for readers such as GETs)."""
    current = {s.info.id: (s.info, s.record) for s in store.iter_documents()}
    index = StoryIndex(config)
    story: dict[str, int] = {}
    why: dict[str, Explanation] = {}
    for a in store.story_assignments():
        if a.doc in current:
            f = featurize(current[a.doc][1], a.doc)
            index.load(f, a.story)
            story[a.doc] = a.story
            why[a.doc] = Explanation.from_dict(a.explanation)
    for info, record in _order([p for i, p in current.items() if i not in story]):
        f = featurize(record, info.id)
        sid, reason = index.assign(f)
        if persist:
            try:
                stored = store.assign_story(info.id, sid if reason.matched else None,
                                            reason.score, reason.as_dict())
            except ReadOnlyDatabase:
                persist = False
                stored = sid
            if stored != sid:  # the database numbered the new story differently
                index.move(sid, stored)
                sid = stored
        story[info.id], why[info.id] = sid, reason
    return story, why


def load_stories(store: Store, config: ClusterConfig | None = None,
                 persist: bool = True) -> list[Story]:
    """Every story with its current documents (assigning new documents first)."""
    story_of, why = update_stories(store, config, persist)
    members: dict[int, list[StoryDoc]] = {}
    for stored in store.iter_documents():
        sid = story_of.get(stored.info.id)
        if sid is not None:
            members.setdefault(sid, []).append(StoryDoc(stored.info, stored.record,
                                                         why[stored.info.id]))
    stories = []
    for sid, docs in members.items():
        docs.sort(key=lambda d: (d.day is None, d.day or dt.date.min, d.info.ingested_at))
        stories.append(Story(sid, docs, story_title(docs), key_people(docs)))
    return stories
