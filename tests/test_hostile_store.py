"""Processes opening one new database at the same moment all get a working store."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

from onrecord.store.sqlite import MIGRATIONS, SQLiteStore


def _open(path: str, barrier: object, errors: object) -> None:
    barrier.wait(10)  # type: ignore[attr-defined]
    try:
        SQLiteStore(path).close()
    except Exception as exc:  # noqa: BLE001 (reported to the test)
        errors.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


def test_simultaneous_opens_of_a_new_database(tmp_path: Path):
    ctx = mp.get_context("fork")
    errors = ctx.Queue()
    for trial in range(12):
        path = str(tmp_path / f"race-{trial}.db")
        barrier = ctx.Barrier(4)
        procs = [ctx.Process(target=_open, args=(path, barrier, errors)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
        with sqlite3.connect(path) as con:
            assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
