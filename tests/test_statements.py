"""Each construction the statement finder must handle, on sentences written for the tests."""

from __future__ import annotations

from onrecord.record import Document, Statement


def only(doc: Document, **want: str) -> Statement:
    """The single statement whose fields contain the given texts."""
    hits = [
        s
        for s in doc.statements
        if all(
            (getattr(s, k).text if getattr(s, k) is not None else "") .find(v) >= 0
            for k, v in want.items()
        )
    ]
    assert len(hits) == 1, [(s.type, s.content.text) for s in doc.statements]
    return hits[0]


def names(doc: Document, st: Statement) -> list[str]:
    return doc.speaker_names(st)


def check_offsets(doc: Document) -> None:
    for st in doc.statements:
        for span in (st.content, st.cue, st.source):
            if span is not None:
                assert doc.text[span.start : span.end] == span.text
    for ent in doc.entities:
        for m in ent.mentions:
            assert doc.text[m.start : m.end] == m.text


def test_direct_quote_curly_before_cue(run):
    doc = run("“The harbour will reopen in May,” Mayor Ingrid Holm said on Monday.\n")
    st = only(doc, content="harbour will reopen")
    assert st.type == "direct"
    # The rules keep the comma inside the marks, the tagger (like PolNeAR) does not.
    assert st.content.text.rstrip(",") == "The harbour will reopen in May"
    assert st.cue.text == "said"
    assert names(doc, st) == ["Ingrid Holm"]
    check_offsets(doc)


def test_direct_quote_straight_marks_after_cue(run):
    doc = run('Farmers leader Tom Brady said: "We cannot keep selling milk below cost."\n')
    st = only(doc, content="selling milk")
    assert st.type == "direct"
    assert st.source.text.endswith("Tom Brady")
    assert names(doc, st) == ["Tom Brady"]


def test_inverted_cue_said_name(run):
    doc = run("“Nobody expected the vote to be this close,” said Senator Maria Lopez.\n")
    st = only(doc, content="Nobody expected")
    assert names(doc, st) == ["Maria Lopez"]


def test_split_quote_second_part_keeps_speaker(run):
    doc = run(
        "Transport minister Alan Reid visited the depot.\n"
        "“The trains are old,” Mr Reid said. “We will replace half of them by 2030.”\n"
    )
    first = only(doc, content="trains are old")
    second = only(doc, content="replace half")
    assert second.type == "direct"
    assert names(doc, first) == names(doc, second) == ["Alan Reid"]


def test_multi_paragraph_quote_is_one_statement(run):
    doc = run(
        "Union leader Sara Kent said:\n"
        "“We asked for a fair deal and we were ignored for two years.\n"
        "“Now our members have voted to strike and we will not back down.”\n"
    )
    st = only(doc, content="fair deal")
    assert "will not back down" in st.content.text
    assert st.type == "direct"
    assert names(doc, st) == ["Sara Kent"]


def test_quote_on_line_after_said_that(run):
    doc = run(
        "Police chief Omar Said Haddad said that\n"
        "“the investigation is still at an early stage and we need witnesses”.\n"
    )
    st = only(doc, content="investigation is still")
    assert st.type == "direct"
    assert st.cue.text == "said"


def test_unattributed_quote_paragraph_continues_previous_speaker(run):
    doc = run(
        "“The river has never been this low,” hydrologist Eva Marsh said.\n"
        "“We are measuring it every day and the numbers keep falling.”\n"
    )
    st = only(doc, content="measuring it every day")
    assert st.cue is None and st.source is None
    assert names(doc, st) == ["Eva Marsh"]


def test_reported_speech_with_and_without_that(run):
    doc = run(
        "Finance minister Paul Grant said that taxes would not rise this year.\n"
        "Mr Grant added the budget was balanced.\n"
    )
    with_that = only(doc, content="taxes would not rise")
    without = only(doc, content="budget was balanced")
    assert with_that.type == without.type == "indirect"
    assert names(doc, with_that) == names(doc, without) == ["Paul Grant"]
    assert without.cue.text == "added"


def test_reporting_verb_lexicon(run):
    doc = run(
        "Health secretary Nina Patel warned that hospitals were full.\n"
        "Ms Patel stressed that more nurses were needed.\n"
        "Ms Patel told reporters that the winter would be hard.\n"
        "Ms Patel announced that two new clinics would open.\n"
    )
    for bit, cue in [
        ("hospitals were full", "warned"),
        ("more nurses", "stressed"),
        ("winter would be hard", "told"),
        ("two new clinics", "announced"),
    ]:
        st = only(doc, content=bit)
        assert st.cue.text == cue
        assert names(doc, st) == ["Nina Patel"]


def test_called_for_takes_its_object_as_content(run):
    doc = run("Opposition leader Kim Berg called for an independent inquiry into the contract.\n")
    st = only(doc, content="independent inquiry")
    assert st.cue.text == "called for"


def test_mixed_reported_speech_with_quoted_words(run):
    doc = run(
        "Coach Lena Fox said the team had played “without fear or hesitation” all season.\n"
    )
    st = only(doc, content="without fear")
    assert st.type == "mixed"
    assert names(doc, st) == ["Lena Fox"]


def test_according_to_anywhere_in_sentence(run):
    doc = run(
        "According to the fire service, the blaze started in a kitchen.\n"
        "Three homes were evacuated, according to a council spokeswoman.\n"
    )
    first = only(doc, content="blaze started")
    second = only(doc, content="Three homes")
    assert first.type == second.type == "according_to"
    assert first.cue.text == "According to"
    assert "fire service" in first.source.text
    assert "council spokeswoman" in second.source.text


def test_statement_by_a_body_and_the_statement_said(run):
    doc = run(
        "Port authority spokesman Dan Oyelaran said the ferry was delayed by fog.\n"
        "“Passengers will be offered refunds,” the statement said.\n"
        "The Dutch government suggested new rules would follow.\n"
    )
    st = only(doc, content="offered refunds")
    assert names(doc, st) == ["Port authority"]
    gov = only(doc, content="new rules")
    assert names(doc, gov) == ["Dutch government"]


def test_possessive_office_is_its_own_entity_linked_to_the_person(run):
    doc = run(
        "Prime Minister Sir Tom Hale visited Leeds.\nSir Tom’s office said he had met the mayor.\n"
    )
    st = only(doc, content="met the mayor")
    (office,) = [doc.entity(e) for e in st.speakers]
    assert office is not None and office.name == "Office of Tom Hale"
    person = doc.entity(office.part_of or "")
    assert person is not None and person.name == "Tom Hale"
    assert "Prime Minister" in person.titles


def test_joint_speakers(run):
    doc = run(
        "Chancellor Otto Brandt met President Lea Novak in Vienna.\n"
        "Both Mr Brandt and Ms Novak said the talks had been productive.\n"
    )
    st = only(doc, content="talks had been productive")
    assert sorted(names(doc, st)) == ["Lea Novak", "Otto Brandt"]


def test_nested_report_gives_both_statements(run):
    doc = run(
        "Foreign minister Jan Kowal told journalists that Mr Ruiz emphasised "
        "that the border must stay open.\n"
    )
    outer = only(doc, cue="told")
    inner = only(doc, cue="emphasised")
    assert "border must stay open" in outer.content.text
    assert inner.content.text.endswith("the border must stay open")
    assert inner.parent == outer.id and outer.parent is None


def test_scare_quotes_and_quoted_names_are_not_statements(run):
    doc = run(
        "The so-called “green corridor” opened on Tuesday after talks in the “Geneva format”.\n"
    )
    assert doc.statements == []


def test_pronoun_and_role_nominal_resolve_to_the_person(run):
    doc = run(
        "Irish Foreign Minister Aoife Byrne arrived in Brussels on Monday.\n"
        "The foreign minister said the talks were difficult.\n"
        "“We are not there yet,” she said.\n"
    )
    role = only(doc, content="talks were difficult")
    pron = only(doc, content="not there yet")
    assert names(doc, role) == ["Aoife Byrne"]
    assert names(doc, pron) == ["Aoife Byrne"]


def test_promo_lines_are_boilerplate_and_yield_nothing(run):
    text = (
        "The council said the library would close early on Friday.\n"
        "Subscribe today to read more from the Valley Gazette and support local journalism.\n"
        "Sign up for our free weekly newsletter, delivered to your inbox every Monday.\n"
    )
    doc = run(text)
    lines = [text[r.start : r.end] for r in doc.boilerplate]
    assert len(lines) == 2 and lines[0].startswith("Subscribe")
    assert all(s.content.start < doc.boilerplate[0].start for s in doc.statements)


def test_short_second_half_of_split_quote(run):
    doc = run("“The economy is strong,” Senator Ruth Adler said. “Wages are up.”\n")
    st = only(doc, content="Wages are up")
    assert st.cue is not None and st.cue.text == "said"
    assert names(doc, st) == ["Ruth Adler"]


def test_stance_verbs_take_their_object_as_content(run):
    doc = run("Governor Ben Okafor accused the company of hiding the losses.\n")
    st = only(doc, cue="accused")
    assert st.content.text == "the company of hiding the losses"
    assert names(doc, st) == ["Ben Okafor"]


def test_cue_keeps_its_verb_group(run):
    doc = run("Mayor Lucy Tran has also said that the bridge is safe.\n")
    st = only(doc, content="bridge is safe")
    assert st.cue.text == "has also said"


def test_intention_inside_reported_words_is_not_a_second_statement(run):
    doc = run("Minister Jo Park has said that nine countries have agreed to share radar data.\n")
    assert len(doc.statements) == 1
    assert doc.statements[0].cue.text == "has said"


def test_verb_with_preposition_cue(run):
    doc = run("Senator Maria Lopez pointed to the rising cost of housing in the city.\n")
    st = only(doc, cue="pointed to")
    assert st.content.text == "the rising cost of housing in the city"


def test_person_the_tagger_misses_is_found_by_role_apposition(run):
    doc = run(
        "The deal was signed after talks chaired by Mayor Tomas Reyes. "
        "Ines Okafor, general secretary of the Harbour Workers' Union, said the crews "
        "would get a rise. “We won a fair rota,” she said.\n"
    )
    st = only(doc, content="We won a fair rota")
    assert names(doc, st) == ["Ines Okafor"]
    okafor = doc.entity(st.speakers[0])
    assert okafor is not None and okafor.type == "PERSON"
    assert okafor.titles == ["general secretary of the Harbour Workers' Union"]
