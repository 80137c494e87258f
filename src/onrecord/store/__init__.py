"""The record store: documents, people, statements and full-text search, queried by CLI and web.

Callers use :func:`open_store` and the :class:`~onrecord.store.base.Store` interface only.
"""

from __future__ import annotations

from pathlib import Path

from onrecord.store.base import (
    AddResult,
    CorruptDatabase,
    DatabaseLocked,
    QueryError,
    ReadOnlyDatabase,
    StatementQuery,
    Store,
    StoreError,
)
from onrecord.store.sqlite import SQLiteStore, default_db_path

__all__ = ["AddResult", "CorruptDatabase", "DatabaseLocked", "QueryError", "ReadOnlyDatabase",
           "SQLiteStore", "StatementQuery", "Store", "StoreError", "default_db_path",
           "open_store"]


def open_store(path: str | Path | None = None, readonly: bool = False) -> Store:
    """The store at ``path`` (default: :func:`default_db_path`), created when writable."""
    return SQLiteStore(path or default_db_path(), readonly=readonly)
