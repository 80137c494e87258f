"""WordNet classes of words, read from the package's ``data/models/events/wordnet.json``.

Written once by ``onrecord.train.wordnet`` from WordNet 3.0 (its notice is in the file):
for each verb and each event-like noun, the head words of its first senses' synsets and of
their hypernyms, first sense first. The event rules type a word they do not list like the
listed word it falls under ("assassinate" under "kill"), and the classifier reads the
classes as features, so nothing reads WordNet itself at run time.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "events" / "wordnet.json"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, list[str]]]:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    return {pos: {w: c.split() for w, c in data[pos].items()} for pos in ("verb", "noun")}


def classes(lemma: str, pos: str) -> list[str]:
    """The classes of a lemma as a ``verb`` or ``noun`` (none for a word WordNet lacks)."""
    return _table()[pos].get(lemma, [])


def senses(tok: Token) -> list[str]:
    """WordNet classes of a verb or noun token: what lets a word the training data never
    held be typed like its kin."""
    pos = "verb" if tok.pos_ in ("VERB", "AUX") else "noun" if tok.pos_ == "NOUN" else ""
    return classes(tok.lemma_.lower(), pos) if pos else []


def words(pos: str) -> list[str]:
    """Every ``verb`` or ``noun`` lemma with classes."""
    return list(_table()[pos])
