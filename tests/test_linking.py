"""Joining tagged spans into statements (``onrecord.nlp.attribution``): who is and is not a
source, and spans no content took in the first pass."""

from __future__ import annotations

import pytest

from onrecord.nlp import model
from onrecord.nlp.attribution import _source_from_cue, link
from onrecord.nlp.statements import Found, source_phrase


@pytest.fixture(scope="module")
def nlp():
    return model.load()


def _chars(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _source_of(nlp, text: str, cue: str, content: str) -> str | None:
    doc = nlp(text)
    found = Found(type="indirect", content=_chars(text, content), cue=_chars(text, cue),
                  source=None)
    _source_from_cue(doc, found)
    return text[found.source[0]:found.source[1]] if found.source else None


def test_an_active_cue_takes_its_subject_as_source(nlp) -> None:
    text = "Mr. Quiros denied using the money for personal expenses."
    assert _source_of(nlp, text, "denied", "using the money for personal expenses") == "Mr. Quiros"


@pytest.mark.parametrize("text,cue,content", [
    ("Mr. Quiros was accused of using the money for personal expenses.", "was accused of",
     "using the money for personal expenses"),
    ("He seems to have a different set of rules for his wife.", "seems",
     "to have a different set of rules for his wife"),
])
def test_who_is_talked_about_is_not_the_source(nlp, text: str, cue: str, content: str) -> None:
    assert _source_of(nlp, text, cue, content) is None


def test_a_bracketed_aside_keeps_its_closing_bracket(nlp) -> None:
    text = "Sen. David Perdue (R-Ga.) said the party was divided."
    doc = nlp(text)
    head = next(t for t in doc if t.dep_ == "nsubj")
    start, end = source_phrase(head)
    assert text[start:end] == "Sen. David Perdue (R-Ga.)"


def test_a_content_without_a_source_takes_one_no_other_content_took(nlp) -> None:
    # "the new bridge across the fjord" stands for a content no arc joins to "Mr. Lund"
    # and more than 12 tokens from it (the parse is pinned with the model).
    text = ("Mr. Lund, the minister for the coast and the islands of the far north, "
            "on the question of the new bridge across the fjord: it will be built next year.")
    doc = nlp(text)
    far = _chars(text, "the new bridge across the fjord")
    spans = {"content": [far], "cue": [], "source": [_chars(text, "Mr. Lund")]}
    [found] = link(doc, spans, [])
    assert found.source == _chars(text, "Mr. Lund")
    # The same source taken by a content of its own is not lent to the far one.
    spans["content"].insert(0, _chars(text, "the minister for the coast"))
    taken = {f.content: f.source for f in link(doc, spans, [])}
    assert taken[_chars(text, "the minister for the coast")] == _chars(text, "Mr. Lund")
    assert taken[far] is None
