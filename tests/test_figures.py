"""Figures: number words, scales, currencies, ranges, percentages, hedges, what is
counted, the period, who claims them, and what is not a figure. Sentences written for
the tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.record import Document, Figure


@pytest.fixture(scope="module")
def fig(nlp: Language):
    def _run(text: str, published: str | None = "2024-03-14") -> Document:
        doc = extract(text, nlp=nlp, published=published)
        for f in doc.figures:
            assert doc.text[f.span.start : f.span.end] == f.span.text
            for s in (f.counted, f.period):
                if s is not None:
                    assert doc.text[s.start : s.end] == s.text
        return doc

    return _run


def one(doc: Document, text: str) -> Figure:
    hits = [f for f in doc.figures if text in f.span.text]
    assert len(hits) == 1, [f.span.text for f in doc.figures]
    return hits[0]


def test_digits_count_and_counted_noun(fig) -> None:
    doc = fig("The navy launched 47 cruise and ballistic missiles at the port.")
    f = one(doc, "47")
    assert f.value == 47 and f.unit == "count"
    assert f.counted is not None and f.counted.text == "cruise and ballistic missiles"
    assert f.claimed_by == [] and f.statement is None


def test_number_words(fig) -> None:
    doc = fig(
        "Twenty-five nurses, one hundred and twenty lorries, two dozen ambulances "
        "and seven ferries reached the island."
    )
    assert one(doc, "Twenty-five").value == 25
    assert one(doc, "one hundred and twenty").value == 120
    assert one(doc, "two dozen").value == 24
    f = one(doc, "seven")
    assert f.value == 7 and f.counted is not None and f.counted.text == "ferries"


def test_scales_and_currencies(fig) -> None:
    doc = fig(
        "The plan costs $2.5bn, the bank lent €300m, donors gave £1.2 million "
        "and the region lost 4.7 billion yen in tourism revenue."
    )
    assert (one(doc, "$2.5bn").value, one(doc, "$2.5bn").unit) == (2.5e9, "USD")
    assert (one(doc, "€300m").value, one(doc, "€300m").unit) == (3e8, "EUR")
    assert (one(doc, "£1.2 million").value, one(doc, "£1.2 million").unit) == (1.2e6, "GBP")
    yen = one(doc, "4.7 billion yen")
    assert (yen.value, yen.unit) == (4.7e9, "JPY")
    assert yen.counted is not None and yen.counted.text == "tourism revenue"


def test_half_and_one_and_a_half(fig) -> None:
    doc = fig("Half a million people fled and one and a half million stayed behind.")
    assert one(doc, "Half a million").value == 5e5
    assert one(doc, "one and a half million").value == 1.5e6


def test_ranges(fig) -> None:
    doc = fig(
        "Between 10 and 15 tanks crossed, followed by 20-30 trucks, from 40 to 50 buses "
        "and two or three helicopters."
    )
    for text, low, high in (
        ("Between 10 and 15", 10, 15),
        ("20-30", 20, 30),
        ("from 40 to 50", 40, 50),
        ("two or three", 2, 3),
    ):
        f = one(doc, text)
        assert (f.value, f.low, f.high) == (None, low, high)
    assert one(doc, "20-30").counted.text == "trucks"  # type: ignore[union-attr]


def test_vague_plurals(fig) -> None:
    doc = fig("Hundreds of farmers and tens of thousands of students marched.")
    h = one(doc, "Hundreds")
    assert (h.low, h.high) == (200, 999) and h.counted.text == "farmers"  # type: ignore[union-attr]
    t = one(doc, "tens of thousands")
    assert (t.low, t.high) == (20000, 99999)


def test_percentages_and_points(fig) -> None:
    doc = fig("Nearly 40% of voters backed him; turnout fell 2.5 per cent, or 3 percentage points.")
    p = one(doc, "40%")
    assert (p.value, p.unit, p.hedge) == (40, "percent", "nearly")
    assert p.counted is not None and p.counted.text == "voters"
    assert one(doc, "2.5 per cent").unit == "percent"
    assert one(doc, "3 percentage points").unit == "percentage point"


def test_hedges(fig) -> None:
    doc = fig("More than 1,000 people were evacuated and at least 12 homes burned; up to 300 fled.")
    assert one(doc, "1,000").hedge == "more than"
    assert one(doc, "12").hedge == "at least"
    assert one(doc, "300").hedge == "up to"


def test_physical_units_and_period(fig) -> None:
    doc = fig(
        "The pipeline carried 1.5 million barrels a day and the convoy brought 12 tonnes of flour."
    )
    b = one(doc, "1.5 million barrels")
    assert (b.value, b.unit) == (1.5e6, "barrel")
    assert b.period is not None and b.period.text == "a day"
    t = one(doc, "12 tonnes")
    assert t.unit == "t" and t.counted is not None and t.counted.text == "flour"


def test_period_in_one_year_is_not_a_figure(fig) -> None:
    doc = fig("The company paid 3.2 billion dollars in fines in one year.")
    f = one(doc, "3.2 billion dollars")
    assert (f.value, f.unit) == (3.2e9, "USD")
    assert f.period is not None and f.period.text == "in one year"
    assert len(doc.figures) == 1


@pytest.mark.parametrize(
    "text",
    [
        "The talks ended on 12 March 2024 after three days of clashes.",  # dates, durations
        "The meeting began at 5pm and lasted until 10:30.",  # times
        "A 45-year-old teacher, aged 45, was hurt; Maria Lopez, 52, was unhurt.",  # ages
        "It was the first and second time in 2023 that Article 5 was invoked.",  # ordinals, names
        "No one knew which one to choose.",  # "one" as a pronoun
    ],
)
def test_not_figures(fig, text: str) -> None:
    assert fig(text).figures == []


def test_definite_back_reference_is_not_a_new_figure(fig) -> None:
    doc = fig("Twelve ministers signed the pact. The 12 ministers will meet again.")
    assert [f.span.text for f in doc.figures] == ["Twelve"]


def test_claimed_by_speaker_of_statement(fig) -> None:
    doc = fig(
        "Health Minister Jane Okafor said that 84 patients had been moved to the new hospital.\n"
        "The hospital has 300 beds."
    )
    f = one(doc, "84")
    assert f.statement is not None
    names = [doc.entity(e).name for e in f.claimed_by]  # type: ignore[union-attr]
    assert names == ["Jane Okafor"]
    assert one(doc, "300").claimed_by == []


def test_according_to_claims(fig) -> None:
    doc = fig("Rebels fired 60 rockets at the town, according to the regional governor.")
    f = one(doc, "60")
    assert f.claimed_by and f.statement is not None


def test_vague_multiples_and_ratios(fig) -> None:
    doc = fig("Several hundred guests came. Officials said 1 in 4 residents had left.")
    g = one(doc, "Several hundred")
    assert (g.low, g.high, g.counted.text) == (300, 900, "guests")  # type: ignore[union-attr]
    r = one(doc, "1 in 4")
    assert (r.value, r.unit, r.counted.text) == (0.25, "ratio", "residents")  # type: ignore[union-attr]


def test_one_in_idioms_is_not_a_figure(fig) -> None:
    assert fig("At one point the talks stalled.").figures == []
