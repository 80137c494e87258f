"""Fetching pages and feeds without being a nuisance or a proxy into private networks.

Every hop of a redirect chain is re-checked: scheme, the addresses its host
resolves to (no loopback, private, link-local or reserved ones unless
``allow_private``), and robots.txt when the fetch is part of a feed or crawl.
Bodies are read in chunks under a size cap and an overall deadline, so a huge or
slow-dripping page costs at most a bounded wait. (The check resolves the host
itself; httpx resolves again to connect, so a host that re-binds its DNS between
the two is not caught.)
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from onrecord import __version__

USER_AGENT = f"onrecord/{__version__} (news attribution research; polite fetcher)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml")
TEXT_TYPES = ("text/plain",)


class FetchError(Exception):
    """A URL that could not be fetched; the message is the one-line reason."""


@dataclass
class Fetched:
    url: str  # final URL after redirects
    content_type: str
    body: bytes


@dataclass
class Fetcher:
    """A polite HTTP client; one per batch, so robots.txt is read once per host."""

    allow_private: bool = False
    timeout: float = 10.0  # seconds per connect/read, and for the whole body
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout), follow_redirects=False, trust_env=False,
            headers={"User-Agent": self.user_agent})

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: tuple[str, ...] = HTML_TYPES + FEED_TYPES + TEXT_TYPES,
              robots: bool = False) -> Fetched:
        """The body at ``url`` if its type is in ``accept``; raises :class:`FetchError`."""
        for _ in range(self.max_redirects + 1):
            self._check_url(url)
            if robots and not self._robots_allow(url):
                raise FetchError(f"disallowed by robots.txt: {url}")
            try:
                with self._client.stream("GET", url) as resp:
                    if resp.is_redirect:
                        url = urljoin(url, resp.headers.get("location", ""))
                        continue
                    if resp.status_code != 200:
                        raise FetchError(f"fetch failed: HTTP {resp.status_code}")
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype not in accept:
                        raise FetchError(f"unsupported content type: {ctype or 'none'}")
                    return Fetched(str(resp.url), ctype, self._read(resp))
            except httpx.TimeoutException as exc:
                raise FetchError(f"fetch failed: timed out after {self.timeout:g}s") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}") from exc
        raise FetchError(f"fetch failed: more than {self.max_redirects} redirects")

    def _read(self, resp: httpx.Response) -> bytes:
        length = resp.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"too large ({length} bytes; limit {self.max_bytes})")
        deadline = time.monotonic() + self.timeout
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"too large (over {self.max_bytes} bytes)")
            if time.monotonic() > deadline:
                raise FetchError(f"fetch failed: body took over {self.timeout:g}s")
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
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
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


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
