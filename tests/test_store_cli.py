"""The store commands: ingest (idempotent, bad input, --jobs), quotes, search, people, show,
export, each output format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.cli import main

DEMO = Path(__file__).resolve().parents[1] / "src" / "onrecord" / "data" / "demo"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    """A database with three demo articles, published 2025-09-04 (nlp: model loaded once)."""
    root = tmp_path_factory.mktemp("cli")
    inputs = root / "in"
    inputs.mkdir()
    for name in ("summit", "fisheries-deal", "velmar-budget"):
        shutil.copy(DEMO / f"{name}.txt", inputs)
    path = root / "onrecord.db"
    assert main(["ingest", "--db", str(path), "--published", "2025-09-04", str(inputs)]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_again_changes_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ingest", "--db", str(db), str(DEMO / "summit.txt"))
    assert code == 0
    assert "0 stored" in err and "1 unchanged" in err


def test_ingest_bad_input_names_it_and_goes_on(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               nlp: Language) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    good = tmp_path / "good.txt"
    good.write_text("“The ferries will run on time,” Mr Holm said.\n", encoding="utf-8")
    db = tmp_path / "x.db"
    code, _, err = run(capsys, "ingest", "--db", str(db), str(tmp_path / "binary.txt"),
                       str(tmp_path / "missing.txt"), str(good))
    assert code == 1
    lines = err.strip().splitlines()
    assert any("binary.txt" in line for line in lines)
    assert any("missing.txt" in line and "no such file" in line for line in lines)
    assert "1 stored" in lines[-1] and "2 failed" in lines[-1]
    code, out, _ = run(capsys, "quotes", "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(out)[0]["speakers"] == ["Holm"] or json.loads(out)


def test_ingest_with_parallel_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    code, _, err = run(capsys, "ingest", "--db", str(db), "--jobs", "2",
                       str(DEMO / "wind-farm.txt"), str(DEMO / "ferry-link.txt"))
    assert code == 0, err
    assert "2 stored" in err
    code, out, _ = run(capsys, "people", "--db", str(db), "--format", "json")
    names = {p["name"] for p in json.loads(out)}
    assert "Lars Holm" in names
    holm = next(p for p in json.loads(out) if p["name"] == "Lars Holm")
    assert holm["documents"] == 2  # merged across the two articles


def test_quotes_filters_and_formats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quotes", "--db", str(db), "--speaker", "Natarajan",
                       "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows
    assert all("Priya Natarajan" in r["speakers"] for r in rows)

    _, out, _ = run(capsys, "quotes", "--db", str(db), "--type", "direct", "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and {r["type"] for r in lines} == {"direct"}

    _, out, _ = run(capsys, "quotes", "--db", str(db), "--about", "herring", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert table and all("herring" in r["content"].lower() for r in table)
    assert list(table[0]) == ["published", "speakers", "type", "cue", "content", "document"]

    _, out, _ = run(capsys, "quotes", "--db", str(db), "--since", "2025-09-05")
    assert len(out.splitlines()) == 2  # header and rule only: everything is from 09-04
    _, out, _ = run(capsys, "quotes", "--db", str(db), "--until", "2025-09-04", "--limit", "3")
    assert out.splitlines()[0].split()[:3] == ["published", "speakers", "type"]
    assert len(out.splitlines()) == 5


def test_search_people_show_export(db: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "--db", str(db), "tram", "--format", "json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 1 and "\x02tram\x03" in hits[0]["snippet"].lower()
    _, out, _ = run(capsys, "search", "--db", str(db), "tram")
    assert "[tram]" in out.lower()

    _, out, _ = run(capsys, "people", "--db", str(db), "--top", "2", "--format", "csv")
    people = list(csv.DictReader(io.StringIO(out)))
    assert len(people) == 2 and int(people[0]["statements"]) >= int(people[1]["statements"])

    code, out, _ = run(capsys, "show", "--db", str(db), "velmar-budget")
    assert code == 0 and "version 1 of 1, current" in out and "Tomas Reyes" in out
    _, out, _ = run(capsys, "show", "--db", str(db), "velmar-budget", "--format", "json")
    record = json.loads(out)
    assert record["id"] == "velmar-budget" and record["store"]["version"] == 1
    _, out, _ = run(capsys, "show", "--db", str(db), record["store"]["id"], "--format", "csv")
    assert out.startswith("statement,speakers,source,type,cue,content,start,end")
    code, _, err = run(capsys, "show", "--db", str(db), "nope")
    assert code == 1 and "nope: no such document" in err

    out_file = tmp_path / "all.jsonl"
    assert run(capsys, "export", "--db", str(db), "--output", str(out_file))[0] == 0
    exported = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert {r["id"] for r in exported} == {"summit", "fisheries-deal", "velmar-budget"}
    _, out, _ = run(capsys, "export", "--db", str(db), "--format", "json")
    assert [r["id"] for r in json.loads(out)] == [r["id"] for r in exported]
    _, out, _ = run(capsys, "export", "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == sum(len(r["statements"]) for r in exported)
    row = next(r for r in rows if r["document"] == record["store"]["id"])
    text = record["text"]
    assert text[int(row["start"]):int(row["end"])] == row["content"] and row["speakers"]

    import pyarrow.dataset as ds

    pq_dir = tmp_path / "parquet"
    assert run(capsys, "export", "--db", str(db), "--format", "parquet", "-o", str(pq_dir))[0] == 0
    documents = ds.dataset(pq_dir / "documents", partitioning="hive").to_table()
    assert documents.num_rows == 3 and "store" in documents.column_names
    statements = ds.dataset(pq_dir / "statements", partitioning="hive").to_table().to_pylist()
    assert statements and {"document", "content", "speakers"} <= set(statements[0])


def test_read_commands_on_a_missing_or_corrupt_database(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "quotes", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no database" in err
    bad = tmp_path / "bad.db"
    bad.write_text("hello")
    code, _, err = run(capsys, "people", "--db", str(bad))
    assert code == 1 and "not an SQLite database" in err
    assert bad.read_text() == "hello"
