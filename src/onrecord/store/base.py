"""The record store's interface: what the CLI and the web app may ask of any backend.

Callers see only :class:`Store` and the plain row types below, so a second backend
(PostgreSQL, say) can follow :mod:`onrecord.store.sqlite` without touching them.

Identity. Each stored document version has a public ``id``: the first characters of
the SHA-256 of its text, so storing the same text twice changes nothing. Versions of
one article share a ``key`` (the record's URL, else its id); storing a new text under
a known key adds version n+1 and makes it the current one, keeping the old.
Queries (quotes, people, search) read current versions only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

if TYPE_CHECKING:  # records are parsed only when a document is read (queries start faster)
    from onrecord.record import Document

T = TypeVar("T")
AddStatus = Literal["added", "unchanged", "new_version"]
MAX_LIMIT = 500  # the most rows one query returns


class StoreError(RuntimeError):
    """Any failure of the store that the user should read as one line."""


class CorruptDatabase(StoreError):
    """The database file is not a (healthy) onrecord database; it is left untouched."""


class DatabaseLocked(StoreError):
    """Another process holds the write lock for longer than we wait."""


class ReadOnlyDatabase(StoreError):
    """A write was asked of a store opened, or only openable, read-only."""


class QueryError(StoreError, ValueError):
    """A malformed query (for example bad full-text search syntax)."""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame lord lady cdr capt col gen rev".split())


def canonical_name(name: str) -> str:
    """The key people are merged by across documents: case, honorifics and possessives folded.

    "Ms Anna de Vries", "anna de vries", "Anna de Vries's" share one key, and so do
    "Donald J. Trump" and "Donald Trump". A bare surname is joined to a full name only
    where the store makes it unambiguous (``SQLiteStore._person_id``).
    """
    s = unicodedata.normalize("NFKC", name).replace("\u2019", "'")
    s = re.sub(r"'s?$", "", s.strip())
    words = s.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in HONORIFICS:
        words = words[1:]
    if len(words) > 2:  # "Donald J. Trump" is "Donald Trump": middle initials dropped
        words = [words[0]] + [w for w in words[1:-1] if len(w.rstrip(".")) > 1] + [words[-1]]
    return " ".join(words).casefold()


@dataclass
class AddResult:
    id: str
    status: AddStatus
    version: int


@dataclass
class DocumentInfo:
    """One stored document version, without its text."""

    id: str
    key: str
    version: int
    current: bool
    source_id: str
    title: str | None
    published: str | None
    site: str | None
    url: str | None
    ingested_at: str
    statements: int = 0


@dataclass
class StoredDocument:
    info: DocumentInfo
    record: Document
    entity_ids: dict[str, int]  # record entity id -> store-wide entity id
    versions: list[DocumentInfo] = field(default_factory=list)  # every version of its key


@dataclass
class Speaker:
    id: int
    name: str


@dataclass
class StatementRow:
    id: int
    document: str  # public document id
    title: str | None
    published: str | None
    local_id: str  # the statement's id inside its record
    type: str
    content: str
    content_start: int
    content_end: int
    cue: str | None
    source: str | None
    speakers: list[Speaker] = field(default_factory=list)
    url: str | None = None
    site: str | None = None  # the outlet
    source_id: str | None = None  # the input id (slug), shown when there is no title


# The columns a StatementRow is read from (statements ``s`` joined to documents ``d``), and
# the speakers of a set of statements, in order, under the name each document gives them.
STATEMENT_COLUMNS = (
    "s.pk, d.id AS doc_id, d.title, d.published, s.local_id, s.type, s.content,"
    " s.content_start, s.content_end, s.cue, s.source, d.url, d.site, d.source_id")
SPEAKERS_OF = (
    "SELECT ss.statement, e.id, COALESCE(de.name, e.name) AS name"
    " FROM statement_speakers ss JOIN entities e ON e.id = ss.entity"
    " JOIN statements s ON s.pk = ss.statement"
    " LEFT JOIN doc_entities de ON de.doc = s.doc AND de.local_id = ss.local_entity"
    " WHERE ss.statement IN ({marks}) ORDER BY ss.statement, ss.position")


def statement_row(r: Any) -> StatementRow:
    """A StatementRow from a row selected with :data:`STATEMENT_COLUMNS`."""
    return StatementRow(
        id=r["pk"], document=r["doc_id"], title=r["title"], published=r["published"],
        local_id=r["local_id"], type=r["type"], content=r["content"],
        content_start=r["content_start"], content_end=r["content_end"], cue=r["cue"],
        source=r["source"], url=r["url"], site=r["site"], source_id=r["source_id"])


@dataclass
class FacetCount:
    """One value of a facet or a chart's bar: ``value`` goes in the URL, ``label`` on the page."""

    value: str
    label: str
    count: int


@dataclass
class SpeakerShare:
    """Who was quoted, how often, and in which outlets (most first)."""

    id: int
    name: str
    statements: int
    outlets: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class PersonRow:
    id: int
    name: str
    type: str
    statements: int
    documents: int


@dataclass
class PersonTitle:
    title: str
    document: str
    label: str | None = None  # the article's title, else its input id, for pages


@dataclass
class PersonDetail:
    person: PersonRow
    titles: list[PersonTitle]
    alongside: list[PersonRow]  # others quoted in the same documents; ``documents`` = shared


@dataclass
class SearchHit:
    document: str
    title: str | None
    published: str | None
    score: float
    snippet: str  # with \x02 ... \x03 around each matched term


@dataclass
class StatementQuery:
    speaker: str | None = None  # substring of a speaker's canonical name
    speaker_id: int | None = None
    about: str | None = None  # full-text query over statement content
    since: dt.date | None = None
    until: dt.date | None = None
    type: str | None = None
    document: str | None = None  # public document id (any version)
    site: str | None = None  # the outlet, as the documents name it
    mentions: tuple[int, ...] = ()  # entity ids the statement's words must all name
    oldest_first: bool = False

    def type_and_site(self, type_column: str, site_column: str, where: list[str],
                      params: list[Any]) -> None:
        """Add the statement-type and outlet tests, on whichever table holds those columns."""
        if self.type:
            where.append(f"{type_column} = ?")
            params.append(self.type)
        if self.site:
            where.append(f"{site_column} = ?")
            params.append(self.site)


@dataclass
class StoryAssignment:
    doc: str  # public document id
    story: int
    score: float
    explanation: dict[str, Any]


@dataclass
class DigestRecord:
    day: str
    status: str  # "sending" (claimed) or "sent"
    subject: str | None
    recipients: list[str]
    updated_at: str


@dataclass
class FigureRow:
    """One stored figure: a number the article or a speaker cites."""

    id: int
    document: str
    title: str | None
    published: str | None
    local_id: str
    text: str
    value: float | None
    low: float | None
    high: float | None
    hedge: str | None
    unit: str
    counted: str | None
    period: str | None
    start: int
    end: int
    statement: str | None  # local id of the statement it sits in
    claimed_by: list[Speaker] = field(default_factory=list)  # empty: the article itself


@dataclass
class FigureQuery:
    about: str | None = None  # substring of what is counted, the figure, or its statement
    claimed_by: str | None = None  # substring of a claimant's canonical name
    unit: str | None = None
    document: str | None = None


@dataclass
class EventRow:
    """One stored PLOVER event with its participants' names."""

    id: int
    document: str
    title: str | None
    published: str | None
    local_id: str
    type: str
    mode: str | None
    trigger: str
    start: int
    end: int
    date: str | None
    date_basis: str | None
    status: str
    size: dict[str, float]
    location: str | None
    statement: str | None
    actors: list[Speaker] = field(default_factory=list)
    recipients: list[Speaker] = field(default_factory=list)


@dataclass
class EventQuery:
    type: str | None = None
    actor: str | None = None  # substring of a participant's canonical name
    role: Literal["actor", "recipient"] | None = None  # restrict ``actor`` to one role
    since: dt.date | None = None  # the event's date ends on or after this day
    until: dt.date | None = None  # ... and begins on or before this one
    status: str | None = None
    document: str | None = None
    dated: bool = False  # only events with a resolved date
    oldest_first: bool = False


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Store(Protocol):
    """A place to keep records and ask them who said what."""

    path: str

    def close(self) -> None: ...

    def optimize(self) -> None:
        """Refresh whatever the backend keeps to answer queries fast (after a batch)."""
        ...

    def has_text(self, text: str) -> bool:
        """Whether a document with exactly this text is stored."""
        ...

    def add(self, doc: Document) -> AddResult:
        """Store one record in one transaction (all of it or nothing)."""
        ...

    def statement_facets(self, query: StatementQuery, size: int = 8,
                         kinds: tuple[str, ...] = ("speaker", "outlet", "type", "month",
                                                   "person", "place"),
                         ) -> dict[str, list[FacetCount]]:
        """The commonest speakers, outlets, types and months of the statements ``query``
        selects, and the people (``person``) and places (``place``) their words name,
        with their counts; only the ``kinds`` asked for (each costs a count)."""
        ...

    def statement_weeks(self, query: StatementQuery) -> list[FacetCount]:
        """How many of those statements each week (the Monday's date), oldest first."""
        ...

    def top_speakers(self, days: int = 7, size: int = 8,
                     type: str | None = "PERSON") -> tuple[str | None, list[SpeakerShare]]:
        """The most quoted in the last ``days`` of the collection, per outlet."""
        ...

    def document(self, doc_id: str) -> StoredDocument | None:
        """A version by public id, else the current version of a key, else of an input id
        (the slug shown for an untitled document)."""
        ...

    def documents(self, limit: int = 20, offset: int = 0) -> Page[DocumentInfo]:
        """Current versions, latest published first."""
        ...

    def iter_documents(self, all_versions: bool = False) -> Iterator[StoredDocument]:
        """Every stored document (current versions unless asked), oldest stored first."""
        ...

    def statements(self, query: StatementQuery, limit: int = 20,
                   offset: int = 0) -> Page[StatementRow]: ...

    def people(self, limit: int = 20, offset: int = 0,
               type: str | None = "PERSON") -> Page[PersonRow]:
        """Entities by number of statements attributed to them (current versions)."""
        ...

    def person(self, entity_id: int) -> PersonDetail | None: ...

    def entity_names(self, ids: tuple[int, ...]) -> dict[str, str]:
        """The names of these entities, by id as the URLs give them (unknown ids left out)."""
        ...

    def search(self, query: str, limit: int = 20, offset: int = 0) -> Page[SearchHit]:
        """Current documents matching a full-text query, best (bm25) first."""
        ...

    def figures(self, query: FigureQuery, limit: int = 20,
                offset: int = 0) -> Page[FigureRow]:
        """Figures in current documents, newest document first."""
        ...

    def events(self, query: EventQuery, limit: int = 20, offset: int = 0) -> Page[EventRow]:
        """Events in current documents by resolved date (newest first unless asked)."""
        ...

    # -- stories and briefings (onrecord.stories, onrecord.digest) --

    def story_assignments(self) -> list[StoryAssignment]:
        """Every document's story, in the order they were assigned."""
        ...

    def assign_story(self, doc_id: str, story: int | None, score: float,
                     explanation: dict[str, Any]) -> int:
        """Put a document in a story (None: a new one); returns the story id. Once only."""
        ...

    def claim_digest(self, day: str, subject: str, recipients: list[str]) -> bool:
        """Mark the day's briefing as being sent; False when that day was claimed already."""
        ...

    def finish_digest(self, day: str, sent: bool) -> None:
        """Record the day's briefing as sent, or (not sent) release the claim to retry."""
        ...

    def digests_sent(self) -> list[DigestRecord]: ...

    # -- following feeds and watches (onrecord.follow) --

    def feed_states(self) -> list[FeedState]:
        """Every followed feed or page with its polling state, by URL."""
        ...

    def save_feed(self, state: FeedState) -> None:
        """Insert or replace one feed's state."""
        ...

    def feed_items(self, feed: str) -> dict[str, FeedItem]:
        """The items seen on a feed, by item URL."""
        ...

    def save_item(self, item: FeedItem) -> None:
        """Insert or replace one item's state."""
        ...

    def follow_value(self, key: str) -> str | None:
        """A small piece of the follower's state (last cycle time, statements scanned)."""
        ...

    def set_follow_value(self, key: str, value: str) -> None: ...

    def add_watch(self, kind: WatchKind, value: str, email: str | None) -> Watch:
        """A watch that matches statements stored from now on."""
        ...

    def watches(self) -> list[Watch]: ...

    def remove_watch(self, watch_id: int) -> bool:
        """Remove a watch and its matches; False when there was none."""
        ...

    def match_watches(self) -> dict[int, int]:
        """Record the matches of every watch among statements stored since the last call
        (each statement and watch once); new matches per watch id."""
        ...

    def watch_matches(self, watch_id: int | None = None, unsent: bool = False,
                      limit: int = 50) -> list[WatchMatch]:
        """Matches, newest first: of one watch, or (``unsent``) not yet emailed."""
        ...

    def mark_sent(self, matches: list[WatchMatch]) -> None:
        """Record matches as emailed, so no later cycle sends them again."""
        ...


# -- following feeds and watches ----------------------------------------------------------

WatchKind = Literal["speaker", "about", "entity"]


@dataclass
class FeedState:
    """A followed feed (or page): its validators, health and when to poll it next."""

    url: str
    kind: str = "feed"  # "feed", or "page" for a URL that is not a feed
    etag: str | None = None
    last_modified: str | None = None
    last_poll: str | None = None  # ISO times, UTC
    last_ok: str | None = None
    last_new: str | None = None
    failures: int = 0  # consecutive failed polls
    last_error: str | None = None
    next_poll: str | None = None


@dataclass
class FeedItem:
    """An item a feed listed: stored, failed for good, or still to try."""

    feed: str
    url: str
    status: Literal["pending", "stored", "failed"] = "pending"
    attempts: int = 0
    title: str | None = None  # as the feed gave them
    published: str | None = None
    document: str | None = None
    error: str | None = None


@dataclass
class Watch:
    id: int
    kind: WatchKind
    value: str
    email: str | None
    created_at: str


@dataclass
class WatchMatch:
    watch: int
    statement: StatementRow
    matched_at: str
