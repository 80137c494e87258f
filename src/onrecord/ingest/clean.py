"""Site furniture that survives body extraction: promo lines and per-site repeats.

Lines are judged with the NLP boilerplate detector's ``promo_score``. Runs of promo
lines at the top or bottom of a body are dropped, and so are short promo lines
inside it; a long line is kept even when it mentions a newsletter, since it is more
likely reporting than selling (tuned on the article-extraction benchmark).
Across a batch, lines that one site repeats on many of its pages are its template.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import urlsplit

from onrecord.ingest.base import Source
from onrecord.nlp.boilerplate import promo_score

PROMO_THRESHOLD = 2
SHORT_LINE = 150  # characters; shorter promo lines are dropped wherever they are
_BARE_URL = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")
MIN_SITE_PAGES = 3  # a site needs this many pages in the batch before repeats count
REPEAT_SHARE = 0.5  # a line on at least this share of a site's pages is template


def _is_promo(line: str) -> bool:
    return bool(_BARE_URL.match(line)) or promo_score(line) >= PROMO_THRESHOLD


def strip_promo(text: str) -> str:
    """``text`` (one paragraph per line) without its promo and bare-URL lines."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    while lines and _is_promo(lines[-1]):
        lines.pop()
    while lines and _is_promo(lines[0]):
        lines.pop(0)
    return "\n".join(ln for ln in lines if len(ln) >= SHORT_LINE or not _is_promo(ln))


def site_of(src: Source) -> str | None:
    url = src.meta.get("url")
    host = urlsplit(url).hostname if isinstance(url, str) else None
    site = src.meta.get("site")
    return host or (site if isinstance(site, str) else None)


def drop_site_repeats(sources: list[Source]) -> None:
    """Remove, in place, lines a site repeats on many of its pages in this batch.

    Copies of one article (same ``copy_group``) vote once, so a story a site ran
    twice is not mistaken for its template.
    """
    by_site: dict[str, list[Source]] = defaultdict(list)
    for src in sources:
        site = site_of(src)
        if site:
            by_site[site].append(src)
    for pages in by_site.values():
        voters: dict[object, set[str]] = defaultdict(set)
        for src in pages:
            voters[src.meta.get("copy_group") or id(src)].update(src.text.splitlines())
        if len(voters) < MIN_SITE_PAGES:
            continue
        counts = Counter(line for lines in voters.values() for line in lines if line.strip())
        need = max(MIN_SITE_PAGES, REPEAT_SHARE * len(voters))
        template = {line for line, n in counts.items() if n >= need}
        if template:
            for src in pages:
                src.text = "\n".join(ln for ln in src.text.splitlines() if ln not in template)
