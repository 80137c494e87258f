"""Over all 181 pages of the article-extraction benchmark, no speaker is named by a
description or a bare title, and no person is named after a place (the worst errors a
journalist can find: "group that", "Retired General", "Popular Website" as speakers)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.ingest.base import Source
from onrecord.ingest.html import html_source
from onrecord.nlp.lexicon import RELATIVE_PRONOUNS, ROLE_WORDS, TITLE_MODIFIERS
from onrecord.nlp.names import role_word
from onrecord.nlp.pipeline import extract_many
from onrecord.record import Document, Entity

BENCH = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"


def description_or_place(name: str, entity: Entity, doc: Document) -> str | None:
    """Why ``name`` is not a speaker's name, or None when it can be one."""
    words = [w.strip(".,'’\"") for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return "empty"
    if words[-1].lower() in RELATIVE_PRONOUNS:
        return "ends in a relative pronoun"
    if all(role_word(w.lower()) in ROLE_WORDS or w.lower() in TITLE_MODIFIERS for w in words):
        return "a bare title"
    if entity.type == "GROUP" and len(words) > 1 and all(w[:1].isupper() for w in words):
        return "a capitalised description"
    if entity.type == "PERSON" and len(words) == 1:  # "Senator from Texas" -> "Texas"
        places = {e.name.lower() for e in doc.entities if e.type in ("GPE", "LOC")}
        if name.lower() in places:
            return "a place"
    return None


def test_description_or_place_finds_the_known_cases() -> None:
    doc = Document(id="d", text="x", entities=[
        Entity(id="E1", name="Texas", type="GPE")])
    person = Entity(id="E2", name="Texas", type="PERSON")
    group = Entity(id="E3", name="x", type="GROUP")
    assert description_or_place("Texas", person, doc) == "a place"
    assert description_or_place("group that", group, doc) == "ends in a relative pronoun"
    assert description_or_place("Retired General", group, doc) == "a bare title"
    assert description_or_place("Popular Website", group, doc) == "a capitalised description"
    assert description_or_place("White House official", group, doc) is None
    assert description_or_place("Ted Cruz", person, doc) is None


@pytest.mark.slow
@pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/data")
def test_no_description_or_place_speaker_on_the_benchmark(nlp: Language) -> None:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    sources = []
    for page in sorted(truth):
        src = html_source(gzip.decompress((BENCH / "html" / f"{page}.html.gz").read_bytes()),
                          page, page)
        if isinstance(src, Source):
            sources.append(src)
    assert len(sources) > 170
    bad = []
    for doc in extract_many(((s.text, s.id, None, None) for s in sources), nlp=nlp):
        entities = {e.id: e for e in doc.entities}
        for st in doc.statements:
            for eid in st.speakers:
                why = description_or_place(entities[eid].name, entities[eid], doc)
                if why:
                    bad.append(f"{doc.id[:12]} {entities[eid].name!r}: {why}")
    assert not bad, "\n".join(bad)
