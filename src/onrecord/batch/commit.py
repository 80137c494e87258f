"""Committing batch output so that readers see a whole run or none, and re-runs replace it.

A run writes into ``OUT/_staging-<run>/`` (names starting with ``_`` are skipped by
Parquet readers, Spark's and pyarrow's alike). The commit removes ``OUT/_SUCCESS``, swaps
each staged table in for the old one and writes ``_SUCCESS`` again; ``onrecord load``
refuses output without it. A run that crashes leaves only staging, which the next run
into the same ``OUT`` deletes, so nothing is ever counted twice.
"""

from __future__ import annotations

import os
import shutil
import uuid
from typing import Protocol

SUCCESS = "_SUCCESS"
STAGING = "_staging-"


class Files(Protocol):
    """The few file operations a commit needs (local disk, or Hadoop's FileSystem)."""

    def exists(self, path: str) -> bool: ...
    def listdir(self, path: str) -> list[str]: ...
    def mkdirs(self, path: str) -> None: ...
    def delete(self, path: str) -> None: ...  # recursively; nothing when missing
    def rename(self, src: str, dst: str) -> None: ...
    def touch(self, path: str) -> None: ...


class LocalFiles:
    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def listdir(self, path: str) -> list[str]:
        return os.listdir(path)

    def mkdirs(self, path: str) -> None:
        os.makedirs(path, exist_ok=True)

    def delete(self, path: str) -> None:
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)

    def rename(self, src: str, dst: str) -> None:
        os.replace(src, dst)

    def touch(self, path: str) -> None:
        with open(path, "w", encoding="utf-8"):
            pass


def start(files: Files, out: str) -> str:
    """A new staging directory in ``out``, after deleting what crashed runs left."""
    if files.exists(out):
        for name in files.listdir(out):
            if name.startswith(STAGING):
                files.delete(f"{out}/{name}")
    staging = f"{out}/{STAGING}{uuid.uuid4().hex[:12]}"
    files.mkdirs(staging)
    return staging


def commit(files: Files, staging: str, out: str, tables: tuple[str, ...]) -> None:
    """Replace ``out``'s tables with the staged ones, ``_SUCCESS`` last."""
    files.delete(f"{out}/{SUCCESS}")
    for table in tables:
        files.delete(f"{out}/{table}")
        if files.exists(f"{staging}/{table}"):
            files.rename(f"{staging}/{table}", f"{out}/{table}")
        else:
            files.mkdirs(f"{out}/{table}")
    files.delete(staging)
    files.touch(f"{out}/{SUCCESS}")
