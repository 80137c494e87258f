"""The command line: output formats, input order, and bad inputs reported one line each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.cli import main

ARTICLE = "“We will rebuild the school by autumn,” Headteacher Rosa Diaz said on Friday.\n"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_jsonl_one_object_per_input_in_order(tmp_path, capsys, nlp):
    a = write(tmp_path, "a.txt", ARTICLE.encode())
    b = write(tmp_path, "b.txt", b"Nothing was said here.\n")
    assert main(["extract", "--format", "jsonl", a, b]) == 0
    lines = capsys.readouterr().out.splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["id"] for d in docs] == ["a", "b"]
    assert docs[0]["text"] == ARTICLE  # a .txt file's text is its content unchanged
    st = docs[0]["statements"][0]
    assert st["type"] == "direct" and st["cue"]["text"] == "said"
    speaker = next(e for e in docs[0]["entities"] if e["id"] == st["speakers"][0])
    assert speaker["name"] == "Rosa Diaz"
    assert docs[0]["published"] is None


def test_table_and_published(tmp_path, capsys, nlp):
    a = write(tmp_path, "a.txt", ARTICLE.encode())
    assert main(["extract", "--published", "2025-09-04", a]) == 0
    out = capsys.readouterr().out
    assert "Rosa Diaz" in out and "direct" in out


def test_stdin(monkeypatch, capsys, nlp):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    assert main(["extract", "--format", "json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["id"] == "stdin" and doc["statements"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty document"),
        ("blank.txt", b"  \n\n", "empty document"),
        ("binary.txt", b"\x00\x01\x02PNG\x00" * 20, "binary file"),
        ("latin1.txt", "Café crème said the chef.".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_input_one_line_and_the_rest_goes_on(tmp_path, capsys, nlp, name, data, reason):
    bad = write(tmp_path, name, data)
    good = write(tmp_path, "good.txt", ARTICLE.encode())
    assert main(["extract", "--format", "jsonl", bad, good]) == 1
    captured = capsys.readouterr()
    err = [line for line in captured.err.splitlines() if name in line]
    assert len(err) == 1 and reason in err[0]
    assert "1 failed" in captured.err.splitlines()[-1]  # the batch summary
    assert "Traceback" not in captured.err
    assert [json.loads(x)["id"] for x in captured.out.splitlines()] == ["good"]


def test_missing_file(tmp_path, capsys, nlp):
    assert main(["extract", str(tmp_path / "nope.txt")]) == 1
    err = capsys.readouterr().err
    assert "nope.txt" in err and "no such file" in err


def test_bad_published_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract", "--published", "yesterday", "x.txt"])
    assert exc.value.code == 2


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason="shared reference data not present")
def test_seed_eval_meets_the_bar(capsys, nlp):
    from onrecord.eval.seed import run_seed_eval

    assert run_seed_eval(None, SHARED) == 0
    out = capsys.readouterr().out
    found = int(out.split("right speakers ")[1].split()[0])
    false_hits = int(out.split("false hits ")[1].split()[0])
    assert found >= 32 and false_hits <= 3
    assert "boilerplate/scare hits 0" in out
    assert "people with full name and titles: 10/10" in out


def test_text_too_long_to_parse_is_refused(tmp_path, capsys, nlp):
    huge = write(tmp_path, "huge.txt", ("The council met again. " * 60_000).encode())
    good = write(tmp_path, "good.txt", ARTICLE.encode())
    assert main(["extract", "--format", "jsonl", huge, good]) == 1
    captured = capsys.readouterr()
    assert "huge.txt" in captured.err and "too long" in captured.err
    assert [json.loads(x)["id"] for x in captured.out.splitlines()] == ["good"]
