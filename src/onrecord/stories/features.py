"""What a document brings to story grouping: its event markers, entities, events, date, outlet.

``terms`` are the markers one event leaves in every report of it, weighed later by how
rare they are that week (:mod:`onrecord.stories.cluster`): content words and two-word
phrases, the names of the entities, the days the text refers to (``@2016-09-26``),
the figures it cites (``#916,000,000 USD``) and the events with each participant
(``!ASSAULT=keith scott``). (Four-word runs of quoted words were tried as terms and
lowered B-cubed F1 on the PolNeAR dev grouping; quoted words count as words.)
``lead`` holds the words of the headline and first paragraph, names included and the
parts of hyphenated words split off ("post-debate" also counts "debate"): the lead
says what happened, so two leads sharing rare words are likelier one event. ``dated``
ties the lead words found next to a day the text resolves to that day (``@2016-09-26
debate``): what happened on which day, shared by reports published days apart.
Words inside entity mentions are left out of the content words, so that two articles
quoting the same person do not look alike by the name's words; the name counts once, as
an entity, and people alone never join two documents.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.record import Document
from onrecord.store.base import canonical_name


def _spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from their own file: importing them through the
    ``spacy`` package would load spaCy (and PyTorch, when installed) into every digest."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise ImportError("spaCy is not installed")
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py"
    words = importlib.util.spec_from_file_location("_onrecord_stop_words", path)
    if words is None or words.loader is None:
        raise ImportError(f"spaCy's stop words are missing: {path}")
    module = importlib.util.module_from_spec(words)
    words.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


STOP_WORDS = _spacy_stop_words()
_WORD = re.compile(r"[^\W\d_][\w'\-]*[^\W_]|[^\W\d_]")
DATED_NEAR = 3  # content words on each side of a resolved day tied to it
ENTITY_TYPES = ("PERSON", "GPE", "LOC", "ORG", "NORP")
# Reporting words say nothing about what a story is about.
EXTRA_STOP = frozenset("""said says say told tell added according asked ask statement spokesman
spokeswoman spokesperson minister mayor reporters official officials monday tuesday wednesday
thursday friday saturday sunday week day year night morning today yesterday""".split())


def stem(word: str) -> str:
    """A light plural/possessive fold: "drones" -> "drone", "depot's" -> "depot"."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 5 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def content_words(text: str) -> list[str]:
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if len(w) < 3 or w in STOP_WORDS or w in EXTRA_STOP:
            continue
        out.append(stem(w))
    return out


def lead_words(doc: Document, text: str, limit: int = 300) -> Counter[str]:
    """Words of the title and the first paragraph (at most ``limit`` characters) of
    ``text``, with the parts of hyphenated words."""
    body = text.strip()
    cut = body.find("\n\n")
    first = body[:cut if 0 <= cut < limit else limit]
    out: Counter[str] = Counter()
    for w in content_words(f"{doc.title or ''}\n{first}"):
        out[w] = 1
        for part in w.split("-") if "-" in w else ():
            if len(part) > 2 and part not in STOP_WORDS:
                out[stem(part)] = 1
    return out


def outlet_of(doc: Document) -> str | None:
    """The outlet: the record's site, else its URL's host (without www.)."""
    return doc.outlet


def day_of(doc: Document) -> dt.date | None:
    try:
        return dt.date.fromisoformat(doc.published[:10]) if doc.published else None
    except ValueError:
        return None


@dataclass
class DocFeatures:
    id: str
    day: dt.date | None
    outlet: str | None
    copy_group: str | None
    terms: Counter[str]  # words, phrases, entities, days, figures, events
    entities: dict[str, str]  # canonical name -> type
    names: dict[str, str]  # canonical name -> display name
    events: set[tuple[str, frozenset[str]]] = field(default_factory=set)  # (type, participants)
    lead: Counter[str] = field(default_factory=Counter)  # headline and first paragraph words
    dated: Counter[str] = field(default_factory=Counter)  # lead words tied to a day


def kind(term: str) -> str:
    """What a term is: ``word``, ``phrase``, ``entity``, ``day``, ``figure`` or ``event``."""
    return {"=": "entity", "@": "day", "#": "figure", "!": "event"}.get(
        term[0], "phrase" if " " in term else "word")


def event_terms(doc: Document) -> Counter[str]:
    """Days the text itself resolves and the figures it cites."""
    out: Counter[str] = Counter()
    for d in doc.dates:
        if d.kind == "exact" and d.granularity == "day" and d.value and d.value != doc.published:
            out["@" + d.value] += 1
    for f in doc.figures:
        v = f.value if f.value is not None else f.high
        if v is not None and not (f.unit == "count" and v < 10) and v not in range(1900, 2100):
            out[f"#{v:,.12g}{'' if f.unit == 'count' else ' ' + f.unit}"] += 1
    return out


_CLAUSE_END = re.compile(r"[.!?;\n]")


def dated_words(doc: Document, text: str, lead: Counter[str],
                near: int = DATED_NEAR) -> Counter[str]:
    """The lead's words found next to a day the text resolves, tied to that day:
    ``@2016-09-26 debate`` for "Monday night's debate" or "the debate Monday night".
    What the lead says happened, on the day it happened: the same in every report of
    the event whatever day each was published, and rare even when the word alone is in
    every article of the week. Words near a day but not in the lead are left out: they
    are what else happened that day."""
    out: Counter[str] = Counter()
    for d in doc.dates:
        if d.kind != "exact" or d.granularity != "day" or not d.value:
            continue
        start, end = d.span.start, d.span.end
        before = _CLAUSE_END.split(text[max(0, start - 200):start])[-1]
        after = _CLAUSE_END.split(text[end:end + 200])[0]
        for w in {*content_words(before)[-near:], *content_words(after)[:near]}:
            if w in lead:
                out[f"@{d.value} {w}"] = 1
    return out


def featurize(doc: Document, doc_id: str | None = None) -> DocFeatures:
    masked = list(doc.text)
    for region in doc.boilerplate:
        masked[region.start:region.end] = " " * (region.end - region.start)
    lead = lead_words(doc, "".join(masked))
    entities: dict[str, str] = {}
    names: dict[str, str] = {}
    for ent in doc.entities:
        for m in ent.mentions:
            masked[m.start:m.end] = " " * (m.end - m.start)
        if ent.type in ENTITY_TYPES:
            key = canonical_name(ent.name)
            if key:
                entities.setdefault(key, ent.type)
                names.setdefault(key, ent.name)
    events: set[tuple[str, frozenset[str]]] = set()
    terms: Counter[str] = Counter()
    for ev in doc.events:
        if ev.status == "negated":
            continue
        who = {canonical_name(e.name) for i in (*ev.actors, *ev.recipients)
               if (e := doc.entity(i)) is not None}
        events.add((ev.type, frozenset(who)))
        for w in who:
            terms[f"!{ev.type}={w}"] = 1
    unnamed = "".join(masked)  # names blanked: the words and the words tied to a day
    words = content_words(unnamed)
    terms.update(words)
    terms.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    terms.update({"=" + k: 1 for k in entities})
    terms.update(event_terms(doc))
    return DocFeatures(id=doc_id or doc.id, day=day_of(doc), outlet=outlet_of(doc),
                       copy_group=doc.copy_group, terms=terms,
                       entities=entities, names=names, events=events, lead=lead,
                       dated=dated_words(doc, unnamed, lead))
