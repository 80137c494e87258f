"""``onrecord load DIR``: the records in batch (or export) output, into the store.

Output without ``_SUCCESS`` is refused: it is a run that has not committed. Records are
rebuilt from the tables one publication date at a time, so memory holds a day's
documents, and stored as ``ingest`` stores them: a text already in the store is left as
it is, so loading twice stores nothing new.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from onrecord.batch.commit import SUCCESS
from onrecord.batch.tables import ITEMS, PARTITION, record, schema
from onrecord.record import Document
from onrecord.store.base import Store
from onrecord.store.loader import IngestReport


class IncompleteOutput(ValueError):
    """The directory holds no committed batch output."""


def _dataset(out: str, table: str) -> ds.Dataset:
    partitioning = (None if table == "errors" else
                    ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive"))
    return ds.dataset(f"{out}/{table}", schema=schema(table), format="parquet",
                      partitioning=partitioning)


def _rows(data: ds.Dataset, date: str | None) -> list[dict[str, Any]]:
    field = ds.field(PARTITION)
    where = field.is_null() if date is None else field == date
    return data.to_table(filter=where).to_pylist(maps_as_pydicts="strict")


def read_records(out: str) -> Iterator[Document]:
    """Every record in the committed output under ``out``, by publication date."""
    if not os.path.exists(os.path.join(out, SUCCESS)):
        raise IncompleteOutput(f"{out}: no committed batch output here ({SUCCESS} missing); "
                               "run the batch again")
    docs = _dataset(out, "documents")
    items = {table: _dataset(out, table) for table in ITEMS}
    dates = set(docs.to_table(columns=[PARTITION]).column(PARTITION).unique().to_pylist())
    for date in sorted(dates, key=lambda d: (d is None, d or "")):
        grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
        for table, data in items.items():
            seen: set[tuple[str, str]] = set()
            for row in _rows(data, date):
                # The same text twice in a batch repeats its rows: keep each item once.
                if (row["document"], row["id"]) not in seen:
                    seen.add((row["document"], row["id"]))
                    grouped[row["document"]].setdefault(table, []).append(row)
        done: set[str] = set()
        for row in _rows(docs, date):
            if row["document"] not in done:
                done.add(row["document"])
                yield record(row, grouped[row["document"]])


def errors_recorded(out: str) -> int:
    """How many documents the run could not read or extract (the ``errors`` table)."""
    return _dataset(out, "errors").count_rows(filter=~ds.field("skipped"))


def load(store: Store, out: str) -> IngestReport:
    """Store every record in ``out``; texts already stored are left unchanged."""
    report = IngestReport()
    for doc in read_records(out):
        report.count(store.add(doc))
    if report.added or report.new_versions:
        store.optimize()
    return report
