"""The daily briefing on the web: ``/digest`` (a day's page) and ``/digest.atom`` (a feed)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse

from onrecord.web.common import Site


def _settings() -> Any:
    from onrecord.digest.config import ConfigError, Settings, load_settings

    try:
        return load_settings()
    except ConfigError:
        return Settings()


def router(site: Site) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/digest", response_class=HTMLResponse)
    def digest_page(date: dt.date | None = None,
                    top: Annotated[int, Query(ge=1, le=20)] = 5) -> HTMLResponse:
        from onrecord.digest.build import build_briefing
        from onrecord.stories.store import load_stories

        s = _settings()
        b = build_briefing(site.store, date, top, s.weights, s.cluster, "",
                           load_stories(site.store, s.cluster, persist=False))
        return site.page("digest.html", b=b, feed="/digest.atom")

    @pages.get("/digest.atom", name="digest_feed")
    def digest_feed(days: Annotated[int, Query(ge=1, le=31)] = 7) -> Response:
        """The last ``days`` briefings; links use the configured base URL, never the
        request's Host header, and stories are grouped in memory (a GET writes nothing)."""
        from onrecord.digest.build import build_briefing
        from onrecord.digest.render import atom
        from onrecord.stories.store import load_stories

        s = _settings()
        stories = load_stories(site.store, s.cluster, persist=False)
        seen = sorted({d.day for st in stories for d in st.docs if d.day}, reverse=True)[:days]
        base = s.base_url.rstrip("/")
        briefings = [build_briefing(site.store, day, s.top, s.weights, s.cluster, base, stories)
                     for day in seen]
        return Response(atom(briefings, f"{base}/digest.atom"),
                        media_type="application/atom+xml; charset=utf-8")

    return pages
