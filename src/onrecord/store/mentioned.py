"""Who and where a statement's words name: the people and places facets and filter.

An entity is mentioned in a statement when one of its mentions lies inside the
statement's content span (the speaker's own name, outside it, is not). The pairs are
kept in ``statement_mentions`` for every stored version, as speakers are; the facets
of an unfiltered list read ``mention_tally``, the statements of current documents
mentioning each entity per outlet and type, kept on write like the other counts
(:mod:`onrecord.store.tally`): counting them took longer than a page may.
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
CREATE TABLE mention_tally (
    entity INTEGER NOT NULL,
    site TEXT NOT NULL,
    type TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (entity, site, type)
) WITHOUT ROWID;
INSERT INTO statement_mentions (entity, statement)
    SELECT DISTINCT de.entity, s.pk FROM statements s
    JOIN mentions m ON m.doc = s.doc AND m.span_start >= s.content_start
        AND m.span_end <= s.content_end
    JOIN doc_entities de ON de.doc = m.doc AND de.local_id = m.local_entity
"""
# The entity types of each facet.
FACET_TYPES = {"person": ("PERSON",), "place": ("GPE", "LOC")}

_TALLY = ("SELECT sm.entity, COALESCE(d.site, ''), s.type, COUNT(*) FROM documents d"
          " JOIN statements s ON s.doc = d.pk JOIN statement_mentions sm"
          " ON sm.statement = s.pk WHERE {docs} GROUP BY 1, 2, 3")
TARGET = "mention_tally (entity, site, type, n)"


def add(db: sqlite3.Connection, site: str | None,
        said: Iterable[tuple[int, str, Iterable[int]]]) -> None:
    """Store and count the entities each statement just written mentions:
    (statement pk, statement type, entity ids)."""
    pairs = [(entity, pk, typ) for pk, typ, entities in said for entity in set(entities)]
    db.executemany("INSERT INTO statement_mentions (entity, statement) VALUES (?, ?)",
                   [(e, pk) for e, pk, _ in pairs])
    counts = Counter((e, site or "", typ) for e, _, typ in pairs)
    upsert(db, TARGET, [(*k, n) for k, n in counts.items()], 1)


def count(db: sqlite3.Connection, docs: str, params: tuple[object, ...], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the counts of the documents ``d`` where ``docs``."""
    upsert(db, TARGET, db.execute(_TALLY.format(docs=docs), params).fetchall(), sign)
