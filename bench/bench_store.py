"""Store benchmark: ingest throughput and query latency on a generated collection.

    .venv/bin/python bench/bench_store.py [--statements 100000] [--e2e-docs 200]
                                          [--queries 200] [--keep DIR]

The collection is generated from sentence templates (no spaCy): ``--statements / 10``
articles of ten statements each (direct quotes, reported speech, "according to"), with
about 2,500 speakers quoted on a Zipf-like curve, so a few are quoted often and most
rarely, spread over two years of publication dates. Every record is a complete
:class:`~onrecord.record.Document` with entities, mentions and character offsets.

Ingest, in docs/s (and statements/s):

(a) the store writer alone: ``SQLiteStore.add`` on the pre-built records, one
    transaction per document, into a new database;
(b) baseline: raw ``sqlite3`` inserts of the same rows into the same schema (FTS
    included), one transaction per document, rows prepared beforehand;
(c) floor: raw ``sqlite3`` ``executemany`` of the documents, statements and speakers
    rows into bare tables (no indexes, no FTS) in a single transaction;
(d) end to end: ``onrecord.store.loader.ingest`` (spaCy extraction + store) on the first
    ``--e2e-docs`` generated texts, ``--jobs 1`` and ``--jobs 2``, against extraction
    alone (``extract`` with the same pipeline, nothing stored).

Queries, p50/p95 over ``--queries`` runs each (different random arguments, first page of
20 as the CLI and web pages ask): ``quotes --speaker NAME`` (``Store.statements``),
``search WORDS`` (``Store.search``), and the other questions the web pages ask
(a person's statements by id, ``--about``, a date range, the home page's people list),
the facet and chart queries, whole web pages through the app (in process), and the
whole-process time of ``onrecord quotes --speaker`` against a bare ``python -c pass``.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from onrecord.ingest.base import Source
from onrecord.record import Document, Entity, Span, Statement
from onrecord.store.base import StatementQuery, canonical_name, content_hash
from onrecord.store.sqlite import MIGRATIONS, SQLiteStore

STATEMENTS_PER_DOC = 10
SEED = 20251125

FIRST = ("Anna Erik Carla Tomas Priya Jonas Maria Pieter Sofia Lars Ingrid Mateo Lucia Omar "
         "Hana Yusuf Elena Marek Nadia Felix Greta Ivan Leila Oskar Rosa Samir Tove Viktor "
         "Zofia Amir Beatriz Dmitri Eva Farid Hugo Irene Jan Kasia Liam Mina Nils Olga Paolo "
         "Rania Stefan Tariq Ulla Wim Xenia Yara").split()
LAST = ("Berg Lund Mendes Reyes Natarajan de-Vries Novak Costa Jensen Kowalski Haddad Moreau "
        "Rossi Svensson Okafor Petrov Lindqvist Almeida Fischer Nowak Dubois Horvat Kaya "
        "Larsen Meyer Nieminen Oliveira Popescu Quist Romero Schmidt Takacs Urbina Varga "
        "Weber Yilmaz Zeller Andersen Brandt Castillo").split()
TITLES = ("Finance Minister", "Mayor", "Councillor", "Defence Minister", "spokesperson",
          "union leader", "Health Minister", "port director", "MEP", "police chief")
ORGS = ("the Ministry of Finance", "the port authority", "the harbour workers' union",
        "the city council", "the coastguard", "the European Commission", "the central bank",
        "the transport agency", "the fisheries board", "the opposition Civic Alliance")
TOPICS = ("harbour tram fisheries pension hospital ferry cable wind school housing water "
          "bridge grid airport rail tax police border tariff steel grain vaccine drought "
          "flood migration energy gas road subsidy budget strike patrol election court "
          "museum library recycling broadband tourism shipyard").split()
PLACES = ("Velmar Rotterdam Oslo Gdansk Bergen Aarhus Tallinn Riga Lisbon Porto Marseille "
          "Genoa Trieste Split Varna Constanta Hamburg Bremen Antwerp Calais Dover Cork "
          "Galway Malmo Turku Klaipeda Kiel Brest Bilbao Valencia").split()
MONTHS = ("January February March April May June July August September October November "
          "December").split()
CONTENT = (
    "the {topic} plan would cost {n} million euros",
    "{place} cannot afford another year of {topic} delays",
    "talks on the {topic} deal with {place} would resume next week",
    "the {topic} budget had been cut by {n} percent",
    "nobody in {place} had been told about the {topic} review",
    "the government would publish its {topic} report in {month}",
    "the {topic} contract was signed without a vote",
    "we will not accept a {topic} agreement that leaves {place} behind",
    "the {topic} figures for {place} are worse than anyone expected",
    "there is no money left for {topic} in {place} this year",
    "{person} had misled {place} about the {topic} plan",
)


def _content(rng: random.Random, cast: Cast) -> tuple[str, dict[tuple[str, str], int]]:
    """A statement's words, and where in them each place (GPE) and person they name is."""
    place, person = rng.choice(PLACES), rng.choices(cast.people, cast.weights[:len(cast.people)])
    template = rng.choice(CONTENT)
    text = template.format(topic=rng.choice(TOPICS), place=place, person=person[0][0],
                           n=rng.randint(2, 400), month=rng.choice(MONTHS))
    named = {(name, kind): text.index(name) for name, kind, field in
             ((place, "GPE", "{place}"), (person[0][0], "PERSON", "{person}"))
             if field in template}
    return text, named


class Cast:
    """Every speaker of the collection, and a Zipf-like weight for each."""

    def __init__(self, rng: random.Random, people: int = 2400) -> None:
        names = sorted({f"{f} {sur.replace('-', ' ')}" for f in FIRST for sur in LAST})
        rng.shuffle(names)
        self.people = [(n, rng.choice(TITLES), "PERSON") for n in names[:people]]
        orgs = [(o.removeprefix("the ").title() if o.startswith("the ") else o, "", "ORG")
                for o in ORGS]
        self.speakers = self.people + orgs
        self.weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.speakers))]
        rng.shuffle(self.weights)


def make_document(i: int, rng: random.Random, cast: Cast, start: dt.date) -> Document:
    """One generated article of ten statements, with offsets, entities and mentions."""
    chosen: list[tuple[str, str, str]] = []
    while len(chosen) < rng.randint(3, 5):
        sp = rng.choices(cast.speakers, cast.weights)[0]
        if sp not in chosen:
            chosen.append(sp)
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    title = f"{place} {topic} row deepens"
    parts: list[str] = []
    pos = 0
    mentions: dict[int, list[tuple[int, int]]] = {k: [] for k in range(len(chosen))}
    pending: list[tuple[str, str, int, dict[str, tuple[int, int]]]] = []  # id, type, who

    def put(s: str) -> tuple[int, int]:
        nonlocal pos
        parts.append(s)
        a = pos
        pos += len(s)
        return a, pos

    named: dict[tuple[str, str], list[tuple[int, int]]] = {(place, "GPE"): [(0, len(place))]}
    put(f"{title}\n")
    for j in range(STATEMENTS_PER_DOC):
        k = rng.randrange(len(chosen))
        name, role, _ = chosen[k]
        said = rng.choice(("said", "told reporters", "warned", "added", "insisted"))
        content, inside = _content(rng, cast)
        form = rng.choice(("direct", "direct", "indirect", "according_to"))
        spans: dict[str, tuple[int, int]] = {}
        if form == "direct":
            put("“")
            spans["content"] = put(content[0].upper() + content[1:] + ",")
            put("” ")
            spans["source"] = put(name)
            put(" ")
            spans["cue"] = put(said)
            put(".")
        elif form == "indirect":
            if role and not mentions[k]:
                put(f"{role} ")
            spans["source"] = put(name)
            put(" ")
            spans["cue"] = put(said)
            put(" that ")
            spans["content"] = put(content)
            put(".")
        else:
            spans["content"] = put(content[0].upper() + content[1:])
            put(", ")
            spans["cue"] = put("according to")
            put(" ")
            spans["source"] = put(name)
            put(".")
        put("\n" if j % 3 == 2 else " ")
        mentions[k].append(spans["source"])
        for key, at in inside.items():
            a = spans["content"][0] + at
            named.setdefault(key, []).append((a, a + len(key[0])))
        pending.append((f"S{j + 1}", form, k, spans))
    text = "".join(parts)
    statements = [Statement(id=sid, type=form, speakers=[f"E{k + 1}"],  # type: ignore[arg-type]
                            content=Span.of(text, *spans["content"]),
                            cue=Span.of(text, *spans["cue"]),
                            source=Span.of(text, *spans["source"]))
                  for sid, form, k, spans in pending]
    entities = [Entity(id=f"E{k + 1}", name=name, type=typ,  # type: ignore[arg-type]
                       titles=[role] if role else [],
                       mentions=[Span.of(text, a, b) for a, b in mentions[k]])
                for k, (name, role, typ) in enumerate(chosen) if mentions[k]]
    speaking = {e.name: e for e in entities}
    for (name, typ), spans_of in named.items():  # places and people the words name
        if name in speaking:
            speaking[name].mentions.extend(Span.of(text, a, b) for a, b in spans_of)
        else:
            entities.append(Entity(id=f"N{len(entities)}", name=name,
                                   type=typ,  # type: ignore[arg-type]
                                   mentions=[Span.of(text, a, b) for a, b in spans_of]))
    published = (start + dt.timedelta(days=rng.randrange(730))).isoformat()
    return Document(id=f"gen-{i:06d}", path=f"gen-{i:06d}.txt", published=published,
                    title=title, site=f"outlet{i % 12:02d}.example", language="en", text=text,
                    entities=entities, statements=statements)


def generate(n_docs: int, seed: int = SEED) -> tuple[list[Document], Cast]:
    rng = random.Random(seed)
    cast = Cast(rng)
    start = dt.date(2024, 1, 1)
    return [make_document(i, rng, cast, start) for i in range(n_docs)], cast


# -- ingest --------------------------------------------------------------------------------


def writer_alone(docs: list[Document], path: Path) -> float:
    store = SQLiteStore(path)
    t0 = time.perf_counter()
    for doc in docs:
        store.add(doc)
    store.optimize()  # as ingest does after a batch
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed


def _rows(docs: list[Document]) -> list[dict[str, object]]:
    """The rows the store writes for each record, prepared outside the timed part."""
    entity_ids: dict[tuple[str, str], int] = {}
    out = []
    for pk, doc in enumerate(docs, start=1):
        digest = content_hash(doc.text)
        ents, ment, new_entities = [], [], []
        local: dict[str, int] = {}
        for e in doc.entities:
            key = (e.type, canonical_name(e.name))
            if key not in entity_ids:
                entity_ids[key] = len(entity_ids) + 1
                new_entities.append((entity_ids[key], e.type, key[1], e.name))
            local[e.id] = entity_ids[key]
            ents.append((pk, e.id, local[e.id], e.name, json.dumps(e.titles), e.part_of))
            ment.extend((pk, e.id, m.start, m.end) for m in e.mentions)
        sts, spk = [], []
        for st in doc.statements:
            spk_pk = len(out) * 100 + len(sts) + 1  # unique statement pks, known beforehand
            sts.append((spk_pk, pk, st.id, st.type, st.content.text, st.content.start,
                        st.content.end, st.cue.text if st.cue else None,
                        st.cue.start if st.cue else None, st.cue.end if st.cue else None,
                        st.source.text if st.source else None,
                        st.source.start if st.source else None,
                        st.source.end if st.source else None, st.parent))
            spk.extend((spk_pk, n, local[s], s) for n, s in enumerate(st.speakers))
        out.append({
            "doc": (pk, digest[:12], digest, doc.url or doc.id, 1, 1, doc.id, doc.path,
                    doc.title, doc.published, json.dumps(doc.authors), doc.site, doc.url,
                    doc.language, None, None, doc.text, doc.model_dump_json(),
                    "2026-01-01T00:00:00+00:00"),
            "fts": (pk, doc.title or "", doc.text), "new_entities": new_entities,
            "ents": ents, "mentions": ment, "statements": sts, "speakers": spk,
        })
    return out


def raw_same_schema(rows: list[dict[str, object]], path: Path) -> float:
    SQLiteStore(path).close()  # the same schema, every migration applied
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    t0 = time.perf_counter()
    for r in rows:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO documents (pk, id, content_hash, key, version, is_current,"
                   " source_id, path, title, published, authors, site, url, language,"
                   " duplicate_of, copy_group, text, record, ingested_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   r["doc"])
        db.execute("INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)", r["fts"])
        db.executemany("INSERT INTO entities (id, type, canonical, name) VALUES (?, ?, ?, ?)",
                       r["new_entities"])  # type: ignore[arg-type]
        db.executemany("INSERT INTO doc_entities VALUES (?, ?, ?, ?, ?, ?)",
                       r["ents"])  # type: ignore[arg-type]
        db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?)",
                       r["mentions"])  # type: ignore[arg-type]
        db.executemany("INSERT INTO statements (pk, doc, local_id, type, content,"
                       " content_start, content_end, cue, cue_start, cue_end, source,"
                       " source_start, source_end, parent)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       r["statements"])  # type: ignore[arg-type]
        db.executemany("INSERT INTO statements_fts (rowid, content) VALUES (?, ?)",
                       [(s[0], s[4]) for s in r["statements"]])  # type: ignore[attr-defined]
        db.executemany("INSERT INTO statement_speakers VALUES (?, ?, ?, ?)",
                       r["speakers"])  # type: ignore[arg-type]
        db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


def raw_floor(rows: list[dict[str, object]], path: Path) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE documents (pk, id, content_hash, key, version, is_current,"
               " source_id, path, title, published, authors, site, url, language,"
               " duplicate_of, copy_group, text, record, ingested_at)")
    db.execute("CREATE TABLE statements (pk, doc, local_id, type, content, content_start,"
               " content_end, cue, cue_start, cue_end, source, source_start, source_end,"
               " parent)")
    db.execute("CREATE TABLE statement_speakers (statement, position, entity, local_entity)")
    t0 = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                   " ?, ?, ?, ?)", [r["doc"] for r in rows])  # type: ignore[misc]
    db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [s for r in rows for s in r["statements"]])  # type: ignore[attr-defined]
    db.executemany("INSERT INTO statement_speakers VALUES (?, ?, ?, ?)",
                   [s for r in rows for s in r["speakers"]])  # type: ignore[attr-defined]
    db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.close()
    return elapsed


def end_to_end(docs: list[Document], workdir: Path) -> dict[str, float]:
    from onrecord.nlp import model
    from onrecord.nlp.pipeline import extract
    from onrecord.store.loader import ingest

    nlp = model.load()
    sources = [Source(id=d.id, text=d.text, path=d.path, meta={"published": d.published})
               for d in docs]
    extract("Warm-up, “one quote,” Mr Lund said.", nlp=nlp)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    for s in sources:
        extract(s.text, s.id, s.path, str(s.meta["published"]), nlp=nlp)
    out["extract"] = time.perf_counter() - t0
    for jobs in (1, 2):
        store = SQLiteStore(workdir / f"e2e-{jobs}.db")
        t0 = time.perf_counter()
        report = ingest(store, sources, jobs=jobs, nlp=nlp if jobs == 1 else None)
        out[f"jobs{jobs}"] = time.perf_counter() - t0
        store.close()
        assert report.added == len(docs) and not report.failed, report
    return out


# -- queries -------------------------------------------------------------------------------


def _latency(fn: Callable[[object], object], args: list[object]) -> tuple[float, float, float]:
    """(p50, p95, max) in milliseconds, one call per argument after two warm-up calls."""
    for a in args[:2]:
        fn(a)
    times = []
    for a in args:
        t0 = time.perf_counter()
        fn(a)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, times[-1]


def query_latencies(store: SQLiteStore, cast: Cast, n: int,
                    rng: random.Random) -> list[tuple[str, tuple[float, float, float]]]:
    people = [name for name, _, _ in cast.people]
    quoted = [p.id for p in store.people(500).items]
    speakers = [rng.choice(people) for _ in range(n)]
    frequent = [store.people(1).items[0].name] * n
    surnames = [rng.choice(people).split()[-1] for _ in range(n)]
    words = [rng.choice(TOPICS) for _ in range(n)]
    pairs = [f"{rng.choice(TOPICS)} {rng.choice(PLACES)}" for _ in range(n)]
    phrases = [f'"{rng.choice(TOPICS)} budget"' for _ in range(n)]
    months = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700)) for _ in range(n)]

    def quotes(q: StatementQuery) -> None:
        store.statements(q, 20)

    def uncached_facets(_: object) -> None:
        store.__dict__.get("_facet_cache", {}).clear()  # as after a write
        store.statement_facets(StatementQuery())

    rows: list[tuple[str, tuple[float, float, float]]] = [
        ("quotes --speaker 'First Last'", _latency(
            lambda s: quotes(StatementQuery(speaker=str(s))), list(speakers))),
        ("quotes --speaker <most quoted>", _latency(
            lambda s: quotes(StatementQuery(speaker=str(s))), list(frequent))),
        ("quotes --speaker <surname>", _latency(
            lambda s: quotes(StatementQuery(speaker=str(s))), list(surnames))),
        ("search WORD", _latency(lambda w: store.search(str(w), 20), list(words))),
        ("search WORD PLACE", _latency(lambda w: store.search(str(w), 20), list(pairs))),
        ('search "PHRASE"', _latency(lambda w: store.search(str(w), 20), list(phrases))),
        ("person page (person + statements by id)", _latency(
            lambda i: (store.person(int(str(i))),
                       store.statements(StatementQuery(speaker_id=int(str(i)),
                                                       oldest_first=True), 100)),
            [rng.choice(quoted) for _ in range(n)])),
        ("quotes --about WORD", _latency(
            lambda w: quotes(StatementQuery(about=str(w))), list(words))),
        ("quotes --since D --until D+30", _latency(
            lambda d: quotes(StatementQuery(since=d, until=d + dt.timedelta(days=30))),  # type: ignore[operator,arg-type]
            list(months))),
        ("quotes (no filter)", _latency(lambda _: quotes(StatementQuery()), list(range(n)))),
        ("people --top 15 (home page)", _latency(lambda _: store.people(15), list(range(n)))),
        ("person <most quoted> (titles, alongside)", _latency(
            lambda _: store.person(quoted[0]), list(range(n)))),
        ("facets: quotes page, no filter (after a write)", _latency(
            uncached_facets, list(range(max(10, n // 10))))),
        ("facets: quotes page, no filter (cached)", _latency(
            lambda _: store.statement_facets(StatementQuery()), list(range(n)))),
        ("facets: --speaker 'First Last'", _latency(
            lambda s: store.statement_facets(StatementQuery(speaker=str(s))), list(speakers))),
        ("facets: --about WORD", _latency(
            lambda w: store.statement_facets(StatementQuery(about=str(w))), list(words))),
        ("person charts (weeks + outlets)", _latency(
            lambda i: (store.statement_weeks(StatementQuery(speaker_id=int(str(i)))),
                       store.statement_facets(StatementQuery(speaker_id=int(str(i))), 10)),
            [rng.choice(quoted) for _ in range(n)])),
        ("home chart (top speakers by outlet, 7 days)", _latency(
            lambda _: store.top_speakers(7, 8), list(range(n)))),
    ]
    return rows


def page_latencies(store: SQLiteStore, cast: Cast, n: int, rng: random.Random
                   ) -> list[tuple[str, tuple[float, float, float], tuple[float, float, float]]]:
    """Whole pages through the web app (routing, queries, templates), in process: each
    kind warm (whatever earlier requests left kept) and as the first view after a write
    (the kept facet, chart and search results emptied before each request)."""
    from fastapi.testclient import TestClient

    from onrecord.web.app import create_app

    client = TestClient(create_app(store))
    quoted = [p.id for p in store.people(500).items]
    top = quoted[0]
    people = [name for name, _, _ in cast.people]
    named = store.statement_facets(StatementQuery(), 30, kinds=("person", "place"))
    places = [int(f.value) for f in named["place"]]
    persons = [int(f.value) for f in named["person"]]
    sites = [f.value for f in store.statement_facets(StatementQuery(), 12)["outlet"]]
    docs = [d.id for d in store.documents(100).items]

    def get(path: str) -> None:
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)

    def fresh(path: str) -> None:
        store.__dict__.get("_facet_cache", {}).clear()
        get(path)

    def month(_: object) -> str:  # as the month facet links: first to last day
        d = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        last = calendar.monthrange(d.year, d.month)[1]
        return f"/quotes?since={d:%Y-%m}-01&until={d:%Y-%m}-{last}"

    kinds: list[tuple[str, Callable[[object], str]]] = [
        ("/ (home, chart)", lambda _: "/"),
        ("/quotes (facets, no filter)", lambda _: "/quotes"),
        ("/quotes?type=&outlet= (facet links)",
         lambda _: f"/quotes?type=direct&outlet={rng.choice(sites)}"),
        ("/quotes?since=&until= (a month facet)", month),
        ("/quotes?mentions=<place>", lambda _: f"/quotes?mentions={rng.choice(places)}"),
        ("/quotes?mentions=<place>&mentions=<person>",
         lambda _: f"/quotes?mentions={rng.choice(places)}&mentions={rng.choice(persons)}"),
        ("/quotes?speaker_id=<most quoted>", lambda _: f"/quotes?speaker_id={top}"),
        ("/quotes?speaker_id=<most quoted>&mentions=",
         lambda _: f"/quotes?speaker_id={top}&mentions={rng.choice(places)}"),
        ("/quotes?speaker=<First Last>", lambda _: f"/quotes?speaker={rng.choice(people)}"),
        ("/quotes?about=WORD", lambda _: f"/quotes?about={rng.choice(TOPICS)}"),
        ("/people", lambda _: "/people"),
        ("/people/ID (charts)", lambda _: f"/people/{rng.choice(quoted)}"),
        ("/people/<most quoted> (charts)", lambda _: f"/people/{top}"),
        ("/doc/ID (article)", lambda _: f"/doc/{rng.choice(docs)}"),
        ("/search?q=<First Last>", lambda _: f"/search?q={rng.choice(people)}"),
        ("/search?q=WORD", lambda _: f"/search?q={rng.choice(TOPICS)}"),
    ]
    return [(label, _latency(lambda p: get(str(p)), [path(i) for i in range(n)]),
             _latency(lambda p: fresh(str(p)), [path(i) for i in range(n)]))
            for label, path in kinds]


def cli_startup(db: Path, speaker: str, runs: int = 7) -> dict[str, float]:
    """Median whole-process seconds: a bare interpreter, and `onrecord quotes --speaker`."""
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    commands = {"bare": [sys.executable, "-c", "pass"],
                "quotes": [sys.executable, "-m", "onrecord", "quotes", "--db", str(db),
                           "--speaker", speaker],
                "help": [sys.executable, "-m", "onrecord", "--help"]}
    out: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):  # interleaved, so load changes hit all alike
        for key, cmd in commands.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
            out[key].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in out.items()}


# -- report --------------------------------------------------------------------------------


def report_ingest(docs: list[Document], work: Path) -> None:
    """Time the three writers of rows into new databases, and print the table."""
    rows = _rows(docs)
    n_docs, n_st = len(docs), sum(len(d.statements) for d in docs)
    timings = {
        "(a) store writer alone (SQLiteStore.add)": writer_alone(docs, work / "store.db"),
        "(b) raw sqlite3, same schema+FTS, txn/doc": raw_same_schema(rows, work / "raw.db"),
        "(c) raw sqlite3 executemany, bare tables": raw_floor(rows, work / "floor.db"),
    }
    size_mb = os.path.getsize(work / "store.db") / 2**20
    base = timings["(b) raw sqlite3, same schema+FTS, txn/doc"]
    print()
    head = f"{'ingest (pre-extracted, ' + str(n_docs) + ' docs)':<44} {'docs/s':>9} " \
           f"{'stmts/s':>9} {'seconds':>8} {'x (b)':>7}"
    print(head)
    print("-" * len(head))
    for label, secs in timings.items():
        print(f"{label:<44} {n_docs / secs:>9.0f} {n_st / secs:>9.0f} {secs:>8.2f} "
              f"{secs / base:>7.2f}")
    print(f"database: {size_mb:.0f} MB for {n_docs} articles")


def report_end_to_end(sample: list[Document], work: Path) -> None:
    e2e = end_to_end(sample, work)
    print()
    head = f"{'end to end (spaCy + store, ' + str(len(sample)) + ' docs)':<44} " \
           f"{'docs/s':>9} {'stmts/s':>9} {'seconds':>8} {'x extract':>9}"
    print(head)
    print("-" * len(head))
    n_s = sum(len(d.statements) for d in sample)
    for label, key in (("extract alone (nothing stored)", "extract"),
                       ("ingest --jobs 1", "jobs1"),
                       ("ingest --jobs 2 (incl. worker model load)", "jobs2")):
        secs = e2e[key]
        print(f"{label:<44} {len(sample) / secs:>9.1f} {n_s / secs:>9.0f} {secs:>8.2f} "
              f"{secs / e2e['extract']:>9.2f}")
    print("(statements/s counts the generated statements, not those spaCy found)")


def report_queries(db: Path, cast: Cast, n_st: int, queries: int) -> str:
    """Time the store's queries and the app's pages; the most quoted person's name."""
    SQLiteStore(db).close()  # a kept database from an older schema is migrated first
    store = SQLiteStore(db, readonly=True)
    lat = query_latencies(store, cast, queries, random.Random(SEED + 1))
    pages = page_latencies(store, cast, max(20, queries // 4), random.Random(SEED + 2))
    frequent = store.people(1).items[0].name
    store.close()
    print()
    head = f"{f'query ({n_st} statements, first page of 20)':<44} {'p50 ms':>9} {'p95 ms':>9}" \
           f" {'max ms':>8}"
    print(head)
    print("-" * len(head))
    for label, (p50, p95, mx) in lat:
        print(f"{label:<44} {p50:>9.2f} {p95:>9.2f} {mx:>8.1f}")
    print()
    head = f"{f'web page ({n_st} statements, in process)':<46} {'warm p50':>9} {'p95':>7}" \
           f" {'first view p50':>15} {'p95':>7} {'max':>7}"
    print(head)
    print("-" * len(head))
    for label, warm, first in pages:
        print(f"{label:<46} {warm[0]:>9.1f} {warm[1]:>7.1f} {first[0]:>15.1f} {first[1]:>7.1f}"
              f" {max(warm[2], first[2]):>7.1f}")
    return frequent


def report_startup(db: Path, frequent: str) -> None:
    start = cli_startup(db, frequent)
    print()
    head = f"{'whole process, median of 7':<44} {'seconds':>9} {'x bare':>9}"
    print(head)
    print("-" * len(head))
    for label, key in (("(e) python -c pass", "bare"), ("onrecord --help", "help"),
                       (f"onrecord quotes --speaker '{frequent}'", "quotes")):
        print(f"{label:<44} {start[key]:>9.3f} {start[key] / start['bare']:>9.1f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--e2e-docs", type=int, default=200,
                    help="texts for the end-to-end (spaCy) rows; 0 skips them")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="directory to keep the databases in")
    ap.add_argument("--reuse", action="store_true",
                    help="time queries on the store kept in --keep (no ingest rows)")
    args = ap.parse_args(argv)

    n_docs = max(1, args.statements // STATEMENTS_PER_DOC)
    t0 = time.perf_counter()
    docs, cast = generate(n_docs)
    n_st = sum(len(d.statements) for d in docs)
    gen_s = time.perf_counter() - t0
    tmp = tempfile.TemporaryDirectory(prefix="bench-store-")
    work = args.keep or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and args.keep and (work / "store.db").exists()
    print(f"generated {n_docs} articles, {n_st} statements, "
          f"{len({e.name for d in docs for e in d.entities if e.id.startswith('E')})}"
          " speakers quoted, "
          f"{sum(len(d.text) for d in docs) / n_docs:.0f} chars/article ({gen_s:.1f}s); "
          f"SQLite {sqlite3.sqlite_version}, schema v{len(MIGRATIONS)}; in {work}"
          + (" (kept store reused)" if reuse else ""), flush=True)
    if not reuse:
        for old in work.glob("*.db*"):
            old.unlink()
        report_ingest(docs, work)
    if args.e2e_docs and not reuse:
        report_end_to_end(docs[:args.e2e_docs], work)
    frequent = report_queries(work / "store.db", cast, n_st, args.queries)
    report_startup(work / "store.db", frequent)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
