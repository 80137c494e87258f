"""Batch throughput: `onrecord extract` in one process against `onrecord batch` on 1 and 2 cores.

    .venv/bin/python bench/bench_batch.py [--docs 2000] [--files 40] [--days 30] [--no-pin]
                                          [--keep DIR]

The articles are bench_store.py's generated ones (ten attributed statements each, about
2,000 speakers), each as an HTML page from one of 20 sites, published over ``--days``
days (30: a month's crawl), packed into ``--files`` gzipped WARC archives, the way a
crawl arrives. Output tables are partitioned by publication date, so ``--days`` sets how
many files each input file's rows are spread over (see docs/scale-out.md). Each run below is a
whole ``onrecord`` process over all the archives, timed by wall clock, one after the
other in the same run of this script:

(a) ``onrecord extract --format jsonl`` (one process, the baseline);
(b) ``onrecord batch --engine local --jobs 1`` and ``--jobs 2``;
(c) ``onrecord batch --engine spark --master local[1]`` and ``local[2]``.

Each run is held (``taskset``) to as many CPUs as it is said to use, so that "1 core" is
one: unheld (``--no-pin``, or where there is no ``taskset``), a "1-core" Spark run's JVM
threads (Parquet writers, the scheduler, garbage collection) work on the machine's other
cores beside its one Python worker.

Every run includes process start, reading and HTML extraction, and each worker loading
the model; Spark runs are also shown without the JVM and session start (the "job" column,
from the command's own report), since a cluster pays that once per job, not per article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import bench_store

REPO = Path(__file__).resolve().parents[1]
SITES = 20


def page(doc: bench_store.Document, site: int) -> bytes:
    lines = doc.text.splitlines()
    paras = "".join(f"<p>{escape(line)}</p>" for line in lines[1:] if line.strip())
    return (f"<html><head><title>{escape(lines[0])}</title>"
            f'<meta property="article:published_time" content="{doc.published}T08:00:00Z">'
            f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{escape(lines[0])}</h1>"
            f"{paras}</article><footer>site {site}</footer></body></html>").encode()


def write_crawl(folder: Path, n_docs: int, n_files: int, days: int = 30) -> list[Path]:
    """``n_docs`` generated articles, published over ``days`` days, as pages in ``n_files``
    WARC archives."""
    docs, _ = bench_store.generate(n_docs)
    first = dt.date(2026, 11, 1)
    for i, doc in enumerate(docs):
        doc.published = (first + dt.timedelta(days=(i * 7919) % days)).isoformat()
    paths = []
    for f in range(n_files):
        path = folder / f"crawl-{f:03d}.warc.gz"
        with path.open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            for i in range(f, n_docs, n_files):
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                           protocol="HTTP/1.1")
                uri = f"https://site{i % SITES}.example.com/news/{docs[i].id}"
                writer.write_record(writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(page(docs[i], i % SITES)),
                    http_headers=headers))
        paths.append(path)
    return paths


def onrecord() -> list[str]:
    script = Path(sys.executable).with_name("onrecord")
    return [str(script)] if script.exists() else [sys.executable, "-m", "onrecord.cli"]


def on_cores(cmd: list[str], cores: int | None) -> list[str]:
    """``cmd`` held to the first ``cores`` CPUs (all of them when ``cores`` is None)."""
    if cores is None:
        return cmd
    if not shutil.which("taskset") or (os.cpu_count() or 1) < cores:
        raise SystemExit(f"bench: --pin needs taskset and {cores} CPUs")
    return ["taskset", "-c", ",".join(map(str, range(cores))), *cmd]


def run(cmd: list[str]) -> tuple[float, str, str]:
    """Wall seconds, stdout and stderr of one whole process."""
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"bench: {' '.join(cmd[:4])} failed ({done.returncode}): "
                         f"{done.stderr.strip()[-2000:]}")
    return seconds, done.stdout, done.stderr


def extracted(stderr: str) -> int:
    found = re.search(r"(\d+) extracted", stderr)
    if not found:
        raise SystemExit(f"bench: no summary line in: {stderr[-500:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--days", type=int, default=30, help="publication dates spread over")
    ap.add_argument("--pin", action=argparse.BooleanOptionalAction, default=None,
                    help="hold each run to the CPUs it is said to use (taskset; the default "
                         "where taskset and 2 CPUs are there)")
    ap.add_argument("--keep", type=Path, help="keep the archives and outputs in this directory")
    args = ap.parse_args(argv)
    if args.pin is None:
        args.pin = bool(shutil.which("taskset")) and (os.cpu_count() or 1) >= 2
        if not args.pin:
            print("bench: no taskset or fewer than 2 CPUs; runs are not held to their cores",
                  file=sys.stderr)

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    files = write_crawl(work, args.docs, args.files, args.days)
    size = sum(p.stat().st_size for p in files)
    print(f"{args.docs} generated articles published over {args.days} days in {len(files)} "
          f"WARC files ({size / 1e6:.1f} MB gzipped); wall clock of whole processes, one run "
          f"each{', each held to its cores' if args.pin else ''}", flush=True)

    runs = {
        "(a) extract, one process": [*onrecord(), "extract", "--format", "jsonl"],
        "(b) batch local --jobs 1": [*onrecord(), "batch", "--jobs", "1", "--out",
                                     str(work / "out-local-1")],
        "(b) batch local --jobs 2": [*onrecord(), "batch", "--jobs", "2", "--out",
                                     str(work / "out-local-2")],
        "(c) batch spark local[1]": [*onrecord(), "batch", "--engine", "spark", "--master",
                                     "local[1]", "--out", str(work / "out-spark-1")],
        "(c) batch spark local[2]": [*onrecord(), "batch", "--engine", "spark", "--master",
                                     "local[2]", "--out", str(work / "out-spark-2")],
    }
    rows: dict[str, tuple[float, float | None, int]] = {}
    for label, cmd in runs.items():
        cores = (2 if label.endswith(("2", "[2]")) else 1) if args.pin else None
        seconds, out, err = run(on_cores([*cmd, *map(str, files)], cores))
        docs = out.count("\n") if label.startswith("(a)") else extracted(err)
        job = re.search(r"; ([\d.]+) s; tables in", err) if "spark" in label else None
        rows[label] = (seconds, float(job.group(1)) if job else None, docs)
        print(f"  {label}: {docs} docs in {seconds:.1f} s", file=sys.stderr, flush=True)

    base = rows["(a) extract, one process"]
    head = (f"{'run':<26} {'docs':>5} {'wall s':>7} {'docs/s':>7} {'vs (a)':>7} "
            f"{'job s':>7} {'job docs/s':>10}")
    print(head)
    print("-" * len(head))
    for label, (seconds, job, docs) in rows.items():
        job_cols = f"{job:>7.1f} {docs / job:>10.2f}" if job else f"{'':>7} {'':>10}"
        print(f"{label:<26} {docs:>5} {seconds:>7.1f} {docs / seconds:>7.2f} "
              f"{(docs / seconds) / (base[2] / base[0]):>7.2f} {job_cols}")

    def rate(label: str, job: bool = False) -> float:
        seconds, job_s, docs = rows[label]
        return docs / (job_s if job and job_s else seconds)

    local = rate("(b) batch local --jobs 2") / rate("(b) batch local --jobs 1")
    spark = rate("(c) batch spark local[2]") / rate("(c) batch spark local[1]")
    spark_job = (rate("(c) batch spark local[2]", True)
                 / rate("(c) batch spark local[1]", True))
    print(f"scaling 2 cores / 1 core: local {local:.2f}; spark {spark:.2f} (wall), "
          f"{spark_job:.2f} (job, JVM and session start excluded)")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
