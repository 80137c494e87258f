"""Shared fixtures: one spaCy pipeline per test session (loading it takes seconds)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

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


@dataclass
class Envelope:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[Envelope]]]:
    """A local SMTP server (aiosmtpd on 127.0.0.1, a free port): its port and the mail it
    received."""
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller

    received: list[Envelope] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
            received.append(Envelope(envelope.mail_from, list(envelope.rcpt_tos),
                                     envelope.content))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()
