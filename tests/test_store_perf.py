"""What keeps the store fast at scale: planner statistics, covering indexes, fresh people pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from spacy.language import Language

from onrecord.ingest.base import Source
from onrecord.nlp.pipeline import extract
from onrecord.store.loader import ingest
from onrecord.store.sqlite import SQLiteStore


def _names(store: SQLiteStore) -> dict[str, int]:
    return {p.name: p.statements for p in store.people(50).items}


def test_people_pages_follow_writes_from_any_connection(tmp_path: Path, nlp: Language) -> None:
    path = tmp_path / "onrecord.db"
    store = SQLiteStore(path)
    store.add(extract("“The tram is late,” Mayor Tomas Reyes said.", "a", nlp=nlp))
    assert _names(store) == {"Tomas Reyes": 1}
    assert _names(store) == {"Tomas Reyes": 1}  # a cached page, the same answer
    store.add(extract("“The port is full,” Mayor Tomas Reyes said.", "b", nlp=nlp))
    assert _names(store) == {"Tomas Reyes": 2}  # this connection wrote
    other = SQLiteStore(path)
    other.add(extract("“Fish prices fell,” Councillor Anna Berg said.", "c", nlp=nlp))
    other.close()
    assert _names(store) == {"Tomas Reyes": 2, "Anna Berg": 1}  # another connection wrote
    page = store.people(1)
    page.items.clear()  # callers may change their page without changing the cache
    assert store.people(1).total == 2 and len(store.people(1).items) == 1
    store.close()


def test_ingest_leaves_statistics_and_covering_indexes(tmp_path: Path, nlp: Language) -> None:
    path = tmp_path / "onrecord.db"
    store = SQLiteStore(path)
    sources = [Source(id=f"d{i}", text=f"“Plan {i} is dead,” Mayor Tomas Reyes said.",
                      path=f"d{i}.txt") for i in range(3)]
    assert ingest(store, sources, nlp=nlp).added == 3
    store.close()
    con = sqlite3.connect(path)
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"statement_speakers_by_entity", "doc_entities_by_entity"} <= indexes
    assert "statement_speakers_entity" not in indexes
    stats = {r[0] for r in con.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"statements", "statement_speakers", "documents"} <= stats
    plan = " ".join(r[3] for r in con.execute(
        "EXPLAIN QUERY PLAN SELECT ss.statement FROM statement_speakers ss WHERE ss.entity = 1"))
    assert "COVERING INDEX statement_speakers_by_entity" in plan
    con.close()
