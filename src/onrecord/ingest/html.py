"""One HTML page to a :class:`Source`: article body, paragraphs and metadata.

Body extraction is trafilatura: the precision-leaning pass drops more furniture, and
when it keeps under a fifth of what the default pass finds it has lost the article,
so the default wins (a length ratio on every page, not a fixed length). Otherwise the
precise body gets back the headings, list items and table rows it cut from inside the
article span of the default pass. Both rules were tuned and checked on the two halves
of wcxb-dev (bench/bench_ingest.py). Promo lines are left in the text, where the
record marks them ``boilerplate``: dropping them cost body F1 on unseen sites. The
page is parsed once (ingest/parse.py) and each pass works on trafilatura's own copy of
the tree; the precise pass runs trafilatura's fallback extractors only when its body
is short; the metadata is trafilatura's minus its date search, since the date is ours
(pubdate.py).
"""

from __future__ import annotations

import contextlib
import copy
import re
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_url,
)
from trafilatura.settings import DEFAULT_CONFIG
from trafilatura.utils import decode_file

from onrecord.ingest.base import MAX_HTML_BYTES, InputError, Source
from onrecord.ingest.encoding import looks_binary, repair_mojibake
from onrecord.ingest.headline import headline
from onrecord.ingest.parse import parse_html
from onrecord.ingest.pubdate import page_dates
from onrecord.ingest.splitbody import join_split_body, split_parts

PRECISE_SHARE = 0.2
# The precise pass's fallback extractors replace its body only when it is short (under
# trafilatura's minimum, or under half of what they find); a fast body this close to the
# default one's length keeps it (on all 974 development pages, the same body as with them).
FAST_SHARE = 0.8
_MIN_EXTRACTED = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
PUT_BACK_CHARS = 200  # shorter default-pass lines inside the article span go back in
# Container tags whose nesting is dropped when a page yields no text: libxml2 parses
# only 255 levels deep and loses whatever lies below (a page nested 10,000 deep).
_CONTAINERS = re.compile(r"</?(?:div|span|section|main|aside|font|center|table|tbody|thead|tr|"
                         r"td|th|blockquote|b|i|u|em|strong)\b[^>]*>", re.IGNORECASE)
_OPTIONS: dict[str, Any] = {"include_comments": False, "with_metadata": False}


def _put_back(precise: str, default: str) -> str:
    """``precise`` with the short lines (headings, list items, table rows) it dropped from
    inside the article span of ``default``, in ``default``'s order.

    Only when every precise line is in the default pass, so that order is well defined.
    """
    kept = {ln.strip() for ln in precise.splitlines() if ln.strip()}
    lines = [ln.strip() for ln in default.splitlines() if ln.strip()]
    if not kept or not kept <= set(lines):
        return precise
    shared = [i for i, ln in enumerate(lines) if ln in kept]
    first, last = shared[0], shared[-1]
    return "\n".join(ln for i, ln in enumerate(lines)
                     if ln in kept or (first <= i <= last and len(ln) < PUT_BACK_CHARS))


def _precise(tree: HtmlElement, url: str | None, default: str) -> str | None:
    """The precise pass, first without trafilatura's fallback extractors (readability,
    justext), which change its body only when that body is short: then with them."""
    fast = trafilatura.extract(tree, url=url, favor_precision=True, fast=True, **_OPTIONS)
    if fast and len(fast) >= max(FAST_SHARE * len(default), _MIN_EXTRACTED):
        return fast
    return trafilatura.extract(tree, url=url, favor_precision=True, **_OPTIONS)


def _body(tree: HtmlElement, url: str | None) -> str:
    default = trafilatura.extract(tree, url=url, **_OPTIONS) or ""
    precise = _precise(tree, url, default)
    if not precise or len(precise) < PRECISE_SHARE * len(default):
        return default
    return _put_back(precise, default)


def _whole_body(tree: HtmlElement, url: str | None) -> str:
    """The body, read across the containers a page splits it into around ads when that
    reads more of the page than trafilatura's own choice (ingest/splitbody.py)."""
    if split_parts(tree) is None:
        return _body(tree, url)
    joined = copy.deepcopy(tree)
    join_split_body(joined)
    whole, own = _body(joined, url), _body(tree, url)
    return whole if len(whole) > len(own) else own


def _metadata(tree: HtmlElement, url: str | None) -> dict[str, object]:
    """Record metadata: trafilatura's author, site and canonical URL, our headline and dates."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:  # a handle, not a name (as trafilatura does)
        meta.author = None
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader fails on odd markup
        meta = extract_meta_json(tree, meta)
    page_url = meta.url or extract_url(tree, url)
    site = (meta.sitename or extract_sitename(tree) or "").lstrip("@")
    if site and "." not in site and not site[0].isupper():
        site = site.title()
    authors = [a.strip() for a in (meta.author or extract_author(tree) or "").split(";")
               if a.strip()]
    host = urlsplit(page_url or "").hostname
    dates = page_dates(tree, url)
    found = {"title": headline(tree, site, host) or meta.title,
             "authors": authors or None, "published": dates.published,
             "published_source": dates.source, "updated": dates.updated,
             "site": site or (host or "").removeprefix("www."),
             "url": page_url}
    return {k: v for k, v in found.items() if v}


def html_source(data: bytes | str, doc_id: str, name: str, url: str | None = None,
                path: str | None = None) -> Source | InputError:
    """The article in one page, or an error naming ``name``."""
    if isinstance(data, bytes):
        if len(data) > MAX_HTML_BYTES:
            return InputError(name, f"too large ({len(data)} bytes; limit {MAX_HTML_BYTES})")
        if looks_binary(data):
            return InputError(name, "binary file, not HTML")
        data = decode_file(data)
    if not data.strip():
        return InputError(name, "empty document")
    tree = parse_html(data)
    if tree is None:
        return InputError(name, "not HTML: cannot parse page")
    meta = _metadata(tree, url)
    body = _whole_body(tree, url)
    if not body and (flat := parse_html(_CONTAINERS.sub(" ", data))) is not None:
        body = _body(flat, url)
    text = repair_mojibake(body, name)
    if isinstance(text, InputError):
        return text
    if not text:
        return InputError(name, "no article text found")
    return Source(id=doc_id, text=text, path=path, meta=meta)


def article_body(html: bytes | str, url: str | None = None) -> str:
    """Just the cleaned body (for benchmarks); empty when there is none."""
    src = html_source(html, "page", "page", url=url)
    return src.text if isinstance(src, Source) else ""
