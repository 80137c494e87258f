"""Fetching pages and feeds without being a nuisance or a proxy into private networks.

Every hop of a redirect chain is re-checked: scheme, the addresses its host
resolves to (no loopback, private, link-local or reserved ones unless
``allow_private``), and robots.txt when the fetch is part of a feed or crawl.
Bodies are read in chunks under a size cap, and each fetch has one deadline for
connecting, headers, redirects and body together: when it passes, the socket is
shut, so a server dripping its headers a byte at a time costs at most ``timeout``.
Followers of feeds also get politeness per host (at most ``host_concurrency`` fetches
at once and ``host_interval`` seconds between starts), retries with doubling backoff on
5xx answers, timeouts and dropped connections (never on a 4xx, which will not change),
and conditional GETs (ETag / Last-Modified) answered by a 304 without a body.
(The check resolves the host itself; httpx resolves again to connect, so a host that
re-binds its DNS between the two is not caught.)
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from onrecord import __version__

USER_AGENT = f"onrecord/{__version__} (news attribution research; polite fetcher)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml")
TEXT_TYPES = ("text/plain",)


class FetchError(Exception):
    """A URL that could not be fetched; the message is the one-line reason. ``transient``
    failures (5xx, timeouts, dropped connections) may succeed if tried again later."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass
class Fetched:
    url: str  # final URL after redirects
    content_type: str
    body: bytes
    status: int = 200  # 304: not modified since the validators sent (empty body)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostGate:
    """At most ``concurrency`` fetches at once per host, starts ``interval`` s apart."""

    def __init__(self, concurrency: int, interval: float,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.concurrency, self.interval = max(1, concurrency), interval
        self._sleep, self._clock = sleep, clock
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    @contextlib.contextmanager
    def slot(self, host: str) -> Any:
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        with sem:
            with self._lock:  # reserve the next start time for this host
                now = self._clock()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self.interval
            if start > now:
                self._sleep(start - now)
            yield


@dataclass
class Fetcher:
    """A polite HTTP client; one per batch, so robots.txt is read once per host."""

    allow_private: bool = False
    timeout: float = 10.0  # seconds for a whole fetch: connect, headers, redirects, body
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    retries: int = 0  # further tries after a transient failure
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    host_concurrency: int = 4
    host_interval: float = 0.0  # seconds between the starts of two fetches from one host
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._gate = HostGate(self.host_concurrency, self.host_interval, self.sleep)
        self._robots_lock = threading.Lock()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False,
            headers={"User-Agent": self.user_agent},
            # a fresh connection per fetch, so the deadline always holds its socket
            limits=httpx.Limits(max_keepalive_connections=0))

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: tuple[str, ...] = HTML_TYPES + FEED_TYPES + TEXT_TYPES,
              robots: bool = False, etag: str | None = None,
              last_modified: str | None = None) -> Fetched:
        """The body at ``url`` if its type is in ``accept``; raises :class:`FetchError`.

        With ``etag`` or ``last_modified`` the request is conditional, and an unchanged
        resource comes back as a :class:`Fetched` with status 304 and no body."""
        conditional = {k: v for k, v in (("If-None-Match", etag),
                                         ("If-Modified-Since", last_modified)) if v}
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(url, accept, robots, conditional)
            except FetchError as exc:
                if not exc.transient or attempt == self.retries:
                    if attempt:
                        raise FetchError(f"{exc} (after {attempt + 1} tries)",
                                         exc.transient) from exc
                    raise
            self.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _attempt(self, url: str, accept: tuple[str, ...], robots: bool,
                 conditional: dict[str, str]) -> Fetched:
        with _Deadline(self.timeout) as deadline:
            try:
                return self._fetch(url, accept, robots, deadline, conditional)
            except httpx.HTTPError as exc:
                if deadline.expired or isinstance(exc, httpx.TimeoutException):
                    raise FetchError(f"fetch failed: timed out after {self.timeout:g}s",
                                     transient=True) from exc
                raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}",
                                 transient=True) from exc

    def _fetch(self, url: str, accept: tuple[str, ...], robots: bool,
               deadline: _Deadline, conditional: dict[str, str]) -> Fetched:
        for _ in range(self.max_redirects + 1):
            self._check_url(url)
            if robots and not self._robots_allow(url):
                raise FetchError(f"disallowed by robots.txt: {url}")
            with self._gate.slot(urlsplit(url).netloc), self._client.stream(
                    "GET", url, headers=conditional,
                    extensions={"trace": deadline.trace}) as resp:
                if resp.status_code == 304 and conditional:
                    return Fetched(str(resp.url), "", b"", 304,
                                   resp.headers.get("etag") or conditional.get("If-None-Match"),
                                   resp.headers.get("last-modified")
                                   or conditional.get("If-Modified-Since"))
                if resp.is_redirect:
                    url = urljoin(url, resp.headers.get("location", ""))
                    continue
                if resp.status_code != 200:
                    raise FetchError(f"fetch failed: HTTP {resp.status_code}",
                                     transient=resp.status_code >= 500)
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype not in accept:
                    raise FetchError(f"unsupported content type: {ctype or 'none'}")
                return Fetched(str(resp.url), ctype, self._read(resp, deadline), 200,
                               resp.headers.get("etag"), resp.headers.get("last-modified"))
        raise FetchError(f"fetch failed: more than {self.max_redirects} redirects")

    def _read(self, resp: httpx.Response, deadline: _Deadline) -> bytes:
        length = resp.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"too large ({length} bytes; limit {self.max_bytes})")
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"too large (over {self.max_bytes} bytes)")
            if deadline.expired:
                raise FetchError(f"fetch failed: timed out after {self.timeout:g}s",
                                 transient=True)
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"unsupported URL: {url}")
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"fetch failed: cannot resolve {parts.hostname}") from exc
        for info in infos:
            if not is_public(str(info[4][0])):
                raise FetchError(
                    f"refused: {parts.hostname} resolves to non-public address {info[4][0]} "
                    "(use --allow-private)")

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            known = origin in self._robots
        if not known:
            loaded = self._load_robots(origin)
            with self._robots_lock:
                self._robots.setdefault(origin, loaded)
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's rules; None (allow all) when it has none or they can't be read."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            got = self.fetch(origin + "/robots.txt", accept=TEXT_TYPES + ("",))
        except FetchError as exc:
            if "HTTP 401" in str(exc) or "HTTP 403" in str(exc):
                parser.parse(["User-agent: *", "Disallow: /"])
                return parser
            return None
        parser.parse(got.body.decode("utf-8", "replace").splitlines())
        return parser


class _Deadline:
    """A whole fetch's time limit. httpx's timeouts bound each read, not the sum, so a
    timer shuts the connection's socket when the time is up, ending any blocked read."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: note each new connection's socket."""
        if not event.endswith(".connect_tcp.complete"):
            return
        sock = info["return_value"].get_extra_info("socket")
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
