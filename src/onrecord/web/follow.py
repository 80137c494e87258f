"""Following on the web: ``/sources`` (each feed's health), ``/watches``, ``/watch/ID`` (recent
matches linking to the marked words), ``/watch/ID.atom`` and ``/health`` for monitors.

All read-only: watches are added with ``onrecord watch add``, so the pages need no token.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import HTMLResponse

from onrecord.store.base import FeedState
from onrecord.web.common import MAX_ID, Site

RECENT = 100  # matches on a watch's page and feed


def _base_url() -> str:
    from onrecord.digest.config import ConfigError, Settings, load_settings

    try:
        return load_settings().base_url.rstrip("/")
    except ConfigError:
        return Settings().base_url


def _size(path: str) -> int:
    """Bytes of the database file and its write-ahead log."""
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def router(site: Site) -> APIRouter:
    pages = APIRouter()

    def watch_or_404(watch_id: int) -> Any:
        found = [w for w in site.store.watches() if w.id == watch_id] if watch_id <= MAX_ID else []
        if not found:
            raise HTTPException(404, f"no watch {watch_id}")
        return found[0]

    @pages.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Whether the service is up: the last follow cycle, failing feeds, store size."""
        feeds = site.store.feed_states()
        failing: list[FeedState] = [f for f in feeds if f.failures]
        return {"status": "ok", "last_cycle": site.store.follow_value("last_cycle"),
                "feeds": len(feeds),
                "failing": [{"url": f.url, "failures": f.failures, "error": f.last_error,
                             "next_poll": f.next_poll} for f in failing],
                "store": {"documents": site.store.documents(limit=1).total,
                          "bytes": _size(site.store.path)}}

    @pages.get("/sources", response_class=HTMLResponse, include_in_schema=False)
    def sources() -> HTMLResponse:
        feeds = site.store.feed_states()
        counts = {}
        for f in feeds:
            items = site.store.feed_items(f.url).values()
            counts[f.url] = {k: sum(1 for i in items if i.status == k)
                             for k in ("stored", "pending", "failed")}
        return site.page("sources.html", feeds=feeds, counts=counts,
                         last_cycle=site.store.follow_value("last_cycle"))

    @pages.get("/watches", response_class=HTMLResponse, include_in_schema=False)
    def watches() -> HTMLResponse:
        from onrecord.follow.watches import describe

        listed = [(w, describe(w)) for w in site.store.watches()]
        return site.page("watches.html", watches=listed)

    @pages.get("/watch/{watch_id}.atom", include_in_schema=False)
    def watch_feed(watch_id: int) -> Response:
        from onrecord.follow.watches import atom

        w = watch_or_404(watch_id)
        base = _base_url()
        matches = site.store.watch_matches(w.id, limit=RECENT)
        return Response(atom(w, matches, f"{base}/watch/{w.id}.atom", base),
                        media_type="application/atom+xml; charset=utf-8")

    @pages.get("/watch/{watch_id}", response_class=HTMLResponse, include_in_schema=False)
    def watch_page(watch_id: int) -> HTMLResponse:
        from onrecord.follow.watches import describe

        w = watch_or_404(watch_id)
        matches = site.store.watch_matches(w.id, limit=RECENT)
        return site.page("watch.html", w=w, what=describe(w), matches=matches,
                         feed=f"/watch/{w.id}.atom")

    return pages
