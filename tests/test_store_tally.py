"""The counts and indexes kept on write answer exactly as counting the statements would.

A small generated store (joint statements, undated and outlet-less documents, a date
that is no date, people named without speaking, articles replaced by newer versions) is
asked every page's question twice: through the store, and with the straightforward SQL
over statements and documents that the kept counts replace.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from onrecord.record import Document, Entity, Span, Statement
from onrecord.store import mentioned
from onrecord.store.base import StatementQuery
from onrecord.store.sqlite import MIGRATIONS, SQLiteStore
from onrecord.store.tally import MIGRATION, count

NAMES = ["Anna Berg", "Erik Lund", "Carla Mendes", "Tomas Reyes", "Priya Natarajan",
         "Jonas Novak", "Port Authority"]
PLACES = [("Velmar", "GPE"), ("Ostby Fjord", "LOC"), ("Harbour Street", "OTHER")]
SITES = ["north.example", "south.example", None, ""]
DATES = [None, "2025-02-29", "not a date", "2025-03-03", "2025-03-09T23:00:00+01:00",
         "2025-03-10", "2025-03-31", "2025-04-01", "2025-06-15", "2025-06-16"]


def make_doc(i: int, rng: random.Random, version: int = 0) -> Document:
    """An article of a few statements by a few of NAMES, some joint, some unattributed,
    their words naming places and people now and then."""
    chosen = rng.sample(range(len(NAMES)), rng.randint(2, 4))
    text = f"Story {i} version {version}.\n"
    mentions: dict[int, list[Span]] = {k: [] for k in chosen}
    places: dict[int, list[Span]] = {}
    statements = []
    for j in range(rng.randint(1, 6)):
        who = rng.sample(chosen, 2 if rng.random() < 0.2 else 1)
        start = len(text)
        for k in who:
            a = len(text)
            text += NAMES[k] + " and "
            mentions[k].append(Span.of(text, a, a + len(NAMES[k])))
        text = text[:-5] + " said "
        c = len(text)
        text += f"the plan {rng.randint(1, 99)} for {rng.choice(['ferries', 'trams'])}"
        for _ in range(rng.choice([0, 0, 1, 2])):  # a place named in the words, or two
            p = rng.randrange(len(PLACES))
            text += " in "
            places.setdefault(p, []).append(Span.of(text, len(text),
                                                    len(text) + len(PLACES[p][0])))
            text += PLACES[p][0]
        if rng.random() < 0.3:  # a person named in the words
            k = rng.randrange(len(NAMES) - 1)
            text += " that "
            mentions.setdefault(k, []).append(Span.of(text, len(text), len(text) + len(NAMES[k])))
            text += f"{NAMES[k]} backs"
        text += " works. "
        speakers = [] if rng.random() < 0.1 else [f"E{k}" for k in who]
        statements.append(Statement(id=f"S{j + 1}", type=rng.choice(["direct", "indirect"]),
                                    speakers=speakers, content=Span.of(text, c, len(text) - 2),
                                    source=Span.of(text, start, c - 6)))
    silent = len(text)  # named in the text but quoted nowhere
    text += "Jonas Novak was there."
    mentions.setdefault(5, []).append(Span.of(text, silent, silent + 11))
    entities = [Entity(id=f"E{k}", name=NAMES[k], type="ORG" if k == 6 else "PERSON",
                       titles=rng.sample(["Mayor", "mayor", "Minister"], rng.randint(0, 2)),
                       mentions=spans)
                for k, spans in mentions.items() if spans]
    entities += [Entity(id=f"P{p}", name=PLACES[p][0], type=PLACES[p][1],  # type: ignore[arg-type]
                        mentions=spans) for p, spans in places.items()]
    url = f"https://www.x{i % 2}.example/{i}" if i % 3 else None  # the outlet if no site
    return Document(id=f"d{i}", path=f"d{i}.txt", url=url,
                    title=f"Story {i}", published=rng.choice(DATES), site=rng.choice(SITES),
                    text=text, entities=entities, statements=statements)


def fill(store: SQLiteStore, n: int = 40, seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(n):
        store.add(make_doc(i, rng))
    for i in range(0, n, 5):  # newer versions replace some (their counts must go)
        store.add(make_doc(i, rng, version=1))


@pytest.fixture()
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "tally.db")
    fill(s)
    return s


# -- the straightforward answers ------------------------------------------------------------

def plain_rows(store: SQLiteStore, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store._rows(sql, params)]


# The entities ``de`` mentioned inside the words of statement ``s``.
NAMED = ("FROM mentions m JOIN doc_entities de ON de.doc = m.doc AND de.local_id = m.local_entity"
         " WHERE m.doc = s.doc AND m.span_start >= s.content_start"
         " AND m.span_end <= s.content_end")


def plain_filter(q: StatementQuery) -> tuple[str, list[Any]]:
    where, params = ["d.is_current = 1"], []
    if q.speaker_id is not None:
        where.append("EXISTS (SELECT 1 FROM statement_speakers ss WHERE ss.statement = s.pk"
                     " AND ss.entity = ?)")
        params.append(q.speaker_id)
    if q.speaker:
        where.append("EXISTS (SELECT 1 FROM statement_speakers ss JOIN entities e"
                     " ON e.id = ss.entity WHERE ss.statement = s.pk AND e.canonical LIKE ?)")
        params.append(f"%{q.speaker.casefold()}%")
    if q.about:
        where.append("s.pk IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
        params.append(q.about)
    for entity in q.mentions:
        where.append(f"EXISTS (SELECT 1 {NAMED} AND de.entity = ?)")
        params.append(entity)
    if q.since:
        where.append("substr(d.published, 1, 10) >= ?")
        params.append(q.since.isoformat())
    if q.until:
        where.append("substr(d.published, 1, 10) <= ?")
        params.append(q.until.isoformat())
    if q.type:
        where.append("s.type = ?")
        params.append(q.type)
    if q.site:
        where.append("d.site = ?")
        params.append(q.site)
    return ("FROM statements s JOIN documents d ON d.pk = s.doc WHERE "
            + " AND ".join(where)), params


def plain_page(store: SQLiteStore, q: StatementQuery, limit: int,
               offset: int) -> tuple[list[int], int]:
    base, params = plain_filter(q)
    order = ("d.published ASC NULLS LAST, d.pk ASC" if q.oldest_first
             else "d.published DESC NULLS LAST, d.pk DESC")
    keys = [r[0] for r in plain_rows(store, f"SELECT s.pk {base} ORDER BY {order},"
                                            " s.content_start, s.pk", params)]
    return keys[offset:offset + limit], len(keys)


def plain_facets(store: SQLiteStore, q: StatementQuery, size: int) -> dict[str, list[Any]]:
    base, params = plain_filter(q)
    joined = base.replace(" WHERE ", " JOIN statement_speakers ss2 ON ss2.statement = s.pk"
                                     " JOIN entities e ON e.id = ss2.entity WHERE ", 1)
    speakers = plain_rows(store, f"SELECT e.id, e.name, COUNT(DISTINCT s.pk) AS n {joined}"
                                 " GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?",
                          [*params, size])
    rows = plain_rows(store, f"SELECT d.site, s.type, substr(d.published, 1, 7) {base}", params)
    outlets = Counter(r[0] for r in rows if r[0])
    types = Counter(r[1] for r in rows)
    months = Counter(r[2] for r in rows if r[2])

    def top(c: Counter[str]) -> list[tuple[str, int]]:
        return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:size]

    named = plain_rows(store, "SELECT e.id, e.name, e.type, COUNT(DISTINCT s.pk) AS n"
                              f" {base} AND EXISTS (SELECT 1 {NAMED} AND de.entity = e.id)"
                              " GROUP BY e.id ORDER BY n DESC, e.name".replace(
                                  " WHERE ", " JOIN entities e WHERE ", 1), params)
    return {"speaker": [(str(i), name, n) for i, name, n in speakers],
            "outlet": top(outlets), "type": top(types),
            "month": sorted(months.items(), reverse=True)[:size],
            "person": [(str(r[0]), r[3]) for r in named if r[2] == "PERSON"][:size],
            "place": [(str(r[0]), r[3]) for r in named if r[2] in ("GPE", "LOC")][:size]}


def plain_weeks(store: SQLiteStore, q: StatementQuery) -> list[tuple[str, int]]:
    base, params = plain_filter(q)
    return [(r[0], r[1]) for r in plain_rows(
        store, "SELECT date(substr(d.published, 1, 10), '-6 days', 'weekday 1') AS wk,"
               f" COUNT(*) {base} AND d.published IS NOT NULL GROUP BY wk ORDER BY wk", params)
        if r[0]]


def plain_people(store: SQLiteStore) -> list[tuple[Any, ...]]:
    return plain_rows(store, """
        SELECT e.id, e.name, e.type,
          (SELECT COUNT(DISTINCT ss.statement) FROM statement_speakers ss
           JOIN statements s ON s.pk = ss.statement JOIN documents d ON d.pk = s.doc
           WHERE ss.entity = e.id AND d.is_current = 1) AS n_statements,
          (SELECT COUNT(DISTINCT de.doc) FROM doc_entities de JOIN documents d ON d.pk = de.doc
           WHERE de.entity = e.id AND d.is_current = 1) AS n_documents
        FROM entities e WHERE n_documents > 0
        ORDER BY n_statements DESC, n_documents DESC, e.name, e.id""")


def plain_alongside(store: SQLiteStore, entity: int) -> list[tuple[Any, ...]]:
    return plain_rows(store, """
        SELECT e.id, e.name, e.type, COUNT(DISTINCT s2.pk) AS n_statements,
          COUNT(DISTINCT s2.doc) AS n_documents
        FROM statement_speakers ss1 JOIN statements s1 ON s1.pk = ss1.statement
        JOIN documents d ON d.pk = s1.doc AND d.is_current = 1
        JOIN statements s2 ON s2.doc = s1.doc
        JOIN statement_speakers ss2 ON ss2.statement = s2.pk
        JOIN entities e ON e.id = ss2.entity
        WHERE ss1.entity = ? AND ss2.entity != ?
        GROUP BY e.id ORDER BY n_documents DESC, n_statements DESC, e.name""",
                      (entity, entity))


def plain_titles(store: SQLiteStore, entity: int) -> list[tuple[str, str, str]]:
    out, seen = [], set()
    for r in plain_rows(store, "SELECT de.titles, d.id, COALESCE(d.title, d.source_id)"
                               " FROM doc_entities de JOIN documents d ON d.pk = de.doc"
                               " WHERE de.entity = ? AND d.is_current = 1"
                               " ORDER BY d.published NULLS LAST, d.pk", (entity,)):
        for title in json.loads(r[0]):
            if title.casefold() not in seen:
                seen.add(title.casefold())
                out.append((title, r[1], r[2]))
    return out


def queries(store: SQLiteStore) -> list[StatementQuery]:
    ids = [r[0] for r in store._rows("SELECT id FROM entities")]
    out = [StatementQuery(), StatementQuery(type="direct"),
           StatementQuery(site="north.example"),
           StatementQuery(type="indirect", site="south.example"),
           StatementQuery(since=dt.date(2025, 3, 9), until=dt.date(2025, 3, 31)),
           StatementQuery(speaker="lund"), StatementQuery(speaker="a"),
           StatementQuery(speaker="nobody at all"),
           StatementQuery(since=dt.date(2025, 3, 1), until=dt.date(2025, 3, 31)),  # a month
           StatementQuery(since=dt.date(2025, 3, 1), type="direct"),
           StatementQuery(until=dt.date(2025, 4, 30), site="north.example"),
           StatementQuery(since=dt.date(2025, 2, 1), until=dt.date(2025, 6, 30),
                          oldest_first=True)]
    places = [r[0] for r in store._rows("SELECT id FROM entities WHERE type != 'PERSON'")]
    people = [r[0] for r in store._rows("SELECT id FROM entities WHERE type = 'PERSON'")]
    for place in places:
        out += [StatementQuery(mentions=(place,)), StatementQuery(mentions=(place, people[0])),
                StatementQuery(mentions=(place,), type="direct", site="north.example"),
                StatementQuery(mentions=(place,), speaker_id=people[1], oldest_first=True),
                StatementQuery(mentions=(place,), about="ferries")]
    for i in ids:
        out += [StatementQuery(speaker_id=i), StatementQuery(speaker_id=i, oldest_first=True),
                StatementQuery(speaker_id=i, type="direct", site="north.example"),
                StatementQuery(speaker_id=i, since=dt.date(2025, 3, 3),
                               until=dt.date(2025, 6, 15), oldest_first=True),
                StatementQuery(speaker_id=i, since=dt.date(2025, 3, 1),
                               until=dt.date(2025, 3, 31))]
    return out


# -- the same answers -----------------------------------------------------------------------

def test_pages_of_statements_match_the_plain_query(store: SQLiteStore) -> None:
    for q in queries(store):
        for limit, offset in ((5, 0), (7, 3), (500, 0)):
            page = store.statements(q, limit, offset)
            keys, total = plain_page(store, q, limit, offset)
            assert ([st.id for st in page.items], page.total) == (keys, total), q
        page = store.statements(q, 500)
        assert all(st.speakers or q.speaker_id is None for st in page.items)


def test_facets_and_weeks_match_the_plain_counts(store: SQLiteStore) -> None:
    for q in queries(store):
        for size in (3, 10):
            got = {k: [(f.value, f.label, f.count) if k == "speaker" else (f.value, f.count)
                       for f in v] for k, v in store.statement_facets(q, size).items()}
            assert got == plain_facets(store, q, size), q
        assert [(f.value, f.count) for f in store.statement_weeks(q)] == plain_weeks(store, q)


def test_people_and_person_match_the_plain_counts(store: SQLiteStore) -> None:
    everyone = plain_people(store)
    page = store.people(500, type=None)
    assert page.total == len(everyone)
    assert [(p.id, p.name, p.type, p.statements, p.documents) for p in page.items] == everyone
    assert [p.id for p in store.people(2, 1, type=None).items] == [r[0] for r in everyone[1:3]]
    assert store.people(500).total == sum(1 for r in everyone if r[2] == "PERSON")
    for row in everyone:
        detail = store.person(row[0])
        assert detail is not None
        assert (detail.person.statements, detail.person.documents) == row[3:]
        assert [(p.id, p.name, p.type, p.statements, p.documents)
                for p in detail.alongside] == plain_alongside(store, row[0])
        assert [(t.title, t.document, t.label) for t in detail.titles] == \
            plain_titles(store, row[0])


def test_kept_counts_equal_a_recount(store: SQLiteStore, tmp_path: Path) -> None:
    """After adds and replacements the tables hold what counting from scratch gives."""
    tables = ["entity_tally", "statement_tally", "cospeaker_tally", "spoken", "mention_tally",
              "mention_total", "speaker_mentions"]
    kept = {t: sorted(plain_rows(store, f"SELECT * FROM {t}")) for t in tables}
    db = store._db
    db.execute("BEGIN")
    for t in tables:
        db.execute(f"DELETE FROM {t}")
    count(db, "d.is_current = 1", (), 1)
    mentioned.count(db, "d.is_current = 1", (), 1)
    recount = {t: sorted(plain_rows(store, f"SELECT * FROM {t}")) for t in tables}
    db.execute("ROLLBACK")
    assert kept == recount
    assert kept["cospeaker_tally"] and any(r[4] for r in kept["cospeaker_tally"])  # joint
    assert {r[0] for r in kept["mention_total"]} >= {r[0] for r in store._rows(
        "SELECT id FROM entities WHERE type IN ('GPE', 'LOC')")}


def test_migration_counts_documents_stored_before(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.store import sqlite as sqlite_store

    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # a store from before the kept counts
        m.setattr(sqlite_store, "MIGRATIONS", MIGRATIONS[:MIGRATIONS.index(MIGRATION)])
        m.setattr(sqlite_store, "count", lambda *args: None)
        m.setattr(sqlite_store, "add", lambda *args: None)
        m.setattr(mentioned, "add", lambda *args: None)
        m.setattr(mentioned, "count", lambda *args: None)
        fill(SQLiteStore(path), n=15)
    con = sqlite3.connect(path)
    assert "entity_tally" not in {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM documents WHERE site IS NULL AND url IS NOT NULL"
                       ).fetchone()[0] == 0  # the store wrote the fallback even then
    con.execute("UPDATE documents SET site = NULL WHERE site GLOB 'x[01].example'")  # as before
    con.commit()
    con.close()
    migrated = SQLiteStore(path)
    fresh = SQLiteStore(tmp_path / "fresh.db")
    fill(fresh, n=15)
    for t in ("entity_tally", "statement_tally", "cospeaker_tally", "mention_tally",
              "mention_total", "speaker_mentions", "statement_mentions"):
        assert sorted(plain_rows(migrated, f"SELECT * FROM {t}")) == \
            sorted(plain_rows(fresh, f"SELECT * FROM {t}"))
    assert [p.statements for p in migrated.people(50).items] == \
        [p.statements for p in fresh.people(50).items]


def test_outlet_falls_back_to_the_url_host(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "outlets.db")
    rng = random.Random(3)
    named = make_doc(1, rng).model_copy(update={"site": "The Courier"})
    hosted = make_doc(2, rng).model_copy(update={"site": None,
                                                 "url": "https://www.courier.example/a"})
    bare = make_doc(3, rng).model_copy(update={"site": "", "url": None})
    for doc in (named, hosted, bare):
        store.add(doc)
    assert {d.site for d in store.documents().items} == {"The Courier", "courier.example", None}
    outlets = {f.value: f.count for f in store.statement_facets(StatementQuery())["outlet"]}
    assert outlets == {"The Courier": len(named.statements),
                       "courier.example": len(hosted.statements)}
    rows = store.statements(StatementQuery(site="courier.example"), 100)
    assert rows.total == len(hosted.statements) and {r.site for r in rows.items} == \
        {"courier.example"}


def test_a_persons_pages_are_read_in_order_from_an_index(store: SQLiteStore) -> None:
    """No sort of all a person's statements: the page's keys come off `spoken`'s index."""
    person = store.people(1).items[0].id
    for oldest, index in ((False, "spoken_newest"), (True, "spoken_oldest")):
        seen: list[str] = []
        store._db.set_trace_callback(seen.append)
        store.statements(StatementQuery(speaker_id=person, oldest_first=oldest), 5, 5)
        store._db.set_trace_callback(None)
        keys = next(sql for sql in seen if sql.startswith("SELECT p.statement"))
        plan = " ".join(r[3] for r in store._rows("EXPLAIN QUERY PLAN " + keys))
        assert index in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_the_home_chart_matches_the_plain_counts(store: SQLiteStore) -> None:
    since, shares = store.top_speakers(days=30, size=3)
    assert since is not None
    rows = plain_rows(store, "SELECT e.id, e.name, COALESCE(d.site, '(no outlet)'), COUNT(*)"
                             " FROM statement_speakers ss JOIN statements s ON s.pk = ss.statement"
                             " JOIN documents d ON d.pk = s.doc JOIN entities e ON e.id = ss.entity"
                             " WHERE d.is_current = 1 AND substr(d.published, 1, 10) >= ?"
                             " AND e.type = 'PERSON' GROUP BY 1, 2, 3", (since,))
    totals: Counter[tuple[str, int]] = Counter()
    for entity, name, _, n in rows:
        totals[(name, entity)] += n
    best = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0][0]))[:3]
    assert [(sh.name, sh.statements) for sh in shares] == [(k[0], n) for k, n in best]
    for sh in shares:
        assert sh.outlets == sorted(((r[2], r[3]) for r in rows if r[0] == sh.id),
                                    key=lambda o: (-o[1], o[0]))
