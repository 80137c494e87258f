"""From text to record: boilerplate, parse, statements, entities and speakers.

``extract`` is the one entry point every caller uses (CLI, eval, store, web). It
takes text that may contain site boilerplate, finds it, blanks it out for the
parser (so offsets into the original text stay valid), and returns the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.nlp import Attribution, model
from onrecord.nlp.attribution import find_learned
from onrecord.nlp.boilerplate import find_boilerplate, mask
from onrecord.nlp.dates import find_dates
from onrecord.nlp.entities import resolve
from onrecord.nlp.event_model import EventModel, shipped
from onrecord.nlp.events import find_events
from onrecord.nlp.figures import find_figures
from onrecord.nlp.statements import find_statements
from onrecord.record import Document, Region


def _prepare(text: str) -> tuple[str, list[Region]]:
    regions = find_boilerplate(text)
    return mask(text, regions), regions


def build_record(
    doc: Doc,
    text: str,
    regions: list[Region],
    doc_id: str,
    path: str | None = None,
    published: str | None = None,
    attribution: Attribution = "learned",
    event_model: EventModel | Literal["rules", "shipped"] = "shipped",
) -> Document:
    """The record for one parsed document (``doc`` parsed from the masked ``text``).
    ``event_model``: the events' trigger classifier (``rules``: the rules alone)."""
    # The parsed text, known here without asking spaCy to rebuild it from its tokens.
    doc.user_data.setdefault("onrecord_text", mask(text, regions))
    found = find_learned(doc) if attribution == "learned" else find_statements(doc)
    entities, statements = resolve(doc, text, found)
    dates = find_dates(doc, text, published, regions)
    figures = find_figures(doc, text, statements, dates, regions)
    reader = shipped() if event_model == "shipped" else None
    if isinstance(event_model, EventModel):
        reader = event_model
    events, groups = find_events(
        doc, text, entities, statements, dates, figures, published, reader
    )
    return Document(
        id=doc_id,
        path=path,
        text=text,
        published=published,
        boilerplate=regions,
        entities=entities + groups,
        statements=statements,
        figures=figures,
        dates=dates,
        events=events,
    )


def extract(
    text: str,
    doc_id: str = "doc",
    path: str | None = None,
    published: str | None = None,
    nlp: Language | None = None,
    attribution: Attribution = "learned",
    event_model: EventModel | Literal["rules", "shipped"] = "shipped",
) -> Document:
    """The record for one text."""
    nlp = nlp or model.load()
    masked, regions = _prepare(text)
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    return build_record(nlp(masked), text, regions, doc_id, path, published, attribution,
                        event_model)


def extract_many(
    items: Iterable[tuple[str, str, str | None, str | None]],
    nlp: Language | None = None,
    batch_size: int = 16,
    attribution: Attribution = "learned",
    event_model: EventModel | Literal["rules", "shipped"] = "shipped",
) -> Iterator[Document]:
    """Records for ``(text, doc_id, path, published)`` items, parsed in batches."""
    nlp = nlp or model.load()

    def prepared() -> Iterator[tuple[str, tuple[str, list[Region], str, str | None, str | None]]]:
        for text, doc_id, path, published in items:
            masked, regions = _prepare(text)
            nlp.max_length = max(nlp.max_length, len(text) + 1)
            yield masked, (text, regions, doc_id, path, published)

    for doc, (text, regions, doc_id, path, published) in nlp.pipe(
        prepared(), as_tuples=True, batch_size=batch_size
    ):
        yield build_record(doc, text, regions, doc_id, path, published, attribution,
                           event_model)
