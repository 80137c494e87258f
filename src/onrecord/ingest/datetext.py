"""Dates a reader sees on a page, with where they sit relative to the headline.

A page's date is the one shown by the headline and byline; dates in related-post
cards, sidebars, footers, comments and widgets belong to other pages, so their
containers are skipped, unless one holds a third of the page's text (then it is the
page's main column). Numeric dates take day/month order from the page's language
("3/4/2025" is 4 March on an en-US page, 3 April elsewhere) unless the page's own
stamps say otherwise (pubdate.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml.html import HtmlElement

MIN_YEAR = 1995
_SKIP_TAGS = frozenset({"script", "style", "noscript", "nav", "form", "template", "svg",
                        "select", "button", "iframe"})
_PAGE_FURNITURE_TAGS = frozenset({"footer", "aside"})  # an article's own hold its byline
# Class or id tokens of containers that hold other pages' dates ("related-posts",
# "sidebar_left"); "-span"/"-type" suffixes name grid layout ("widget-span"), not furniture.
_FURNITURE = re.compile(
    r"^(?:related|sidebar|side-bar|widgets?|widget-area|footer|comments?|card|cards|"
    r"recommend\w*|popular|"
    r"trending|most-read|more-stories|read-next|newsletter|breadcrumbs?|teaser|promo)"
    r"(?:[-_](?!span|type).*)?$", re.I)
# A furniture-named container holding this share of the page's text is its main column
# (Blogger wraps the post in a "widget Blog" div), not furniture.
MAIN_SHARE = 0.33
_WORD = re.compile(r"\w\w")
_MONTHS = {m: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
     ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
     ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for m in names}
# The lookahead on a month's first letter halves the search time (no output changes).
_MONTH = (r"(?=[adfjmnos])(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True))
          + r")\.?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_YEAR}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})\b"),
    re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)\b"),
]

# A month and day with no year after it ("Apr 12", "9 June"), as blogs show this year's posts.
_NO_YEAR = r"(?!,?\s*(?:19|20)\d\d)(?!\d)"
_YEARLESS = [re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_NO_YEAR}", re.I),
             re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_NO_YEAR}", re.I)]


@dataclass
class SeenDate:
    day: str  # ISO
    at: int  # character offset in the page's visible text
    before: str  # up to 30 characters of text in front of it (its label)


@dataclass
class VisibleText:
    text: str
    headline_at: int | None  # where the first h1 with words starts, if any


def _furniture(el: HtmlElement, in_article: bool, page_chars: int) -> bool:
    if el.tag in _SKIP_TAGS or (el.tag in _PAGE_FURNITURE_TAGS and not in_article):
        return True
    if el.tag in ("body", "html", "article", "main"):
        return False
    tokens = f"{el.get('class', '')} {el.get('id', '')}".split()
    return (any(_FURNITURE.match(t) for t in tokens)
            and len(el.text_content()) < MAIN_SHARE * page_chars)


def visible_text(tree: HtmlElement) -> VisibleText:
    """The page's text outside furniture, in document order, and the headline's place."""
    parts: list[str] = []
    size = 0
    headline: int | None = None

    def walk(el: HtmlElement, in_article: bool) -> None:
        nonlocal size, headline
        if not isinstance(el.tag, str) or _furniture(el, in_article, page_chars):
            return
        in_article = in_article or el.tag == "article"
        heading = el.tag == "h1" and headline is None
        start = len(parts)
        if heading:
            headline = size
        if el.text:
            parts.append(el.text)
            size += len(el.text)
        for child in el:
            walk(child, in_article)
            if child.tail:
                parts.append(child.tail)
                size += len(child.tail)
        if heading and not _WORD.search("".join(parts[start:])):
            headline = None  # a logo in an h1 is not the headline
        parts.append(" ")
        size += 1

    body = tree.find("body")
    root = body if body is not None else tree
    page_chars = len(root.text_content())
    walk(root, False)
    return VisibleText("".join(parts), headline)


def _day(year: int, month: int, day: int, today: date) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if year >= MIN_YEAR and found <= today else None


def _parse(m: re.Match[str], month_first: bool, today: date) -> str | None:
    groups = m.groupdict()
    if groups.get("mon"):
        return _day(int(m["year"]), _MONTHS[m["mon"].lower()], int(m["day"]), today)
    if groups.get("m"):
        return _day(int(m["year"]), int(m["m"]), int(m["d"]), today)
    a, b = int(m["a"]), int(m["b"])
    if a > 12 or (not month_first and b <= 12):
        a, b = b, a
    return _day(int(m["y"]), a, b, today)


def month_first(tree: HtmlElement) -> bool:
    """Whether numeric dates put the month first: US English pages (or no locale given)."""
    lang = (tree.get("lang") or "").lower().replace("_", "-")
    return lang in ("", "en", "en-us")


def _dates(text: str, patterns: list[re.Pattern[str]], month_first: bool,
           today: date) -> list[SeenDate]:
    found = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            day = _parse(m, month_first, today)
            if day:
                found.append(SeenDate(day, m.start(), text[max(0, m.start() - 30):m.start()]))
    return found


def worded_dates(text: str, today: date) -> list[SeenDate]:
    """The dates in ``text`` whose order is unambiguous (month names, year first)."""
    return _dates(text, _PATTERNS[:3], True, today)


def numeric_dates(text: str, month_first: bool, today: date) -> list[SeenDate]:
    """The dates in ``text`` written as day and month numbers before the year."""
    return _dates(text, _PATTERNS[3:], month_first, today)


def seen_month_days(text: str, days: set[str], start: int, end: int) -> list[SeenDate]:
    """Dates written without a year in ``text[start:end]`` that name the month and day of
    one of ``days`` (ISO), read as that day."""
    by_month_day: dict[str, list[str]] = {}
    for day in days:
        by_month_day.setdefault(day[5:], []).append(day)
    found = []
    for pattern in _YEARLESS:
        for m in pattern.finditer(text, start, end):
            key = f"{_MONTHS[m['mon'].lower()]:02d}-{int(m['day']):02d}"
            if len(by_month_day.get(key, ())) == 1:
                found.append(SeenDate(by_month_day[key][0], m.start(),
                                      text[max(0, m.start() - 30):m.start()]))
    return found
