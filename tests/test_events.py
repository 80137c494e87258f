"""PLOVER events: types from the trigger lexicon, actors and recipients from the parse,
status from negation, modals and conditionals. Sentences written for the tests."""

from __future__ import annotations

import os
from pathlib import Path

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


# -- attacks, promises, meetings and calls, pronouns (sentences of our own) -------------


def test_weapons_fired_are_an_assault_with_size(events) -> None:
    doc = events(
        "Overnight, Serbia launched 40 missiles and rockets at Pristina. "
        "Air defences shot down 31 missiles, the army said."
    )
    e = event(doc, "launched")
    assert (e.type, e.mode) == ("ASSAULT", "aerial")
    assert names(doc, e.actors) == ["Serbia"]
    assert e.size == {"fired": 40, "intercepted": 31}


def test_intercepted_count_needs_the_same_weapon(events) -> None:
    doc = events("Syria fired 20 drones at Hama. Guards later intercepted 9 rockets.")
    e = event(doc, "fired")
    assert e.type == "ASSAULT" and e.size == {"fired": 20}


def test_firing_a_person_is_no_attack(events) -> None:
    doc = events("The club fired its coach on Monday.")
    assert not [e for e in doc.events if e.type == "ASSAULT"]


def test_pledge_to_deploy_is_a_future_agreement(events) -> None:
    doc = events("Twelve of Moldova's partners have pledged to deploy soldiers in Moldova.")
    e = event(doc, "deploy")
    assert (e.type, e.mode, e.status) == ("AGREE", "mobilize", "future")
    assert e.trigger.text == "pledged to deploy"
    assert names(doc, e.actors) == ["Twelve of Moldova's partners"]


def test_commit_to_gerund_is_a_promise(events) -> None:
    doc = events("The ministers said the states had committed to deploying engineers in Chad.")
    e = event(doc, "deploying")
    assert (e.type, e.status) == ("AGREE", "future")
    assert names(doc, e.actors) == ["states"]


def test_threat_frame_keeps_a_friendly_act_a_threat(events) -> None:
    e = event(events("Hamas threatened to deliver heavy blows to Israel."), "deliver")
    assert e.type == "THREATEN"


def test_future_cooperation_is_intent(events) -> None:
    e = event(events("Finland will give Tanzania a grant of 5 million euros."), "give")
    assert (e.type, e.mode, e.status) == ("AGREE", "aid", "future")


def test_meeting_noun_under_preposition(events) -> None:
    doc = events("Speaking after a meeting of the Arctic Council in Oslo, the envoy left.")
    e = event(doc, "meeting")
    assert e.type == "CONSULT"
    assert names(doc, e.actors) == ["Arctic Council"]
    assert doc.entity(e.location).name == "Oslo"  # type: ignore[union-attr]
    assert (e.date, e.date_basis) == ("2025-09-04", "published")


def test_speaking_by_phone_is_a_call(events) -> None:
    doc = events("The Danish prime minister later spoke by phone with Chancellor Olaf Scholz.")
    e = event(doc, "spoke")
    assert (e.type, e.mode) == ("CONSULT", "phone")
    assert names(doc, e.recipients) == ["Olaf Scholz"]


def test_pronoun_actor_is_the_reporter(events) -> None:
    doc = events("Norway announced on Tuesday that it was expelling a Russian diplomat.")
    e = event(doc, "expelling")
    assert names(doc, e.actors) == ["Norway"] and e.date == "2025-09-02"
    assert e.date_basis == "text"


def test_he_in_an_office_statement_is_its_owner(events) -> None:
    doc = events("Mr Lindqvist’s office said he had met Mr Okafor in Lagos.")
    e = event(doc, "met")
    assert [doc.entity(i).type for i in e.actors] == ["PERSON"]  # type: ignore[union-attr]
    assert "Lindqvist" in names(doc, e.actors)[0]


def test_relative_pronoun_actor(events) -> None:
    doc = events("Officials who condemned the raid met the mayor.")
    e = event(doc, "condemned")
    assert names(doc, e.actors) == ["Officials"]


def test_demand_that_targets_the_subject(events) -> None:
    doc = events("Greece demanded that Turkey withdraw its ships.")
    e = event(doc, "demanded")
    assert (e.type, e.mode) == ("REQUEST", "retreat")
    assert names(doc, e.recipients) == ["Turkey"]
    assert not [x for x in doc.events if x.trigger.text == "withdraw"]


def test_lifting_a_blockade(events) -> None:
    assert event(events("The navy lifted the blockade."), "blockade").type == "RETREAT"


def test_persona_non_grata_is_an_expulsion(events) -> None:
    doc = events("Latvia declared a Belarusian diplomat persona non grata last month.")
    e = event(doc, "declared")
    assert (e.type, e.date) == ("SANCTION", "2025-08")


SEED = Path(os.environ.get("ONRECORD_SHARED_DATA", Path(__file__).resolve().parents[1].parent
                           / "shared" / "data")) / "seed" / "coalition-of-the-willing.txt"


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_seed_events(nlp: Language) -> None:
    doc = extract(SEED.read_text(encoding="utf-8"), "seed", published="2025-09-04", nlp=nlp)

    def find(kind: str, trigger: str) -> Event:
        hits = [e for e in doc.events if e.type == kind and trigger in e.trigger.text]
        assert hits, [(e.type, e.trigger.text) for e in doc.events]
        return hits[0]

    meeting = find("CONSULT", "meeting")
    assert names(doc, meeting.actors) == ["coalition of the willing"]
    assert doc.entity(meeting.location).name == "Paris"  # type: ignore[union-attr]
    assert meeting.date == "2025-09-04"

    pledge = find("AGREE", "pledged to deploy")
    assert pledge.status == "future" and pledge.mode == "mobilize"
    assert names(doc, pledge.actors) == ["26 of Ukraine’s allies"]
    assert pledge.date == "2025-09-04"

    call = find("CONSULT", "spoke by phone")
    assert call.mode == "phone" and names(doc, call.actors) == ["European leaders"]
    assert names(doc, call.recipients) == ["Donald Trump"] and call.date == "2025-09-04"

    drones = find("ASSAULT", "fired")
    assert names(doc, drones.actors) == ["Russia"] and names(doc, drones.recipients) == ["Ukraine"]
    assert drones.size == {"fired": 112, "intercepted": 84}
    assert (drones.date, drones.date_basis) == ("2025-09-04", "text")

    expel = find("SANCTION", "expelling")
    assert names(doc, expel.actors) == ["Russia"]
    assert names(doc, expel.recipients) == ["Estonian diplomat"]
    assert (expel.date, expel.date_basis) == ("2025-09-04", "text")


@pytest.mark.parametrize("sentence, word, kind", [
    # Not in the lexicon: typed as the listed word WordNet puts it under ("kill").
    ("Gunmen assassinated the mayor of Tarvo on Sunday.", "assassinated", "ASSAULT"),
    # A cooperative act a verb stops is a sanction; an aspect verb passes its noun's type.
    ("Norway suspended talks with Chile on Monday.", "talks", "SANCTION"),
    ("Ruritanian troops completed their withdrawal from Tarvo.", "withdrawal", "RETREAT"),
])
def test_rules_by_class(nlp: Language, sentence: str, word: str, kind: str) -> None:
    from onrecord.nlp.events import find_triggers

    [trig] = [t for t in find_triggers(nlp(sentence)) if t.word.text == word]
    assert trig.type == kind


def test_a_hidden_word_leaves_its_frame_standing(nlp: Language) -> None:
    """Evaluation hides a fold's own trigger words: the frame the hidden act would have
    replaced stays, as it would had the word never been listed."""
    from onrecord.nlp.events import find_triggers

    doc = nlp("The parliament threatened to break relations with Ruritania.")
    assert [t.word.text for t in find_triggers(doc)] == ["break"]
    assert [(t.word.text, t.type) for t in find_triggers(doc, frozenset({"break"}))] == [
        ("threatened", "THREATEN")]


def test_a_light_verb_cut_short_by_the_lemmatiser(nlp: Language) -> None:
    from onrecord.nlp.events import _verb_lemma

    doc = nlp("Students staged mass demonstrations in Tarvo.")
    assert _verb_lemma(doc[1]) == "stage"


@pytest.mark.parametrize("sentence, trigger, recipient", [
    # "between" names the parties; a prepositional object's own "against" phrase.
    ("Norway launched a mediation effort between Chile and Peru.", "mediation", "Chile"),
    ("Ruritania mobilized its navy on Monday for a war against Tarvo.", "mobilized", "Tarvo"),
    # Asking and allowing: the subject of the clause is the party asked or allowed.
    ("Peru demanded that Bolivia reopen the border.", "demanded", "Bolivia"),
    # A protest's aim: the objects of its to-infinitive.
    ("Students marched in Lima to demand the resignation of President Ortega.", "marched",
     "Ortega"),
])
def test_recipients_beyond_the_direct_object(events, sentence, trigger, recipient) -> None:
    doc = events(sentence)
    assert any(recipient in n for n in names(doc, event(doc, trigger).recipients))


def test_no_recipient_from_a_question_or_a_time_clause(events) -> None:
    doc = events("Voters asked why the mayor had resigned. About a dozen people "
                 "demonstrated outside the city hall after it backed the plan.")
    assert event(doc, "asked").recipients == []
    assert event(doc, "demonstrated").recipients == []


def test_a_preposition_parsed_as_a_dative_gives_its_object(nlp: Language) -> None:
    """The parser sometimes labels "to" itself a dative ("providing aid to Nepal"): the
    recipient is its object, not the word "to"."""
    from spacy.tokens import Doc

    from onrecord.nlp.events import _objects

    doc = Doc(nlp.vocab, words=["Japan", "provided", "aid", "to", "Nepal", "."],
              heads=[1, 1, 1, 1, 3, 1], deps=["nsubj", "ROOT", "dobj", "dative", "pobj", "punct"],
              pos=["PROPN", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"])
    assert [t.text for t in _objects(doc[1], set())] == ["aid", "Nepal"]
