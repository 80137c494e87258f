"""A local news site for follow tests: RSS feeds and article pages on 127.0.0.1 that a test
changes between cycles, answering conditional GETs, and logging every request."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering (a slow server)
    validators: bool = False  # send ETag and Last-Modified, answer 304 when they match
    modified: float = 0.0  # Last-Modified, seconds since the epoch


@dataclass
class Site:
    """Paths served and requests seen (path, headers)."""

    routes: dict[str, Resource] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def feed(self, path: str, title: str, items: list[tuple[str, str]],
             status: int = 200) -> None:
        """An RSS feed of (path, title) items, with validators; its Last-Modified changes
        only when its body does."""
        entries = "".join(
            f"<item><title>{escape(t)}</title><link>{self.url}{p}</link>"
            f"<guid>{self.url}{p}</guid><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate></item>"
            for p, t in items)
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}'
                f"</title><link>{self.url}/</link><description>news</description>{entries}"
                "</channel></rss>").encode()
        old = self.routes.get(path)
        modified = old.modified if old and old.body == body else time.time() // 1
        if old and old.body != body and modified <= old.modified:
            modified = old.modified + 1
        self.routes[path] = Resource(body, "application/rss+xml", status, validators=True,
                                     modified=modified)

    def page(self, path: str, title: str, paragraphs: list[str], **kw: object) -> None:
        paras = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        body = (f"<!doctype html><html lang=\"en\"><head><title>{escape(title)}</title>"
                "<meta name=\"date\" content=\"2026-12-01\"></head><body><article>"
                f"<h1>{escape(title)}</h1>{paras}</article></body></html>").encode()
        self.routes[path] = Resource(body, **kw)  # type: ignore[arg-type]


def serve(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            with site.lock:
                site.requests.append((self.path, dict(self.headers)))
            res = site.routes.get(self.path)
            if res is None:
                self.send_error(404)
                return
            if res.delay:
                time.sleep(res.delay)
            etag = '"' + hashlib.sha1(res.body).hexdigest()[:16] + '"'
            stamp = formatdate(res.modified, usegmt=True)
            if res.validators and res.status == 200 and (
                    self.headers.get("If-None-Match") == etag
                    or self.headers.get("If-Modified-Since") == stamp):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(res.status)
            self.send_header("Content-Type", res.content_type)
            self.send_header("Content-Length", str(len(res.body)))
            if res.validators:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", stamp)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (a timeout test)
                self.wfile.write(res.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def article(n: int, speaker: str, topic: str) -> list[str]:
    """A short English news article with two quotes (distinct for each ``n``)."""
    return [
        f"The council met on Monday to discuss the {topic} for district {n}, a plan that "
        f"has divided residents for months.",
        f"“We will deliver the {topic} on time and within the budget of {n + 2} million "
        f"euros,” {speaker} said after the vote.",
        f"Residents of district {n} said they wanted more details before construction "
        "begins next year.",
        f"“Nobody has shown us the numbers for district {n},” said Lena Park, who chairs "
        "the residents' association.",
    ]


@contextlib.contextmanager
def running(robots: str) -> Iterator[Site]:
    """A site served on a free local port, with this robots.txt, shut down after use."""
    s = Site()
    server, _ = serve(s)
    s.routes["/robots.txt"] = Resource(robots.encode(), "text/plain")
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()
