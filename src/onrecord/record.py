"""The document record: the JSON contract every part of onrecord reads and writes.

Every extracted item points back into ``Document.text`` with character offsets
(Python ``str`` indices), so any claim in the record can be checked against the
words it came from.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator

StatementType = Literal["direct", "indirect", "mixed", "according_to"]
EntityType = Literal["PERSON", "ORG", "GPE", "NORP", "LOC", "GROUP", "OTHER"]


class Span(BaseModel):
    """A stretch of the document text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, doc_text: str, start: int, end: int) -> Span:
        return cls(start=start, end=end, text=doc_text[start:end])


class Region(BaseModel):
    """A stretch of text without its words (used for boilerplate)."""

    start: int
    end: int


class Entity(BaseModel):
    """One person, body or place in the document, with every mention of it.

    ``name`` is the fullest name the text gives; ``titles`` the roles it attaches
    ("French President"); ``part_of`` links a body such as "Mr Zelensky's office"
    to the entity it belongs to.
    """

    id: str
    name: str
    type: EntityType
    titles: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)
    part_of: str | None = None


SPEAKER_UNSURE = 0.8  # speaker_confidence below which a link is shown as unsure


class Statement(BaseModel):
    """One attribution: ``source`` said ``content`` (signalled by ``cue``)."""

    id: str
    type: StatementType
    content: Span
    cue: Span | None = None
    source: Span | None = None
    speakers: list[str] = Field(default_factory=list)
    parent: str | None = None  # the statement this one is reported inside, if nested
    # How sure the record is: that this is a statement (by which readers found it), and
    # that ``speakers`` are who said it (by how the source was resolved: "name",
    # "surname", "title", "pronoun", ...). Rates measured on dev data (docs/speakers.md).
    confidence: float | None = None
    speaker_basis: str | None = None
    speaker_confidence: float | None = None

    @property
    def unsure(self) -> bool:
        """The speakers were found a way that was wrong one time in five or more on the
        dev data: shown as unsure, with the source words beside them. A speaker made of the
        source's own words ("a Commission official") names no one else: never unsure. A
        speaker carried over to a content with no source or cue of its own is a guess, unsure
        whatever its rate."""
        if self.speaker_basis == "continuation, no source":
            return bool(self.speakers)
        return (self.speaker_basis != "description" and self.speaker_confidence is not None
                and self.speaker_confidence < SPEAKER_UNSURE)


DateKind = Literal["exact", "approximate", "range", "unresolved"]
Granularity = Literal["day", "week", "month", "year", "decade"]
EventStatus = Literal["asserted", "future", "hypothetical", "negated"]
DateBasis = Literal["text", "published"]


class Figure(BaseModel):
    """A number the document cites: "112 strike and decoy drones", "€300m", "about 40%".

    ``value`` is the number itself (a range gives ``low`` and ``high`` and no single
    value); ``unit`` is an ISO 4217 code, a physical unit, ``percent`` or ``count``;
    ``claimed_by`` are the speakers of the innermost statement containing it (empty: the
    article itself makes the claim).
    """

    id: str
    span: Span
    value: float | None = None
    low: float | None = None
    high: float | None = None
    hedge: str | None = None
    unit: str = "count"
    counted: Span | None = None
    period: Span | None = None
    statement: str | None = None
    claimed_by: list[str] = Field(default_factory=list)


class DateMention(BaseModel):
    """A date expression resolved against the publication date.

    ``value`` is ISO 8601: ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM`` or ``YYYY``; a
    range is ``start/end``. ``reason`` says why a date stayed unresolved.
    """

    span: Span
    value: str | None = None
    granularity: Granularity | None = None
    kind: DateKind = "exact"
    reason: str | None = None


class Event(BaseModel):
    """A PLOVER event: who did what to whom (type and mode), when, where, and its status."""

    id: str
    type: str
    mode: str | None = None
    trigger: Span
    actors: list[str] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    date: str | None = None  # value of a date mention in the same sentence
    # "text": that date mention; "published": none in the sentence, the publication date
    date_basis: DateBasis | None = None
    location: str | None = None  # entity id of the place
    status: EventStatus = "asserted"
    size: dict[str, float] = Field(default_factory=dict)
    figures: list[str] = Field(default_factory=list)
    statement: str | None = None


def outlet_name(site: str | None, url: str | None) -> str | None:
    """The site's name, else its URL's host without www. (records from text or JSON
    Lines may carry a URL but no site name)."""
    if site:
        return site
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed URL names no host
        host = None
    return host.removeprefix("www.") if host else None


class Document(BaseModel):
    """The record for one input document."""

    id: str
    path: str | None = None
    published: str | None = None  # ISO date the article was published, if known
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    site: str | None = None  # site name, else host name
    url: str | None = None  # canonical URL where the page declares one
    language: str | None = None  # ISO 639-1 code, detected from the text
    duplicate_of: str | None = None  # id of the earliest copy of a syndicated story
    copy_group: str | None = None  # id naming the group of copies (its earliest copy)
    # Page dates. ``published`` is the day the page presents as its date (a shown update
    # included: docs/article-extraction.md). Its strongest evidence: json-ld, meta, time,
    # byline, url or page, or feed (None when given with the input). ``updated``: the last
    # update the page's markup declares, kept apart.
    published_source: str | None = None
    updated: str | None = None
    text: str
    boilerplate: list[Region] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def _one_line(cls, title: str | None) -> str | None:
        """Titles are single-line: they become headings and mail headers, where a CR/LF
        from a hostile feed would break the line or inject a header."""
        return (one_line(title) or None) if title is not None else None

    @property
    def outlet(self) -> str | None:
        return outlet_name(self.site, self.url)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def speaker_names(self, statement: Statement) -> list[str]:
        names = []
        for eid in statement.speakers:
            ent = self.entity(eid)
            if ent is not None:
                names.append(ent.name)
        return names


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, as one space."""
    return " ".join(text.split())
