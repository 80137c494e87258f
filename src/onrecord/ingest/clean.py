"""Site furniture that survives body extraction: lines a site repeats on its pages.

Across a batch, lines that one site repeats on many of its pages are its template.
Promo lines are not dropped here: they stay in the text and the record marks them
``boilerplate`` (onrecord.nlp.boilerplate), since dropping them cost body F1 on
unseen sites (bench/bench_ingest.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import urlsplit

from onrecord.ingest.base import Source

MIN_SITE_PAGES = 3  # a site needs this many pages in the batch before repeats count
REPEAT_SHARE = 0.5  # a line on at least this share of a site's pages is template


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
