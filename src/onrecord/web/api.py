"""The JSON API under /api/: documents (and the one write), statements, entities, search,
figures and events. Reads are open; ``POST /api/documents`` needs the operator's token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BaseModel, Field

from onrecord.store.base import (
    AddStatus,
    DocumentInfo,
    EventQuery,
    EventRow,
    FigureQuery,
    FigureRow,
    PersonDetail,
    PersonRow,
    SearchHit,
    StatementQuery,
    StatementRow,
)
from onrecord.web.common import (
    MAX_ID,
    EntityType,
    Limit,
    Offset,
    Site,
    Text,
    event_query,
    statement_query,
)


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


def check_token(token: str | None, credentials: str | None) -> None:
    """403 when the server takes no writes, 401 without the right bearer token."""
    if not token:
        raise HTTPException(403, "writes are disabled: the server has no API token "
                                 "(set ONRECORD_API_TOKEN or --token)")
    if credentials is None or not hmac.compare_digest(credentials.encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})


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


# Module level: the endpoints' annotations are strings, resolved in this module's globals.
bearer = HTTPBearer(auto_error=False, description="the operator's API token")


def figure_query(about: Text = None, claimed_by: Text = None,
                 unit: Annotated[str | None, Query(max_length=20)] = None,
                 document: Text = None) -> FigureQuery:
    return FigureQuery(about=about or None, claimed_by=claimed_by or None,
                       unit=unit or None, document=document or None)


def router(site: Site) -> APIRouter:
    api = APIRouter(prefix="/api")
    store = site.store

    @api.get("/documents", response_model=DocumentList, tags=["documents"])
    def api_documents(limit: Limit = 20, offset: Offset = 0) -> DocumentList:
        """Current document versions, latest published first."""
        p = store.documents(limit, offset)
        return DocumentList(p.items, p.total, p.limit, p.offset)

    @api.get("/documents/{doc_id}", response_model=DocumentOut, tags=["documents"])
    def api_document(doc_id: Annotated[str, PathParam(max_length=500)]) -> DocumentOut:
        """One document version (by id, or the current version of a key) with its record."""
        stored = store.document(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return DocumentOut(stored.info, stored.versions, stored.entity_ids,
                           stored.record.model_dump(mode="json"))

    def authorised(creds: Annotated[HTTPAuthorizationCredentials | None,
                                    Depends(bearer)]) -> None:
        check_token(site.token, creds.credentials if creds else None)

    @api.post("/documents", response_model=Stored, status_code=201, tags=["documents"],
              dependencies=[Depends(authorised)],
              responses={200: {"description": "the same text was already stored"}})
    def api_add(body: NewDocument, response: Response) -> Stored:
        """Extract a text and store its record (needs the operator's bearer token)."""
        # with neither id nor url, the text names itself: distinct texts never become
        # versions of one another
        digest = hashlib.sha256(body.text.encode()).hexdigest()[:16]
        doc_id = body.id or body.url or f"posted-{digest}"
        published = body.published.isoformat() if body.published else None
        record = site.extract(body.text, doc_id, published)
        meta = {k: v for k, v in (("url", body.url), ("title", body.title)) if v}
        result = store.add(record.model_copy(update=meta))
        if result.status == "unchanged":
            response.status_code = 200
        return Stored(id=result.id, status=result.status, version=result.version)

    @api.get("/statements", response_model=StatementList, tags=["statements"])
    def api_statements(query: Annotated[StatementQuery, Depends(statement_query)],
                       limit: Limit = 20, offset: Offset = 0) -> StatementList:
        """Statements in current documents, newest first, with filters (``outlet`` is the
        site name)."""
        p = store.statements(query, limit, offset)
        return StatementList(p.items, p.total, p.limit, p.offset)

    @api.get("/entities", response_model=EntityList, tags=["entities"])
    def api_entities(type: EntityType = "PERSON", limit: Limit = 20,
                     offset: Offset = 0) -> EntityList:
        """People (or other entities) by the number of statements attributed to them."""
        p = store.people(limit, offset, type=None if type == "all" else type)
        return EntityList(p.items, p.total, p.limit, p.offset)

    @api.get("/entities/{entity_id}", response_model=PersonDetail, tags=["entities"])
    def api_entity(entity_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]) -> PersonDetail:
        """One entity: titles, counts and who is quoted alongside it."""
        detail = store.person(entity_id)
        if detail is None:
            raise HTTPException(404, f"no entity {entity_id}")
        return detail

    @api.get("/search", response_model=SearchResults, tags=["search"])
    def api_search(q: Annotated[str, Query(min_length=1, max_length=500)],
                   limit: Limit = 20, offset: Offset = 0) -> SearchResults:
        """Full-text search of current documents, bm25 ranking; snippets mark matches with
        \\u0002 and \\u0003."""
        p = store.search(q, limit, offset)
        return SearchResults(p.items, p.total, p.limit, p.offset)

    @api.get("/figures", response_model=FigureList, tags=["facts"])
    def api_figures(query: Annotated[FigureQuery, Depends(figure_query)],
                    limit: Limit = 20, offset: Offset = 0) -> FigureList:
        """Figures cited in current documents (newest first), with who claims them."""
        p = store.figures(query, limit, offset)
        return FigureList(p.items, p.total, p.limit, p.offset)

    @api.get("/events", response_model=EventList, tags=["facts"])
    def api_events(query: Annotated[EventQuery, Depends(event_query)],
                   limit: Limit = 20, offset: Offset = 0) -> EventList:
        """PLOVER events in current documents by resolved date, newest first; ``since`` and
        ``until`` keep events whose date (a day, week, month, ...) overlaps them."""
        p = store.events(query, limit, offset)
        return EventList(p.items, p.total, p.limit, p.offset)

    return api
