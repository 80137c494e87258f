"""The list pages: home, quotes (with facets and CSV/JSON of the filtered rows), people, a
person (with charts), search across articles, quotes and people, and the timeline."""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterator
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from onrecord.store.base import MAX_LIMIT, EventQuery, EventRow, StatementQuery, StatementRow
from onrecord.store.output import person_dict, render, statement_dict
from onrecord.web import charts
from onrecord.web.common import (
    MAX_ID,
    EventType,
    Offset,
    Site,
    event_query,
    paging,
    statement_params,
    statement_query,
    url,
)

PAGE = 50  # rows per list page
PEOPLE_COLUMNS = ["id", "name", "type", "statements", "documents"]
EXPORT_COLUMNS = ["document", "url", "outlet", "title", "published", "statement", "speakers",
                  "source", "type", "cue", "content", "start", "end"]


def month_range(month: str) -> dict[str, str]:
    """The since/until parameters of a month facet ("2025-09")."""
    year, mon = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, mon)[1]
    return {"since": f"{month}-01", "until": f"{month}-{last:02d}"}


FACET_NAMES = {"speaker": "Speaker", "outlet": "Outlet", "type": "Type", "month": "Month",
               "person": "People named", "place": "Places named"}


def facet_change(params: dict[str, Any], key: str, value: str) -> tuple[dict[str, Any], bool]:
    """The URL parameters a facet value sets, and whether they are set already."""
    if key in ("person", "place"):  # entities named: one more to name
        named = [str(m) for m in params.get("mentions") or []]
        return {"mentions": [*named, value]}, value in named
    if key == "speaker":
        change: dict[str, Any] = {"speaker_id": value}
    elif key == "month":
        change = month_range(value)
    else:
        change = {key: value}
    return change, all(str(params.get(k) or "") == str(v) for k, v in change.items())


def facet_links(params: dict[str, Any], facets: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Each facet's values as links that add their filter to the current ones."""
    out = []
    for key, values in facets.items():
        links = []
        for f in values:
            change, active = facet_change(params, key, f.value)
            links.append({"label": f.label, "count": f.count, "active": active,
                          "href": url("/quotes", params, offset=None, **change)})
        out.append({"name": FACET_NAMES[key], "links": links})
    return out


def dropping(params: dict[str, Any], names: dict[str, str]) -> list[dict[str, str]]:
    """For an empty result: a link per filter that lists the rows without it (``names``:
    the entities' names by id, for the ones the words must name)."""
    out = []
    for key, value in params.items():
        if value in (None, ""):
            continue
        if key == "mentions":
            out += [{"label": f"naming {names.get(str(m), m)}",
                     "href": url("/quotes", params, offset=None,
                                 mentions=[n for n in value if n != m])} for m in value]
            continue
        out.append({"label": f"{key.replace('_', ' ')} = {value}",
                    "href": url("/quotes", params, offset=None, **{key: None})})
    return out


def export_row(st: StatementRow) -> dict[str, Any]:
    row = statement_dict(st)
    return row | {"url": st.url, "outlet": st.site}


def all_statements(site: Site, query: StatementQuery) -> Iterator[StatementRow]:
    """Every row of ``query``, page by page."""
    offset = 0
    while True:
        page = site.store.statements(query, MAX_LIMIT, offset)
        yield from page.items
        offset += MAX_LIMIT
        if offset >= page.total or not page.items:
            return


def all_people(site: Site) -> list[dict[str, Any]]:
    """Every row of the people list, most quoted first."""
    rows: list[dict[str, Any]] = []
    while True:
        page = site.store.people(MAX_LIMIT, len(rows))
        rows += [person_dict(p) for p in page.items]
        if len(rows) >= page.total or not page.items:
            return rows


def router(site: Site) -> APIRouter:
    pages = APIRouter(include_in_schema=False)
    store = site.store

    @pages.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        since, top = store.top_speakers(days=7, size=8)
        chart = charts.shares(f"Most quoted in the week from {since}", top) if top else None
        return site.page("home.html", documents=store.documents(15).items,
                         people=store.people(15).items, chart=chart)

    @pages.get("/quotes", response_class=HTMLResponse)
    def quotes_page(query: Annotated[StatementQuery, Depends(statement_query)],
                    offset: Offset = 0) -> HTMLResponse:
        p = store.statements(query, PAGE, offset)
        params = statement_params(query)
        facets = store.statement_facets(query)
        # The speaker's name from the facet that counts them (no person lookup needed).
        name = next((f.label for f in facets["speaker"] if f.value == str(query.speaker_id)),
                    None)
        return site.page("quotes.html", statements=p.items, total=p.total, query=params,
                         speaker_name=name, facets=facet_links(params, facets),
                         suggestions=dropping(params, store.entity_names(query.mentions))
                         if not p.total else [],
                         csv=url("/quotes.csv", params), json=url("/quotes.json", params),
                         links=paging("/quotes", params, p.total, p.limit, offset))

    @pages.get("/quotes.csv")
    def quotes_csv(query: Annotated[StatementQuery, Depends(statement_query)]) -> Response:
        def chunks() -> Iterator[str]:
            yield render([], "csv", EXPORT_COLUMNS)
            for st in all_statements(site, query):
                yield render([export_row(st)], "csv", EXPORT_COLUMNS).split("\n", 1)[1]

        return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition":
                                          'attachment; filename="quotes.csv"'})

    @pages.get("/quotes.json")
    def quotes_json(query: Annotated[StatementQuery, Depends(statement_query)]) -> Response:
        rows = [export_row(st) for st in all_statements(site, query)]
        return Response(json.dumps(rows, ensure_ascii=False),
                        media_type="application/json")

    @pages.get("/people", response_class=HTMLResponse)
    def people_page(offset: Offset = 0) -> HTMLResponse:
        p = store.people(PAGE, offset)
        return site.page("people.html", people=p.items, total=p.total,
                         links=paging("/people", {}, p.total, p.limit, offset))

    @pages.get("/people.csv")
    def people_csv() -> Response:
        return Response(render(all_people(site), "csv", PEOPLE_COLUMNS),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="people.csv"'})

    @pages.get("/people.json")
    def people_json() -> Response:
        return Response(json.dumps(all_people(site), ensure_ascii=False),
                        media_type="application/json")

    @pages.get("/people/{entity_id}", response_class=HTMLResponse)
    def person_page(entity_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
                    offset: Offset = 0) -> HTMLResponse:
        detail = store.person(entity_id)
        if detail is None:
            raise HTTPException(404, f"no person {entity_id}")
        query = StatementQuery(speaker_id=entity_id, oldest_first=True)
        p = store.statements(query, PAGE, offset)
        weeks = [(f.label, f.count) for f in store.statement_weeks(query)]
        outlets = [(f.label, f.count) for f in
                   store.statement_facets(query, size=10, kinds=("outlet",))["outlet"]]
        return site.page("person.html", detail=detail, statements=p.items, total=p.total,
                         weeks=charts.columns("Statements per week", weeks),
                         outlets=charts.rows("Statements per outlet", outlets),
                         quotes=url("/quotes", {"speaker_id": entity_id}),
                         csv=url("/quotes.csv", {"speaker_id": entity_id}),
                         json=url("/quotes.json", {"speaker_id": entity_id}),
                         links=paging(f"/people/{entity_id}", {}, p.total, p.limit, offset))

    @pages.get("/search", response_class=HTMLResponse)
    def search_page(q: Annotated[str, Query(max_length=500)] = "",
                    offset: Offset = 0) -> HTMLResponse:
        if not q.strip():
            return site.page("search.html", q=q, hits=[], total=0, by=None, about=None,
                             people=[], links=paging("/search", {}, 0, 20, 0))
        p = store.search(q, 20, offset)
        hits = [{"hit": h, "parts": snippet_parts(h.snippet)} for h in p.items]
        by = store.statements(StatementQuery(speaker=q), 10)
        about = store.statements(StatementQuery(about=q), 10)
        people = store.statement_facets(StatementQuery(speaker=q), size=10,
                                        kinds=("speaker",))["speaker"]
        named = (store.statement_facets(StatementQuery(about=q), kinds=("person", "place"))
                 if about.total else {})
        return site.page("search.html", q=q, hits=hits, total=p.total, by=by, about=about,
                         people=people, named=facet_links({"about": q}, named),
                         by_link=url("/quotes", {"speaker": q}),
                         about_link=url("/quotes", {"about": q}),
                         by_csv=url("/quotes.csv", {"speaker": q}),
                         about_csv=url("/quotes.csv", {"about": q}),
                         links=paging("/search", {"q": q}, p.total, p.limit, offset))

    @pages.get("/timeline", response_class=HTMLResponse)
    def timeline_page(query: Annotated[EventQuery, Depends(event_query)],
                      offset: Offset = 0) -> HTMLResponse:
        query.dated, query.oldest_first = True, True
        p = store.events(query, 100, offset)
        days: list[tuple[str, list[EventRow]]] = []
        for ev in p.items:
            if days and days[-1][0] == ev.date:
                days[-1][1].append(ev)
            else:
                days.append((ev.date or "", [ev]))
        params = {"type": query.type, "actor": query.actor, "since": query.since,
                  "until": query.until, "status": query.status}
        return site.page("timeline.html", days=days, total=p.total, query=params,
                         types=get_args(EventType),
                         links=paging("/timeline", params, p.total, p.limit, offset))

    return pages


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) runs; the template escapes each."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split("\x02")):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition("\x03")
        parts.append((hit, True))
        if rest:
            parts.append((rest, False))
    return [(t.replace("\x03", ""), m) for t, m in parts if t]
