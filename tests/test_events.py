"""PLOVER events: types from the trigger lexicon, actors and recipients from the parse,
status from negation, modals and conditionals. Sentences written for the tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.record import Document, Event


@pytest.fixture(scope="module")
def events(nlp: Language):
    def _run(text: str, published: str | None = "2025-09-04") -> Document:
        doc = extract(text, nlp=nlp, published=published)
        for e in doc.events:
            assert doc.text[e.trigger.start : e.trigger.end] == e.trigger.text
            for eid in e.actors + e.recipients:
                assert doc.entity(eid) is not None
        return doc

    return _run


def event(doc: Document, trigger: str) -> Event:
    hits = [e for e in doc.events if trigger in e.trigger.text]
    assert len(hits) == 1, [(e.type, e.trigger.text) for e in doc.events]
    return hits[0]


def names(doc: Document, ids: list[str]) -> list[str]:
    return [doc.entity(i).name for i in ids]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sentence", "trigger", "kind"),
    [
        ("Norway and Chile agreed on a new fishing pact.", "agreed", "AGREE"),
        ("The Dutch foreign minister visited Jakarta on Monday.", "visited", "CONSULT"),
        ("Brazil praised the Argentine proposal.", "praised", "SUPPORT"),
        ("The two navies cooperated on the rescue.", "cooperated", "COOPERATE"),
        ("Japan donated rice to Nepal.", "donated", "AID"),
        ("Kenya withdrew its troops from Somalia.", "withdrew", "RETREAT"),
        ("Peru urged Bolivia to reopen the border.", "urged", "REQUEST"),
        ("Ghana accused Togo of harbouring rebels.", "accused", "ACCUSE"),
        ("Canada rejected the Danish offer.", "rejected", "REJECT"),
        ("Thousands of nurses marched through Lima.", "marched", "PROTEST"),
        ("The European Union imposed sanctions on Belarus.", "sanctions", "SANCTION"),
        ("Police arrested 40 students in Dhaka.", "arrested", "COERCE"),
        ("Rebels killed 12 soldiers near Goma.", "killed", "ASSAULT"),
    ],
)
def test_types(events, sentence, trigger, kind) -> None:
    assert event(events(sentence), trigger).type == kind


def test_actors_recipients_date_location_size(events) -> None:
    doc = events("Rebels killed 12 soldiers in Baghdad on Wednesday.")
    e = event(doc, "killed")
    assert names(doc, e.actors) == ["Rebels"]
    assert names(doc, e.recipients) == ["12 soldiers"]
    assert e.date == "2025-09-03"
    assert e.location is not None and doc.entity(e.location).name == "Baghdad"  # type: ignore[union-attr]
    assert e.size == {"dead": 12}
    assert len(e.figures) == 1 and e.status == "asserted"


def test_named_actors_and_conjuncts(events) -> None:
    doc = events("Norway and Chile signed a trade agreement.")
    e = doc.events[0]
    assert e.type == "AGREE"
    assert names(doc, e.actors) == ["Norway", "Chile"]


def test_group_actor_with_number(events) -> None:
    doc = events("26 of Ukraine's allies pledged support.")
    e = event(doc, "pledged")
    assert names(doc, e.actors) == ["26 of Ukraine's allies"]


def test_passive_agent_is_actor(events) -> None:
    doc = events("The mayor was arrested by the army.")
    e = event(doc, "arrested")
    assert names(doc, e.recipients) == ["mayor"]
    assert names(doc, e.actors) == ["army"]


def test_negated(events) -> None:
    e = event(events("The army did not attack the village."), "attack")
    assert (e.type, e.status) == ("ASSAULT", "negated")


def test_negated_cooperation_is_rejection(events) -> None:
    e = event(events("Chile will not accept the Peruvian plan."), "accept")
    assert (e.type, e.status) == ("REJECT", "negated")


def test_hypothetical(events) -> None:
    e = event(events("The navy could blockade the port."), "blockade")
    assert e.status == "hypothetical"


def test_future_hostile_act_is_a_threat(events) -> None:
    e = event(events("Ghana said it would expel the Togolese ambassador."), "expel")
    assert (e.type, e.mode, e.status) == ("THREATEN", "sanction", "future")


def test_unless_makes_a_threat(events) -> None:
    e = event(events("Chad will withdraw its troops unless the rebels disarm."), "withdraw")
    assert e.type == "THREATEN"


def test_promised_act_is_agreement(events) -> None:
    doc = events("Japan offered to release the fishermen.")
    e = event(doc, "release")
    assert (e.type, e.status) == ("AGREE", "future")
    assert names(doc, e.actors) == ["Japan"]


def test_must_in_reported_speech_is_a_request(events) -> None:
    doc = events("Peru said that Bolivia must withdraw its soldiers.")
    e = event(doc, "withdraw")
    assert e.type == "REQUEST"
    assert names(doc, e.actors) == ["Peru"] and names(doc, e.recipients) == ["Bolivia"]


def test_reported_event_links_statement(events) -> None:
    doc = events("The governor said that rebels had burned three schools.")
    e = event(doc, "burned")
    assert e.statement is not None and e.type == "COERCE"
