"""Who and where a statement's words name: the people and places facets and filter.

An entity is mentioned in a statement when one of its mentions lies inside the
statement's content span (the speaker's own name, outside it, is not). The pairs are
kept in ``statement_mentions`` for every stored version, as speakers are; the facets
of a list filtered by outlet or type read ``mention_tally``, the statements of current
documents mentioning each entity per outlet, type and month, those of an unfiltered one
``mention_total``, per entity, and a speaker's ``speaker_mentions``, all kept on write
like the other counts
(:mod:`onrecord.store.tally`): counting them took longer than a page may.

Migration 7 also indexes each statement's speakers by statement, so the speakers of a
selection (store/selection.py) are read from the index alone, and the kept counts per
speaker by outlet, type and month, so the speaker facet of a list filtered by those
sums a range of an index, not every speaker's counts, and statements by document with
their type, so a date range reads them from that index alone.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Any

from onrecord.store.tally import MONTH, upsert

MIGRATION = """
CREATE TABLE statement_mentions (
    entity INTEGER NOT NULL REFERENCES entities (id),
    statement INTEGER NOT NULL REFERENCES statements (pk) ON DELETE CASCADE,
    PRIMARY KEY (entity, statement)
) WITHOUT ROWID;
CREATE INDEX statement_mentions_by_statement ON statement_mentions (statement, entity);
CREATE INDEX statement_speakers_by_statement ON statement_speakers (statement, entity);
CREATE INDEX statements_by_doc ON statements (doc, content_start, type);
CREATE INDEX statement_tally_by_site ON statement_tally (site, type, entity, n);
CREATE INDEX statement_tally_by_type ON statement_tally (type, entity, n);
CREATE INDEX statement_tally_by_month ON statement_tally (month, entity, n);
CREATE TABLE mention_tally (
    site TEXT NOT NULL,
    type TEXT NOT NULL,
    month TEXT NOT NULL,
    entity INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (site, type, month, entity)
) WITHOUT ROWID;
CREATE INDEX mention_tally_by_type ON mention_tally (type, entity, n);
CREATE INDEX mention_tally_by_month ON mention_tally (month, entity, n);
CREATE TABLE mention_total (
    entity INTEGER NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (entity, kind)
) WITHOUT ROWID;
CREATE INDEX mention_total_top ON mention_total (kind, n);
CREATE TABLE speaker_mentions (
    speaker INTEGER NOT NULL,
    entity INTEGER NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (speaker, entity, kind)
) WITHOUT ROWID;
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
    "mention_tally (site, type, month, entity, n)": (
        f"SELECT COALESCE(d.site, ''), s.type, {MONTH}, sm.entity, COUNT(*) FROM documents d"
        " JOIN statements s ON s.doc = d.pk JOIN statement_mentions sm"
        " ON sm.statement = s.pk WHERE {docs} GROUP BY 1, 2, 3, 4"),
    "mention_total (entity, kind, n)": (
        "SELECT sm.entity, e.type, COUNT(*) FROM documents d JOIN statements s"
        " ON s.doc = d.pk JOIN statement_mentions sm ON sm.statement = s.pk"
        " JOIN entities e ON e.id = sm.entity WHERE {docs} GROUP BY 1, 2"),
    "speaker_mentions (speaker, entity, kind, n)": (
        "SELECT ss.entity, sm.entity, e.type, COUNT(DISTINCT s.pk) FROM documents d"
        " JOIN statements s ON s.doc = d.pk JOIN statement_speakers ss"
        " ON ss.statement = s.pk JOIN statement_mentions sm ON sm.statement = s.pk"
        " JOIN entities e ON e.id = sm.entity WHERE {docs} GROUP BY 1, 2, 3"),
}


def add(db: sqlite3.Connection, site: str | None, month: str, kinds: dict[int, str],
        said: Iterable[tuple[int, str, Iterable[int], Iterable[int]]]) -> None:
    """Store and count the entities each statement just written mentions: (statement
    pk, statement type, speaker ids, entity ids named) in a document of ``site`` and
    ``month`` ('' for none); ``kinds``: each entity's type."""
    rows = [(pk, typ, set(speakers), set(entities)) for pk, typ, speakers, entities in said]
    db.executemany("INSERT INTO statement_mentions (entity, statement) VALUES (?, ?)",
                   [(e, pk) for pk, _, _, named in rows for e in named])
    by_outlet = Counter((site or "", typ, month, e) for _, typ, _, named in rows for e in named)
    totals = Counter((e, kinds[e]) for *_, named in rows for e in named)
    by_speaker = Counter((sp, e, kinds[e]) for _, _, speakers, named in rows
                         for sp in speakers for e in named)
    counted: list[Counter[Any]] = [by_outlet, totals, by_speaker]
    for target, counts in zip(_COUNTS, counted, strict=True):
        upsert(db, target, [(*k, n) for k, n in counts.items()], 1)


def count(db: sqlite3.Connection, docs: str, params: tuple[object, ...], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the counts of the documents ``d`` where ``docs``."""
    for target, sql in _COUNTS.items():
        upsert(db, target, db.execute(sql.format(docs=docs), params).fetchall(), sign)
