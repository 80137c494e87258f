"""RSS and Atom feeds: each entry's linked article, fetched and extracted, in feed order.

Entries are fetched with robots.txt respected, since following a feed is a small
crawl. A broken entry (no link, fetch failure) is reported on its own and the
rest of the feed goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import feedparser

from onrecord.ingest.base import InputError, Source
from onrecord.ingest.fetch import HTML_TYPES, Fetcher, FetchError
from onrecord.ingest.html import html_source

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")


def is_feed(data: bytes) -> bool:
    """Whether the bytes open like an RSS, Atom or RDF feed."""
    return bool(_FEED_ROOT.search(data[:2048]))


def _entry_date(entry: feedparser.FeedParserDict) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*stamp[:3]).isoformat() if stamp else None


def feed_sources(data: bytes, name: str, fetcher: Fetcher) -> Iterator[Source | InputError]:
    """The articles a feed links to, fetched; entries that fail are errors."""
    feed = feedparser.parse(data)
    if not feed.entries:
        why = feed.get("bozo_exception") or "no entries"
        yield InputError(name, f"not a feed: {why}")
        return
    for n, entry in enumerate(feed.entries, 1):
        link = entry.get("link")
        label = f"{name} entry {n}"
        if not link:
            yield InputError(label, "broken feed entry: no link")
            continue
        try:
            page = fetcher.fetch(link, accept=HTML_TYPES, robots=True)
        except FetchError as exc:
            yield InputError(f"{label} ({link})", str(exc))
            continue
        yield article_source(page.body, link, f"{label} ({link})", page.url,
                             entry.get("title"), _entry_date(entry))


def entry_links(data: bytes) -> list[tuple[str, str | None, str | None]] | str:
    """(link, title, date) of each entry with a link, in feed order; why, when not a feed."""
    feed = feedparser.parse(data)
    if not feed.entries:
        return f"not a feed: {feed.get('bozo_exception') or 'no entries'}"
    return [(e["link"], e.get("title"), _entry_date(e)) for e in feed.entries if e.get("link")]


def article_source(body: bytes, link: str, label: str, url: str, title: str | None,
                   date: str | None) -> Source | InputError:
    """A feed entry's fetched page as a source, dated and titled by the feed where the
    page does not say."""
    src = html_source(body, link, label, url=url)
    if isinstance(src, Source):
        src.name = label
        if "published" not in src.meta and date:
            src.meta.update(published=date, published_source="feed")
        if title:
            src.meta.setdefault("title", title)
    return src
