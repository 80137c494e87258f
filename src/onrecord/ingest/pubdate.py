"""When a page was published, kept apart from when it was last updated.

Published-type declarations come first (JSON-LD ``datePublished``, published meta
fields, ``time[pubdate]``, one ``itemprop=datePublished``), read keeping the day as
the page wrote it (no shift to UTC). Then a date shown by the headline that is not
labelled as an update; then htmldate's extensive search on a tree without
modified-type fields, taken only when the reader can see that day on the page.
Otherwise no date: on unseen sites, htmldate finds a date on nearly every page that
states none (see docs/article-extraction.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import htmldate
from lxml.html import HtmlElement

from onrecord.ingest.datetext import month_first, seen_dates, visible_text

MIN_YEAR = 1995  # placeholders such as 0001-01-01 or 1970-01-01 declare nothing

PUBLISHED_META = frozenset({
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "datepublished", "published_time", "publishdate", "publish-date",
    "publish_date", "pubdate", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "dc.date.created", "citation_publication_date", "parsely-pub-date", "sailthru.date",
    "date.published", "article.published", "cxenseparse:recs:publishtime",
})
MODIFIED_META = frozenset({
    "article:modified_time", "og:updated_time", "og:modified_time", "article:modified",
    "datemodified", "dc.modified", "dcterms.modified", "last-modified", "lastmodified",
    "modified_time", "article:updated_time", "updated_time", "date.updated",
})
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|BlogPosting|NewsArticle|Review|Recipe",
                            re.I)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
BEFORE_HEADLINE, AFTER_HEADLINE = 300, 600  # characters of visible text around the h1
_UPDATE_LABEL = re.compile(r"(?:updat|modif|edit|revis|review)\w*\W*(?:on|at)?\W*$", re.I)


@dataclass
class PageDates:
    published: str | None = None
    source: str | None = None  # where ``published`` came from
    updated: str | None = None


def iso_day(value: object) -> str | None:
    """The day an ISO-8601 stamp names, as written (milliseconds and offsets allowed)."""
    if not isinstance(value, str):
        return None
    m = _ISO.match(value)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if day.year < MIN_YEAR or day > datetime.now().date():
        return None
    return day.isoformat()


def _ld_nodes(node: object) -> list[dict[str, object]]:
    """Every JSON-LD object in ``node``, depth first (``@graph`` and lists flattened)."""
    if isinstance(node, list):
        return [n for item in node for n in _ld_nodes(item)]
    if not isinstance(node, dict):
        return []
    found = [node]
    for value in node.values():
        if isinstance(value, (dict, list)):
            found += _ld_nodes(value)
    return found


def _json_ld(tree: HtmlElement) -> tuple[str | None, str | None]:
    """Published and modified days from JSON-LD, an article-type object first."""
    nodes: list[dict[str, object]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            nodes += _ld_nodes(json.loads(script))
        except ValueError:
            continue
    nodes.sort(key=lambda n: not _ARTICLE_TYPES.search(str(n.get("@type", ""))))
    published = next((d for n in nodes if (d := iso_day(n.get("datePublished")))), None)
    updated = next((d for n in nodes if (d := iso_day(n.get("dateModified")))), None)
    return published, updated


def _meta(tree: HtmlElement, names: frozenset[str]) -> str | None:
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in names and (day := iso_day(el.get("content"))):
            return day
    return None


def _time_pubdate(tree: HtmlElement) -> str | None:
    for value in tree.xpath("//time[@pubdate]/@datetime"):
        if day := iso_day(value):
            return day
    marked = tree.xpath('//*[@itemprop="datePublished"][not(self::meta)]')
    if len(marked) == 1:
        return iso_day(marked[0].get("datetime") or marked[0].get("content"))
    return None


def _drop_modified(tree: HtmlElement) -> None:
    """Remove modified-type fields so the fallback search cannot pick them."""
    for el in list(tree.iter("meta")):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in MODIFIED_META and el.getparent() is not None:
            el.getparent().remove(el)
    for el in tree.xpath('//*[@itemprop="dateModified"]'):
        if el.getparent() is not None:
            el.getparent().remove(el)


def _shown(tree: HtmlElement) -> tuple[str | None, set[str]]:
    """The first non-update date shown by the headline, and every day shown on the page."""
    seen = visible_text(tree)
    days = seen_dates(seen.text, month_first(tree), datetime.now().date())
    byline = None
    if seen.headline_at is not None:
        low, high = seen.headline_at - BEFORE_HEADLINE, seen.headline_at + AFTER_HEADLINE
        byline = next((d.day for d in days
                       if low <= d.at <= high and not _UPDATE_LABEL.search(d.before)), None)
    return byline, {d.day for d in days}


def page_dates(tree: HtmlElement, url: str | None) -> PageDates:
    """The page's publication and update days; removes modified fields from ``tree``."""
    ld_published, ld_updated = _json_ld(tree)
    found = PageDates(updated=ld_updated or _meta(tree, MODIFIED_META))
    for source, day in (("json-ld", ld_published), ("meta", _meta(tree, PUBLISHED_META)),
                        ("time", _time_pubdate(tree))):
        if day:
            found.published, found.source = day, source
            return found
    byline, shown = _shown(tree)
    if byline:
        found.published, found.source = byline, "byline"
        return found
    if not shown:  # htmldate's answer would not be taken: spare the search
        return found
    _drop_modified(tree)
    day = htmldate.find_date(tree, extensive_search=True, original_date=True, url=url,
                             deferred_url_extractor=True)
    if day in shown:
        found.published, found.source = day, "htmldate"
    return found
