"""When a page was published, kept apart from when it was last updated.

Every day the page declares or shows is a candidate, described by where it appears:
JSON-LD, published or modified meta fields, ``time`` elements, the URL, the visible
text (before or after the headline, with an "Updated" or "Published" label, how
often). A linear score over those features, learned on the tuning half of wcxb-dev
(``bench/train_dates.py`` writes ``data/date_weights.json``), picks the day; a
"no date" candidate competes with them, so the page gets none when the evidence is
weak. Weights rather than a fixed order because no single source is reliable across
sites: a declared date the reader never sees is often not the page's date, and the
gold is the date the page shows, update labels included (docs/article-extraction.md).
One fixed rule on top: a day only the modified stamps name never beats a declared
publication day (on news pages the declared day is the date), unless no day the page
declares or shows beats "no date" without it. Stamps are read keeping
the day as written (no shift to UTC).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from lxml.html import HtmlElement

from onrecord.ingest.datetext import (
    SeenDate,
    VisibleText,
    month_first,
    numeric_dates,
    seen_month_days,
    visible_text,
    worded_dates,
)

MIN_YEAR = 1995  # placeholders such as 0001-01-01 or 1970-01-01 declare nothing
WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "date_weights.json"

PUBLISHED_META = frozenset({
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "datepublished", "published_time", "publishdate", "publish-date",
    "publish_date", "pubdate", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "dc.date.created", "citation_publication_date", "parsely-pub-date", "sailthru.date",
    "date.published", "article.published", "cxenseparse:recs:publishtime",
    "published-date", "publication_date", "publication-date", "article_date_original",
    "original-publish-date", "og:pubdate", "dc.date", "dcterms.date",
})
MODIFIED_META = frozenset({
    "article:modified_time", "og:updated_time", "og:modified_time", "article:modified",
    "datemodified", "dc.modified", "dcterms.modified", "last-modified", "lastmodified",
    "modified_time", "article:updated_time", "updated_time", "date.updated",
})
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|BlogPosting|NewsArticle|Review|Recipe",
                            re.I)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-]?(\d\d)[/-]?(\d\d)(?:/|[-_]|$)")
BEFORE_HEADLINE, AFTER_HEADLINE = 300, 600  # characters of visible text around the h1
FAR_AFTER = 2500  # a date further down than this is in the body or below it
_UPDATE_LABEL = re.compile(r"(?:updat|modif|edit|revis|review)\w*\W*(?:on|at)?\W*$", re.I)
_PUBLISHED_LABEL = re.compile(r"(?:publish|post|written|date)\w*\W*(?:on|at)?\W*$", re.I)
# Feature names that say where a day came from, strongest claim first: the
# ``published_source`` of the chosen day is the first of these it has.
SOURCES = (("json-ld", "ld_published"), ("meta", "meta_published"),
           ("time", "time_published"), ("byline", "near_after"), ("byline", "near_before"),
           ("url", "url"), ("time", "time_first"), ("page", "shown"))


# The features of a day the page declares as published (JSON-LD, meta, time[pubdate]).
PUBLISHED_FEATURES = frozenset({"ld_published", "meta_published", "time_published"})
_STAMPS = PUBLISHED_FEATURES | {"modified", "time_first"}


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
    return _day(int(m[1]), int(m[2]), int(m[3])) if m else None


def _day(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if year >= MIN_YEAR and found <= datetime.now().date() else None


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


def _meta(tree: HtmlElement) -> tuple[str | None, str | None]:
    """The first published-type and the first modified-type meta field's days."""
    published = modified = None
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in PUBLISHED_META and not published:
            published = iso_day(el.get("content"))
        elif key in MODIFIED_META and not modified:
            modified = iso_day(el.get("content"))
    return published, modified


def _time_published(tree: HtmlElement) -> str | None:
    for value in tree.xpath("//time[@pubdate]/@datetime"):
        if day := iso_day(value):
            return day
    marked = tree.xpath('//*[@itemprop="datePublished"][not(self::meta)]')
    if len(marked) == 1:
        return iso_day(marked[0].get("datetime") or marked[0].get("content"))
    return None


def _url_day(url: str | None) -> str | None:
    m = _URL_DAY.search(url or "")
    return _day(int(m[1]), int(m[2]), int(m[3])) if m else None


def _shown(seen: VisibleText, default_order: bool, declared: set[str]) -> list[SeenDate]:
    """The dates shown on the page, in order.

    Numeric dates are read in the day/month order under which more of them name a day the
    page declares (its own stamps know the order), else in the order of its language. A
    year-less date by the headline counts when it names the month and day of a declared day.
    """
    today = datetime.now().date()
    numeric = numeric_dates(seen.text, default_order, today)
    other = numeric_dates(seen.text, not default_order, today)
    if sum(d.day in declared for d in other) > sum(d.day in declared for d in numeric):
        numeric = other
    shown = sorted(worded_dates(seen.text, today) + numeric, key=lambda d: d.at)
    if seen.headline_at is not None and declared:
        low = max(0, seen.headline_at - BEFORE_HEADLINE)
        shown = sorted(shown + seen_month_days(seen.text, declared, low,
                                               seen.headline_at + AFTER_HEADLINE),
                       key=lambda d: d.at)
    return shown


def candidates(tree: HtmlElement, url: str | None) -> tuple[dict[str, set[str]], str | None]:
    """Each candidate day with the features that describe it, and the page's update day."""
    found: dict[str, set[str]] = {}

    def add(day: str | None, feature: str) -> None:
        if day:
            found.setdefault(day, set()).add(feature)

    ld_published, ld_modified = _json_ld(tree)
    meta_published, meta_modified = _meta(tree)
    for day, feature in ((ld_published, "ld_published"), (meta_published, "meta_published"),
                         (_time_published(tree), "time_published"), (_url_day(url), "url"),
                         (next(filter(None, map(iso_day, tree.xpath("//time/@datetime"))), None),
                          "time_first")):
        add(day, feature)
    for day in (ld_modified, meta_modified):  # an update on a day also declared published is not
        if day and not found.get(day, set()) & PUBLISHED_FEATURES:  # evidence against that day
            add(day, "modified")
    seen = visible_text(tree)
    shown = _shown(seen, month_first(tree), set(found))
    first_near = None
    for d in shown:
        add(d.day, "shown")
        if seen.headline_at is None:
            continue
        offset = d.at - seen.headline_at
        if AFTER_HEADLINE < offset <= FAR_AFTER:
            add(d.day, "below_headline")
        if -BEFORE_HEADLINE <= offset <= AFTER_HEADLINE:
            add(d.day, "near_before" if offset < 0 else "near_after")
            first_near = first_near or d.day
            if _UPDATE_LABEL.search(d.before):
                add(d.day, "label_update")
            elif _PUBLISHED_LABEL.search(d.before):
                add(d.day, "label_published")
    add(first_near, "first_near")
    add(shown[0].day if shown else None, "first_shown")
    if len({d.day for d in shown}) == 1:
        add(shown[0].day, "only_shown")
    declared = [d for d, f in found.items() if f & {"ld_published", "meta_published"}]
    stamped = [d for d, f in found.items() if f & _STAMPS]
    for day, features in found.items():
        if stamped == [day]:
            features.add("only_stamp")
        if first_near and day != first_near:
            features.add("rival_near")
        if len(declared) > 1 and day == min(declared):
            features.add("earliest_declared")
        if "shown" not in features:
            features.add("unseen")
    return found, ld_modified or meta_modified


@cache
def weights() -> dict[str, float]:
    loaded: dict[str, float] = json.loads(WEIGHTS.read_text())["weights"]
    return loaded


def score(features: set[str], learned: dict[str, float]) -> float:
    return sum(learned.get(f, 0.0) for f in features)


def _best(found: dict[str, set[str]], learned: dict[str, float],
          skip_modified: bool) -> str | None:
    best, best_score = None, learned.get("none", 0.0)
    for day, features in sorted(found.items()):
        if skip_modified and "modified" in features:
            continue
        if (s := score(features, learned)) > best_score:
            best, best_score = day, s
    return best


def choose(found: dict[str, set[str]], learned: dict[str, float]) -> str | None:
    """The best-scoring day, or None when the "no date" candidate scores higher.

    A day only the modified stamps name never wins over a declared publication day; when
    no such day (nor any other) beats "no date", a shown update may still be the date.
    """
    declared = any(f & PUBLISHED_FEATURES for f in found.values())
    best = _best(found, learned, skip_modified=declared)
    return best if best or not declared else _best(found, learned, skip_modified=False)


def page_dates(tree: HtmlElement, url: str | None) -> PageDates:
    """The page's publication and update days (``published`` None: not enough evidence)."""
    found, updated = candidates(tree, url)
    day = choose(found, weights())
    source = next((name for name, feature in SOURCES if day and feature in found[day]), None)
    return PageDates(day, source, updated)
