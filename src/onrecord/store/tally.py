"""Counts kept up to date as documents are stored, so pages read a few rows, not every statement.

Counting a person's statements per week, outlet and type, the people list, and who is
quoted alongside whom meant joining every statement of the selection to its document:
hundreds of milliseconds for the most quoted person of a 100,000-statement store
(bench/bench_store.py). These tables hold the sums over current documents instead:

- ``entity_tally``: per entity, its statements and the documents naming it;
- ``statement_tally``: statements per speaker (``entity`` 0: all statements), week,
  month, outlet and type; week, month and outlet are '' where the document has none;
- ``cospeaker_tally``: per pair of speakers of one document, the documents they share,
  the statements of the second in them, and the statements they made jointly;
- ``spoken``: each statement once per speaker with its document's date and outlet,
  indexed in reading order both ways, so a page of a person's statements is read
  from an index instead of sorting all of them.

Each document contributes its own rows: :func:`add` adds them as the document is
written, :func:`count` takes them away when a newer version replaces it and, after the
migration, counts every current document at once. Both give the same rows
(tests/test_store_tally.py recounts a store with :func:`count` and compares).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from typing import Any, NamedTuple

WEEK = "COALESCE(date(substr(d.published, 1, 10), '-6 days', 'weekday 1'), '')"
MONTH = "COALESCE(substr(d.published, 1, 7), '')"

# Each is "SELECT ... FROM ... WHERE {docs} ..." over the documents ``d`` being counted.
_SPEAKERS = ("SELECT ss.entity, s.doc, COUNT(DISTINCT ss.statement) AS n"
             " FROM documents d JOIN statements s ON s.doc = d.pk"
             " JOIN statement_speakers ss ON ss.statement = s.pk WHERE {docs}"
             " GROUP BY ss.entity, s.doc")
_COUNTS = {
    "entity_tally (entity, statements, documents)": (
        "SELECT entity, SUM(said), SUM(named) FROM ("
        " SELECT de.entity, 0 AS said, COUNT(DISTINCT de.doc) AS named FROM documents d"
        " JOIN doc_entities de ON de.doc = d.pk WHERE {docs} GROUP BY de.entity"
        f" UNION ALL SELECT entity, SUM(n), 0 FROM ({_SPEAKERS}) GROUP BY entity)"
        " GROUP BY entity"),
    "statement_tally (entity, week, month, site, type, n)": (
        f"SELECT 0, {WEEK}, {MONTH}, COALESCE(d.site, ''), s.type, COUNT(*)"
        " FROM documents d JOIN statements s ON s.doc = d.pk WHERE {docs}"
        " GROUP BY 2, 3, 4, 5"
        f" UNION ALL SELECT ss.entity, {WEEK}, {MONTH}, COALESCE(d.site, ''), s.type,"
        " COUNT(DISTINCT ss.statement) FROM documents d JOIN statements s ON s.doc = d.pk"
        " JOIN statement_speakers ss ON ss.statement = s.pk WHERE {docs}"
        " GROUP BY 1, 2, 3, 4, 5"),
    "cospeaker_tally (entity, other, documents, statements, joint)": (
        f"WITH sp AS ({_SPEAKERS}),"
        " pairs AS (SELECT a.entity AS x, b.entity AS y, COUNT(*) AS docs, SUM(b.n) AS n"
        "  FROM sp a JOIN sp b ON b.doc = a.doc AND b.entity != a.entity GROUP BY 1, 2),"
        " joint AS (SELECT a.entity AS x, b.entity AS y, COUNT(DISTINCT s.pk) AS n"
        "  FROM documents d JOIN statements s ON s.doc = d.pk"
        "  JOIN statement_speakers a ON a.statement = s.pk"
        "  JOIN statement_speakers b ON b.statement = s.pk AND b.entity != a.entity"
        "  WHERE {docs} GROUP BY 1, 2)"
        " SELECT pairs.x, pairs.y, pairs.docs, pairs.n, COALESCE(joint.n, 0) FROM pairs"
        " LEFT JOIN joint ON joint.x = pairs.x AND joint.y = pairs.y"),
}
# The same rows as a statement's speakers, with the date and outlet its pages sort by.
_SPOKEN = ("SELECT DISTINCT ss.entity, s.pk, d.pk, d.published, s.content_start, s.type,"
           " d.site FROM documents d JOIN statements s ON s.doc = d.pk"
           " JOIN statement_speakers ss ON ss.statement = s.pk WHERE {docs}")
_KEYS = {"entity_tally": "entity", "statement_tally": "entity, week, month, site, type",
         "cospeaker_tally": "entity, other", "mention_tally": "site, type, month, entity",
         "mention_total": "entity, kind", "speaker_mentions": "speaker, entity, kind"}

MIGRATION = """
CREATE TABLE entity_tally (
    entity INTEGER PRIMARY KEY,
    statements INTEGER NOT NULL,
    documents INTEGER NOT NULL
);
CREATE TABLE statement_tally (
    entity INTEGER NOT NULL,
    week TEXT NOT NULL,
    month TEXT NOT NULL,
    site TEXT NOT NULL,
    type TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (entity, week, month, site, type)
) WITHOUT ROWID;
CREATE TABLE cospeaker_tally (
    entity INTEGER NOT NULL,
    other INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    statements INTEGER NOT NULL,
    joint INTEGER NOT NULL,
    PRIMARY KEY (entity, other)
) WITHOUT ROWID;
CREATE TABLE spoken (
    entity INTEGER NOT NULL,
    statement INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    published TEXT,
    content_start INTEGER NOT NULL,
    type TEXT NOT NULL,
    site TEXT
);
CREATE INDEX spoken_newest ON spoken (entity, published, doc, content_start, statement);
CREATE INDEX spoken_oldest ON spoken (entity, COALESCE(published, x''), doc, content_start,
                                      statement);
CREATE INDEX spoken_doc ON spoken (doc);
CREATE INDEX doc_entities_titles ON doc_entities (entity, titles, doc);
CREATE INDEX documents_meta ON documents (pk, is_current, published, site);
CREATE INDEX statements_meta ON statements (pk, doc, type, content_start);
"""


class Said(NamedTuple):
    """A statement just written, as :func:`add` needs it."""

    pk: int
    type: str
    start: int
    speakers: frozenset[int]  # store-wide entity ids


def add(db: sqlite3.Connection, doc: int, named: set[int], said: list[Said]) -> None:
    """What ``count(db, "d.pk = ?", (doc,), 1)`` adds, for a document just written, from
    what the writer holds instead of reading its rows back (that took most of a write)."""
    week, month, site, outlet, published = db.execute(
        f"SELECT {WEEK}, {MONTH}, COALESCE(d.site, ''), d.site, d.published FROM documents d"
        " WHERE d.pk = ?", (doc,)).fetchone()
    by: dict[int, list[Said]] = defaultdict(list)
    for st in said:
        for entity in st.speakers:
            by[entity].append(st)
    types = Counter((0, st.type) for st in said)
    types.update((entity, st.type) for entity, sts in by.items() for st in sts)
    keys = {entity: {st.pk for st in sts} for entity, sts in by.items()}
    upsert(db, "entity_tally (entity, statements, documents)",
           [(e, len(by.get(e, ())), 1) for e in named], 1)
    upsert(db, "statement_tally (entity, week, month, site, type, n)",
           [(e, week, month, site, typ, n) for (e, typ), n in types.items()], 1)
    upsert(db, "cospeaker_tally (entity, other, documents, statements, joint)",
           [(a, b, 1, len(keys[b]), len(keys[a] & keys[b])) for a in by for b in by
            if a != b], 1)
    db.executemany("INSERT INTO spoken VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(e, st.pk, doc, published, st.start, st.type, outlet)
                    for e, sts in by.items() for st in sts])


def count(db: sqlite3.Connection, docs: str, params: tuple[object, ...], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the rows of the documents ``d`` where ``docs``."""
    if sign > 0:
        db.execute(f"INSERT INTO spoken {_SPOKEN.format(docs=docs)}", params)
    else:
        db.execute(f"DELETE FROM spoken WHERE doc IN (SELECT d.pk FROM documents d"
                   f" WHERE {docs})", params)
    for target, sql in _COUNTS.items():
        rows = db.execute(sql.format(docs=docs), params * sql.count("{docs}")).fetchall()
        upsert(db, target, rows, sign)


def upsert(db: sqlite3.Connection, target: str, rows: list[Any], sign: int) -> None:
    """Add ``rows`` (keys, then counts) to the counts of ``target``, or subtract them."""
    if not rows:
        return
    table, _, columns = target.partition(" ")
    names = columns.strip("()").split(", ")
    keys = _KEYS[table].split(", ")
    values = [c for c in names if c not in keys]
    if sign < 0:
        rows = [(*r[:len(keys)], *(-v for v in r[len(keys):])) for r in rows]
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in values)
    db.executemany(f"INSERT INTO {table} ({', '.join(names)})"
                   f" VALUES ({', '.join('?' * len(names))})"
                   f" ON CONFLICT ({_KEYS[table]}) DO UPDATE SET {updates}", rows)
    if sign < 0:  # rows that count nothing now go
        db.executemany(f"DELETE FROM {table} WHERE "
                       + " AND ".join(f"{c} = ?" for c in keys)
                       + "".join(f" AND {c} <= 0" for c in values),
                       [r[:len(keys)] for r in rows])
