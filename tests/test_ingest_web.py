"""Fetching, feeds and WARC archives against a local HTTP server (127.0.0.1, allow_private)."""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.ingest import fetch as fetch_module
from onrecord.ingest.base import InputError, Source
from onrecord.ingest.fetch import Fetcher, FetchError, is_public
from onrecord.ingest.sources import iter_sources

TOPICS = [("harbour", "pier"), ("school", "roof"), ("railway", "bridge")]


def article_page(n: int) -> bytes:
    """A distinct English news page per ``n``, with site furniture around it."""
    place, thing = TOPICS[n]
    paras = "".join(
        f"<p>The {place} board voted on Monday to repair the {thing}, item {k}, after "
        f"inspectors found damage that officials said could not wait until the spring.</p>"
        for k in range(n * 10, n * 10 + 4))
    return (f"<html><head><title>{place} {thing}</title>"
            f'<meta property="article:published_time" content="2025-0{n + 1}-15T09:00:00Z">'
            f"</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>The {place} {thing} will be repaired</h1>{paras}</article>"
            f"<footer>All rights reserved.</footer></body></html>").encode()


@dataclass
class Route:
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    length: bool = True  # send Content-Length


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, str]] = []  # (path, user agent)
        routes, seen = self.routes, self.seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                seen.append((self.path, self.headers.get("User-Agent", "")))
                route = routes.get(self.path, Route(b"not found", "text/plain", 404))
                time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.ctype)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if route.length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (size cap, timeout)
                    self.wfile.write(route.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    f = Fetcher(allow_private=True, timeout=2.0)
    yield f
    f.close()


def rss(links: list[str | None]) -> bytes:
    items = "".join(f"<item><title>Story {i}</title>" + (f"<link>{link}</link>" if link else "")
                    + "</item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
            f"{items}</channel></rss>").encode()


def atom(links: list[str]) -> bytes:
    entries = "".join(f'<entry><title>Story {i}</title><link href="{link}"/><id>{link}</id>'
                      "<updated>2025-01-01T00:00:00Z</updated></entry>"
                      for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Local</title>{entries}</feed>").encode()


def warc(records: list[tuple[str, bytes, str]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, body, ctype in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def as_tuples(items: list[Source | InputError]) -> list[tuple[str, str, dict[str, object]]]:
    assert all(isinstance(s, Source) for s in items), items
    return [(s.id, s.text, s.meta) for s in items if isinstance(s, Source)]


# --- the fetcher -----------------------------------------------------------------------------


def test_fetch_sends_polite_user_agent(server, fetcher):
    server.routes["/a"] = Route(article_page(0))
    got = fetcher.fetch(server.url("/a"))
    assert got.body == article_page(0) and got.content_type == "text/html"
    assert "onrecord" in server.seen[-1][1]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254",
                                     "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"])
def test_non_public_addresses(address):
    assert not is_public(address)


def test_public_addresses():
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1::1")


def test_private_refused_without_allow_private(server):
    server.routes["/a"] = Route(article_page(0))
    for url in (server.url("/a"), server.url("/a").replace("127.0.0.1", "localhost")):
        with pytest.raises(FetchError, match="non-public address"):
            Fetcher().fetch(url)
    assert server.seen == []  # refused before any request


def test_each_redirect_hop_is_rechecked(server, monkeypatch):
    server.routes["/start"] = Route(status=302, headers={"Location": server.url("/b")})
    server.routes["/b"] = Route(status=301, headers={
        "Location": server.url("/a").replace("127.0.0.1", "127.0.0.2")})
    monkeypatch.setattr(fetch_module, "is_public", lambda a: a == "127.0.0.1")
    with pytest.raises(FetchError, match="127.0.0.2"):
        Fetcher().fetch(server.url("/start"))
    assert [p for p, _ in server.seen] == ["/start", "/b"]


def test_redirects_bounded_and_followed(server, fetcher):
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    server.routes["/old"] = Route(status=301, headers={"Location": "/a"})
    server.routes["/a"] = Route(article_page(0))
    with pytest.raises(FetchError, match="redirects"):
        fetcher.fetch(server.url("/loop"))
    assert fetcher.fetch(server.url("/old")).url == server.url("/a")
    server.routes["/ftp"] = Route(status=302, headers={"Location": "ftp://example.com/x"})
    with pytest.raises(FetchError, match="unsupported URL"):
        fetcher.fetch(server.url("/ftp"))


def test_size_cap_content_type_and_timeout(server):
    server.routes["/big"] = Route(b"<p>" + b"x" * 5000)
    server.routes["/big-chunked"] = Route(b"<p>" + b"x" * 5000, length=False)
    server.routes["/png"] = Route(b"\x89PNG", "image/png")
    server.routes["/slow"] = Route(article_page(0), delay=3)
    small = Fetcher(allow_private=True, timeout=0.5, max_bytes=1000)
    for path, message in (("/big", "too large"), ("/big-chunked", "too large"),
                          ("/png", "unsupported content type: image/png"),
                          ("/slow", "timed out"), ("/missing", "HTTP 404")):
        with pytest.raises(FetchError, match=message):
            small.fetch(server.url(path))
    small.close()


def test_unreachable_url_is_one_error_and_the_batch_goes_on(server, fetcher):
    server.routes["/a"] = Route(article_page(0))
    dead = "http://127.0.0.1:9/nothing"  # discard port: nothing listens
    items = list(iter_sources([dead, server.url("/a")], fetcher))
    assert isinstance(items[0], InputError) and "fetch failed" in items[0].reason
    assert isinstance(items[1], Source) and items[1].id == server.url("/a")


# --- feeds and archives round-trip to the pages given one by one ------------------------------


def test_feed_and_warc_round_trip_to_the_pages(server, fetcher, tmp_path: Path):
    urls = [server.url(f"/story/{n}") for n in range(3)]
    for n, url in enumerate(urls):
        server.routes[url.removeprefix(server.base)] = Route(article_page(n))
    server.routes["/feed.rss"] = Route(rss(urls), "application/rss+xml")
    (tmp_path / "feed.atom").write_bytes(atom(urls))
    records = [(u, article_page(n), "text/html; charset=utf-8") for n, u in enumerate(urls)]
    records.insert(1, (server.url("/logo.png"), b"\x89PNG", "image/png"))  # not a document
    (tmp_path / "crawl.warc.gz").write_bytes(warc(records))

    one_by_one = as_tuples(list(iter_sources(urls, fetcher)))
    assert [i for i, _, _ in one_by_one] == urls
    assert one_by_one[1][2]["published"] == "2025-02-15"
    assert "item 10" in one_by_one[1][1] and "Home" not in one_by_one[1][1]
    for container in (server.url("/feed.rss"), str(tmp_path / "feed.atom"),
                      str(tmp_path / "crawl.warc.gz")):
        assert as_tuples(list(iter_sources([container], fetcher))) == one_by_one


def test_feed_respects_robots_and_reports_broken_entries(server, fetcher):
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/news/0"] = Route(article_page(0))
    server.routes["/private/1"] = Route(article_page(1))
    server.routes["/feed"] = Route(rss([server.url("/news/0"), None, server.url("/private/1"),
                                        server.url("/gone"), server.url("/news/0")]),
                                   "text/xml")
    items = list(iter_sources([server.url("/feed")], fetcher))
    assert [type(i).__name__ for i in items] == ["Source", "InputError", "InputError",
                                                 "InputError", "Source"]
    assert "entry 2" in str(items[1]) and "no link" in str(items[1])
    assert "robots.txt" in str(items[2])
    assert "HTTP 404" in str(items[3])
    assert "/private/1" not in [p for p, _ in server.seen]
    assert [p for p, _ in server.seen].count("/robots.txt") == 1


def test_broken_warc_record_reported_after_the_good_ones(tmp_path: Path):
    good = warc([("http://example.com/a", article_page(0), "text/html")])
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(good + b"this is not a WARC record\r\n\r\n")
    items = list(iter_sources([str(path), str(path)]))
    assert [type(i).__name__ for i in items] == ["Source", "InputError"] * 2
    assert "record 2" in str(items[1]) and "broken WARC record" in str(items[1])
