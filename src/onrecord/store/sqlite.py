"""The embedded store: one SQLite file in WAL mode, with FTS5 over article text and statements.

The schema is versioned with ``PRAGMA user_version``: :data:`MIGRATIONS` is an ordered
list and the version is the number of migrations applied. To add tables (figures,
events, ...) append a migration; never edit one that has shipped.

A file that is not an SQLite database, or fails ``PRAGMA quick_check`` (run when opened
for writing; a read-only open meets damage as SQLite's "malformed" error instead), or
was made by a newer onrecord, or is some other program's database, is refused and left
untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.store import mentioned
from onrecord.store.base import (
    MAX_LIMIT,
    SPEAKERS_OF,
    STATEMENT_COLUMNS,
    AddResult,
    CorruptDatabase,
    DatabaseLocked,
    DocumentInfo,
    EventQuery,
    EventRow,
    FigureQuery,
    FigureRow,
    Page,
    PersonDetail,
    PersonRow,
    PersonTitle,
    QueryError,
    ReadOnlyDatabase,
    SearchHit,
    Speaker,
    StatementQuery,
    StatementRow,
    StoredDocument,
    StoreError,
    canonical_name,
    content_hash,
    statement_row,
)
from onrecord.store.facets import FacetQueries
from onrecord.store.facts import MIGRATION as FACTS_MIGRATION
from onrecord.store.facts import backfill, insert_facts, query_events, query_figures
from onrecord.store.follow import MIGRATION as FOLLOW_MIGRATION
from onrecord.store.follow import FollowTables
from onrecord.store.selection import NEWEST, OLDEST
from onrecord.store.stories import StoryTables
from onrecord.store.tally import MIGRATION as TALLY_MIGRATION
from onrecord.store.tally import Said, add, count

if TYPE_CHECKING:  # records are parsed only when a document is read (queries start faster)
    from onrecord.record import Document

SQLITE_HEADER = b"SQLite format 3\x00"
ID_LENGTH = 12  # hex characters of the content hash in a public document id
BUSY_TIMEOUT_MS = 5000
# A bare surname is linked to a full name only among people named within this many days.
PERSON_WINDOW_DAYS = 90

MIGRATIONS: list[str] = [
    # 1: documents, entities merged by canonical name, mentions, statements, speakers, FTS5.
    """
    CREATE TABLE documents (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        is_current INTEGER NOT NULL DEFAULT 1,
        source_id TEXT NOT NULL,
        path TEXT,
        title TEXT,
        published TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        site TEXT,
        url TEXT,
        language TEXT,
        duplicate_of TEXT,
        copy_group TEXT,
        text TEXT NOT NULL,
        record TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        UNIQUE (key, version)
    );
    CREATE INDEX documents_current ON documents (is_current, published);
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        canonical TEXT NOT NULL,
        name TEXT NOT NULL,
        UNIQUE (type, canonical)
    );
    CREATE TABLE doc_entities (
        doc INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
        local_id TEXT NOT NULL,
        entity INTEGER NOT NULL REFERENCES entities (id),
        name TEXT NOT NULL,
        titles TEXT NOT NULL DEFAULT '[]',
        part_of TEXT,
        PRIMARY KEY (doc, local_id)
    );
    CREATE INDEX doc_entities_entity ON doc_entities (entity);
    CREATE TABLE mentions (
        doc INTEGER NOT NULL,
        local_entity TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        FOREIGN KEY (doc, local_entity) REFERENCES doc_entities (doc, local_id)
            ON DELETE CASCADE
    );
    CREATE INDEX mentions_doc ON mentions (doc, local_entity);
    CREATE TABLE statements (
        pk INTEGER PRIMARY KEY,
        doc INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
        local_id TEXT NOT NULL,
        type TEXT NOT NULL,
        content TEXT NOT NULL,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        cue TEXT,
        cue_start INTEGER,
        cue_end INTEGER,
        source TEXT,
        source_start INTEGER,
        source_end INTEGER,
        parent TEXT,
        UNIQUE (doc, local_id)
    );
    CREATE TABLE statement_speakers (
        statement INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        entity INTEGER NOT NULL REFERENCES entities (id),
        local_entity TEXT NOT NULL,
        PRIMARY KEY (statement, position)
    );
    CREATE INDEX statement_speakers_entity ON statement_speakers (entity);
    CREATE VIRTUAL TABLE documents_fts USING fts5 (
        title, text, content='documents', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE statements_fts USING fts5 (
        content, content='statements', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    );
    """,
    # 2: stories (each document's story and what joined it) and briefings sent, one per day.
    """
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE story_documents (
        doc TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        story INTEGER NOT NULL REFERENCES stories (id),
        score REAL NOT NULL,
        explanation TEXT NOT NULL DEFAULT '{}',
        assigned_at TEXT NOT NULL
    );
    CREATE INDEX story_documents_story ON story_documents (story);
    CREATE TABLE digests_sent (
        day TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        subject TEXT,
        recipients TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT NOT NULL
    );
    """,
    # 3: figures (and who claims them), dates, events (actors, recipients, place), each
    # linked to its document and statement; rows for stored documents are filled in.
    FACTS_MIGRATION,
    # 4: covering indexes for "statements by this speaker" and "documents naming this
    # entity" (they replace the single-column ones), and planner statistics: without
    # them SQLite scanned every statement for a speaker's quotes (bench/bench_store.py).
    # Ingest refreshes the statistics after each batch (SQLiteStore.optimize).
    """
    CREATE INDEX statement_speakers_by_entity ON statement_speakers (entity, statement);
    DROP INDEX statement_speakers_entity;
    CREATE INDEX doc_entities_by_entity ON doc_entities (entity, doc);
    DROP INDEX doc_entities_entity;
    PRAGMA analysis_limit = 1000;
    ANALYZE
    """,
    # 5: following feeds (each feed's validators, health and next poll; each item seen)
    # and watches with their matches, each delivered once (onrecord.follow).
    FOLLOW_MIGRATION,
    # 6: counts per speaker, week, outlet and type kept on write (store/tally.py), and
    # narrow indexes to read a statement's or document's date, outlet and type by key
    # and a person's titles;
    # documents without an outlet name take their URL's host, then everything is counted.
    TALLY_MIGRATION,
    # 7: the people and places each statement's words name, and their counts per outlet
    # and type (store/mentioned.py): the quotes page's people and places facets.
    mentioned.MIGRATION,
]

OUR_TABLES = {"documents", "entities", "statements"}


def default_db_path() -> Path:
    """``$ONRECORD_DB``, else ``$XDG_DATA_HOME/onrecord/onrecord.db`` (~/.local/share)."""
    if os.environ.get("ONRECORD_DB"):
        return Path(os.environ["ONRECORD_DB"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "onrecord" / "onrecord.db"


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if head and head != SQLITE_HEADER:
        raise CorruptDatabase(f"{path}: not an SQLite database; refusing to open or overwrite it")


def _wrap(exc: sqlite3.Error, path: str) -> StoreError:
    msg = str(exc)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return DatabaseLocked(f"{path}: database is locked by another process; try again")
    if "readonly" in low or "read-only" in low:
        return ReadOnlyDatabase(f"{path}: database is read-only; cannot write")
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return CorruptDatabase(f"{path}: database is damaged ({msg}); refusing to use it")
    return StoreError(f"{path}: {msg}")


def _fts_literal(query: str) -> str:
    """A query with every word taken literally (for input that is not valid FTS5 syntax)."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


def _to_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL, retrying while another process holds the file: SQLite reports busy
    here without calling the busy handler, e.g. when several open a new database at once."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SQLiteStore(StoryTables, FollowTables, FacetQueries):
    """The :class:`~onrecord.store.base.Store` over one SQLite file.

    One connection guarded by a lock, so one store may serve a threaded web server.
    ``readonly`` opens the file with ``mode=ro`` (it must exist then).
    """

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        memory = self.path == ":memory:"
        p = Path(self.path)
        if not memory:
            if p.exists():
                if p.is_dir():
                    raise StoreError(f"{p}: is a directory, not a database file")
                _check_header(p)
            elif readonly:
                raise StoreError(f"{p}: no database here (run `onrecord ingest` first)")
            else:
                try:
                    p.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"{p.parent}: cannot create ({exc.strerror})") from exc
        try:
            if memory:
                self._db = sqlite3.connect(":memory:", check_same_thread=False,
                                           isolation_level=None)
            else:
                uri = p.resolve().as_uri() + ("?mode=ro" if readonly else "")
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False,
                                           isolation_level=None,
                                           timeout=BUSY_TIMEOUT_MS / 1000)
            self._db.row_factory = sqlite3.Row
            self._open()
        except sqlite3.Error as exc:
            if hasattr(self, "_db"):
                self._db.close()
            raise _wrap(exc, self.path) from exc
        except StoreError:
            self._db.close()
            raise

    # -- opening and migrations ---------------------------------------------------------

    def _open(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # The whole-file check reads every page (0.4 s for 100,000 statements), so only a
        # writer pays it, before it could add to damage; a reader that meets a damaged page
        # gets SQLite's "malformed" error, which _wrap turns into CorruptDatabase.
        check = "ok" if self.readonly else db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise CorruptDatabase(f"{self.path}: integrity check failed ({check}); "
                                  "refusing to use it")
        db.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            if self._check_schema() < len(MIGRATIONS):
                raise ReadOnlyDatabase(f"{self.path}: schema needs upgrading but the database "
                                       "is opened read-only; run `onrecord ingest` once")
            return
        if self.path != ":memory:":
            _to_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
        # The version is read and the migrations run under one write lock, so processes
        # opening a new database at the same moment migrate it once, one after another.
        db.execute("BEGIN IMMEDIATE")
        try:
            for number in range(self._check_schema() + 1, len(MIGRATIONS) + 1):
                for stmt in _split_sql(MIGRATIONS[number - 1]):
                    db.execute(stmt)
                if MIGRATIONS[number - 1] is FACTS_MIGRATION:
                    backfill(db, self._entity_id)
                if MIGRATIONS[number - 1] is TALLY_MIGRATION:
                    _outlets_from_urls(db)
                    count(db, "d.is_current = 1", (), 1)
                if MIGRATIONS[number - 1] is mentioned.MIGRATION:
                    mentioned.count(db, "d.is_current = 1", (), 1)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _check_schema(self) -> int:
        """The schema version, after refusing databases that are newer or not ours."""
        db = self._db
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path}: schema version {version} is newer than this "
                             f"onrecord understands ({len(MIGRATIONS)}); upgrade onrecord")
        if version == 0 and tables:
            raise CorruptDatabase(f"{self.path}: an SQLite database but not onrecord's "
                                  "(unknown tables); refusing to touch it")
        if version > 0 and not tables >= OUR_TABLES:
            raise CorruptDatabase(f"{self.path}: onrecord tables are missing; refusing to use it")
        return version

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def optimize(self) -> None:
        """Refresh the query planner's statistics after a batch of writes (bounded cost)."""
        if self.readonly:
            return
        with self._lock:
            try:
                self._db.execute("PRAGMA analysis_limit = 1000")
                self._db.execute("ANALYZE")
            except sqlite3.Error as exc:
                raise _wrap(exc, self.path) from exc

    def _data_stamp(self) -> tuple[int, int]:
        """Changes by other connections (data_version) and by this one (total_changes)."""
        with self._lock:
            return int(self._one("PRAGMA data_version")[0]), self._db.total_changes

    @property
    def schema_version(self) -> int:
        return int(self._one("PRAGMA user_version")[0])

    # -- helpers ------------------------------------------------------------------------

    def _rows(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise _wrap(exc, self.path) from exc

    def _one(self, sql: str, params: Any = ()) -> sqlite3.Row:
        rows = self._rows(sql, params)
        return rows[0]

    # -- writing ------------------------------------------------------------------------

    def has_text(self, text: str) -> bool:
        return bool(self._rows("SELECT 1 FROM documents WHERE content_hash = ?",
                               (content_hash(text),)))

    def add(self, doc: Document) -> AddResult:
        if self.readonly:
            raise ReadOnlyDatabase(f"{self.path}: opened read-only; cannot store documents")
        digest = content_hash(doc.text)
        return self._write(lambda _db: self._insert(doc, digest))

    def _public_id(self, digest: str) -> str:
        for n in range(ID_LENGTH, len(digest) + 1, 4):
            if not self._db.execute("SELECT 1 FROM documents WHERE id = ?",
                                    (digest[:n],)).fetchone():
                return digest[:n]
        return digest

    def _insert(self, doc: Document, digest: str) -> AddResult:
        db = self._db
        row = db.execute("SELECT id, version FROM documents WHERE content_hash = ?",
                         (digest,)).fetchone()
        if row:
            return AddResult(row["id"], "unchanged", row["version"])
        key = doc.url or doc.id
        prev = db.execute("SELECT MAX(version) FROM documents WHERE key = ?", (key,)).fetchone()[0]
        version = (prev or 0) + 1
        if prev is not None:  # the version it replaces no longer counts
            count(db, "d.key = ? AND d.is_current = 1", (key,), -1)
            mentioned.count(db, "d.key = ? AND d.is_current = 1", (key,), -1)
        db.execute("UPDATE documents SET is_current = 0 WHERE key = ?", (key,))
        public_id = self._public_id(digest)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        cur = db.execute(
            "INSERT INTO documents (id, content_hash, key, version, is_current, source_id, path,"
            " title, published, authors, site, url, language, duplicate_of, copy_group, text,"
            " record, ingested_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (public_id, digest, key, version, doc.id, doc.path, doc.title, doc.published,
             json.dumps(doc.authors, ensure_ascii=False), doc.outlet, doc.url, doc.language,
             doc.duplicate_of, doc.copy_group, doc.text, doc.model_dump_json(), now),
        )
        pk = cur.lastrowid
        db.execute("INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)",
                   (pk, doc.title or "", doc.text))
        global_ids: dict[str, int] = {}
        for ent in doc.entities:
            gid = self._entity_id(ent.type, ent.name, doc.published)
            global_ids[ent.id] = gid
            db.execute("INSERT INTO doc_entities (doc, local_id, entity, name, titles, part_of)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (pk, ent.id, gid, ent.name, json.dumps(ent.titles, ensure_ascii=False),
                        ent.part_of))
            db.executemany("INSERT INTO mentions (doc, local_entity, span_start, span_end)"
                           " VALUES (?, ?, ?, ?)",
                           [(pk, ent.id, m.start, m.end) for m in ent.mentions])
        said: list[Said] = []
        for st in doc.statements:
            cur = db.execute(
                "INSERT INTO statements (doc, local_id, type, content, content_start, content_end,"
                " cue, cue_start, cue_end, source, source_start, source_end, parent)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (pk, st.id, st.type, st.content.text, st.content.start, st.content.end,
                 st.cue.text if st.cue else None, st.cue.start if st.cue else None,
                 st.cue.end if st.cue else None, st.source.text if st.source else None,
                 st.source.start if st.source else None, st.source.end if st.source else None,
                 st.parent),
            )
            spk = cur.lastrowid or 0
            db.execute("INSERT INTO statements_fts (rowid, content) VALUES (?, ?)",
                       (spk, st.content.text))
            said.append(Said(spk, st.type, st.content.start,
                             frozenset(global_ids[s] for s in st.speakers if s in global_ids)))
            for pos, local in enumerate(st.speakers):
                if local in global_ids:
                    db.execute("INSERT INTO statement_speakers (statement, position, entity,"
                               " local_entity) VALUES (?, ?, ?, ?)",
                               (spk, pos, global_ids[local], local))
        insert_facts(db, pk or 0, doc, global_ids, self._entity_id)
        add(db, pk or 0, set(global_ids.values()), said)
        mentioned.add(db, doc.outlet, (doc.published or "")[:7],
                      {global_ids[e.id]: e.type for e in doc.entities},
                      [(st.pk, st.type, st.speakers, named) for st, named in
                       zip(said, _named_in(doc, global_ids), strict=True)])
        return AddResult(public_id, "added" if version == 1 else "new_version", version)

    def _entity_id(self, type_: str, name: str, published: str | None = None) -> int:
        canon = canonical_name(name) or name
        row = self._db.execute("SELECT id, name FROM entities WHERE type = ? AND canonical = ?",
                               (type_, canon)).fetchone()
        if row:
            return int(row["id"])
        if type_ == "PERSON":
            linked = self._person_id(canon, name, published)
            if linked is not None:
                return linked
        cur = self._db.execute("INSERT INTO entities (type, canonical, name) VALUES (?, ?, ?)",
                               (type_, canon, name))
        return int(cur.lastrowid or 0)

    def _person_id(self, canon: str, name: str, published: str | None) -> int | None:
        """One person across documents where the collection makes it unambiguous.

        A document naming someone only by surname ("Mr Trump") is linked to the one person
        of that surname the store knows in full from documents published within
        ``PERSON_WINDOW_DAYS`` of it (or undated); with two ("Ted Cruz", "Rafael Cruz") it
        stays apart. A full name arriving where only the bare surname is known, and no
        other full name shares it, takes over that surname's entity.
        """
        words = canon.split()
        surname = words[-1]
        full = self._db.execute(
            "SELECT e.id FROM entities e WHERE e.type = 'PERSON' AND e.canonical LIKE ?"
            " ESCAPE '\\' AND EXISTS (SELECT 1 FROM doc_entities de JOIN documents d"
            " ON d.pk = de.doc WHERE de.entity = e.id AND (? IS NULL OR d.published IS NULL"
            " OR abs(julianday(d.published) - julianday(?)) <= ?))",
            ("% " + _like_escape(surname), published, published,
             PERSON_WINDOW_DAYS)).fetchall()
        if len(words) == 1:
            return int(full[0]["id"]) if len(full) == 1 else None
        bare = self._db.execute("SELECT id FROM entities WHERE type = 'PERSON' AND canonical = ?",
                                (surname,)).fetchone()
        if bare is None or full:
            return None
        self._db.execute("UPDATE entities SET canonical = ?, name = ? WHERE id = ?",
                         (canon, name, bare["id"]))
        return int(bare["id"])

    # -- reading ------------------------------------------------------------------------

    _INFO = ("d.id, d.key, d.version, d.is_current, d.source_id, d.title, d.published, d.site,"
             " d.url, d.ingested_at,"
             " (SELECT COUNT(*) FROM statements s WHERE s.doc = d.pk) AS n_statements")

    @staticmethod
    def _info(r: sqlite3.Row) -> DocumentInfo:
        return DocumentInfo(id=r["id"], key=r["key"], version=r["version"],
                            current=bool(r["is_current"]), source_id=r["source_id"],
                            title=r["title"], published=r["published"], site=r["site"],
                            url=r["url"], ingested_at=r["ingested_at"],
                            statements=r["n_statements"])

    def _stored(self, r: sqlite3.Row, with_versions: bool = True) -> StoredDocument:
        from onrecord.record import Document

        record = Document.model_validate_json(r["record"])
        ents = self._rows("SELECT local_id, entity FROM doc_entities WHERE doc = ?", (r["pk"],))
        versions = []
        if with_versions:
            versions = [self._info(v) for v in self._rows(
                f"SELECT {self._INFO} FROM documents d WHERE d.key = ? ORDER BY d.version",
                (r["key"],))]
        return StoredDocument(info=self._info(r), record=record,
                              entity_ids={e["local_id"]: e["entity"] for e in ents},
                              versions=versions)

    def document(self, doc_id: str) -> StoredDocument | None:
        rows = self._rows(f"SELECT d.pk, d.record, {self._INFO} FROM documents d WHERE d.id = ?",
                          (doc_id,))
        if not rows:
            rows = self._rows(f"SELECT d.pk, d.record, {self._INFO} FROM documents d"
                              " WHERE d.key = ? AND d.is_current = 1", (doc_id,))
        if not rows:  # the input id (slug) that pages show for an untitled document
            rows = self._rows(f"SELECT d.pk, d.record, {self._INFO} FROM documents d"
                              " WHERE d.source_id = ? AND d.is_current = 1"
                              " ORDER BY d.pk DESC LIMIT 1", (doc_id,))
        return self._stored(rows[0]) if rows else None

    def documents(self, limit: int = 20, offset: int = 0) -> Page[DocumentInfo]:
        limit = _limit(limit, offset)
        total = self._one("SELECT COUNT(*) FROM documents WHERE is_current = 1")[0]
        rows = self._rows(f"SELECT {self._INFO} FROM documents d WHERE d.is_current = 1"
                          " ORDER BY d.published DESC NULLS LAST, d.pk DESC LIMIT ? OFFSET ?",
                          (limit, offset))
        return Page([self._info(r) for r in rows], total, limit, offset)

    def iter_documents(self, all_versions: bool = False) -> Iterator[StoredDocument]:
        where = "" if all_versions else "WHERE d.is_current = 1"
        pks = [r[0] for r in self._rows(f"SELECT d.pk FROM documents d {where} ORDER BY d.pk")]
        for pk in pks:
            rows = self._rows(f"SELECT d.pk, d.record, {self._INFO} FROM documents d"
                              " WHERE d.pk = ?", (pk,))
            if rows:
                yield self._stored(rows[0], with_versions=False)

    def _match(self, table: str, query: str) -> tuple[str, str]:
        """(query to use, SQL condition) after checking the FTS5 syntax; literal on error."""
        query = query.strip()
        if not query:
            raise QueryError("empty search query")
        for candidate in (query, _fts_literal(query)):
            try:
                with self._lock:
                    self._db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT 1",
                                     (candidate,)).fetchall()
                return candidate, f"{table} MATCH ?"
            except sqlite3.OperationalError:
                continue
        raise QueryError(f"cannot search for {query!r}")

    def _statement_filter(self, query: StatementQuery,
                          narrow: bool = False) -> tuple[str, list[Any]]:
        """The FROM ... WHERE clause (statements ``s``, documents ``d``) for ``query``.

        ``narrow`` reads statements and documents through their narrow indexes (key, date,
        outlet, type) where a speaker or words select the statements: thousands of lookups
        then touch a few small pages instead of as many rows with their texts.
        """
        where: list[str] = []
        params: list[Any] = []
        if query.document:
            where.append("d.id = ?")
            params.append(query.document)
        else:
            where.append("d.is_current = 1")
        if query.speaker:
            pattern = "%" + _like_escape(canonical_name(query.speaker)) + "%"
            # The speaker's statements drive the query (a correlated EXISTS per statement
            # scanned every statement: seconds at 100,000 of them; bench/bench_store.py).
            # Names are matched first (far fewer entities than speaker rows), then the index.
            where.append("s.pk IN (SELECT ss.statement FROM entities e CROSS JOIN"
                         " statement_speakers ss ON ss.entity = e.id"
                         " WHERE e.canonical LIKE ? ESCAPE '\\')")
            params.append(pattern)
        if query.speaker_id is not None:
            where.append("s.pk IN (SELECT ss.statement FROM statement_speakers ss"
                         " WHERE ss.entity = ?)")
            params.append(query.speaker_id)
        _mentioning("s.pk", query, where, params)
        if query.about:
            match, cond = self._match("statements_fts", query.about)
            where.append(f"s.pk IN (SELECT rowid FROM statements_fts WHERE {cond})")
            params.append(match)
        _dates("d.published", query, where, params)
        query.type_and_site("s.type", "d.site", where, params)
        cond = " AND ".join(where)
        if narrow and not query.document and (query.speaker or query.speaker_id is not None
                                              or query.about or query.mentions):
            return ("FROM statements s INDEXED BY statements_meta"
                    " JOIN documents d INDEXED BY documents_meta ON d.pk = s.doc"
                    f" WHERE {cond}"), params
        return f"FROM statements s JOIN documents d ON d.pk = s.doc WHERE {cond}", params

    def _spoken(self, query: StatementQuery) -> tuple[str, list[Any]] | None:
        """FROM spoken p WHERE ... for one person's statements, if ``query`` asks for them
        (with no name, words or document besides)."""
        if query.speaker_id is None or query.speaker or query.about or query.document:
            return None
        where = ["p.entity = ?"]
        params: list[Any] = [query.speaker_id]
        _mentioning("p.statement", query, where, params)
        _dates("p.published", query, where, params)
        query.type_and_site("p.type", "p.site", where, params)
        return f"FROM spoken p WHERE {' AND '.join(where)}", params

    def _resolved(self, query: StatementQuery) -> StatementQuery:
        """``query`` with a speaker name that matches one entity alone as that entity's id
        (the same statements, and the kept counts and indexes then answer)."""
        if not query.speaker or query.speaker_id is not None:
            return query
        pattern = "%" + _like_escape(canonical_name(query.speaker)) + "%"
        ids = self._rows("SELECT id FROM entities WHERE canonical LIKE ? ESCAPE '\\' LIMIT 2",
                         (pattern,))
        if len(ids) != 1:
            return query
        return dataclasses.replace(query, speaker=None, speaker_id=ids[0][0])

    def statements(self, query: StatementQuery, limit: int = 20,
                   offset: int = 0) -> Page[StatementRow]:
        limit = _limit(limit, offset)
        query = self._resolved(query)
        total, keys = self._page_keys(query, limit, offset)
        if not keys:
            return Page([], total, limit, offset)
        marks = ",".join("?" * len(keys))
        rows = self._rows(
            f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN documents d ON d.pk = s.doc"
            f" WHERE s.pk IN ({marks})", keys)
        by_id = {r["pk"]: statement_row(r) for r in rows}
        for sp in self._rows(SPEAKERS_OF.format(marks=marks), keys):
            by_id[sp[0]].speakers.append(Speaker(sp[1], sp[2]))
        return Page([by_id[k] for k in keys], total, limit, offset)

    def _page_keys(self, query: StatementQuery, limit: int, offset: int) -> tuple[int, list[int]]:
        """How many statements ``query`` selects, and the keys of the page asked for.

        The page's keys come first, read in order from a person's index or sorted on
        the narrow columns alone (sorting whole rows of a person's 7,687 statements cost
        80 ms), and the total from the kept counts or counted; a speaker's name, words or
        entities named read their selection once, shared with the facets. A date range
        alone is read from the date index, a page at a time."""
        tallied = self._tallied(query)
        spoken = self._spoken(query)
        if spoken is None and tallied is None and (query.speaker or query.about
                                                   or query.mentions):
            sel = self._selection(query)
            return len(sel.keys), sel.keys[offset:offset + limit].tolist()
        base, params = spoken or self._statement_filter(query, narrow=True)
        total = (int(self._one(f"SELECT COALESCE(SUM(t.n), 0) FROM statement_tally t"
                               f" WHERE {tallied[0]}", tallied[1])[0]) if tallied is not None
                 else int(self._one(f"SELECT COUNT(*) {base}", params)[0]))
        if spoken is not None:
            order = ("COALESCE(p.published, x''), p.doc, p.content_start, p.statement"
                     if query.oldest_first
                     else "p.published DESC, p.doc DESC, p.content_start, p.statement")
            sql = f"SELECT p.statement {base} ORDER BY {order} LIMIT ? OFFSET ?"
        else:
            sql = (f"SELECT s.pk {base} ORDER BY {OLDEST if query.oldest_first else NEWEST}"
                   " LIMIT ? OFFSET ?")
        return total, [r[0] for r in self._rows(sql, [*params, limit, offset])]

    @staticmethod
    def _person(r: sqlite3.Row) -> PersonRow:
        return PersonRow(id=r["id"], name=r["name"], type=r["type"],
                         statements=r["n_statements"], documents=r["n_documents"])

    _PEOPLE = ("SELECT e.id, e.name, e.type, t.statements AS n_statements,"
               " t.documents AS n_documents FROM entity_tally t JOIN entities e"
               " ON e.id = t.entity WHERE t.documents > 0")

    def people(self, limit: int = 20, offset: int = 0,
               type: str | None = "PERSON") -> Page[PersonRow]:
        limit = _limit(limit, offset)
        cond = " AND e.type = ?" if type else ""
        params: list[Any] = [type] if type else []
        with self._lock:  # the count and the page from one state of the tally
            total = self._one(f"SELECT COUNT(*) FROM ({self._PEOPLE}{cond})", params)[0]
            rows = self._rows(f"{self._PEOPLE}{cond} ORDER BY n_statements DESC,"
                              " n_documents DESC, e.name LIMIT ? OFFSET ?",
                              [*params, limit, offset])
        return Page([self._person(r) for r in rows], total, limit, offset)

    def person(self, entity_id: int) -> PersonDetail | None:
        rows = self._rows("SELECT e.id, e.name, e.type, COALESCE(t.statements, 0) AS"
                          " n_statements, COALESCE(t.documents, 0) AS n_documents"
                          " FROM entities e LEFT JOIN entity_tally t ON t.entity = e.id"
                          " WHERE e.id = ?", (entity_id,))
        if not rows:
            return None
        titles = self._titles(entity_id)
        alongside = self._rows(
            "SELECT e.id, e.name, e.type, c.statements AS n_statements,"
            " c.documents AS n_documents FROM cospeaker_tally c JOIN entities e"
            " ON e.id = c.other WHERE c.entity = ?"
            " ORDER BY n_documents DESC, n_statements DESC, e.name LIMIT 50", (entity_id,))
        return PersonDetail(self._person(rows[0]), titles, [self._person(r) for r in alongside])

    def _titles(self, entity_id: int) -> list[PersonTitle]:
        """Each title of the entity with the first document that gives it, oldest first
        (undated last: a BLOB sorts after every text).

        The first current document of each distinct list of titles is read from that
        list's range of the titles index, one list at a time: numbering every document
        of the person by list and date (one window over all of them) cost 20 ms for one
        named in 3,000 documents, three times as long."""
        firsts: list[tuple[bool, Any, int, str]] = []  # (undated, date, pk, titles)
        with self._lock:  # the lists and their documents from one state of the data
            for (listed,) in self._rows("SELECT DISTINCT titles FROM doc_entities"
                                        " WHERE entity = ? AND titles != '[]'", (entity_id,)):
                firsts += [(isinstance(r[0], bytes), r[0], r[1], listed) for r in self._rows(
                    "SELECT COALESCE(d.published, x'') AS first, d.pk FROM doc_entities de"
                    " JOIN documents d INDEXED BY documents_meta ON d.pk = de.doc"
                    " AND d.is_current = 1 WHERE de.entity = ? AND de.titles = ?"
                    " ORDER BY first, d.pk LIMIT 1", (entity_id, listed))]
            firsts.sort(key=lambda f: f[:3])
            labels = {r[0]: (r[1], r[2]) for r in self._rows(
                "SELECT pk, id, COALESCE(title, source_id) FROM documents WHERE pk IN"
                f" ({','.join('?' * len(firsts))})", [f[2] for f in firsts])}
        titles: list[PersonTitle] = []
        seen: set[str] = set()
        for _, _, pk, listed in firsts:
            for title in json.loads(listed):
                if title.casefold() not in seen:
                    seen.add(title.casefold())
                    titles.append(PersonTitle(title, *labels[pk]))
        return titles

    def entity_names(self, ids: tuple[int, ...]) -> dict[str, str]:
        if not ids:
            return {}
        return {str(r[0]): r[1] for r in self._rows(
            f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(ids))})", ids)}

    def search(self, query: str, limit: int = 20, offset: int = 0) -> Page[SearchHit]:
        limit = _limit(limit, offset)
        match, cond = self._match("documents_fts", query)
        return self._cached(("search", match, limit, offset),
                            lambda: self._search(match, cond, limit, offset))

    def _search(self, match: str, cond: str, limit: int, offset: int) -> Page[SearchHit]:
        # CROSS JOIN keeps the full-text match as the outer loop: with a plain JOIN the
        # planner may run the MATCH once per current document (a second at 10,000).
        base = (f"FROM documents_fts CROSS JOIN documents d INDEXED BY documents_meta"
                f" ON d.pk = documents_fts.rowid WHERE {cond} AND d.is_current = 1")
        # The count without ranks (bm25 is most of a match's cost), then the page ranked
        # and cut in SQL (every rank brought to Python to pick 20 took half as long
        # again), then snippets for the page alone (one per match tripled the time).
        with self._lock:  # the count and the page from one state of the index
            total = int(self._one(f"SELECT COUNT(*) {base}", (match,))[0])
            ranked = self._rows(f"SELECT documents_fts.rowid, bm25(documents_fts, 4.0, 1.0)"
                                f" AS score {base} ORDER BY score, documents_fts.rowid"
                                " LIMIT ? OFFSET ?", (match, limit, offset))
        if not ranked:
            return Page([], total, limit, offset)
        marks = ",".join("?" * len(ranked))
        found = {r[0]: r for r in self._rows(
            "SELECT documents_fts.rowid, d.id, d.title, d.published,"
            " snippet(documents_fts, 1, char(2), char(3), '…', 24) AS snip"
            " FROM documents_fts CROSS JOIN documents d ON d.pk = documents_fts.rowid"
            f" WHERE {cond} AND documents_fts.rowid IN ({marks})",
            (match, *(r[0] for r in ranked)))}
        return Page([SearchHit(found[pk]["id"], found[pk]["title"], found[pk]["published"],
                               -float(score), found[pk]["snip"]) for pk, score in ranked],
                    total, limit, offset)

    def figures(self, query: FigureQuery, limit: int = 20,
                offset: int = 0) -> Page[FigureRow]:
        return query_figures(self._rows, query, _limit(limit, offset), offset)

    def events(self, query: EventQuery, limit: int = 20, offset: int = 0) -> Page[EventRow]:
        return query_events(self._rows, query, _limit(limit, offset), offset)


def _outlets_from_urls(db: sqlite3.Connection) -> None:
    """Name the outlet of documents stored without one after their URL's host."""
    from onrecord.record import outlet_name

    rows = db.execute("SELECT pk, site, url FROM documents WHERE COALESCE(site, '') = ''"
                      " AND url IS NOT NULL").fetchall()
    db.executemany("UPDATE documents SET site = ? WHERE pk = ?",
                   [(outlet_name(r[1], r[2]) or r[1], r[0]) for r in rows])


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (none of ours contain ';' inside a literal)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _dates(column: str, query: StatementQuery, where: list[str], params: list[Any]) -> None:
    """The since/until tests on the day of ``column``. Each comes with a bound on the whole
    value that it implies, which lets SQLite walk an index on it instead of every row."""
    if query.since:
        where.append(f"{column} >= ? AND substr({column}, 1, 10) >= ?")
        params += [query.since.isoformat()] * 2
    if query.until:
        where.append(f"substr({column}, 1, 10) <= ?")
        params.append(query.until.isoformat())
        if query.until < dt.date.max:
            where.append(f"{column} < ?")
            params.append((query.until + dt.timedelta(days=1)).isoformat())


def _mentioning(column: str, query: StatementQuery, where: list[str],
                params: list[Any]) -> None:
    """The test that the statement ``column`` names every entity of ``query.mentions``."""
    for entity in query.mentions:
        where.append(f"{column} IN (SELECT sm.statement FROM statement_mentions sm"
                     " WHERE sm.entity = ?)")
        params.append(entity)


def _named_in(doc: Document, ids: dict[str, int]) -> list[set[int]]:
    """For each statement of ``doc``, the store ids of the entities named in its words."""
    spans = [(ids[e.id], m.start, m.end) for e in doc.entities if e.id in ids
             for m in e.mentions]
    return [{e for e, a, b in spans if st.content.start <= a and b <= st.content.end}
            for st in doc.statements]


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _limit(limit: int, offset: int = 0) -> int:
    if offset < 0:
        raise QueryError("offset must not be negative")
    if limit < 1:
        raise QueryError("limit must be at least 1")
    return min(limit, MAX_LIMIT)
