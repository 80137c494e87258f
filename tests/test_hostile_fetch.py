"""Hostile servers (127.0.0.1 only, each test bounded in time): a slow one never stalls a batch."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.ingest.base import InputError, Source
from onrecord.ingest.fetch import Fetcher, FetchError
from onrecord.ingest.sources import iter_sources

GOOD = "The mayor said on Monday that the harbour bridge would reopen in the spring.\n"


class Dripper:
    """A raw server that sends a status line and the start of a header, then one byte
    every ``pause`` seconds for at most ``limit`` seconds: headers that never end."""

    def __init__(self, pause: float = 0.2, limit: float = 30.0) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.pause, self.limit = pause, limit
        self.stop = threading.Event()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        end = time.monotonic() + self.limit
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nX: ")
            while time.monotonic() < end and not self.stop.is_set():
                time.sleep(self.pause)
                conn.sendall(b"a")
        except OSError:  # the client gave up
            pass
        finally:
            conn.close()


@pytest.fixture
def dripper() -> Iterator[Dripper]:
    srv = Dripper()
    srv.thread.start()
    yield srv
    srv.stop.set()
    srv.sock.close()


def test_dripped_headers_end_at_the_total_deadline(dripper: Dripper):
    fetcher = Fetcher(allow_private=True, timeout=1.0)
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1s"):
        fetcher.fetch(dripper.url + "/page")
    assert time.monotonic() - start < 5  # a few multiples of --timeout, not the 30 s drip
    fetcher.close()


def test_slow_url_fails_alone_and_the_local_file_is_read(dripper: Dripper, tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    fetcher = Fetcher(allow_private=True, timeout=1.0)
    start = time.monotonic()
    items = list(iter_sources([dripper.url + "/a", str(good)], fetcher))
    assert time.monotonic() - start < 5
    assert isinstance(items[0], InputError) and "timed out" in str(items[0])
    assert isinstance(items[1], Source) and items[1].text == GOOD
    fetcher.close()


def test_slow_urls_are_fetched_side_by_side(dripper: Dripper, tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    urls = [f"{dripper.url}/{n}" for n in range(4)]
    fetcher = Fetcher(allow_private=True, timeout=1.0)
    start = time.monotonic()
    items = list(iter_sources([urls[0], str(good), *urls[1:]], fetcher))
    # one after another, four 1 s deadlines would take over 4 s
    assert time.monotonic() - start < 3
    assert [type(i).__name__ for i in items] == ["InputError", "Source"] + ["InputError"] * 3
    assert [i.name for i in items if isinstance(i, InputError)] == urls
    fetcher.close()
