"""Story tables of the SQLite store: each document's story and what joined it, and briefings sent.

A mixin of :class:`~onrecord.store.sqlite.SQLiteStore` (tables made by its second
migration). Assignments are written once per document and never recomputed, so
stories grow incrementally; ``digests_sent`` has one row per day, claimed before a
briefing is sent, so a restarted scheduler never sends a day twice.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from onrecord.store.base import DigestRecord, ReadOnlyDatabase, StoryAssignment

T = TypeVar("T")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class StoryTables:
    path: str
    readonly: bool
    _db: sqlite3.Connection
    _lock: threading.RLock
    _rows: Callable[..., list[sqlite3.Row]]  # SQLiteStore's read helper

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn`` in one write transaction."""
        from onrecord.store.sqlite import _wrap

        if self.readonly:
            raise ReadOnlyDatabase(f"{self.path}: opened read-only; cannot write")
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _wrap(exc, self.path) from exc
            try:
                result = fn(db)
                db.execute("COMMIT")
                return result
            except BaseException as exc:
                db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _wrap(exc, self.path) from exc
                raise

    # -- stories --------------------------------------------------------------------------

    def story_assignments(self) -> list[StoryAssignment]:
        rows = self._rows("SELECT sd.doc, sd.story, sd.score, sd.explanation FROM story_documents"
                          " sd ORDER BY sd.rowid")
        return [StoryAssignment(r["doc"], r["story"], r["score"], json.loads(r["explanation"]))
                for r in rows]

    def assign_story(self, doc_id: str, story: int | None, score: float,
                     explanation: dict[str, Any]) -> int:
        def write(db: sqlite3.Connection) -> int:
            row = db.execute("SELECT story FROM story_documents WHERE doc = ?",
                             (doc_id,)).fetchone()
            if row:
                return int(row[0])
            sid = story
            if sid is None or not db.execute("SELECT 1 FROM stories WHERE id = ?",
                                             (sid,)).fetchone():
                cur = db.execute("INSERT INTO stories (id, created_at) VALUES (?, ?)",
                                 (sid, _now()))
                sid = int(cur.lastrowid or 0)
            db.execute("INSERT INTO story_documents (doc, story, score, explanation, assigned_at)"
                       " VALUES (?, ?, ?, ?, ?)",
                       (doc_id, sid, score, json.dumps(explanation, ensure_ascii=False), _now()))
            return sid

        return self._write(write)

    # -- briefings sent -------------------------------------------------------------------

    def claim_digest(self, day: str, subject: str, recipients: list[str]) -> bool:
        def write(db: sqlite3.Connection) -> bool:
            if db.execute("SELECT 1 FROM digests_sent WHERE day = ?", (day,)).fetchone():
                return False
            db.execute("INSERT INTO digests_sent (day, status, subject, recipients, updated_at)"
                       " VALUES (?, 'sending', ?, ?, ?)",
                       (day, subject, json.dumps(recipients), _now()))
            return True

        return self._write(write)

    def finish_digest(self, day: str, sent: bool) -> None:
        def write(db: sqlite3.Connection) -> None:
            if sent:
                db.execute("UPDATE digests_sent SET status = 'sent', updated_at = ? WHERE day = ?",
                           (_now(), day))
            else:
                db.execute("DELETE FROM digests_sent WHERE day = ? AND status = 'sending'",
                           (day,))

        self._write(write)

    def digests_sent(self) -> list[DigestRecord]:
        rows = self._rows("SELECT day, status, subject, recipients, updated_at"
                          " FROM digests_sent ORDER BY day")
        return [DigestRecord(r["day"], r["status"], r["subject"], json.loads(r["recipients"]),
                             r["updated_at"]) for r in rows]
