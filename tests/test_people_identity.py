"""One person across documents: full-name variants join, a bare surname joins only when
the store knows one person of that name, and two people sharing a surname stay two."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.store import StatementQuery
from onrecord.store.sqlite import SQLiteStore

TEXTS = {
    "a": "Donald J. Trump said on Monday that the wall would be paid for by Mexico.",
    "b": "Donald Trump told reporters in Ohio that taxes would fall next year.",
    "c": "Mr Trump said the trade deal was the best the country had ever signed.",
    "d": "Ted Cruz said he would vote for the bill. His father, Rafael Cruz, "
         "said the family was proud of him.",
    "e": "Rafael Cruz said on Sunday that he had preached in Iowa for twenty years.",
    "f": "Cruz said the vote would come on Friday.",
}


def _store(tmp_path: Path, nlp: Language, order: str) -> SQLiteStore:
    store = SQLiteStore(tmp_path / f"{order}.db")
    for key in order:
        store.add(extract(TEXTS[key], key, nlp=nlp, published="2016-10-01"))
    return store


def _speakers(store: SQLiteStore) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for st in store.statements(StatementQuery(), limit=100).items:
        for sp in st.speakers:
            out.setdefault(sp.name, []).append(st.document)
    return out


def test_full_name_variants_and_surname_are_one_person(tmp_path: Path, nlp: Language) -> None:
    for order in ("abc", "cba"):  # the bare surname first or last
        store = _store(tmp_path, nlp, order)
        people = [p for p in store.people(limit=50).items if "trump" in p.name.lower()]
        assert len(people) == 1, (order, people)
        assert people[0].statements == 3
        store.close()


def test_people_sharing_a_surname_stay_apart(tmp_path: Path, nlp: Language) -> None:
    store = _store(tmp_path, nlp, "def")
    names = {p.name for p in store.people(limit=50).items}
    assert {"Ted Cruz", "Rafael Cruz"} <= names
    said = _speakers(store)
    assert sorted(set(said["Rafael Cruz"])) != sorted(set(said["Ted Cruz"]))
    # "Cruz" alone, with two Cruzes known, is linked to neither.
    assert "f" not in said["Ted Cruz"] and "f" not in said["Rafael Cruz"]
    store.close()


def test_bare_surname_in_a_text_goes_to_the_main_person(nlp: Language) -> None:
    doc = extract("Sen. Ted Cruz said on Friday he would vote for Donald Trump. Cruz said the "
                  "choice was hard. His father, Rafael Cruz, said he agreed. \"It was a long "
                  "year,\" Cruz said.", nlp=nlp)
    names = {e.id: e.name for e in doc.entities}
    speakers = [[names[s] for s in st.speakers] for st in doc.statements]
    assert speakers.count(["Ted Cruz"]) >= 3, speakers
    assert ["Rafael Cruz"] in speakers


def test_a_bare_surname_is_linked_only_within_the_window(tmp_path: Path, nlp: Language) -> None:
    store = SQLiteStore(tmp_path / "window.db")
    store.add(extract(TEXTS["b"], "b", nlp=nlp, published="2016-10-01"))
    store.add(extract(TEXTS["c"], "c", nlp=nlp, published="2019-06-01"))  # years later
    said = _speakers(store)
    assert "c" not in said.get("Donald Trump", [])
    store.close()
