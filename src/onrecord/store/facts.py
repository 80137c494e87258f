"""Figures, dates and events in the SQLite store: schema, writing and queries.

Each row points back into its document (character offsets) and, where the record says
so, to the statement it sits in and to store-wide entities (the claimants of a figure,
the actors and recipients of an event, its place). An event's resolved date is kept as
written (``2025-09``, ``2025-W36``, ``2025-09-01/2025-09-05``) and as its first and last
day, so ``--since`` finds a month that ends after the given day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from onrecord.store.base import (
    EventQuery,
    EventRow,
    FigureQuery,
    FigureRow,
    Page,
    Speaker,
    canonical_name,
)

if TYPE_CHECKING:
    from onrecord.record import Document

MIGRATION = """
CREATE TABLE figures (
    pk INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    text TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    value REAL,
    low REAL,
    high REAL,
    hedge TEXT,
    unit TEXT NOT NULL,
    counted TEXT,
    period TEXT,
    statement INTEGER REFERENCES statements (pk) ON DELETE CASCADE,
    UNIQUE (doc, local_id)
);
CREATE TABLE figure_claimants (
    figure INTEGER NOT NULL REFERENCES figures (pk) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    entity INTEGER NOT NULL REFERENCES entities (id),
    local_entity TEXT NOT NULL,
    PRIMARY KEY (figure, position)
);
CREATE INDEX figure_claimants_entity ON figure_claimants (entity);
CREATE TABLE dates (
    pk INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
    text TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    value TEXT,
    granularity TEXT,
    kind TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX dates_doc ON dates (doc);
CREATE TABLE events (
    pk INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents (pk) ON DELETE CASCADE,
    local_id TEXT NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    trigger TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    date TEXT,
    date_basis TEXT,
    date_first TEXT,
    date_last TEXT,
    location INTEGER REFERENCES entities (id),
    status TEXT NOT NULL,
    size TEXT NOT NULL DEFAULT '{}',
    statement INTEGER REFERENCES statements (pk) ON DELETE CASCADE,
    UNIQUE (doc, local_id)
);
CREATE INDEX events_date ON events (date_first, date_last);
CREATE INDEX events_type ON events (type);
CREATE TABLE event_participants (
    event INTEGER NOT NULL REFERENCES events (pk) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    position INTEGER NOT NULL,
    entity INTEGER NOT NULL REFERENCES entities (id),
    local_entity TEXT NOT NULL,
    PRIMARY KEY (event, role, position)
);
CREATE INDEX event_participants_entity ON event_participants (entity)
"""


def date_bounds(value: str | None) -> tuple[str | None, str | None]:
    """First and last day (ISO) of a resolved date value; (None, None) if not one."""
    if not value:
        return None, None
    if "/" in value:
        a, _, b = value.partition("/")
        return date_bounds(a)[0], date_bounds(b)[1]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value, value
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            return f"{value}-01", f"{value}-{calendar.monthrange(y, mo)[1]:02d}"
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return first.isoformat(), (first + dt.timedelta(days=6)).isoformat()
        if re.fullmatch(r"\d{4}", value):
            return f"{value}-01-01", f"{value}-12-31"
        if m := re.fullmatch(r"(\d{3})0s", value):
            return f"{m[1]}0-01-01", f"{m[1]}9-12-31"
    except ValueError:
        pass
    return None, None


def insert_facts(db: sqlite3.Connection, pk: int, doc: Document, global_ids: dict[str, int],
                 entity_id: Callable[[str, str], int]) -> None:
    """The record's figures, dates and events as rows of the document ``pk``."""
    statements = {r[0]: r[1] for r in db.execute(
        "SELECT local_id, pk FROM statements WHERE doc = ?", (pk,))}

    def gid(local: str | None) -> int | None:
        if local is None:
            return None
        if local in global_ids:
            return global_ids[local]
        ent = doc.entity(local)
        if ent is None:
            return None
        global_ids[local] = entity_id(ent.type, ent.name)
        return global_ids[local]

    for f in doc.figures:
        cur = db.execute(
            "INSERT INTO figures (doc, local_id, text, span_start, span_end, value, low, high,"
            " hedge, unit, counted, period, statement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?)",
            (pk, f.id, f.span.text, f.span.start, f.span.end, f.value, f.low, f.high, f.hedge,
             f.unit, f.counted.text if f.counted else None, f.period.text if f.period else None,
             statements.get(f.statement or "")))
        for pos, local in enumerate(f.claimed_by):
            if (g := gid(local)) is not None:
                db.execute("INSERT INTO figure_claimants (figure, position, entity, local_entity)"
                           " VALUES (?, ?, ?, ?)", (cur.lastrowid, pos, g, local))
    db.executemany(
        "INSERT INTO dates (doc, text, span_start, span_end, value, granularity, kind, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(pk, d.span.text, d.span.start, d.span.end, d.value, d.granularity, d.kind, d.reason)
         for d in doc.dates])
    for e in doc.events:
        first, last = date_bounds(e.date)
        cur = db.execute(
            "INSERT INTO events (doc, local_id, type, mode, trigger, trigger_start, trigger_end,"
            " date, date_basis, date_first, date_last, location, status, size, statement)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (pk, e.id, e.type, e.mode, e.trigger.text, e.trigger.start, e.trigger.end, e.date,
             e.date_basis, first, last, gid(e.location), e.status,
             json.dumps(e.size), statements.get(e.statement or "")))
        for role, ids in (("actor", e.actors), ("recipient", e.recipients)):
            for pos, local in enumerate(ids):
                if (g := gid(local)) is not None:
                    db.execute("INSERT INTO event_participants (event, role, position, entity,"
                               " local_entity) VALUES (?, ?, ?, ?, ?)",
                               (cur.lastrowid, role, pos, g, local))


def backfill(db: sqlite3.Connection, entity_id: Callable[[str, str], int]) -> None:
    """Rows for documents stored before these tables existed (from their record JSON)."""
    from onrecord.record import Document

    for r in db.execute("SELECT pk, record FROM documents").fetchall():
        doc = Document.model_validate_json(r[1])
        ids = {row[0]: row[1] for row in db.execute(
            "SELECT local_id, entity FROM doc_entities WHERE doc = ?", (r[0],))}
        insert_facts(db, r[0], doc, ids, entity_id)


def _like(s: str) -> str:
    return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


Rows = Callable[[str, Any], list[sqlite3.Row]]


def query_figures(rows: Rows, query: FigureQuery, limit: int, offset: int) -> Page[FigureRow]:
    where = ["d.is_current = 1"] if not query.document else ["d.id = ?"]
    params: list[Any] = [query.document] if query.document else []
    if query.about:
        where.append("(f.counted LIKE ? ESCAPE '\\' OR f.text LIKE ? ESCAPE '\\'"
                     " OR s.content LIKE ? ESCAPE '\\')")
        params += [_like(query.about)] * 3
    if query.claimed_by:
        where.append("EXISTS (SELECT 1 FROM figure_claimants fc JOIN entities e"
                     " ON e.id = fc.entity WHERE fc.figure = f.pk AND e.canonical LIKE ?"
                     " ESCAPE '\\')")
        params.append(_like(canonical_name(query.claimed_by)))
    if query.unit:
        where.append("f.unit = ?")
        params.append(query.unit)
    base = (" FROM figures f JOIN documents d ON d.pk = f.doc"
            " LEFT JOIN statements s ON s.pk = f.statement WHERE " + " AND ".join(where))
    total = rows("SELECT COUNT(*)" + base, params)[0][0]
    found = rows(
        "SELECT f.*, d.id AS doc_id, d.title, d.published, s.local_id AS st_local" + base
        + " ORDER BY d.published DESC NULLS LAST, d.pk DESC, f.span_start LIMIT ? OFFSET ?",
        [*params, limit, offset])
    items = [FigureRow(id=r["pk"], document=r["doc_id"], title=r["title"],
                       published=r["published"], local_id=r["local_id"], text=r["text"],
                       value=r["value"], low=r["low"], high=r["high"], hedge=r["hedge"],
                       unit=r["unit"], counted=r["counted"], period=r["period"],
                       start=r["span_start"], end=r["span_end"], statement=r["st_local"])
             for r in found]
    if items:
        by_id = {f.id: f for f in items}
        marks = ",".join("?" * len(items))
        for c in rows("SELECT fc.figure, e.id, COALESCE(de.name, e.name) FROM figure_claimants fc"
                      " JOIN entities e ON e.id = fc.entity JOIN figures f ON f.pk = fc.figure"
                      " LEFT JOIN doc_entities de ON de.doc = f.doc"
                      " AND de.local_id = fc.local_entity"
                      f" WHERE fc.figure IN ({marks}) ORDER BY fc.figure, fc.position",
                      list(by_id)):
            by_id[c[0]].claimed_by.append(Speaker(c[1], c[2]))
    return Page(items, total, limit, offset)


def query_events(rows: Rows, query: EventQuery, limit: int, offset: int) -> Page[EventRow]:
    where = ["d.is_current = 1"] if not query.document else ["d.id = ?"]
    params: list[Any] = [query.document] if query.document else []
    if query.type:
        where.append("v.type = ?")
        params.append(query.type)
    if query.status:
        where.append("v.status = ?")
        params.append(query.status)
    if query.actor:
        roles = "" if query.role is None else " AND ep.role = ?"
        where.append("EXISTS (SELECT 1 FROM event_participants ep JOIN entities e"
                     " ON e.id = ep.entity WHERE ep.event = v.pk AND e.canonical LIKE ?"
                     f" ESCAPE '\\'{roles})")
        params.append(_like(canonical_name(query.actor)))
        if query.role is not None:
            params.append(query.role)
    if query.since:
        where.append("v.date_last >= ?")
        params.append(query.since.isoformat())
    if query.until:
        where.append("v.date_first <= ?")
        params.append(query.until.isoformat())
    if query.dated:
        where.append("v.date_first IS NOT NULL")
    base = (" FROM events v JOIN documents d ON d.pk = v.doc"
            " LEFT JOIN statements s ON s.pk = v.statement"
            " LEFT JOIN entities loc ON loc.id = v.location WHERE " + " AND ".join(where))
    total = rows("SELECT COUNT(*)" + base, params)[0][0]
    order = "ASC" if query.oldest_first else "DESC"
    found = rows(
        "SELECT v.*, d.id AS doc_id, d.title, d.published, s.local_id AS st_local,"
        " loc.name AS loc_name" + base
        + f" ORDER BY v.date_first IS NULL, v.date_first {order}, d.pk {order},"
        " v.trigger_start LIMIT ? OFFSET ?", [*params, limit, offset])
    items = [EventRow(id=r["pk"], document=r["doc_id"], title=r["title"],
                      published=r["published"], local_id=r["local_id"], type=r["type"],
                      mode=r["mode"], trigger=r["trigger"], start=r["trigger_start"],
                      end=r["trigger_end"], date=r["date"], date_basis=r["date_basis"],
                      status=r["status"], size=json.loads(r["size"]), location=r["loc_name"],
                      statement=r["st_local"])
             for r in found]
    if items:
        by_id = {v.id: v for v in items}
        marks = ",".join("?" * len(items))
        for p in rows("SELECT ep.event, ep.role, e.id, COALESCE(de.name, e.name)"
                      " FROM event_participants ep JOIN entities e ON e.id = ep.entity"
                      " JOIN events v ON v.pk = ep.event LEFT JOIN doc_entities de"
                      " ON de.doc = v.doc AND de.local_id = ep.local_entity"
                      f" WHERE ep.event IN ({marks}) ORDER BY ep.event, ep.role, ep.position",
                      list(by_id)):
            row = by_id[p[0]]
            (row.actors if p[1] == "actor" else row.recipients).append(Speaker(p[2], p[3]))
    return Page(items, total, limit, offset)
