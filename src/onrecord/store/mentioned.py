"""Who and where a statement's words name: the people and places facets and filter.

An entity is mentioned in a statement when one of its mentions lies inside the
statement's content span (the speaker's own name, outside it, is not). The pairs are
kept in ``statement_mentions`` for every stored version, as speakers are; the facets
of a list filtered by outlet or type read ``mention_tally``, the statements of current
documents mentioning each entity per outlet and type, and those of an unfiltered one
``mention_total``, per entity, both kept on write like the other counts
(:mod:`onrecord.store.tally`): counting them took longer than a page may.

Migration 7 also indexes each statement's speakers by statement, so the speakers of a
selection (store/selection.py) are read from the index alone.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from onrecord.store.tally import upsert

MIGRATION = """
CREATE TABLE statement_mentions (
    entity INTEGER NOT NULL REFERENCES entities (id),
    statement INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    PRIMARY KEY (entity, statement)
) WITHOUT ROWID;
CREATE INDEX statement_mentions_by_statement ON statement_mentions (statement, entity);
CREATE INDEX statement_speakers_by_statement ON statement_speakers (statement, entity);
CREATE TABLE mention_tally (
    site TEXT NOT NULL,
    type TEXT NOT NULL,
    entity INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (site, type, entity)
) WITHOUT ROWID;
CREATE INDEX mention_tally_by_type ON mention_tally (type, entity, n);
CREATE TABLE mention_total (
    entity INTEGER NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (entity, kind)
) WITHOUT ROWID;
CREATE INDEX mention_total_top ON mention_total (kind, n);
INSERT INTO statement_mentions (entity, statement)
    SELECT DISTINCT de.entity, s.pk FROM statements s
    JOIN mentions m ON m.doc = s.doc AND m.span_start >= s.content_start
        AND m.span_end <= s.content_end
    JOIN doc_entities de ON de.doc = m.doc AND de.local_id = m.local_entity
"""
# The entity types of each facet.
FACET_TYPES = {"person": ("PERSON",), "place": ("GPE", "LOC")}

# Per outlet and statement type (a filtered list), and per entity with its type (all).
_COUNTS = {
    "mention_tally (site, type, entity, n)": (
        "SELECT COALESCE(d.site, ''), s.type, sm.entity, COUNT(*) FROM documents d"
        " JOIN statements s ON s.doc = d.pk JOIN statement_mentions sm"
        " ON sm.statement = s.pk WHERE {docs} GROUP BY 1, 2, 3"),
    "mention_total (entity, kind, n)": (
        "SELECT sm.entity, e.type, COUNT(*) FROM documents d JOIN statements s"
        " ON s.doc = d.pk JOIN statement_mentions sm ON sm.statement = s.pk"
        " JOIN entities e ON e.id = sm.entity WHERE {docs} GROUP BY 1, 2"),
}


def add(db: sqlite3.Connection, site: str | None, kinds: dict[int, str],
        said: Iterable[tuple[int, str, Iterable[int]]]) -> None:
    """Store and count the entities each statement just written mentions:
    (statement pk, statement type, entity ids); ``kinds``: each entity's type."""
    pairs = [(entity, pk, typ) for pk, typ, entities in said for entity in set(entities)]
    db.executemany("INSERT INTO statement_mentions (entity, statement) VALUES (?, ?)",
                   [(e, pk) for e, pk, _ in pairs])
    by_outlet = Counter((site or "", typ, e) for e, _, typ in pairs)
    totals = Counter((e, kinds[e]) for e, _, _ in pairs)
    tally, total = _COUNTS
    upsert(db, tally, [(*k, n) for k, n in by_outlet.items()], 1)
    upsert(db, total, [(*k, n) for k, n in totals.items()], 1)


def count(db: sqlite3.Connection, docs: str, params: tuple[object, ...], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the counts of the documents ``d`` where ``docs``."""
    for target, sql in _COUNTS.items():
        upsert(db, target, db.execute(sql.format(docs=docs), params).fetchall(), sign)
