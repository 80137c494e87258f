"""The web app: a JSON API under /api/ and server-rendered pages over one record store.

Every article text is untrusted. Templates autoescape everything, no page has inline
script or style, and each response carries a strict Content-Security-Policy and
``X-Content-Type-Options: nosniff``. Reads are open; the one write endpoint
(``POST /api/documents``) needs the operator's bearer token and is refused when none
is configured.
"""


import datetime as dt
import hashlib
import hmac
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord import __version__
from onrecord.record import Document
from onrecord.store.base import (
    AddStatus,
    CorruptDatabase,
    DatabaseLocked,
    DocumentInfo,
    EventQuery,
    EventRow,
    FigureQuery,
    FigureRow,
    PersonDetail,
    PersonRow,
    QueryError,
    ReadOnlyDatabase,
    SearchHit,
    StatementQuery,
    StatementRow,
    Store,
    StoreError,
)
from onrecord.web.marks import facts, segments, speaker_classes, statement_class

HERE = Path(__file__).resolve().parent
MAX_PAGE = 100  # the most items one API or page request returns
MAX_OFFSET = 10_000_000
MAX_ID = 2**62
CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

Extractor = Callable[[str, str, str | None], Document]  # (text, id, published) -> record
StatementType = Literal["direct", "indirect", "mixed", "according_to"]
EntityType = Literal["PERSON", "ORG", "GPE", "NORP", "LOC", "GROUP", "OTHER", "all"]

EventType = Literal["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                    "MOBILIZE", "COERCE", "ASSAULT"]
EventStatus = Literal["asserted", "future", "hypothetical", "negated"]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Text = Annotated[str | None, Query(max_length=500)]


def _blank_is_none(value: Any) -> Any:
    """An empty form field (``since=``) means no filter, as an absent one does."""
    return None if isinstance(value, str) and not value.strip() else value


OptDate = Annotated[dt.date | None, Query(), BeforeValidator(_blank_is_none)]


# -- API shapes ---------------------------------------------------------------------------

@dataclass
class DocumentList:
    items: list[DocumentInfo]
    total: int
    limit: int
    offset: int


@dataclass
class StatementList:
    items: list[StatementRow]
    total: int
    limit: int
    offset: int


@dataclass
class EntityList:
    items: list[PersonRow]
    total: int
    limit: int
    offset: int


@dataclass
class SearchResults:
    items: list[SearchHit]
    total: int
    limit: int
    offset: int


@dataclass
class FigureList:
    items: list[FigureRow]
    total: int
    limit: int
    offset: int


@dataclass
class EventList:
    items: list[EventRow]
    total: int
    limit: int
    offset: int


@dataclass
class DocumentOut:
    store: DocumentInfo
    versions: list[DocumentInfo]
    entity_ids: dict[str, int]
    record: dict[str, Any]


# The most a write may send: a NewDocument's 2,000,000 characters as JSON even when
# every one is escaped (12 bytes for a character outside the BMP), and its other fields.
MAX_POST_BYTES = 24_100_000


def _has_words(text: str) -> str:
    if not text.strip():
        raise ValueError("text is empty or only whitespace")
    return text


class NewDocument(BaseModel):
    text: Annotated[str, AfterValidator(_has_words)] = Field(min_length=1, max_length=2_000_000)
    id: str | None = Field(None, max_length=500, description="input id; versions share it")
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=1000)
    published: dt.date | None = None


class Stored(BaseModel):
    id: str
    status: AddStatus
    version: int


def _default_extractor(text: str, doc_id: str, published: str | None) -> Document:
    from onrecord.nlp.pipeline import extract

    return extract(text, doc_id, published=published)


def _page_links(path: str, params: dict[str, Any], total: int, limit: int,
                offset: int) -> dict[str, str | None]:
    keep = {k: v for k, v in params.items() if v not in (None, "")}

    def link(off: int) -> str:
        return path + "?" + urlencode({**keep, "offset": off})

    return {"prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}


def create_app(store: Store, token: str | None = None,
               extractor: Extractor | None = None) -> FastAPI:
    """The app over ``store``; ``token`` enables POST /api/documents."""
    app = FastAPI(title="onrecord", version=__version__, docs_url=None, redoc_url=None,
                  description="Who said what in the news, every fact pinned to character "
                              "offsets. Read-only unless the operator set an API token.")
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    extract = extractor or _default_extractor
    bearer = HTTPBearer(auto_error=False, description="the operator's API token")

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(version=__version__, **ctx)
        return HTMLResponse(html, status_code=status)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and request.url.path != "/openapi.json"

    @app.middleware("http")
    async def refuse_before_the_body(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """A write is judged on its headers (token, Content-Length) before any of its body
        is read, so an unauthenticated or oversized upload costs no memory."""
        if request.method == "POST" and request.url.path == "/api/documents":
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            length = request.headers.get("content-length", "")
            try:
                check_token(credentials.strip() if scheme.lower() == "bearer" else None)
            except HTTPException as exc:
                return error(request, exc.status_code, str(exc.detail),
                             dict(exc.headers or {}))
            if not length.isdigit():
                return error(request, 411, "a Content-Length header is required")
            if int(length) > MAX_POST_BYTES:
                return error(request, 413, f"request body too large (limit {MAX_POST_BYTES:,} "
                                           "bytes)")
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # -- errors: 422 for bad input, 404 for unknown ids, 503 for an unusable database --

    def error(request: Request, status: int, message: str,
              headers: dict[str, str] | None = None) -> Response:
        if wants_html(request):
            return page("error.html", status=status, status_code=status, message=message)
        return JSONResponse({"detail": message}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            parts = []
            for e in exc.errors():
                where = ".".join(str(x) for x in e.get("loc", ())[1:]) or "request"
                parts.append(f"{where}: {e.get('msg', 'invalid')}")
            return page("error.html", status=422, status_code=422, message="; ".join(parts))
        detail = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")}
                  for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return error(request, 422, str(exc))

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        if isinstance(exc, DatabaseLocked):
            message = "the database is busy (locked by another writer); try again shortly"
        elif isinstance(exc, ReadOnlyDatabase):
            message = "the database is read-only; writes are not possible"
        elif isinstance(exc, CorruptDatabase):
            message = "the database is damaged; the operator has been told"
        else:
            message = "the database cannot answer right now"
        return error(request, 503, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail),
                     headers=getattr(exc, "headers", None))

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # -- JSON API -------------------------------------------------------------------------

    def statement_query(speaker: Text = None,
                        speaker_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                        about: Text = None, since: OptDate = None, until: OptDate = None,
                        type: Annotated[StatementType | None, Query(),
                                        BeforeValidator(_blank_is_none)] = None,
                        document: Text = None) -> StatementQuery:
        return StatementQuery(speaker=speaker or None, speaker_id=speaker_id,
                              about=about or None, since=since, until=until, type=type,
                              document=document or None)

    @app.get("/api/documents", response_model=DocumentList, tags=["documents"])
    def api_documents(limit: Limit = 20, offset: Offset = 0) -> DocumentList:
        """Current document versions, latest published first."""
        p = store.documents(limit, offset)
        return DocumentList(p.items, p.total, p.limit, p.offset)

    @app.get("/api/documents/{doc_id}", response_model=DocumentOut, tags=["documents"])
    def api_document(doc_id: Annotated[str, PathParam(max_length=500)]) -> DocumentOut:
        """One document version (by id, or the current version of a key) with its record."""
        stored = store.document(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return DocumentOut(stored.info, stored.versions, stored.entity_ids,
                           stored.record.model_dump(mode="json"))

    def check_token(credentials: str | None) -> None:
        if not token:
            raise HTTPException(403, "writes are disabled: the server has no API token "
                                     "(set ONRECORD_API_TOKEN or --token)")
        if credentials is None or not hmac.compare_digest(credentials.encode(),
                                                          token.encode()):
            raise HTTPException(401, "a valid bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})

    def authorised(creds: Annotated[HTTPAuthorizationCredentials | None,
                                    Depends(bearer)]) -> None:
        check_token(creds.credentials if creds else None)

    @app.post("/api/documents", response_model=Stored, status_code=201, tags=["documents"],
              dependencies=[Depends(authorised)],
              responses={200: {"description": "the same text was already stored"}})
    def api_add(body: NewDocument, response: Response) -> Stored:
        """Extract a text and store its record (needs the operator's bearer token)."""
        # with neither id nor url, the text names itself: distinct texts never become
        # versions of one another
        digest = hashlib.sha256(body.text.encode()).hexdigest()[:16]
        doc_id = body.id or body.url or f"posted-{digest}"
        published = body.published.isoformat() if body.published else None
        record = extract(body.text, doc_id, published)
        meta = {k: v for k, v in (("url", body.url), ("title", body.title)) if v}
        result = store.add(record.model_copy(update=meta))
        if result.status == "unchanged":
            response.status_code = 200
        return Stored(id=result.id, status=result.status, version=result.version)

    @app.get("/api/statements", response_model=StatementList, tags=["statements"])
    def api_statements(query: Annotated[StatementQuery, Depends(statement_query)],
                       limit: Limit = 20, offset: Offset = 0) -> StatementList:
        """Statements in current documents, newest first, with filters."""
        p = store.statements(query, limit, offset)
        return StatementList(p.items, p.total, p.limit, p.offset)

    @app.get("/api/entities", response_model=EntityList, tags=["entities"])
    def api_entities(type: EntityType = "PERSON", limit: Limit = 20,
                     offset: Offset = 0) -> EntityList:
        """People (or other entities) by the number of statements attributed to them."""
        p = store.people(limit, offset, type=None if type == "all" else type)
        return EntityList(p.items, p.total, p.limit, p.offset)

    @app.get("/api/entities/{entity_id}", response_model=PersonDetail, tags=["entities"])
    def api_entity(entity_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]) -> PersonDetail:
        """One entity: titles, counts and who is quoted alongside it."""
        detail = store.person(entity_id)
        if detail is None:
            raise HTTPException(404, f"no entity {entity_id}")
        return detail

    @app.get("/api/search", response_model=SearchResults, tags=["search"])
    def api_search(q: Annotated[str, Query(min_length=1, max_length=500)],
                   limit: Limit = 20, offset: Offset = 0) -> SearchResults:
        """Full-text search of current documents, bm25 ranking; snippets mark matches with
        \\u0002 and \\u0003."""
        p = store.search(q, limit, offset)
        return SearchResults(p.items, p.total, p.limit, p.offset)

    def figure_query(about: Text = None, claimed_by: Text = None,
                     unit: Annotated[str | None, Query(max_length=20)] = None,
                     document: Text = None) -> FigureQuery:
        return FigureQuery(about=about or None, claimed_by=claimed_by or None,
                           unit=unit or None, document=document or None)

    def event_query(type: EventType | None = None, actor: Text = None,
                    role: Literal["actor", "recipient"] | None = None,
                    since: dt.date | None = None, until: dt.date | None = None,
                    status: EventStatus | None = None, document: Text = None) -> EventQuery:
        return EventQuery(type=type, actor=actor or None, role=role, since=since, until=until,
                          status=status, document=document or None)

    @app.get("/api/figures", response_model=FigureList, tags=["facts"])
    def api_figures(query: Annotated[FigureQuery, Depends(figure_query)],
                    limit: Limit = 20, offset: Offset = 0) -> FigureList:
        """Figures cited in current documents (newest first), with who claims them."""
        p = store.figures(query, limit, offset)
        return FigureList(p.items, p.total, p.limit, p.offset)

    @app.get("/api/events", response_model=EventList, tags=["facts"])
    def api_events(query: Annotated[EventQuery, Depends(event_query)],
                   limit: Limit = 20, offset: Offset = 0) -> EventList:
        """PLOVER events in current documents by resolved date, newest first; ``since`` and
        ``until`` keep events whose date (a day, week, month, ...) overlaps them."""
        p = store.events(query, limit, offset)
        return EventList(p.items, p.total, p.limit, p.offset)

    # -- pages ----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return page("home.html", documents=store.documents(15).items,
                    people=store.people(15).items)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: Annotated[str, PathParam(max_length=500)]) -> HTMLResponse:
        stored = store.document(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        rec = stored.record
        colours = speaker_classes(rec, stored.entity_ids)
        listed = []
        for st in rec.statements:
            speakers = [(stored.entity_ids.get(local), ent.name) for local in st.speakers
                        if (ent := rec.entity(local)) is not None]
            listed.append({"st": st, "speakers": speakers,
                           "css": statement_class(st, stored.entity_ids, colours)})
        people = [(stored.entity_ids.get(e.id), e) for e in rec.entities if e.type == "PERSON"]
        names = {e.id: (stored.entity_ids.get(e.id), e.name) for e in rec.entities}
        return page("document.html", info=stored.info, versions=stored.versions, record=rec,
                    source_url=link_url(rec.url),
                    segments=segments(rec, stored.entity_ids, colours, facts(rec)),
                    statements=listed, people=people, names=names)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
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
        return page("timeline.html", days=days, total=p.total, query=params,
                    types=get_args(EventType),
                    links=_page_links("/timeline", params, p.total, p.limit, offset))

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page(offset: Offset = 0) -> HTMLResponse:
        p = store.people(50, offset)
        return page("people.html", people=p.items, total=p.total,
                    links=_page_links("/people", {}, p.total, p.limit, offset))

    @app.get("/people/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def person_page(entity_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
                    offset: Offset = 0) -> HTMLResponse:
        detail = store.person(entity_id)
        if detail is None:
            raise HTTPException(404, f"no person {entity_id}")
        p = store.statements(StatementQuery(speaker_id=entity_id, oldest_first=True),
                             MAX_PAGE, offset)
        months = Counter((st.published or "undated")[:7] for st in p.items)
        return page("person.html", detail=detail, statements=p.items, total=p.total,
                    months=sorted(months.items()),
                    links=_page_links(f"/people/{entity_id}", {}, p.total, p.limit, offset))

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(query: Annotated[StatementQuery, Depends(statement_query)],
                    offset: Offset = 0) -> HTMLResponse:
        p = store.statements(query, 50, offset)
        params = {"speaker": query.speaker, "about": query.about, "since": query.since,
                  "until": query.until, "type": query.type}
        return page("quotes.html", statements=p.items, total=p.total, query=params,
                    links=_page_links("/quotes", params, p.total, p.limit, offset))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: Annotated[str, Query(max_length=500)] = "",
                    offset: Offset = 0) -> HTMLResponse:
        hits: list[dict[str, Any]] = []
        total = 0
        links: dict[str, str | None] = {"prev": None, "next": None}
        if q.strip():
            p = store.search(q, 20, offset)
            total = p.total
            for h in p.items:
                hits.append({"hit": h, "parts": snippet_parts(h.snippet)})
            links = _page_links("/search", {"q": q}, p.total, p.limit, offset)
        return page("search.html", q=q, hits=hits, total=total, links=links)

    # -- the daily briefing (onrecord.digest) -------------------------------------------

    def briefing_settings() -> Any:
        from onrecord.digest.config import ConfigError, Settings, load_settings

        try:
            return load_settings()
        except ConfigError:
            return Settings()

    @app.get("/digest", response_class=HTMLResponse, include_in_schema=False)
    def digest_page(date: dt.date | None = None,
                    top: Annotated[int, Query(ge=1, le=20)] = 5) -> HTMLResponse:
        from onrecord.digest.build import build_briefing
        from onrecord.stories.store import load_stories

        s = briefing_settings()
        b = build_briefing(store, date, top, s.weights, s.cluster, "",
                           load_stories(store, s.cluster, persist=False))
        return page("digest.html", b=b, feed="/digest.atom")

    @app.get("/digest.atom", include_in_schema=False, name="digest_feed")
    def digest_feed(days: Annotated[int, Query(ge=1, le=31)] = 7) -> Response:
        """The last ``days`` briefings; links use the configured base URL, never the
        request's Host header, and stories are grouped in memory (a GET writes nothing)."""
        from onrecord.digest.build import build_briefing
        from onrecord.digest.render import atom
        from onrecord.stories.store import load_stories

        s = briefing_settings()
        stories = load_stories(store, s.cluster, persist=False)
        seen = sorted({d.day for st in stories for d in st.docs if d.day}, reverse=True)[:days]
        base = s.base_url.rstrip("/")
        briefings = [build_briefing(store, day, s.top, s.weights, s.cluster, base, stories)
                     for day in seen]
        return Response(atom(briefings, f"{base}/digest.atom"),
                        media_type="application/atom+xml; charset=utf-8")

    return app


def link_url(url: str | None) -> str | None:
    """``url`` when it is safe as a link (http or https), else None: a record's URL comes
    from the input and could be ``javascript:`` or ``data:``."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url
    return None


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
