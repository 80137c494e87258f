"""Shared fixtures: one spaCy pipeline per test session (loading it takes seconds)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from onrecord.nlp import model
from onrecord.nlp.pipeline import extract
from onrecord.record import Document


@pytest.fixture(scope="session")
def nlp() -> Language:
    return model.load()


@pytest.fixture(scope="session")
def run(nlp: Language):
    """Extract a record from a text with the session's pipeline."""

    def _run(text: str) -> Document:
        return extract(text, nlp=nlp)

    return _run
