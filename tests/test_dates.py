"""Dates resolved against the publication date: each relative form, explicit dates,
ranges, durations that are not dates, and unresolved dates without a publication date.
Sentences written for the tests; 2025-09-04 is a Thursday."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.record import DateMention, Document

THURSDAY = "2025-09-04"


@pytest.fixture(scope="module")
def dates(nlp: Language):
    def _run(text: str, published: str | None = THURSDAY) -> Document:
        doc = extract(text, nlp=nlp, published=published)
        for d in doc.dates:
            assert doc.text[d.span.start : d.span.end] == d.span.text
        return doc

    return _run


def date(doc: Document, text: str) -> DateMention:
    hits = [d for d in doc.dates if text in d.span.text]
    assert len(hits) == 1, [d.span.text for d in doc.dates]
    return hits[0]


@pytest.mark.parametrize(
    ("sentence", "words", "value", "granularity", "kind"),
    [
        ("The minister resigned on Thursday.", "Thursday", "2025-09-04", "day", "exact"),
        ("Drones struck the port overnight on Thursday.", "Thursday", "2025-09-04", "day", "exact"),
        ("The rebels withdrew on Wednesday.", "Wednesday", "2025-09-03", "day", "exact"),
        ("Talks collapsed on Friday.", "Friday", "2025-08-29", "day", "exact"),
        ("The envoy arrived yesterday.", "yesterday", "2025-09-03", "day", "exact"),
        ("The vote is tomorrow.", "tomorrow", "2025-09-05", "day", "exact"),
        ("Markets fell today.", "today", "2025-09-04", "day", "exact"),
        ("Sirens sounded last night.", "last night", "2025-09-03", "day", "exact"),
        ("The court ruled three days ago.", "three days ago", "2025-09-01", "day", "exact"),
        ("The court will rule next Monday.", "next Monday", "2025-09-08", "day", "exact"),
        ("They met last Thursday.", "last Thursday", "2025-08-28", "day", "exact"),
        ("The ministers will meet on Monday.", "Monday", "2025-09-08", "day", "exact"),
        ("Prices rose last month.", "last month", "2025-08", "month", "exact"),
        (
            "In a shift earlier this month, the bank cut rates.",
            "earlier this month",
            "2025-09",
            "month",
            "approximate",
        ),
        ("The law passes next month.", "next month", "2025-10", "month", "exact"),
        ("Strikes spread last week.", "last week", "2025-W35", "week", "exact"),
        ("The fund shrank last year.", "last year", "2024", "year", "exact"),
        (
            "The treaty was signed on 4 September 2025.",
            "4 September 2025",
            "2025-09-04",
            "day",
            "exact",
        ),
        ("The treaty was signed on Sept. 2.", "Sept. 2", "2025-09-02", "day", "exact"),
        ("The treaty was signed on December 30.", "December 30", "2024-12-30", "day", "exact"),
        ("The election was held in March.", "March", "2025-03", "month", "exact"),
        # "last"/"next"/"this" + month decide the year, whatever the tense says.
        ("Prices are higher than last October.", "last October", "2024-10", "month", "exact"),
        ("Prices are lower than last August.", "last August", "2025-08", "month", "exact"),
        ("The plant opened next March.", "next March", "2026-03", "month", "exact"),
        ("The vote is due next October.", "next October", "2025-10", "month", "exact"),
        ("The plan was for this January.", "this January", "2025-01", "month", "exact"),
        ("The war began in 2022.", "2022", "2022", "year", "exact"),
        ("Sales peaked in March 2021.", "March 2021", "2021-03", "month", "exact"),
        (
            "The summit runs 4-6 September.",
            "4-6 September",
            "2025-09-04/2025-09-06",
            "day",
            "range",
        ),
        ("Fighting raged from 2019 to 2021.", "2019", "2019/2021", "year", "range"),
    ],
)
def test_resolved(dates, sentence, words, value, granularity, kind) -> None:
    d = date(dates(sentence), words)
    assert (d.value, d.granularity, d.kind) == (value, granularity, kind)


def test_the_day_before(dates) -> None:
    doc = dates("The strike began on 20 August 2025. The day before, unions had warned of it.")
    assert date(doc, "day before").value == "2025-08-19"


def test_the_day_after_an_event_is_not_a_date(dates) -> None:
    doc = dates("Troops will stay the day after a ceasefire is signed.")
    assert doc.dates == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Prices rose sharply in one year.",
        "Three days of clashes left the city empty.",
        "The siege lasted for six months.",
    ],
)
def test_durations_are_not_dates(dates, sentence) -> None:
    assert dates(sentence).dates == []


@pytest.mark.parametrize(
    ("sentence", "words", "reason"),
    [
        ("The minister resigned on Thursday.", "Thursday", "relative date and no publication date"),
        ("Prices rose last month.", "last month", "relative date and no publication date"),
        ("The envoy arrived yesterday.", "yesterday", "relative date and no publication date"),
        ("The treaty was signed on Sept. 2.", "Sept. 2", "no year given and no publication date"),
    ],
)
def test_unresolved_without_publication_date(dates, sentence, words, reason) -> None:
    d = date(dates(sentence, published=None), words)
    assert (d.value, d.kind, d.reason) == (None, "unresolved", reason)


def test_explicit_dates_need_no_publication_date(dates) -> None:
    d = date(dates("The treaty was signed on 4 September 2025.", published=None), "2025")
    assert (d.value, d.kind) == ("2025-09-04", "exact")


def test_years_are_not_figures(dates) -> None:
    doc = dates("In 2022, 40 tanks were lost.")
    assert [f.span.text for f in doc.figures] == ["40"]


SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seed"


@pytest.mark.skipif(not SEED.exists(), reason="shared reference data not present")
def test_seed_article_dates(nlp: Language) -> None:
    text = (SEED / "coalition-of-the-willing.txt").read_text(encoding="utf-8")
    doc = extract(text, nlp=nlp, published=THURSDAY)
    got = {(d.span.text, d.value, d.kind) for d in doc.dates}
    assert ("Thursday", "2025-09-04", "exact") in got
    assert ("overnight on Thursday", "2025-09-04", "exact") in got
    assert ("Wednesday", "2025-09-03", "exact") in got
    assert ("last month", "2025-08", "exact") in got
    assert ("earlier this month", "2025-09", "approximate") in got
    assert all(d.value for d in doc.dates)
    figures = {(f.span.text, f.value, f.unit) for f in doc.figures}
    assert figures == {
        ("26", 26, "count"),
        ("1.1 billion euros", 1.1e9, "EUR"),
        ("three", 3, "count"),
        ("112", 112, "count"),
        ("84", 84, "count"),
    }


@pytest.mark.parametrize(
    ("sentence", "published", "value"),
    [
        ("Protests spread last weekend.", THURSDAY, "2025-08-30/2025-08-31"),
        # On a Sunday "last weekend" is the one before, on a Monday the one just gone.
        ("Protests spread last weekend.", "2025-09-07", "2025-08-30/2025-08-31"),
        ("Protests spread last weekend.", "2025-09-08", "2025-09-06/2025-09-07"),
        ("Talks resume this weekend.", THURSDAY, "2025-09-06/2025-09-07"),
        ("Talks resume next weekend.", THURSDAY, "2025-09-13/2025-09-14"),
    ],
)
def test_weekends(dates, sentence, published, value) -> None:
    d = date(dates(sentence, published), "weekend")
    assert (d.value, d.granularity, d.kind) == (value, "day", "range")
