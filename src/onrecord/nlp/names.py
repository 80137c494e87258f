"""What a name or a title looks like: first-name gender, role words, possessors.

Small rules over single tokens that the speaker resolver (:mod:`onrecord.nlp.entities`)
asks about a mention; the word lists are in :mod:`onrecord.nlp.lexicon` and the first
names in ``data/names/first_names.tsv`` (learned from GAP, :mod:`onrecord.train.first_names`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Token

from onrecord.nlp.lexicon import (
    BODY_NOUNS,
    DETERMINERS,
    FEMALE_HONORIFICS,
    HONORIFICS,
    MALE_HONORIFICS,
    ORG_NAME_ENDINGS,
    ROLE_ABBREVIATIONS,
    ROLE_WORDS,
)


def honorific_gender(honorific: str | None) -> str | None:
    if honorific in MALE_HONORIFICS:
        return "male"
    if honorific in FEMALE_HONORIFICS:
        return "female"
    return None


@functools.cache
def _first_names() -> dict[str, str]:
    """First name -> gender it is used with (``data/names/first_names.tsv``, from GAP)."""
    path = Path(__file__).resolve().parent.parent / "data" / "names" / "first_names.tsv"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, gender, _ = line.split("\t")
            out[name] = gender
    return out


def first_name_gender(tokens: list[str]) -> str | None:
    """The gender a full name's first name is used with, when it is known."""
    return _first_names().get(tokens[0].lower()) if len(tokens) > 1 else None


def role_word(word: str) -> str:
    return ROLE_ABBREVIATIONS.get(word.rstrip("."), word.rstrip("."))


def name_word(tok: Token) -> bool:
    """A capitalised word that can be part of a person's name."""
    low = tok.lower_
    return (tok.is_alpha and tok.text[:1].isupper() and tok.pos_ == "PROPN"
            and low not in HONORIFICS and low not in ROLE_WORDS and low not in DETERMINERS
            and role_word(low) == low and tok.ent_type_ not in ("GPE", "ORG", "NORP", "LOC"))


def looks_like_person(toks: Sequence[Token], most: int = 3) -> bool:
    """Two (to ``most``) capitalised words led by a first name people are known to use."""
    words = [t for t in toks if not (t.is_punct or t.is_space)]
    return (
        2 <= len(words) <= most
        and all(w.is_alpha and w.text[:1].isupper() for w in words)
        and first_name_gender([w.text for w in words]) is not None
        and not any(w.lower_ in BODY_NOUNS for w in words)
        and words[-1].lower_ not in ORG_NAME_ENDINGS
    )


def possessor_split(toks: list[Token]) -> int | None:
    """Index of the possessive mark in "Fox News' Megyn Kelly" (an owner, then a name of
    two capitalised words or more), if there is one."""
    for n, t in enumerate(toks[:-2]):
        if t.tag_ == "POS" and n > 0:
            rest = toks[n + 1 :]
            if len(rest) >= 2 and all(w.text[:1].isupper() and w.is_alpha for w in rest):
                return n
    return None
