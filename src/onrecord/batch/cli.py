"""`onrecord batch` (a crawl's worth of inputs to Parquet tables) and `onrecord load`."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import closing

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _conf(pairs: list[str]) -> dict[str, str] | str:
    """``KEY=VALUE`` settings as a dict, or the one that is not."""
    conf = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not (key and eq):
            return pair
        conf[key] = value
    return conf


def _usage(message: str) -> int:
    print(f"onrecord: {message}", file=sys.stderr)
    return EXIT_USAGE


def cmd_batch(args: argparse.Namespace) -> int:
    from onrecord.batch.inputs import is_uri
    from onrecord.batch.report import Report

    conf = _conf(args.conf or [])
    if isinstance(conf, str):
        return _usage(f"--conf {conf!r}: expected KEY=VALUE")
    report: Report
    if args.engine == "local":
        remote = [i for i in [*args.inputs, args.out] if is_uri(i)]
        if remote:
            return _usage(f"{remote[0]}: --engine local reads and writes local paths; "
                          "use --engine spark for URIs")
        if args.master or conf:
            return _usage("--master and --conf are for --engine spark")
        if args.jobs < 1:
            return _usage("--jobs must be at least 1")
        from onrecord.batch.inputs import local_files
        from onrecord.batch.local import run_local

        report = run_local(local_files(args.inputs), args.out, args.jobs)
    else:
        from onrecord.batch.spark import run_spark, session

        started = time.perf_counter()
        spark = session(args.master, conf)
        print(f"onrecord: Spark {spark.version} on {spark.sparkContext.master} started in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        try:
            report = run_spark(spark, args.inputs, args.out)
        finally:
            spark.stop()
    for line in report.failures:
        print(f"onrecord: {line}", file=sys.stderr)
    if report.failed > len(report.failures):
        print(f"onrecord: ... and {report.failed - len(report.failures)} more failures in "
              f"{args.out}/errors", file=sys.stderr)
    print(report.summary(args.out), file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    import pyarrow as pa

    from onrecord.batch.load import IncompleteOutput, errors_recorded, load
    from onrecord.store import open_store

    with closing(open_store(args.db, readonly=False)) as store:
        try:
            report = load(store, args.dir)
            errors = errors_recorded(args.dir)
        except (IncompleteOutput, OSError, pa.ArrowException) as exc:
            print(f"onrecord: {exc}", file=sys.stderr)
            return EXIT_FAILED
    print(f"onrecord: {args.dir}: {report.added} stored, {report.new_versions} new versions, "
          f"{report.unchanged} unchanged; the batch recorded {errors} failed documents "
          f"({store.path})", file=sys.stderr)
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction, db_help: str) -> None:
    ba = sub.add_parser("batch", help="extract WARC, JSON Lines and HTML files into Parquet "
                                      "tables, on this machine or on Spark")
    ba.add_argument("inputs", nargs="+", metavar="INPUT",
                    help="files or directories; with --engine spark also URIs Spark reads "
                         "(hdfs://, s3a://, file://, with globs)")
    ba.add_argument("--out", required=True, metavar="DIR",
                    help="output directory (a URI with --engine spark); a re-run replaces it")
    ba.add_argument("--engine", choices=("local", "spark"), default="local")
    ba.add_argument("--jobs", "-j", type=int, default=2,
                    help="--engine local: worker processes (default 2)")
    ba.add_argument("--master", help="--engine spark: master URL (default: spark-submit's, "
                                     "else local[*])")
    ba.add_argument("--conf", action="append", metavar="KEY=VALUE",
                    help="--engine spark: a Spark setting (repeatable)")
    ba.set_defaults(func=cmd_batch)

    lo = sub.add_parser("load", help="store the records of batch or export output")
    lo.add_argument("dir", metavar="DIR", help="the --out directory of `onrecord batch`")
    lo.add_argument("--db", help=db_help)
    lo.set_defaults(func=cmd_load)
