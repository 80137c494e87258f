"""One follow cycle: poll the due feeds, fetch their new items, store them, update stories.

Every step leaves its outcome in the store before the next, so a follower stopped or
killed at any point resumes where it was: a feed's validators and backoff are saved
after each poll, an item is listed as pending when first seen and marked stored (or
failed) only after its record is committed. An item fetched again after a crash is
stored once all the same, since the store is idempotent by content hash. Items that
fail for good (a 4xx, robots.txt, too large, not an article) are never fetched again;
timeouts and 5xx are retried, up to ``max_attempts`` cycles.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from onrecord.follow.state import Policy, stamp
from onrecord.ingest.base import MAX_HTML_BYTES, InputError, Source
from onrecord.ingest.batch import prepare_batch
from onrecord.ingest.feeds import article_source, entry_links, is_feed
from onrecord.ingest.fetch import FEED_TYPES, HTML_TYPES, TEXT_TYPES, Fetched, Fetcher, FetchError
from onrecord.ingest.html import html_source
from onrecord.ingest.sources import check_source
from onrecord.store.base import AddResult, FeedItem, FeedState, Store, StoreError

log = logging.getLogger("onrecord.follow")
FETCH_THREADS = 4  # item pages fetched at once (each host still limited by the fetcher)
MAX_ENTRIES = 100  # entries read from one feed per poll, first in the feed first
ROBOTS_TTL = dt.timedelta(hours=24)  # how long a site's robots.txt is kept


@dataclass
class FollowSettings:
    """How politely and how often to follow (the [follow] section of the config)."""

    every: float = 900.0  # seconds between polls of a healthy feed
    allow_private: bool = False
    timeout: float = 10.0  # seconds for one fetch, all of it
    retries: int = 2  # further tries of a fetch after a 5xx or timeout, within a cycle
    backoff: float = 2.0  # seconds before the first of them, doubled for each next one
    host_concurrency: int = 2
    host_interval: float = 1.0  # seconds between fetches from one host
    max_attempts: int = 3  # cycles an item is tried before it is given up
    max_bytes: int = MAX_HTML_BYTES

    def fetcher(self, sleep: Callable[[float], None] = time.sleep,
                robots: dict[str, Any] | None = None) -> Fetcher:
        """A fetcher with these limits; ``robots`` is a robots.txt cache to share."""
        return Fetcher(allow_private=self.allow_private, timeout=self.timeout,
                       max_bytes=self.max_bytes, retries=self.retries, backoff=self.backoff,
                       host_concurrency=self.host_concurrency,
                       host_interval=self.host_interval, sleep=sleep,
                       _robots=robots if robots is not None else {})


@dataclass
class CycleReport:
    started: dt.datetime
    polled: int = 0
    not_modified: int = 0
    new_items: int = 0
    stored: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    matches: int = 0
    stopped: bool = False

    def line(self) -> str:
        why = Counter(reason.split(" (")[0].split(": http")[0] for _, reason in self.failed)
        failed = f"{len(self.failed)} failed" + (
            " (" + ", ".join(f"{k}: {n}" for k, n in why.most_common()) + ")" if why else "")
        return (f"cycle: {self.polled} feeds polled, {self.not_modified} not modified, "
                f"{self.new_items} new items, {self.stored} stored, {failed}, "
                f"{self.matches} watch matches" + (" (stopped early)" if self.stopped else ""))

    def fields(self) -> dict[str, Any]:
        return {"event": "cycle", "started": stamp(self.started), "polled": self.polled,
                "not_modified": self.not_modified, "new_items": self.new_items,
                "stored": self.stored, "unchanged": self.unchanged,
                "failed": [{"url": u, "reason": r} for u, r in self.failed],
                "matches": self.matches, "stopped": self.stopped}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Follower:
    """Follows ``sources`` into ``store``; ``after_store`` runs at the end of each cycle
    (stories and watch delivery) and returns the number of watch matches."""

    store: Store
    sources: list[str]
    settings: FollowSettings = field(default_factory=FollowSettings)
    nlp: object | None = None
    after_store: Callable[[CycleReport], int] | None = None
    clock: Callable[[], dt.datetime] = _now
    sleep: Callable[[float], None] = time.sleep
    stop: threading.Event = field(default_factory=threading.Event)
    _robots: dict[str, Any] = field(default_factory=dict)
    _robots_read: dt.datetime | None = None

    @property
    def policy(self) -> Policy:
        return Policy(every=self.settings.every)

    def cycle(self) -> CycleReport:
        report = CycleReport(self.clock())
        if self._robots_read is None or report.started - self._robots_read > ROBOTS_TTL:
            self._robots.clear()
            self._robots_read = report.started
        fetcher = self.settings.fetcher(self.sleep, self._robots)
        try:
            states = {s.url: s for s in self.store.feed_states()}
            for url in self.sources:
                if self.stop.is_set():
                    report.stopped = True
                    break
                state = states.get(url) or FeedState(url)
                if self.policy.due(state, report.started):
                    self._poll(fetcher, state, report)
            if not report.stopped:
                self._items(fetcher, report)
        finally:
            fetcher.close()
            if report.stored:
                self.store.optimize()  # planner statistics, once per cycle
        report.matches = self.after_store(report) if self.after_store else 0
        self.store.set_follow_value("last_cycle", stamp(self.clock()))
        log.info(report.line(), extra={"fields": report.fields()})
        return report

    def seconds_to_next(self) -> float:
        """Until the next feed is due (at least a second, at most the interval)."""
        now = self.clock()
        states = {s.url: s for s in self.store.feed_states()}
        waits = [(dt.datetime.fromisoformat(s.next_poll) - now).total_seconds()
                 for u in self.sources if (s := states.get(u)) and s.next_poll]
        if len(waits) < len(self.sources):
            waits.append(0.0)
        return min(max(min(waits, default=self.settings.every), 1.0), self.settings.every)

    def run(self) -> None:
        """Cycles until ``stop`` is set, sleeping until the next feed is due. A cycle that
        fails (the database locked for too long, a full disk) is logged and the next one
        comes at the usual time."""
        while not self.stop.is_set():
            try:
                self.cycle()
            except Exception as exc:  # noqa: BLE001
                log.exception("cycle failed: %s", exc,
                              extra={"fields": {"event": "cycle_failed", "reason": str(exc)}})
            self.stop.wait(self.seconds_to_next())

    # -- feeds ----------------------------------------------------------------------------

    def _fail(self, report: CycleReport, url: str, reason: str) -> None:
        report.failed.append((url, reason))
        log.warning("%s: %s", url, reason,
                    extra={"fields": {"event": "failed", "url": url, "reason": reason}})

    def _poll(self, fetcher: Fetcher, state: FeedState, report: CycleReport) -> None:
        report.polled += 1
        now = self.clock()
        self.store.save_feed(state)  # listed (and its items with it) from the first poll
        try:
            got = fetcher.fetch(state.url, accept=FEED_TYPES + HTML_TYPES + TEXT_TYPES,
                                robots=True, etag=state.etag,
                                last_modified=state.last_modified)
        except FetchError as exc:
            self._fail(report, state.url, str(exc))
            self.policy.polled(state, now, str(exc))
            self.store.save_feed(state)
            return
        error = None
        if got.not_modified:
            report.not_modified += 1
        elif got.content_type in HTML_TYPES and not is_feed(got.body):
            state.kind = "page"
            self._page(got, state, report)
        else:
            state.kind = "feed"
            error = self._entries(got, state, report)
        if error:
            self._fail(report, state.url, error)
        else:
            state.etag, state.last_modified = got.etag, got.last_modified
        self.policy.polled(state, now, error)
        self.store.save_feed(state)

    def _entries(self, got: Fetched, state: FeedState, report: CycleReport) -> str | None:
        entries = entry_links(got.body)
        if isinstance(entries, str):
            return entries
        seen = self.store.feed_items(state.url)
        new = 0
        for link, title, date in entries[:MAX_ENTRIES]:
            if link not in seen:
                seen[link] = FeedItem(state.url, link, title=title, published=date)
                self.store.save_item(seen[link])
                new += 1
        report.new_items += new
        if new:
            state.last_new = stamp(self.clock())
        return None

    def _page(self, got: Fetched, state: FeedState, report: CycleReport) -> None:
        """A followed page that is not a feed: stored again whenever its text changes."""
        src = html_source(got.body, state.url, state.url, url=got.url)
        checked = check_source(src) if isinstance(src, Source) else src
        if isinstance(checked, InputError):
            self._fail(report, state.url, checked.reason)
            return
        outcome = self._store(checked)
        if isinstance(outcome, AddResult) and outcome.status != "unchanged":
            state.last_new = stamp(self.clock())
            report.new_items += 1

    # -- items ----------------------------------------------------------------------------

    def _items(self, fetcher: Fetcher, report: CycleReport) -> None:
        pending = [item for url in self.sources
                   for item in self.store.feed_items(url).values() if item.status == "pending"]
        if not pending:
            return

        def get(item: FeedItem) -> Fetched | FetchError:
            if self.stop.is_set():
                return FetchError("not fetched: stopping", transient=True)
            try:
                return fetcher.fetch(item.url, accept=HTML_TYPES, robots=True)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=FETCH_THREADS) as pool:
            pages = list(pool.map(get, pending))
        ready: list[tuple[FeedItem, Source | InputError]] = []
        for item, page in zip(pending, pages, strict=True):
            if isinstance(page, FetchError):
                self._item_failed(item, str(page), page.transient, report)
                continue
            src = article_source(page.body, item.url, item.url, page.url, item.title,
                                 item.published)
            ready.append((item, check_source(src) if isinstance(src, Source) else src))
        batch = prepare_batch([src for _, src in ready])  # copies and site templates
        for (item, _), src in zip(ready, batch, strict=True):
            if self.stop.is_set():
                report.stopped = True
                return
            if isinstance(src, InputError):
                self._item_failed(item, src.reason, False, report)
                continue
            outcome = self._store(src)
            if isinstance(outcome, str):
                self._item_failed(item, outcome, False, report)
                continue
            if outcome.status == "unchanged":
                report.unchanged += 1
            else:
                report.stored += 1
            item.status, item.document, item.error = "stored", outcome.id or None, None
            self.store.save_item(item)

    def _item_failed(self, item: FeedItem, reason: str, transient: bool,
                     report: CycleReport) -> None:
        if reason.startswith("not fetched: stopping"):
            return
        item.attempts += 1
        item.error = reason
        if not transient or item.attempts >= self.settings.max_attempts:
            item.status = "failed"
        self.store.save_item(item)
        self._fail(report, item.url, reason)

    def _store(self, src: Source) -> AddResult | str:
        """The source's record stored (extracted unless its text is stored already), or
        why not; an unusable store (locked, read-only) raises and ends the cycle."""
        from onrecord.store.loader import extracted

        if self.store.has_text(src.text):
            return AddResult("", "unchanged", 0)
        for _src, doc in extracted([src], nlp=self.nlp):
            if isinstance(doc, str):
                return doc
            try:
                return self.store.add(doc)
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001  (this record only)
                return f"cannot store ({type(exc).__name__}: {exc})"
        raise AssertionError("extracted() yields one result per source")
