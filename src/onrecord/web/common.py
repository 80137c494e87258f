"""What every area of the web app shares: the store, page rendering, query parameters, paging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from pydantic import BeforeValidator, Field

from onrecord import __version__
from onrecord.record import Document
from onrecord.store.base import EventQuery, StatementQuery, Store

HERE = Path(__file__).resolve().parent
MAX_PAGE = 100  # the most items one API or page request returns
MAX_OFFSET = 10_000_000
MAX_ID = 2**62
MAX_MENTIONS = 10  # entities one statement filter may ask to be named

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
EntityId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _blank_is_none(value: Any) -> Any:
    """An empty form field (``since=``) means no filter, as an absent one does."""
    return None if isinstance(value, str) and not value.strip() else value


OptDate = Annotated[dt.date | None, Query(), BeforeValidator(_blank_is_none)]


@dataclass
class Site:
    """The one store and template set the routers of an app serve."""

    store: Store
    env: Environment
    extract: Extractor
    token: str | None

    def page(self, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(version=__version__, **ctx)
        return HTMLResponse(html, status_code=status)


def url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with the non-empty ``params``, some changed (a None removes one)."""
    keep = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return path + ("?" + urlencode(keep, doseq=True) if keep else "")


def paging(path: str, params: dict[str, Any], total: int, limit: int,
           offset: int) -> dict[str, Any]:
    """Previous/next links and the "51-100 of 235" the pager shows."""
    return {"prev": url(path, params, offset=max(0, offset - limit) or None)
            if offset > 0 else None,
            "next": url(path, params, offset=offset + limit) if offset + limit < total else None,
            "first": offset + 1 if total else 0, "last": min(offset + limit, total),
            "total": total}


def statement_query(speaker: Text = None,
                    speaker_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                    about: Text = None, since: OptDate = None, until: OptDate = None,
                    type: Annotated[StatementType | None, Query(),
                                    BeforeValidator(_blank_is_none)] = None,
                    document: Text = None, outlet: Text = None,
                    mentions: Annotated[list[EntityId] | None,
                                        Query(max_length=MAX_MENTIONS,
                                              description="entity ids the words name")] = None,
                    ) -> StatementQuery:
    return StatementQuery(speaker=speaker or None, speaker_id=speaker_id,
                          about=about or None, since=since, until=until, type=type,
                          document=document or None, site=outlet or None,
                          mentions=tuple(dict.fromkeys(mentions or ())))


def statement_params(query: StatementQuery) -> dict[str, Any]:
    """The URL parameters that select ``query``'s statements (the inverse of the above)."""
    return {"speaker": query.speaker, "speaker_id": query.speaker_id, "about": query.about,
            "since": query.since, "until": query.until, "type": query.type,
            "outlet": query.site, "mentions": list(query.mentions) or None}


def event_query(type: EventType | None = None, actor: Text = None,
                role: Literal["actor", "recipient"] | None = None,
                since: dt.date | None = None, until: dt.date | None = None,
                status: EventStatus | None = None, document: Text = None) -> EventQuery:
    return EventQuery(type=type, actor=actor or None, role=role, since=since, until=until,
                      status=status, document=document or None)
