"""A page's headline: its one visible h1, else the h1 the meta title names, else the title.

Meta titles carry "| Site" or "- Site" segments and SEO variants, so the h1 a reader
sees is preferred: the page's only h1, or among several the one whose words are the
meta title's. Without one, the meta title is used with the segments that name the
site removed (matched against og:site_name or the host name).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

MIN_SHARE = 0.6  # of the h1's words that must be in the meta title
_WORD = re.compile(r"\w+")
_SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014:\u00b7\u2022»/]+\s+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def meta_title(tree: HtmlElement) -> str:
    """og:title, else twitter:title, else <title>."""
    for key in ("og:title", "twitter:title"):
        for el in tree.xpath(f'//meta[@property="{key}" or @name="{key}"]'):
            if _clean(el.get("content")):
                return _clean(el.get("content"))
    return _clean(tree.findtext(".//title"))


def _names_site(segment: str, site: set[str]) -> bool:
    words = set(_words(segment))
    joined = "".join(_words(segment))
    return bool(words) and (words <= site or joined in site)


def strip_site(title: str, site_name: str | None, host: str | None) -> str:
    """``title`` without leading or trailing segments that name the site."""
    site = set(_words(site_name or ""))
    site.add("".join(_words(site_name or "")))
    if host:
        labels = host.lower().removeprefix("www.").split(".")
        site.update(labels[:-1] if len(labels) > 1 else labels)
    site.discard("")
    edges = [0, *(x for m in _SEPARATORS.finditer(title) for x in m.span()), len(title)]
    spans = list(zip(edges[::2], edges[1::2], strict=True))  # the segments between separators
    first, last = 0, len(spans) - 1
    while last > first and _names_site(title[slice(*spans[last])], site):
        last -= 1
    while first < last and _names_site(title[slice(*spans[first])], site):
        first += 1
    return title[spans[first][0]:spans[last][1]]

def headline(tree: HtmlElement, site_name: str | None, host: str | None) -> str | None:
    """The headline, or None when the page has neither an h1 nor a title."""
    h1s = [text for el in tree.iter("h1") if (text := _clean(el.text_content()))]
    if len(h1s) == 1:
        return h1s[0]
    title = strip_site(meta_title(tree), site_name, host)
    title_words = set(_words(title))
    for text in h1s:
        words = _words(text)
        if words and sum(w in title_words for w in words) >= MIN_SHARE * len(words):
            return text
    return title or None
