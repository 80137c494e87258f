"""Speaker resolution on constructions from real news, on sentences written for the tests,
and the scoring of ``onrecord eval speakers`` / ``eval quotes``."""

from __future__ import annotations

from onrecord.eval.speakers import (
    GoldSpeaker,
    SpeakerScores,
    locate,
    name_tokens,
    names_match,
    score_quotes,
    score_speakers,
)
from onrecord.record import Document, Entity, Span, Statement


def said_by(doc: Document, words: str) -> list[str]:
    hits = [st for st in doc.statements if words in st.content.text]
    assert hits, [(s.type, s.content.text) for s in doc.statements]
    return doc.speaker_names(hits[0])


def test_signed_quotes_name_their_speaker(run) -> None:
    doc = run("”He has never once listened to us, not once in all these years.” ― Sonya "
              "Herridge\n“The debate showed who he really is, and it frightened me.”― "
              "Pamela Padilla.\n")
    assert said_by(doc, "never once listened") == ["Sonya Herridge"]
    assert said_by(doc, "debate showed") == ["Pamela Padilla"]


def test_a_name_inside_a_description_is_not_the_speaker(run) -> None:
    doc = run("Donald Trump spoke in Ohio on Monday. Trump's running mate, Indiana Gov. Mike "
              "Pence, said the campaign would release its tax plan soon. McConnell aides said "
              "the senator would not comment on the nomination.\n")
    assert said_by(doc, "release its tax plan") == ["Mike Pence"]
    assert "Mitch McConnell" not in said_by(doc, "would not comment")


def test_a_place_never_becomes_the_person(run) -> None:
    doc = run("Sen. Ted Cruz of Texas endorsed the nominee on Friday. The Senator from Texas "
              "said he could not allow his rival to win the presidency.\n")
    assert said_by(doc, "could not allow") == ["Ted Cruz"]


def test_bare_titles_and_headline_descriptions_keep_the_words_but_name_no_one(run) -> None:
    doc = run("Retired General: Serving Under This President Was A Demoralizing Experience\n\n"
              "Popular Website: Fact-Checkers Are Biased Against Republicans\n")
    for st in doc.statements:
        assert st.speakers == [] and st.source is not None, st


def test_same_surname_goes_to_the_main_person_and_gender_decides_pronouns(run) -> None:
    doc = run("Sen. Ted Cruz said on Friday that he would vote for the nominee. His father, "
              "Rafael Cruz, said the family had prayed about it. Cruz said the decision was "
              "his alone. Hillary Clinton was campaigning in Ohio, where Cruz had spoken. "
              "He said he had kept his pledge.\n")
    assert said_by(doc, "decision was") == ["Ted Cruz"]
    assert said_by(doc, "family had prayed") == ["Rafael Cruz"]
    assert said_by(doc, "kept his pledge") != ["Hillary Clinton"]


def test_the_statement_is_its_named_issuer(run) -> None:
    doc = run("On Monday, Big Machine Records issued a statement about the awards show. Later "
              "a producer spoke to reporters about the schedule. \"We never blocked any "
              "performance,\" the statement read.\n")
    assert said_by(doc, "never blocked") == ["Big Machine Records"]


def test_every_statement_says_how_sure_it_is(run) -> None:
    doc = run("“The first patrol will sail in March,” Erik Lund said. He said the ships were "
              "ready.\n")
    for st in doc.statements:
        assert st.speaker_basis and 0 < (st.speaker_confidence or 0) <= 1
        assert st.confidence is not None
    assert not doc.statements[0].unsure


# -- scoring ------------------------------------------------------------------------------


def test_name_matching_follows_the_data_readme() -> None:
    assert name_tokens("Sen. Ted Cruz's") == ["ted", "cruz"]
    assert names_match("person", "Donald J. Trump", "Donald Trump")
    assert names_match("person", "Mr. Trump", "Trump")
    assert not names_match("person", "Rafael Cruz", "Ted Cruz")
    assert names_match("body", "PIRG Education Fund", "U.S. PIRG Education Fund")
    assert not names_match("body", "Fox News", "Megyn Kelly")


def test_quotes_are_located_folded_and_by_occurrence() -> None:
    text = "He said “no deal” twice: “no  deal”. And ‘no deal’ again."
    assert locate(text, "no deal") == (9, 16)
    assert locate(text, "no deal", occurrence=1) == (42, 49)  # "no  deal" is not a copy
    assert locate(text, "no deal”.") == (26, 36)  # marks and spaces folded
    assert locate(text, "nothing") is None


def _doc() -> Document:
    text = "“We will win,” said Jo Bell. Officials said the vote was close."
    bell = Entity(id="E1", name="Jo Bell", type="PERSON")
    officials = Entity(id="E2", name="Officials", type="GROUP")
    return Document(id="d", text=text, entities=[bell, officials], statements=[
        Statement(id="S1", type="direct", content=Span.of(text, 1, 12), speakers=["E1"]),
        Statement(id="S2", type="indirect", content=Span.of(text, 44, 62), speakers=["E2"]),
        Statement(id="S3", type="direct", content=Span.of(text, 20, 27), speakers=["E1"]),
    ])


def test_speakers_scoring_counts_found_and_right_per_kind() -> None:
    scores = SpeakerScores()
    score_speakers(scores, "d", _doc().text, [
        {"content": [1, 12], "kind": "person", "speaker": "Jo Bell"},
        {"content": [44, 62], "kind": "unnamed", "speaker": "officials"},
        {"content": [29, 38], "kind": "person", "speaker": "Al Roe"},
    ], _doc())
    person, unnamed = scores.kinds["person"], scores.kinds["unnamed"]
    assert (person.gold, person.found, person.right) == (2, 1, 1)
    assert (unnamed.gold, unnamed.found, unnamed.right) == (1, 1, 1)


def test_quotes_scoring_counts_lost_and_spurious() -> None:
    scores = SpeakerScores()
    score_quotes(scores, "p", [{"quote": "We will win", "kind": "person", "speaker": "Jo Bell"},
                               {"quote": "not in the text", "kind": "person", "speaker": "X"}],
                 _doc())
    assert scores.kinds["person"].right == 1 and scores.lost == 1
    assert (scores.direct, scores.spurious) == (2, 1)
    assert GoldSpeaker("none", None).kind == "none"


def test_inverted_cue_with_a_surname_the_parse_reads_as_an_adverb(run) -> None:
    doc = run("Chris Early, vice president of partnerships at Ubisoft, joined the panel.\n"
              "Lewis Ward, an analyst, said the market would grow next year.\n"
              "\"Streaming is somewhat binary,\" says Early. \"You are either in a place with "
              "adequate bandwidth or you are not.\"\n"
              "Early says there is a possibility that future games could launch on the "
              "platform.\n")
    assert said_by(doc, "somewhat binary") == ["Chris Early"]
    assert said_by(doc, "adequate bandwidth") == ["Chris Early"]
    assert said_by(doc, "future games") == ["Chris Early"]


def test_a_description_names_the_body_whose_name_it_shares(run) -> None:
    doc = run("Big Machine Records said on Friday that it had not blocked the show. Big Machine "
              "also said the company would talk to the singer. Dick Clark Productions "
              "organises the awards. The production company said in a statement that it had "
              "never agreed to the performance.\n")
    names = {e.name: e.type for e in doc.entities}
    assert names.get("Dick Clark Productions") == "ORG"
    assert "PERSON" not in {names.get("Big Machine"), names.get("Big Machine Records")}
    assert said_by(doc, "never agreed") == ["Dick Clark Productions"]


def test_a_content_with_no_source_continues_the_speaker_before_it(run) -> None:
    doc = run("Jack Buser, the director of the service, spoke in London. “We run one of the "
              "largest private networks in the world,” he says. The plan is to give a “seamless "
              "experience” on every phone.\n"
              "Maria Lopez, an analyst, was less sure. The aim, she said, was ambitious. Buser "
              "disagreed. The plan is to give a “seamless experience” on every screen.\n")
    assert said_by(doc, "on every phone") == ["Jack Buser"]
    guessed = next(st for st in doc.statements if "on every phone" in st.content.text)
    assert guessed.speaker_basis == "continuation, no source" and guessed.unsure
    # A sentence between them may name the next speaker ("Buser disagreed."): no guess.
    assert said_by(doc, "on every screen") == []


def test_a_score_after_a_name_is_not_part_of_it(run) -> None:
    doc = run("Guido Pella beat Nicolas Jarry 6-4, 6-3 on Friday. \"I played well,\" Jarry said.\n")
    names = {e.name for e in doc.entities if e.type == "PERSON"}
    assert "Nicolas Jarry" in names and not any(ch.isdigit() for n in names for ch in n)
