"""`onrecord run` as a real process: killed with SIGKILL mid-cycle and restarted, every item
is stored once and the store passes `PRAGMA integrity_check`; SIGTERM mid-cycle stops it
within 5 s, leaving the rest for the next start. Its briefing (due at 00:00, so at once)
goes out once across the restart."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedsite import Site, article, running

N_ITEMS = 24
SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def site() -> Iterator[Site]:
    with running("User-agent: *\nDisallow: /private/\n") as s:
        yield s


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _counts(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return dict(con.execute("SELECT url, COUNT(*) FROM documents GROUP BY url"))
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet, or mid-migration
        return {}


def _start(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "onrecord.cli", "run", "--config",
                             str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True,
                            env={**os.environ, "PYTHONPATH": SRC,
                                 "ONRECORD_CONFIG": str(config)})


def _wait(proc: subprocess.Popen[bytes], until, what: str, seconds: float = 240) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not until():
        if proc.poll() is not None:
            raise AssertionError(f"run exited ({proc.returncode}): "
                                 + proc.communicate()[1].decode()[-2000:])
        assert time.monotonic() < deadline, f"not {what} within {seconds:g} s"
        time.sleep(0.01)


def _items(site: Site, start: int, stop: int) -> list[tuple[str, str]]:
    for n in range(start, stop):
        site.page(f"/news/{n}", f"Story {n}", article(n, "Mayor Tomas Reyes", "harbour tram"))
    return [(f"/news/{n}", f"Story {n}") for n in reversed(range(start, stop))]


@pytest.mark.slow
def test_run_survives_sigkill_and_stops_on_sigterm(site: Site, tmp_path: Path,
                                                   smtp_server) -> None:  # noqa: ANN001
    smtp_port, received = smtp_server
    items = _items(site, 0, N_ITEMS)
    site.page("/private/secret", "Secret", article(99, "Anna Berg", "bus lane"))
    site.feed("/feed.xml", "News", items + [("/private/secret", "Secret")])
    db, port = tmp_path / "onrecord.db", _free_port()
    config = tmp_path / "onrecord.toml"
    config.write_text(f"""
[store]
db = "{db.name}"
[follow]
sources = ["{site.url}/feed.xml"]
every = "1s"
allow_private = true
timeout = 5
host_interval = 0
backoff = 0.1
[digest]
at = "00:00"
[web]
port = {port}
[smtp]
host = "127.0.0.1"
port = {smtp_port}
to = ["desk@example.org"]
""", encoding="utf-8")
    urls = {site.url + p for p, _ in items}

    proc = _start(config)
    try:
        _wait(proc, lambda: len(_counts(db)) >= 3, "3 items stored")
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    killed_at = _counts(db)
    assert 3 <= len(killed_at) < N_ITEMS, "the cycle ended before the kill; proves nothing"

    proc = _start(config)
    try:
        _wait(proc, lambda: set(_counts(db)) >= urls, "every item stored after the restart")
        health = json.loads(urllib.request.urlopen(
            f"http://127.0.0.1:{port}/health", timeout=10).read())
        assert health["status"] == "ok" and health["store"]["documents"] == N_ITEMS
        # More news, and SIGTERM in the middle of storing it.
        more = _items(site, N_ITEMS, N_ITEMS + 12)
        site.feed("/feed.xml", "News", more + items + [("/private/secret", "Secret")])
        _wait(proc, lambda: len(_counts(db)) > N_ITEMS, "the new cycle storing")
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        err = proc.communicate()[1].decode()
    assert proc.returncode == 0, err[-2000:]
    assert took < 5, f"SIGTERM took {took:.1f} s"
    counts = _counts(db)
    assert all(n == 1 for n in counts.values()), counts  # every item stored once
    assert set(counts) >= urls and len(counts) < N_ITEMS + 12  # stopped mid-cycle
    assert site.hits("/private/secret") == 0
    briefings = [m for m in received if b"Subject: onrecord briefing" in m.content]
    assert len(briefings) == 1, [m.content[:300] for m in received]
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line.get("event") == "cycle" for line in lines)  # structured logs
    assert any(line.get("event") == "stopped" for line in lines)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
        con.execute("INSERT INTO statements_fts (statements_fts) VALUES ('integrity-check')")
        statuses = dict(con.execute("SELECT status, COUNT(*) FROM feed_items GROUP BY status"))
    finally:
        con.close()
    assert statuses.get("stored") == len(counts)
    assert statuses.get("pending", 0) == N_ITEMS + 12 - len(counts)  # for the next start
