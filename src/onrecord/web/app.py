"""The web app: a JSON API under /api/ and server-rendered pages over one record store.

Every article text is untrusted. Templates autoescape everything, no page has inline
script or style, and each response carries a strict Content-Security-Policy and
``X-Content-Type-Options: nosniff``. Reads are open; the one write endpoint
(``POST /api/documents``) needs the operator's bearer token and is refused when none
is configured.

One router per area, as datasette keeps a views module per kind of page: ``api``
(JSON), ``documents`` (the article page), ``lists`` (home, quotes, people, search,
timeline), ``briefing`` (the digest), ``follow`` (sources, watches, /health) and
``reference`` (/docs).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from onrecord import __version__
from onrecord.record import Document
from onrecord.store.base import (
    CorruptDatabase,
    DatabaseLocked,
    QueryError,
    ReadOnlyDatabase,
    Store,
    StoreError,
)
from onrecord.web import api, briefing, documents, follow, lists, reference
from onrecord.web.common import HERE, Extractor, Site

CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _default_extractor(text: str, doc_id: str, published: str | None) -> Document:
    from onrecord.nlp.pipeline import extract

    return extract(text, doc_id, published=published)


def create_app(store: Store, token: str | None = None,
               extractor: Extractor | None = None) -> FastAPI:
    """The app over ``store``; ``token`` enables POST /api/documents."""
    app = FastAPI(title="onrecord", version=__version__, docs_url=None, redoc_url=None,
                  description="Who said what in the news, every fact pinned to character "
                              "offsets. Read-only unless the operator set an API token.")
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    site = Site(store, env, extractor or _default_extractor, token)

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.middleware("http")
    async def refuse_before_the_body(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """A write is judged on its headers (token, Content-Length) before any of its body
        is read, so an unauthenticated or oversized upload costs no memory."""
        if request.method == "POST" and request.url.path == "/api/documents":
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            length = request.headers.get("content-length", "")
            try:
                api.check_token(token, credentials.strip() if scheme.lower() == "bearer"
                                else None)
            except HTTPException as exc:
                return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                    headers=dict(exc.headers or {}))
            if not length.isdigit():
                return JSONResponse({"detail": "a Content-Length header is required"},
                                    status_code=411)
            if int(length) > api.MAX_POST_BYTES:
                return JSONResponse({"detail": f"request body too large (limit "
                                               f"{api.MAX_POST_BYTES:,} bytes)"},
                                    status_code=413)
        return await call_next(request)

    _error_handlers(app, site)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router(site))
    for area in (documents, lists, briefing, follow):
        app.include_router(area.router(site))
    app.include_router(reference.router(site, app))
    return app


def _error_handlers(app: FastAPI, site: Site) -> None:
    """422 for bad input, 404 for unknown ids, 503 for an unusable database: as a page for
    a browser, as JSON under /api/."""

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and request.url.path != "/openapi.json"

    def error(request: Request, status: int, message: str,
              headers: dict[str, str] | None = None) -> Response:
        if wants_html(request):
            return site.page("error.html", status=status, status_code=status, message=message)
        return JSONResponse({"detail": message}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            parts = []
            for e in exc.errors():
                where = ".".join(str(x) for x in e.get("loc", ())[1:]) or "request"
                parts.append(f"{where}: {e.get('msg', 'invalid')}")
            return site.page("error.html", status=422, status_code=422,
                             message="; ".join(parts))
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
