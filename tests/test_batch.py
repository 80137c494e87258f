"""`onrecord batch` (local and Spark engines), `onrecord load`, and the Parquet tables they share.

The inputs are built here: WARC archives of news pages with quotes, figures, dates and
events, one archive ending in a corrupt record, and JSON Lines with a text that crashes
the parser (a lone surrogate, which spaCy cannot encode).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from spacy.language import Language
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.batch.load import read_records
from onrecord.batch.tables import ITEMS, record, record_rows, schema
from onrecord.cli import main
from onrecord.nlp.pipeline import extract
from onrecord.record import Document
from onrecord.store.base import content_hash

PEOPLE = [("Tomas Reyes", "Mayor"), ("Anna Berg", "Councillor"), ("Carla Mendes", "Minister"),
          ("Erik Lund", "Governor"), ("Priya Natarajan", "Senator"), ("Jonas Novak", "Judge")]
THINGS = ["harbour bridge", "school roof", "railway station", "city library", "ferry pier",
          "water plant"]
PLACES = ["Velmar", "Ostby", "Kerrin", "Dunmore", "Halvik", "Brenna", "Sorrel"]


def page(n: int) -> bytes:
    """A distinct news page with two quotes, reported speech, figures, dates and events."""
    name, role = PEOPLE[n % len(PEOPLE)]
    other, other_role = PEOPLE[(n + 1) % len(PEOPLE)]
    thing, place = THINGS[n % len(THINGS)], PLACES[n % len(PLACES)]
    body = (f"<p>“The {thing} in {place} will reopen in the spring, and we will not cut "
            f"corners,” {role} {name} said on Tuesday after meeting engineers.</p>"
            f"<p>{other_role} {other} told reporters that the repairs would cost {n + 3} "
            f"million euros and that storms had delayed the work on the {thing}.</p>"
            f"<p>According to {name}, about {40 + n} workers will be hired in {place}, "
            f"where the council approved the plan on Monday by {n + 5} votes to 2.</p>"
            f"<p>“This is a good day for {place},” Mr {name.split()[-1]} added.</p>")
    return (f"<html><head><title>{place}: the {thing} will reopen</title>"
            f'<meta property="article:published_time" '
            f'content="2025-0{n % 3 + 1}-1{n % 9}T09:00:00Z"></head>'
            f"<body><article><h1>The {thing} will reopen</h1>{body}</article></body>"
            f"</html>").encode()


def warc(pages: range) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for n in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://news{n}.example.com/story/{n}", "response", payload=io.BytesIO(page(n)),
            http_headers=headers))
    return buf.getvalue()


WIRE = ("“We will keep the ferry running all winter,” Transport Minister Ingrid Jensen said on "
        "Friday in Halvik.\nShe told reporters that 12 new crew members had been hired.\n")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("inputs")
    (d / "crawl-1.warc.gz").write_bytes(warc(range(0, 4)))
    # Record 3 of this archive is corrupt: the two before it stand.
    (d / "crawl-2.warc.gz").write_bytes(warc(range(4, 6)) + b"not a WARC record\r\n\r\n")
    (d / "wire.jsonl").write_text(
        json.dumps({"id": "wire-1", "text": WIRE, "published": "2025-02-07"}) + "\n",
        encoding="utf-8")
    (d / "bad.jsonl").write_text(
        json.dumps({"id": "ok", "text": WIRE.replace("Friday", "Sunday")}) + "\n"
        + json.dumps({"id": "bad", "text": "The mayor said \ud800 the plan was good."}) + "\n",
        encoding="utf-8")
    return d


def _table(out: Path, table: str) -> list[dict[str, object]]:
    partitioning = None if table == "errors" else "hive"
    data = ds.dataset(out / table, format="parquet", partitioning=partitioning)
    return data.to_table().to_pylist()


def _statement_keys(rows: list[dict]) -> set[tuple]:
    return {(r["document"], r["id"], r["type"], r["content"]["start"], r["content"]["end"],
             r["content"]["text"], r["cue"] and r["cue"]["text"],
             r["source"] and r["source"]["text"], tuple(r["speakers"]), r["parent"])
            for r in rows}


def _extracted(capsys: pytest.CaptureFixture[str], files: list[Path]) -> list[Document]:
    assert main(["extract", "--format", "json", *map(str, files)]) == 1  # the corrupt record
    return [Document.model_validate(d) for d in json.loads(capsys.readouterr().out)]


def _loads(stderr: str) -> int:
    found = re.search(r"model loaded (\d+)x", stderr)
    assert found, stderr
    return int(found.group(1))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None,
                    reason="PySpark needs Java 17+ (.ci/run installs openjdk-17-jre-headless)")
def test_spark_local2_statements_equal_extract_and_failures_are_rows(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = [inputs / "crawl-1.warc.gz", inputs / "crawl-2.warc.gz", inputs / "wire.jsonl"]
    expected = _extracted(capsys, good)
    assert len(expected) == 7 and sum(len(d.statements) for d in expected) >= 25
    assert not any(d.copy_group for d in expected)  # per-file batches see the same copies

    out = tmp_path / "spark"
    code = main(["batch", "--engine", "spark", "--master", "local[2]", "--out", str(out),
                 str(inputs / "crawl-1.warc.gz"), f"file://{inputs / 'crawl-2.warc.gz'}",
                 str(inputs / "wire.jsonl"), str(inputs / "bad.jsonl")])
    err = capsys.readouterr().err
    assert code == 1, err  # the job finished, with two documents failed
    assert (out / "_SUCCESS").exists() and not list(out.glob("_staging-*"))

    want = _statement_keys([{"document": content_hash(d.text), **st.model_dump()}
                            for d in expected for st in d.statements])
    got = _statement_keys(_table(out, "statements"))
    ok_doc = content_hash(WIRE.replace("Friday", "Sunday"))
    assert got - want and all(k[0] == ok_doc for k in got - want)  # bad.jsonl's good line
    assert {k for k in got if k[0] != ok_doc} == want

    records = {d.id: d for d in read_records(str(out))}
    assert [records[d.id] for d in expected] == expected  # whole records, not only statements

    errors = {(e["document"], e["kind"]) for e in _table(out, "errors")}
    assert errors == {
        ("file:" + str(inputs / "crawl-2.warc.gz") + " record 3", "broken WARC record"),
        (f"{inputs / 'bad.jsonl'}:2 (bad)", "extraction failed"),
    }
    assert "bad.jsonl:2 (bad): extraction failed (UnicodeEncodeError" in err
    assert "8 extracted, 0 skipped, 2 failed" in err
    # Once per Python worker, not per record (10) or per file (7); Spark may start a fresh
    # worker for a later stage, so up to two per core.
    assert 1 <= _loads(err) <= 4

    local = tmp_path / "local"
    code = main(["batch", "--engine", "local", "--jobs", "2", "--out", str(local),
                 *(str(inputs / f) for f in ("crawl-1.warc.gz", "crawl-2.warc.gz",
                                             "wire.jsonl", "bad.jsonl"))])
    assert code == 1
    assert sorted(read_records(str(local)), key=lambda d: d.id) == sorted(
        records.values(), key=lambda d: d.id)
    for table in ("statements", "entities", "figures", "events"):
        assert pa.Table.from_pylist(_table(local, table)).num_rows == len(_table(out, table))


def test_local_engine_records_failures_and_goes_on(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["batch", "--jobs", "1", "--out", str(out), str(inputs / "bad.jsonl"),
                 str(inputs / "crawl-2.warc.gz"), str(tmp_path / "missing.warc.gz")])
    err = capsys.readouterr().err
    assert code == 1
    assert "3 extracted, 0 skipped, 3 failed (" in err and "model loaded 1x" in err
    kinds = sorted(e["kind"] for e in _table(out, "errors"))
    assert kinds == ["broken WARC record", "extraction failed", "no such file"]
    docs = _table(out, "documents")
    assert {d["published"] for d in docs} == {"2025-02-14", "2025-03-15", None}
    assert (out / "documents" / "published=2025-02-14").is_dir()


def test_load_is_idempotent_and_export_round_trips(
        inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, db = tmp_path / "out", tmp_path / "one.db"
    assert main(["batch", "--jobs", "1", "--out", str(out), str(inputs / "crawl-1.warc.gz"),
                 str(inputs / "wire.jsonl")]) == 0
    capsys.readouterr()
    assert main(["load", str(out), "--db", str(db)]) == 0
    assert "5 stored, 0 new versions, 0 unchanged" in capsys.readouterr().err
    assert main(["load", str(out), "--db", str(db)]) == 0
    assert "0 stored, 0 new versions, 5 unchanged" in capsys.readouterr().err

    assert main(["quotes", "--db", str(db), "--speaker", "Jensen", "--format", "json"]) == 0
    quotes = json.loads(capsys.readouterr().out)
    assert quotes and quotes[0]["speakers"] == ["Ingrid Jensen"]

    exported, db2 = tmp_path / "export", tmp_path / "two.db"
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(exported)]) == 0
    assert main(["load", str(exported), "--db", str(db2)]) == 0
    assert "5 stored" in capsys.readouterr().err
    stores = [row["store"] for row in _table(exported, "documents")]
    assert all(s and s["version"] == 1 and s["current"] for s in stores)
    assert (sorted(read_records(str(exported)), key=lambda d: d.id)
            == sorted(read_records(str(out)), key=lambda d: d.id))


def test_load_refuses_output_that_was_never_committed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "half" / "documents").mkdir(parents=True)
    assert main(["load", str(tmp_path / "half"), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "_SUCCESS missing" in err and len(err.strip().splitlines()) == 1


def test_tables_give_back_the_record(nlp: Language) -> None:
    text = Path(__file__).resolve().parents[1] / "src/onrecord/data/demo/summit.txt"
    doc = extract(text.read_text(encoding="utf-8"), "summit", published="2025-11-20", nlp=nlp)
    assert doc.statements and doc.figures and doc.events and doc.dates
    tables: dict[str, list[dict]] = {}
    for table, row in record_rows(doc):
        tables.setdefault(table, []).append(row)
    back = {t: pa.Table.from_pylist(rows, schema=schema(t)).to_pylist(maps_as_pydicts="strict")
            for t, rows in tables.items()}
    assert record(back["documents"][0], {t: back.get(t, []) for t in ITEMS}) == doc


N_FILES = 30


@pytest.mark.slow
def test_a_run_killed_before_commit_leaves_the_last_output_and_a_rerun_counts_once(
        tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(N_FILES):
        (inputs / f"crawl-{i:02d}.warc.gz").write_bytes(warc(range(2 * i, 2 * i + 2)))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "onrecord.cli", "batch", "--jobs", "2", "--out", str(out)]
    first = subprocess.run([*cmd, str(inputs / "crawl-00.warc.gz")], capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr

    proc = subprocess.Popen([*cmd, str(inputs)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while not list(out.glob("_staging-*/documents/*/*.parquet")):
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline, "no part file in two minutes"
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert list(out.glob("_staging-*")), "the run finished before the kill; test proves nothing"
    # Readers still see the last committed run, whole.
    assert (out / "_SUCCESS").exists() and len(list(read_records(str(out)))) == 2

    again = subprocess.run([*cmd, str(inputs)], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert not list(out.glob("_staging-*"))
    keys = [r["document"] for r in _table(out, "documents")]
    assert len(keys) == 2 * N_FILES == len(set(keys))
    statements = [(r["document"], r["id"]) for r in _table(out, "statements")]
    assert len(statements) == len(set(statements)) >= 4 * 2 * N_FILES
