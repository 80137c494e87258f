"""Follow tables of the SQLite store: feed polling state, items seen, watches and their matches.

A mixin of :class:`~onrecord.store.sqlite.SQLiteStore` (tables made by :data:`MIGRATION`).
State lives in the store so that a follower restarted (or killed) continues where it
stopped: validators and backoff per feed, each item's outcome, and a watermark of the
statements already matched against the watches. A match is a row keyed by (watch,
statement), so it is recorded once whatever happens; ``sent_at`` marks it emailed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any

from onrecord.store.base import (
    SPEAKERS_OF,
    STATEMENT_COLUMNS,
    FeedItem,
    FeedState,
    QueryError,
    Speaker,
    StatementRow,
    Watch,
    WatchKind,
    WatchMatch,
    canonical_name,
    statement_row,
)

MIGRATION = """
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'feed',
    etag TEXT,
    last_modified TEXT,
    last_poll TEXT,
    last_ok TEXT,
    last_new TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_poll TEXT
);
CREATE TABLE feed_items (
    feed TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    published TEXT,
    document TEXT,
    error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (feed, url)
);
CREATE TABLE follow_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('speaker', 'about', 'entity')),
    value TEXT NOT NULL,
    email TEXT,
    after_statement INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE watch_matches (
    watch INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    statement INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    matched_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (watch, statement)
);
CREATE INDEX watch_matches_unsent ON watch_matches (sent_at, watch)
"""

SCANNED = "statements_scanned"  # follow_state key: the last statement pk matched

# Statements (s) of current documents in the scanned range that each kind of watch selects.
_MATCH = {
    # said by the watched person: the speaker's entity is the name's, or for a one-word
    # watch, a person of that surname (the store's identity links "Mr Reyes" to the
    # full name where it is unambiguous)
    "speaker": "s.pk IN (SELECT ss.statement FROM entities e CROSS JOIN statement_speakers ss"
               " ON ss.entity = e.id WHERE e.canonical = :canon OR (:single AND"
               " e.type = 'PERSON' AND e.canonical LIKE '% ' || :canon))",
    # the words, as a full-text query over what was said
    "about": "s.pk IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH :fts)",
    # the entity named inside the words said
    "entity": "EXISTS (SELECT 1 FROM entities e JOIN doc_entities de ON de.entity = e.id"
              " JOIN mentions m ON m.doc = de.doc AND m.local_entity = de.local_id"
              " WHERE e.canonical = :canon AND de.doc = s.doc"
              " AND m.span_start >= s.content_start AND m.span_end <= s.content_end)",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FollowTables:
    _rows: Callable[..., list[sqlite3.Row]]  # SQLiteStore's read helper
    _write: Callable[..., Any]  # StoryTables': one write transaction
    _match: Callable[[str, str], tuple[str, str]]  # checks FTS5 syntax

    # -- feeds ----------------------------------------------------------------------------

    def feed_states(self) -> list[FeedState]:
        return [FeedState(**dict(r)) for r in self._rows("SELECT * FROM feeds ORDER BY url")]

    def save_feed(self, state: FeedState) -> None:
        values = vars(state)
        cols = ", ".join(values)
        update = ", ".join(f"{c} = excluded.{c}" for c in values if c != "url")
        # an upsert, not REPLACE: replacing the row would delete its items (cascade)
        self._write(lambda db: db.execute(
            f"INSERT INTO feeds ({cols}) VALUES ({', '.join('?' * len(values))})"
            f" ON CONFLICT (url) DO UPDATE SET {update}", list(values.values())))

    def feed_items(self, feed: str) -> dict[str, FeedItem]:
        rows = self._rows("SELECT feed, url, status, attempts, title, published, document,"
                          " error FROM feed_items WHERE feed = ?", (feed,))
        return {r["url"]: FeedItem(**dict(r)) for r in rows}

    def save_item(self, item: FeedItem) -> None:
        self._write(lambda db: db.execute(
            "INSERT OR REPLACE INTO feed_items (feed, url, status, attempts, title, published,"
            " document, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item.feed, item.url, item.status, item.attempts, item.title, item.published,
             item.document, item.error, _now())))

    def follow_value(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM follow_state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_follow_value(self, key: str, value: str) -> None:
        self._write(lambda db: db.execute(
            "INSERT OR REPLACE INTO follow_state (key, value) VALUES (?, ?)", (key, value)))

    # -- watches --------------------------------------------------------------------------

    def add_watch(self, kind: WatchKind, value: str, email: str | None) -> Watch:
        if kind not in _MATCH:
            raise QueryError(f"unknown kind of watch: {kind!r}")
        if not value.strip():
            raise QueryError("a watch needs a name or words")
        if kind == "about":
            self._match("statements_fts", value)  # refuses what no query can mean

        def write(db: sqlite3.Connection) -> Watch:
            last = db.execute("SELECT COALESCE(MAX(pk), 0) FROM statements").fetchone()[0]
            now = _now()
            cur = db.execute("INSERT INTO watches (kind, value, email, after_statement,"
                             " created_at) VALUES (?, ?, ?, ?, ?)",
                             (kind, value.strip(), email, last, now))
            return Watch(int(cur.lastrowid or 0), kind, value.strip(), email, now)

        result: Watch = self._write(write)
        return result

    def watches(self) -> list[Watch]:
        return [Watch(r["id"], r["kind"], r["value"], r["email"], r["created_at"])
                for r in self._rows("SELECT * FROM watches ORDER BY id")]

    def remove_watch(self, watch_id: int) -> bool:
        return bool(self._write(lambda db: db.execute(
            "DELETE FROM watches WHERE id = ?", (watch_id,)).rowcount))

    def match_watches(self) -> dict[int, int]:
        watches = self._rows("SELECT id, kind, value, after_statement FROM watches")
        fts = {w["id"]: self._match("statements_fts", w["value"])[0]
               for w in watches if w["kind"] == "about"}

        def write(db: sqlite3.Connection) -> dict[int, int]:
            row = db.execute("SELECT value FROM follow_state WHERE key = ?",
                             (SCANNED,)).fetchone()
            start = int(row[0]) if row else 0
            end = db.execute("SELECT COALESCE(MAX(pk), 0) FROM statements").fetchone()[0]
            found: dict[int, int] = {}
            now = _now()
            for w in watches:
                canon = canonical_name(w["value"])
                cur = db.execute(
                    "INSERT OR IGNORE INTO watch_matches (watch, statement, matched_at)"
                    " SELECT :watch, s.pk, :now FROM statements s JOIN documents d"
                    " ON d.pk = s.doc WHERE d.is_current = 1 AND s.pk > :start"
                    f" AND s.pk <= :end AND s.pk > :after AND {_MATCH[w['kind']]}",
                    {"watch": w["id"], "now": now, "start": start, "end": end,
                     "after": w["after_statement"], "canon": canon,
                     "single": len(canon.split()) == 1, "fts": fts.get(w["id"], "")})
                if cur.rowcount:
                    found[int(w["id"])] = cur.rowcount
            db.execute("INSERT OR REPLACE INTO follow_state (key, value) VALUES (?, ?)",
                       (SCANNED, str(end)))
            return found

        result: dict[int, int] = self._write(write)
        return result

    def watch_matches(self, watch_id: int | None = None, unsent: bool = False,
                      limit: int = 50) -> list[WatchMatch]:
        where, params = [], []
        if watch_id is not None:
            where.append("m.watch = ?")
            params.append(watch_id)
        if unsent:
            where.append("m.sent_at IS NULL")
        cond = ("WHERE " + " AND ".join(where)) if where else ""
        rows = self._rows(
            f"SELECT m.watch, m.matched_at, {STATEMENT_COLUMNS} FROM watch_matches m"
            " JOIN statements s ON s.pk = m.statement JOIN documents d ON d.pk = s.doc"
            f" {cond} ORDER BY m.statement DESC, m.watch LIMIT ?", [*params, limit])
        out = [WatchMatch(r["watch"], statement_row(r), r["matched_at"]) for r in rows]
        by_pk: dict[int, list[StatementRow]] = {}
        for m in out:
            by_pk.setdefault(m.statement.id, []).append(m.statement)
        if by_pk:
            marks = ",".join("?" * len(by_pk))
            for sp in self._rows(SPEAKERS_OF.format(marks=marks), list(by_pk)):
                for st in by_pk[sp[0]]:
                    st.speakers.append(Speaker(sp[1], sp[2]))
        return out

    def mark_sent(self, matches: list[WatchMatch]) -> None:
        now = _now()
        self._write(lambda db: db.executemany(
            "UPDATE watch_matches SET sent_at = ? WHERE watch = ? AND statement = ?",
            [(now, m.watch, m.statement.id) for m in matches]))
