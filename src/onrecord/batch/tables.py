"""The Parquet tables of a batch or an export: their schemas, rows from records and back.

One row layout serves ``onrecord batch``, ``onrecord export --format parquet`` and
``onrecord load``. Columns follow the record model (:mod:`onrecord.record`) field by field,
nested models as structs, so a new record field becomes a column without a change here and
a record read back from the rows is the record that was written. Every table is keyed by
``document``, the SHA-256 of the document text (the store's content hash), and all but
``errors`` are partitioned by ``published``.
"""

from __future__ import annotations

import os
import types
from collections.abc import Iterable, Iterator
from typing import Any, Literal, Union, get_args, get_origin

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from onrecord.record import Document, Entity, Event, Figure, Statement
from onrecord.store.base import content_hash

ITEMS: dict[str, type[BaseModel]] = {"entities": Entity, "statements": Statement,
                                     "figures": Figure, "events": Event}
TABLES = ("documents", *ITEMS, "errors")
PARTITION = "published"
# What the store knew of an exported document; null in batch output.
STORE = pa.struct([("id", pa.string()), ("key", pa.string()), ("version", pa.int64()),
                   ("current", pa.bool_()), ("ingested_at", pa.string())])
ERRORS = pa.schema([("input", pa.string()), ("document", pa.string()), ("kind", pa.string()),
                    ("reason", pa.string()), ("skipped", pa.bool_())])
Tagged = tuple[str, dict[str, Any]]  # (table, row)


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a record field's type annotation."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return arrow_type(inner)
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(arrow_type(args[0]))
    if origin is dict:
        return pa.map_(arrow_type(args[0]), arrow_type(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(_fields(annotation))
    scalars = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    return scalars[annotation]


def _fields(model: type[BaseModel], skip: Iterable[str] = ()) -> list[pa.Field]:
    return [pa.field(name, arrow_type(f.annotation)) for name, f in model.model_fields.items()
            if name not in skip]


def schema(table: str) -> pa.Schema:
    """The columns of ``table``, the partition column included."""
    if table == "errors":
        return ERRORS
    key = pa.field("document", pa.string())
    if table == "documents":
        return pa.schema([key, *_fields(Document, skip=ITEMS), pa.field("store", STORE)])
    return pa.schema([key, pa.field(PARTITION, pa.string()), *_fields(ITEMS[table])])


def record_rows(doc: Document, store: dict[str, Any] | None = None) -> Iterator[Tagged]:
    """The rows of one record in every table but ``errors``."""
    data = doc.model_dump()
    key = content_hash(doc.text)
    yield "documents", {"document": key, **{k: v for k, v in data.items() if k not in ITEMS},
                        "store": store}
    for table in ITEMS:
        for item in data[table]:
            yield table, {"document": key, PARTITION: doc.published, **item}


def error_row(input_name: str, document: str, reason: str, skipped: bool = False
              ) -> Tagged:
    """A document that could not be read or extracted, with the usual ``kind: detail``."""
    kind = reason.split(" (")[0].split(":")[0]
    return "errors", {"input": input_name, "document": document, "kind": kind,
                      "reason": reason, "skipped": skipped}


def record(doc_row: dict[str, Any], items: dict[str, list[dict[str, Any]]]) -> Document:
    """The record again from its ``documents`` row and its rows in the item tables."""
    fields = {k: v for k, v in doc_row.items() if k in Document.model_fields}
    for table, model in ITEMS.items():
        fields[table] = [{k: v for k, v in row.items() if k in model.model_fields}
                         for row in items.get(table, [])]
    return Document.model_validate(fields)


def _write_part(root: str, rows: dict[str, list[dict[str, Any]]], basename: str) -> None:
    for table, table_rows in rows.items():
        if not table_rows:
            continue
        data = pa.Table.from_pylist(table_rows, schema=schema(table))
        if table == "errors":
            os.makedirs(f"{root}/{table}", exist_ok=True)
            pq.write_table(data, f"{root}/{table}/{basename}-0.parquet")
        else:
            pq.write_to_dataset(data, f"{root}/{table}", partition_cols=[PARTITION],
                                basename_template=basename + "-{i}.parquet",
                                existing_data_behavior="overwrite_or_ignore")


def write_parts(root: str, tagged: Iterable[Tagged], prefix: str, chunk: int = 1000) -> None:
    """Rows as part files under ``root/<table>/published=<date>/``, one set per ``chunk``
    documents, named ``<prefix>-<n>``."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    part = 0
    for table, row in tagged:
        rows[table].append(row)
        if table == "documents" and len(rows["documents"]) >= chunk:
            _write_part(root, rows, f"{prefix}-{part:04d}")
            part += 1
            rows = {t: [] for t in TABLES}
    _write_part(root, rows, f"{prefix}-{part:04d}")
