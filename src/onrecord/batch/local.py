"""``onrecord batch --engine local``: one machine, a pool of processes, one input file each.

Each worker loads the model once, takes whole files, and writes each chunk's rows as
Parquet part files into the run's staging directory; the main process commits when
every file is done (see :mod:`onrecord.batch.commit`). ``export --format parquet``
writes its tables the same way.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from onrecord.batch import commit
from onrecord.batch.inputs import CHUNK, Unit
from onrecord.batch.records import unit_rows
from onrecord.batch.report import Report
from onrecord.batch.tables import TABLES, Tagged, record_rows, write_parts
from onrecord.record import Document
from onrecord.workers import exit_with_parent


def _worker_init() -> None:
    """Each worker ignores Ctrl-C (the parent stops the pool), exits if the parent dies,
    and loads the model once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()
    from onrecord.nlp import model

    model.load()


def run_unit(index: int, name: str, staging: str) -> tuple[Report, int]:
    """Extract one file into part files under ``staging``; its report and this pid."""
    from onrecord.nlp import model

    report = Report()

    def counted(rows: Iterable[Tagged]) -> Iterator[Tagged]:
        for table, row in rows:
            if table == "documents":
                report.documents += 1
            elif table == "errors":
                report.error(row["document"], row["reason"], row["kind"], row["skipped"])
            yield table, row

    write_parts(staging, counted(unit_rows(Unit(name), model.load())), f"part-{index:05d}",
                CHUNK)
    return report, os.getpid()


def _run_unit(args: tuple[int, str, str]) -> tuple[Report, int]:
    return run_unit(*args)


def run_local(files: list[str], out: str, jobs: int) -> Report:
    """Extract ``files`` with ``jobs`` processes into the tables under ``out``."""
    started = time.perf_counter()
    disk = commit.LocalFiles()
    staging = commit.start(disk, out)
    work = [(i, name, staging) for i, name in enumerate(files)]
    report, pids = Report(), set()

    def collect(results: Iterable[tuple[Report, int]]) -> None:
        for one, pid in results:
            report.add(one)
            pids.add(pid)

    if jobs <= 1:
        collect(map(_run_unit, work))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            collect(pool.map(_run_unit, work))
    report.model_loads = len(pids)
    commit.commit(disk, staging, out, TABLES)
    report.seconds = time.perf_counter() - started
    return report


def write_records(records: Iterable[tuple[Document, dict[str, Any] | None]], out: str) -> None:
    """Records (with what the store knows of each) as the tables under ``out``."""
    disk = commit.LocalFiles()
    staging = commit.start(disk, out)
    write_parts(staging, (row for doc, store in records for row in record_rows(doc, store)),
                "part-00000", CHUNK)
    commit.commit(disk, staging, out, TABLES)
