"""`onrecord ingest` killed with SIGKILL mid-batch, then run again: each document stored once.

A real subprocess over many small documents; the test watches the database and kills
the whole process group (workers too, with --jobs 2) once the first few documents are
committed, then checks the database is healthy and that a second run stores exactly the
rest, each document once and whole (its statements, its full-text rows).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_DOCS = 80
KILL_AFTER = 3  # documents committed before the kill


def _onrecord() -> list[str]:
    return [sys.executable, "-m", "onrecord.cli"]


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(con.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet, or mid-migration
        return 0


def _documents(tmp: Path) -> Path:
    inputs = tmp / "in"
    inputs.mkdir()
    for i in range(N_DOCS):
        (inputs / f"note-{i:03d}.txt").write_text(
            f"“The harbour plan number {i} will cost {i + 3} million euros,” Mayor Tomas "
            f"Reyes said on Tuesday.\nCouncillor Anna Berg said the vote on item {i} was "
            "close.\n", encoding="utf-8")
    return inputs


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_mid_batch_then_rerun_stores_each_document_once(tmp_path: Path,
                                                                jobs: int) -> None:
    inputs = _documents(tmp_path)
    db = tmp_path / "onrecord.db"
    cmd = [*_onrecord(), "ingest", "--db", str(db), "--jobs", str(jobs), str(inputs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while _count(db) < KILL_AFTER:
            assert proc.poll() is None, proc.communicate()[1].decode()
            assert time.monotonic() < deadline, "ingest stored nothing in two minutes"
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    stored = _count(db)
    assert KILL_AFTER <= stored < N_DOCS, "the batch finished before the kill; test proves nothing"

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert (f"{N_DOCS} documents read, {N_DOCS - stored} stored, 0 new versions, "
            f"{stored} unchanged, 0 failed") in again.stderr

    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
        con.execute("INSERT INTO statements_fts (statements_fts) VALUES ('integrity-check')")
        rows = con.execute("SELECT source_id, COUNT(*) FROM documents GROUP BY source_id"
                           ).fetchall()
        assert len(rows) == N_DOCS and all(n == 1 for _, n in rows)
        assert {r[0] for r in rows} == {f"note-{i:03d}" for i in range(N_DOCS)}
        # Every document is whole: its statements and their speakers came with it.
        per_doc = con.execute(
            "SELECT d.source_id, COUNT(s.pk) FROM documents d LEFT JOIN statements s"
            " ON s.doc = d.pk GROUP BY d.pk").fetchall()
        assert all(n == 2 for _, n in per_doc), [r for r in per_doc if r[1] != 2][:5]
        speakers = con.execute("SELECT COUNT(*) FROM statement_speakers").fetchone()[0]
        assert speakers == 2 * N_DOCS
        fts = con.execute("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH"
                          " 'harbour'").fetchone()[0]
        assert fts == N_DOCS
    finally:
        con.close()

    third = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert third.returncode == 0
    assert f"0 stored, 0 new versions, {N_DOCS} unchanged" in third.stderr
