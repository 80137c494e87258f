"""How sure the record is of a statement and of its speaker.

A confidence is the rate at which statements found the same way were right on the
development data (``data/confidence.json``, written by ``bench/calibrate_confidence.py``
from PolNeAR dev, its speakers-dev and quotes-dev; docs/speakers.md):

* a statement's ``confidence``: of the statements its readers found (the tagger, the
  rules, or both), the share matching a gold attribution;
* its ``speaker_confidence``: of the statements whose source was resolved the same way
  (a full name, a bare surname, a surname two people share, a title, a pronoun with
  another candidate nearby, a description, ...), the share with the right speaker.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "data" / "confidence.json"


@functools.cache
def _table() -> dict[str, dict[str, float]]:
    if not PATH.exists():
        return {"statement": {}, "speaker": {}}
    return json.loads(PATH.read_text(encoding="utf-8"))


def statement_confidence(origin: str) -> float | None:
    return _table()["statement"].get(origin)


def speaker_confidence(basis: str) -> float | None:
    return _table()["speaker"].get(basis)

