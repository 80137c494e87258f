"""Quote pairing and the plain-text boilerplate detector (no spaCy needed)."""

from __future__ import annotations

from onrecord.nlp.boilerplate import find_boilerplate, mask
from onrecord.nlp.quotes import find_quotes


def test_curly_straight_and_multi_paragraph_quotes():
    text = (
        'He said: "Yes."\n'
        "“First paragraph.\n"
        "“Second paragraph.”\n"
        "A “label” here.\n"
    )
    quotes = [text[q.inner_start : q.inner_end] for q in find_quotes(text)]
    assert quotes == ["Yes.", "First paragraph.\n“Second paragraph.", "label"]


def test_unclosed_quote_ends_with_its_paragraph():
    text = "“Never closed\nNext line.\n"
    (q,) = find_quotes(text)
    assert text[q.inner_start : q.inner_end] == "Never closed"
    assert q.paragraph_start


def test_speech_or_label():
    text = "“reassurance force” and “a sincere desire” and “We will go.”"
    speech = [q.speech for q in find_quotes(text)]
    assert speech == [False, True, True]


def test_promo_lines_found_news_lines_kept():
    text = (
        "The senator said on Twitter that the vote would be close.\n"
        "Get unlimited access with a digital subscription – subscribe now.\n"
        "Follow us on Facebook and Instagram for the latest stories.\n"
        "The cookie factory on Main Street will close in March.\n"
    )
    found = [text[r.start : r.end] for r in find_boilerplate(text)]
    assert found == [
        "Get unlimited access with a digital subscription – subscribe now.",
        "Follow us on Facebook and Instagram for the latest stories.",
    ]
    masked = mask(text, find_boilerplate(text))
    assert len(masked) == len(text) and "subscribe" not in masked
