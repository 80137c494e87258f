"""One unit of batch work: a file's documents extracted into table rows, failures as rows.

Both engines run :func:`unit_rows`; it never raises for bad input. A document that cannot
be read, or whose extraction raises, becomes a row of the ``errors`` table naming it, and
the rest of the file goes on. Extraction is ``extract_many`` (batched parsing, the same
as ``onrecord extract``); when a parse batch raises, its documents are redone one at a
time so only the bad one fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from onrecord.batch.inputs import Unit, chunks
from onrecord.batch.tables import Tagged, error_row, record_rows
from onrecord.ingest.base import InputError, Source
from onrecord.nlp.pipeline import extract_many
from onrecord.record import Document
from onrecord.store.loader import META_FIELDS, extracted

if TYPE_CHECKING:
    from spacy.language import Language

BATCH = 16  # documents per parse batch (extract_many's default)


def _with_meta(src: Source, doc: Document) -> Document:
    return doc.model_copy(update={k: src.meta[k] for k in META_FIELDS if src.meta.get(k)})


def _item(src: Source) -> tuple[str, str, str | None, str | None]:
    pub = src.meta.get("published")
    return src.text, src.id, src.path, pub if isinstance(pub, str) else None


def records(sources: list[Source], nlp: Language) -> Iterator[tuple[Source, Document | str]]:
    """Each source with its record, or a one-line reason its extraction failed."""
    done = 0
    while done < len(sources):
        try:
            for doc in extract_many((_item(s) for s in sources[done:]), nlp=nlp,
                                    batch_size=BATCH):
                yield sources[done], _with_meta(sources[done], doc)
                done += 1
        except Exception:  # somewhere in the next batch: redo it one document at a time
            yield from extracted(sources[done:done + BATCH], nlp=nlp)
            done += BATCH


def unit_rows(unit: Unit, nlp: Language) -> Iterator[Tagged]:
    """The table rows of every document in ``unit``, in order, then any reading failure."""
    try:
        for chunk in chunks(unit):
            for item in chunk:
                if isinstance(item, InputError):
                    yield error_row(unit.name, item.name, item.reason, item.skipped)
            sources = [s for s in chunk if isinstance(s, Source)]
            for src, doc in records(sources, nlp):
                if isinstance(doc, str):
                    yield error_row(unit.name, src.label, doc)
                else:
                    yield from record_rows(doc)
    except Exception as exc:  # a reader bug must not stop the job: the rest of the file is lost
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        yield error_row(unit.name, unit.name,
                        f"reading stopped ({type(exc).__name__}: {detail})")
