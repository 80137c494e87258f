"""The article page: the text with every statement marked, and the entries below it.

``/doc/ID#S5`` lands on statement S5's words in the text: the page scrolls there, the
stylesheet highlights them (``:target``) and shows their details, which also open when
the mark is clicked, tapped or reached with the keyboard (``:focus``); no script runs.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from onrecord.record import Document
from onrecord.web.common import Site
from onrecord.web.marks import facts, segments, speaker_classes, statement_class


def tips(rec: Document) -> dict[str, dict[str, Any]]:
    """Per statement id, what its details in the text say."""
    return {st.id: {"who": " & ".join(rec.speaker_names(st))
                    or (st.source.text if st.source else "unknown source"),
                    "type": st.type.replace("_", " "),
                    "cue": st.cue.text if st.cue else "none",
                    "start": st.content.start, "end": st.content.end}
            for st in rec.statements}


def router(site: Site) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/doc/{doc_id}", response_class=HTMLResponse)
    @pages.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(doc_id: Annotated[str, PathParam(max_length=500)]) -> HTMLResponse:
        stored = site.store.document(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        rec = stored.record
        colours = speaker_classes(rec, stored.entity_ids)
        listed = []
        for st in rec.statements:
            speakers = [(stored.entity_ids.get(local), ent.name) for local in st.speakers
                        if (ent := rec.entity(local)) is not None]
            listed.append({"st": st, "speakers": speakers, "unsure": st.unsure,
                           "css": statement_class(st, stored.entity_ids, colours)})
        people = [(stored.entity_ids.get(e.id), e) for e in rec.entities if e.type == "PERSON"]
        names = {e.id: (stored.entity_ids.get(e.id), e.name) for e in rec.entities}
        return site.page("document.html", info=stored.info, versions=stored.versions,
                         source_url=link_url(rec.url),
                         record=rec, tips=tips(rec),
                         segments=segments(rec, stored.entity_ids, colours, facts(rec)),
                         statements=listed, people=people, names=names)

    return pages


def link_url(url: str | None) -> str | None:
    """``url`` when it is safe as a link (http or https), else None: a record's URL comes
    from the input and could be ``javascript:`` or ``data:``."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url
    return None
