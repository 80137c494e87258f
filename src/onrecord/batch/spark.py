"""``onrecord batch --engine spark``: the same work on Apache Spark, one input file per task.

Local paths become one partition each and are read on the executor (they must be visible
there: ``local[*]``, or a shared file system); URIs are read by Spark (``binaryFiles``),
which hands each file's bytes to an executor. A partition's files are streamed through
:func:`onrecord.batch.records.unit_rows` in a Python worker that loads the model on its
first task and keeps it for the next ones (``spark.python.worker.reuse``, on by default),
so the model loads once per executor core, never per record. Failures are rows of the
``errors`` table; the tagged rows are kept (memory, then disk) while Spark's own writers
put each table in the run's staging directory, and the driver commits through Hadoop's
FileSystem (see :mod:`onrecord.batch.commit`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from functools import partial
from operator import itemgetter
from typing import Any

from pyspark import RDD, StorageLevel
from pyspark.accumulators import Accumulator
from pyspark.sql import SparkSession
from pyspark.sql.pandas.types import from_arrow_schema

from onrecord.batch import commit
from onrecord.batch.inputs import Unit, is_uri, local_files
from onrecord.batch.records import unit_rows
from onrecord.batch.report import Report
from onrecord.batch.tables import PARTITION, TABLES, Tagged, error_row, schema


def session(master: str | None, conf: dict[str, str]) -> SparkSession:
    """The Spark session: ``master`` if given, spark-submit's if launched by it, else
    ``local[*]``. A local session listens on the loopback address only and its Python
    workers run this interpreter (the one with onrecord and the model installed)."""
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"
    builder = SparkSession.builder.appName("onrecord batch")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        for key, value in (("spark.driver.host", "127.0.0.1"),
                           ("spark.driver.bindAddress", "127.0.0.1"),
                           ("spark.ui.enabled", "false")):
            builder = builder.config(key, value)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class HadoopFiles:
    """Commit operations through Hadoop's FileSystem, for any URI the cluster can write."""

    def __init__(self, spark: SparkSession) -> None:
        jvm = spark.sparkContext._jvm
        assert jvm is not None
        self._path = jvm.org.apache.hadoop.fs.Path
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _fs(self, path: str) -> tuple[Any, Any]:
        p = self._path(path)
        return p.getFileSystem(self._conf), p

    def exists(self, path: str) -> bool:
        fs, p = self._fs(path)
        return bool(fs.exists(p))

    def listdir(self, path: str) -> list[str]:
        fs, p = self._fs(path)
        return [str(s.getPath().getName()) for s in fs.listStatus(p)]

    def mkdirs(self, path: str) -> None:
        fs, p = self._fs(path)
        fs.mkdirs(p)

    def delete(self, path: str) -> None:
        fs, p = self._fs(path)
        fs.delete(p, True)

    def rename(self, src: str, dst: str) -> None:
        fs, p = self._fs(src)
        if not fs.rename(p, self._path(dst)):
            raise OSError(f"cannot rename {src} to {dst}")

    def touch(self, path: str) -> None:
        fs, p = self._fs(path)
        fs.create(p, True).close()

    def matches(self, pattern: str) -> bool:
        fs, p = self._fs(pattern)
        found = fs.globStatus(p)
        return found is not None and len(found) > 0


def _partition(units: Iterable[tuple[str, bytes | None]], loads: Accumulator[int]
               ) -> Iterator[Tagged]:
    """The rows of a partition's files, with the model this Python worker keeps."""
    from onrecord.nlp import model

    for name, data in units:
        if not model.load.cache_info().currsize:
            loads.add(1)
        yield from unit_rows(Unit(name, data), model.load())


def _is(table: str, row: Tagged) -> bool:
    return row[0] == table


def _summary(rows: Iterable[Tagged]) -> Iterator[Report]:
    """A partition's share of the run's report: its documents and its failures."""
    report = Report()
    for table, row in rows:
        if table == "documents":
            report.documents += 1
        elif table == "errors":
            report.error(row["document"], row["reason"], row["kind"], row["skipped"])
    yield report


def run_spark(spark: SparkSession, inputs: list[str], out: str) -> Report:
    """Extract ``inputs`` on the session's cluster into the tables under ``out``."""
    started = time.perf_counter()
    sc = spark.sparkContext
    files = HadoopFiles(spark)
    staging = commit.start(files, out)
    local = local_files([i for i in inputs if not is_uri(i)])
    uris = [i for i in inputs if is_uri(i)]
    found = [u for u in uris if files.matches(u)]
    parts: list[RDD[tuple[str, bytes | None]]] = [
        sc.binaryFiles(u, minPartitions=sc.defaultParallelism) for u in found]
    if local:
        parts.append(sc.parallelize([(f, None) for f in local], len(local)))
    loads = sc.accumulator(0)
    units = sc.union(parts) if parts else sc.parallelize([], 1)
    tagged = units.mapPartitions(lambda it: _partition(it, loads))
    missing = [error_row(u, u, "no such file") for u in uris if u not in found]
    if missing:
        tagged = tagged.union(sc.parallelize(missing, 1))
    tagged.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        # Extract here, a task per input partition, counting for the report in the same
        # pass (each pass over the kept rows costs seconds); then write with one writer
        # per core, not per input file: each writer leaves a file per date and table (and
        # on a local file system forks a chmod for each).
        report = Report()
        for part in tagged.mapPartitions(_summary).collect():
            report.add(part)
        for table in TABLES:
            # Coalesced before the Python steps, so they run once per writer rather than
            # once per kept partition (a fifth of a second each here).
            rows = tagged.coalesce(sc.defaultParallelism).filter(partial(_is, table)).map(
                itemgetter(1))
            frame = spark.createDataFrame(rows, from_arrow_schema(schema(table)))
            writer = frame.write.mode("overwrite")
            if table != "errors":
                writer = writer.partitionBy(PARTITION)
            writer.parquet(f"{staging}/{table}")
    finally:
        tagged.unpersist()
    commit.commit(files, staging, out, TABLES)
    report.model_loads = loads.value
    report.seconds = time.perf_counter() - started
    return report
