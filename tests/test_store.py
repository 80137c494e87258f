"""The SQLite record store: round trip, idempotence, versions, merging, queries, safety."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.ingest.base import Source
from onrecord.nlp.pipeline import extract
from onrecord.record import Document
from onrecord.store import (
    CorruptDatabase,
    DatabaseLocked,
    QueryError,
    ReadOnlyDatabase,
    StatementQuery,
    StoreError,
    open_store,
)
from onrecord.store import sqlite as sqlite_store
from onrecord.store.base import canonical_name
from onrecord.store.loader import ingest
from onrecord.store.sqlite import MIGRATIONS, SQLiteStore

DEMO = Path(__file__).resolve().parents[1] / "src" / "onrecord" / "data" / "demo"
# (file, publication date): de Vries speaks in all three, Lund in two, Mendes in one.
ARTICLES = [("summit", "2025-09-04"), ("fisheries-deal", "2025-10-15"),
            ("patrol-first-sail", "2025-12-04")]


@pytest.fixture(scope="module")
def records(nlp: Language) -> list[Document]:
    return [extract((DEMO / f"{name}.txt").read_text(encoding="utf-8"), name,
                    path=f"{name}.txt", published=date, nlp=nlp)
            for name, date in ARTICLES]


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "onrecord.db")
    yield s
    s.close()


@pytest.fixture
def filled(store: SQLiteStore, records: list[Document]) -> SQLiteStore:
    for doc in records:
        store.add(doc)
    return store


def count(store: SQLiteStore, table: str) -> int:
    return int(store._one(f"SELECT COUNT(*) FROM {table}")[0])


def test_round_trip_keeps_the_whole_record(store: SQLiteStore, records: list[Document]) -> None:
    result = store.add(records[0])
    assert result.status == "added" and result.version == 1
    stored = store.document(result.id)
    assert stored is not None
    assert stored.record == records[0]
    assert store.document("summit").info.id == result.id  # the key finds the current version
    for st in stored.record.statements:
        assert stored.record.text[st.content.start:st.content.end] == st.content.text
    assert set(stored.entity_ids) == {e.id for e in records[0].entities}


def test_wal_mode_and_schema_version(store: SQLiteStore, tmp_path: Path) -> None:
    assert store._one("PRAGMA journal_mode")[0] == "wal"
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    again = SQLiteStore(tmp_path / "onrecord.db")  # reopening runs no migration twice
    assert again.schema_version == len(MIGRATIONS)
    again.close()


def test_same_text_twice_changes_nothing(filled: SQLiteStore, records: list[Document]) -> None:
    before = {t: count(filled, t) for t in ("documents", "entities", "mentions", "statements",
                                           "statement_speakers")}
    again = filled.add(records[1])
    assert again.status == "unchanged"
    # the same text under another id is the same document too
    assert filled.add(records[1].model_copy(update={"id": "elsewhere"})).status == "unchanged"
    assert {t: count(filled, t) for t in before} == before


def test_changed_text_is_a_new_version_and_the_old_is_kept(
        filled: SQLiteStore, records: list[Document], nlp: Language) -> None:
    old = filled.document("summit")
    assert old is not None
    text = records[0].text + "\n“We will not back down,” Ms de Vries said."
    new = filled.add(extract(text, "summit", published="2025-09-05", nlp=nlp))
    assert new.status == "new_version" and new.version == 2
    current = filled.document("summit")
    assert current is not None and current.info.id == new.id and current.info.current
    kept = filled.document(old.info.id)
    assert kept is not None and not kept.info.current and kept.record.text == records[0].text
    assert [v.version for v in current.versions] == [1, 2]
    assert filled.documents().total == 3  # current versions only
    # queries read the current version: the old summit's statements are not counted twice
    page = filled.statements(StatementQuery(document=None, speaker="de vries"), limit=100)
    assert {st.document for st in page.items} >= {new.id}
    assert old.info.id not in {st.document for st in page.items}


def test_people_merged_across_documents_titles_kept_per_document(filled: SQLiteStore) -> None:
    people = {p.name: p for p in filled.people(limit=50).items}
    de_vries = people["Anna de Vries"]
    assert de_vries.documents == 3
    assert people["Erik Lund"].documents == 2
    detail = filled.person(de_vries.id)
    assert detail is not None
    assert any(t.title == "Dutch Prime Minister" for t in detail.titles)
    assert "Erik Lund" in {p.name for p in detail.alongside}
    assert filled.person(999_999) is None


def test_canonical_name_folds_case_honorifics_possessives() -> None:
    assert canonical_name("Ms Anna de Vries") == canonical_name("anna de vries")
    assert canonical_name("Anna de Vries’s") == "anna de vries"
    assert canonical_name("Dr. Jonas  Weber") == "jonas weber"
    assert canonical_name("de Vries") != canonical_name("Anna de Vries")


def test_statement_filters_and_pages(filled: SQLiteStore) -> None:
    everything = filled.statements(StatementQuery(), limit=500)
    assert everything.total == len(everything.items) > 10
    dates = [st.published for st in everything.items]
    assert dates == sorted(dates, reverse=True)  # newest first

    lund = filled.statements(StatementQuery(speaker="erik lund"), limit=100).items
    assert lund and all(any("Erik Lund" in s.name for s in st.speakers) for st in lund)

    direct = filled.statements(StatementQuery(type="direct"), limit=100).items
    assert direct and {st.type for st in direct} == {"direct"}

    autumn = filled.statements(StatementQuery(since=dt.date(2025, 10, 1),
                                              until=dt.date(2025, 10, 31)), limit=100).items
    assert autumn and {st.published for st in autumn} == {"2025-10-15"}

    about = filled.statements(StatementQuery(about="herring OR quota"), limit=100).items
    assert about and all("quota" in st.content.lower() or "herring" in st.content.lower()
                         for st in about)

    first = filled.statements(StatementQuery(), limit=2, offset=0)
    second = filled.statements(StatementQuery(), limit=2, offset=2)
    assert first.total == everything.total and len(first.items) == 2
    assert [s.id for s in first.items + second.items] == [s.id for s in everything.items[:4]]
    with pytest.raises(QueryError):
        filled.statements(StatementQuery(), limit=0)


def test_full_text_search_ranks_and_marks(filled: SQLiteStore) -> None:
    hits = filled.search("herring")
    assert hits.total == 1 and hits.items[0].title is None
    assert "\x02herring\x03" in hits.items[0].snippet.lower()
    both = filled.search("patrol")
    assert both.total == 2
    # the article about the patrol says "patrol" more often than the summit piece
    assert filled.document(both.items[0].document).info.key == "patrol-first-sail"  # type: ignore[union-attr]
    assert both.items[0].score >= both.items[1].score
    assert filled.search('"unbalanced quote').total == 0  # bad syntax is taken literally
    with pytest.raises(QueryError):
        filled.search("   ")


def test_a_failed_write_leaves_nothing_behind(store: SQLiteStore, records: list[Document],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real = store._entity_id

    def flaky(type_: str, name: str, published: str | None = None) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return real(type_, name, published)

    monkeypatch.setattr(store, "_entity_id", flaky)
    with pytest.raises(RuntimeError):
        store.add(records[0])
    for table in ("documents", "entities", "doc_entities", "statements", "documents_fts"):
        assert count(store, table) == 0
    monkeypatch.undo()
    assert store.add(records[0]).status == "added"


class Interrupting:
    """A store that is interrupted (Ctrl-C) while storing its n-th document."""

    def __init__(self, store: SQLiteStore, after: int) -> None:
        self.store, self.after, self.n = store, after, 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.store, name)

    def add(self, doc: Document):  # type: ignore[no-untyped-def]
        self.n += 1
        if self.n > self.after:
            raise KeyboardInterrupt
        return self.store.add(doc)


def test_resume_after_interruption_stores_each_document_once(
        store: SQLiteStore, nlp: Language) -> None:
    sources = [Source(id=name, text=(DEMO / f"{name}.txt").read_text(encoding="utf-8"),
                      path=f"{name}.txt", meta={"published": date})
               for name, date in ARTICLES]
    with pytest.raises(KeyboardInterrupt):
        ingest(Interrupting(store, after=2), sources, nlp=nlp)  # type: ignore[arg-type]
    assert count(store, "documents") == 2
    report = ingest(store, sources, nlp=nlp)
    assert (report.added, report.unchanged, report.failed) == (1, 2, [])
    assert count(store, "documents") == 3
    again = ingest(store, sources, nlp=nlp)
    assert (again.added, again.unchanged) == (0, 3)
    assert store.document("fisheries-deal").record.published == "2025-10-15"  # type: ignore[union-attr]


def test_one_bad_document_does_not_stop_the_batch(store: SQLiteStore, nlp: Language,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.store import loader

    real = loader._record

    def record(item, nlp=None):  # type: ignore[no-untyped-def]
        if item[1] == "bad":
            raise ValueError("cannot parse")
        return real(item, nlp)

    monkeypatch.setattr(loader, "_record", record)
    sources = [Source(id="bad", text="Some text.", path="bad.txt"),
               Source(id="good", text="“Fine,” Mr Lund said.", path="good.txt")]
    report = ingest(store, sources, nlp=nlp)
    assert report.added == 1
    assert report.failed == ["bad.txt: extraction failed (ValueError: cannot parse)"]


def test_garbage_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(CorruptDatabase, match="not an SQLite database"):
        open_store(path)
    assert path.read_bytes() == before


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(CorruptDatabase, match="not onrecord's"):
        open_store(path)


def test_damaged_database_is_refused(tmp_path: Path, records: list[Document]) -> None:
    path = tmp_path / "onrecord.db"
    s = SQLiteStore(path)
    for doc in records:
        s.add(doc)
    s.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2: page * 4] = b"\xff" * (page * 2)  # scribble over two pages
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreError):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "onrecord.db"
    SQLiteStore(path).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_read_only_store_refuses_writes(tmp_path: Path, records: list[Document]) -> None:
    path = tmp_path / "onrecord.db"
    SQLiteStore(path).close()
    ro = SQLiteStore(path, readonly=True)
    with pytest.raises(ReadOnlyDatabase):
        ro.add(records[0])
    assert ro.documents().total == 0
    ro.close()
    with pytest.raises(StoreError, match="no database"):
        SQLiteStore(tmp_path / "missing.db", readonly=True)


def test_locked_database_is_a_clear_error(tmp_path: Path, records: list[Document],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "onrecord.db"
    s = SQLiteStore(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked, match="locked"):
            s.add(records[0])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert s.add(records[0]).status == "added"
    s.close()


def test_default_path_follows_environment(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert sqlite_store.default_db_path() == tmp_path / "onrecord" / "onrecord.db"
    monkeypatch.setenv("ONRECORD_DB", str(tmp_path / "x.db"))
    assert sqlite_store.default_db_path() == tmp_path / "x.db"
