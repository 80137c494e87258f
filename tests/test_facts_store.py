"""Figures, dates and events in the store: written on ingest, idempotent, queryable,
filled in for documents stored before the migration, and the CLI commands."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.cli import main
from onrecord.nlp.pipeline import extract
from onrecord.record import Document
from onrecord.store.base import EventQuery, FigureQuery
from onrecord.store.facts import MIGRATION, date_bounds
from onrecord.store.sqlite import MIGRATIONS, SQLiteStore

TEXTS = [
    ("drones", "2025-09-04",
     "Russia fired 112 drones across Ukraine overnight on Thursday, the air force said. "
     "Air defences intercepted 84 drones, the statement said. "
     "Norway announced on Wednesday that it was expelling a Russian diplomat."),
    ("summit", "2025-10-15",
     "The mayor of Velmar, Anna de Vries, said the city would spend €300m on the port. "
     "Last month, Chile and Peru signed a fisheries agreement in Lima."),
]


@pytest.fixture(scope="module")
def records(nlp: Language) -> list[Document]:
    return [extract(text, name, published=date, nlp=nlp) for name, date, text in TEXTS]


@pytest.fixture
def store(tmp_path: Path, records: list[Document]) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "facts.db")
    for r in records:
        s.add(r)
    return s


def test_rows_written_and_reingest_idempotent(store: SQLiteStore,
                                              records: list[Document]) -> None:
    counts = [store._one(f"SELECT COUNT(*) FROM {t}")[0]
              for t in ("figures", "dates", "events", "event_participants")]
    assert counts[0] == sum(len(r.figures) for r in records) > 0
    assert counts[1] == sum(len(r.dates) for r in records) > 0
    assert counts[2] == sum(len(r.events) for r in records) > 0
    assert store.add(records[0]).status == "unchanged"
    again = [store._one(f"SELECT COUNT(*) FROM {t}")[0]
             for t in ("figures", "dates", "events", "event_participants")]
    assert again == counts


def test_figure_queries(store: SQLiteStore) -> None:
    page = store.figures(FigureQuery(about="drones"))
    assert {f.value for f in page.items} == {112, 84}
    assert all(f.claimed_by and f.claimed_by[0].name for f in page.items)
    eur = store.figures(FigureQuery(unit="EUR")).items
    assert [f.value for f in eur] == [300_000_000]
    assert [c.name for c in eur[0].claimed_by] == ["Anna de Vries"]
    assert store.figures(FigureQuery(claimed_by="de vries")).total == 1
    assert store.figures(FigureQuery(claimed_by="nobody at all")).total == 0


def test_event_queries(store: SQLiteStore) -> None:
    attacks = store.events(EventQuery(type="ASSAULT")).items
    assert len(attacks) == 1
    a = attacks[0]
    assert [p.name for p in a.actors] == ["Russia"] and a.date == "2025-09-04"
    assert a.size == {"fired": 112, "intercepted": 84}
    assert store.events(EventQuery(actor="norway")).total >= 1
    assert store.events(EventQuery(actor="norway", role="recipient")).total == 0
    # "last month" from 2025-10-15 is 2025-09: a month that ends after 2025-09-10
    since = store.events(EventQuery(since=dt.date(2025, 9, 10))).items
    assert any(e.date == "2025-09" for e in since)
    assert all(e.date != "2025-09-03" for e in since)
    until = store.events(EventQuery(until=dt.date(2025, 9, 3), oldest_first=True)).items
    assert [e.date for e in until] == ["2025-09", "2025-09-03"]  # by first day


def test_date_bounds() -> None:
    assert date_bounds("2025-09") == ("2025-09-01", "2025-09-30")
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_bounds("2025-W36") == ("2025-09-01", "2025-09-07")
    assert date_bounds("2025-09-01/2025-09-05") == ("2025-09-01", "2025-09-05")
    assert date_bounds("2025") == ("2025-01-01", "2025-12-31")
    assert date_bounds(None) == (None, None) and date_bounds("soon") == (None, None)


def test_migration_fills_stored_documents(tmp_path: Path, records: list[Document],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.store import sqlite as sqlite_store

    path = tmp_path / "old.db"
    index = MIGRATIONS.index(MIGRATION)
    with monkeypatch.context() as m:  # a store from before the migration
        m.setattr(sqlite_store, "MIGRATIONS", MIGRATIONS[:index])
        m.setattr(sqlite_store, "insert_facts", lambda *args: None)
        m.setattr(sqlite_store, "count", lambda *args: None)  # nor the later tallies
        m.setattr(sqlite_store, "add", lambda *args: None)
        m.setattr(sqlite_store.mentioned, "add", lambda *args: None)
        s = SQLiteStore(path)
        s.add(records[0])
        s.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == index
    con.close()
    s = SQLiteStore(path)
    assert s.schema_version == len(MIGRATIONS)
    assert s.figures(FigureQuery()).total == len(records[0].figures)
    assert s.events(EventQuery(type="ASSAULT")).total == 1
    s.close()


def test_cli_figures_and_events(tmp_path: Path, store: SQLiteStore,
                                capsys: pytest.CaptureFixture[str]) -> None:
    db = store.path
    store.close()
    assert main(["figures", "--db", db, "--about", "drones", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["value"] for r in rows} == {112, 84}
    assert main(["figures", "--db", db, "--claimed-by", "Anna de Vries", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("published,") and "Anna de Vries" in out
    assert main(["events", "--db", db, "--type", "ASSAULT", "--format", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    ev = json.loads(line)
    assert ev["actors"] == ["Russia"] and ev["size"] == {"fired": 112, "intercepted": 84}
    assert main(["events", "--db", db, "--actor", "Norway", "--since", "2025-09-01"]) == 0
    table = capsys.readouterr().out
    assert "SANCTION" in table and "Norway" in table
    with pytest.raises(SystemExit):
        main(["events", "--db", db, "--since", "yesterday"])
