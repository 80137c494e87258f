"""What every reader yields: a :class:`Source` text or an :class:`InputError`.

A reader never raises for bad input; it yields an error naming the document so a
batch can report it on one line and go on with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TEXT_BYTES = 20_000_000  # plain text and JSON Lines files
MAX_HTML_BYTES = 10_000_000  # one page, after decompression
# One article's text. spaCy's own default limit: the parser's memory grows with length,
# and no news article comes near it.
MAX_DOCUMENT_CHARS = 1_000_000


@dataclass
class Source:
    """One document's text and what is known about it before extraction.

    ``meta`` holds the record's metadata fields (title, authors, published, site,
    url, language, duplicate_of, copy_group) when known.
    """

    id: str
    text: str
    path: str | None = None
    meta: dict[str, object] = field(default_factory=dict)
    name: str | None = None  # how to name it in messages, when not its path or id

    @property
    def label(self) -> str:
        return self.name or self.path or self.id


@dataclass
class InputError:
    """A document that could not be read, with a one-line reason.

    Reasons read ``"<kind>: <detail>"`` or ``"<kind> (<detail>)"`` so the summary can
    count them by kind.
    """

    name: str
    reason: str
    skipped: bool = False  # True for documents deliberately not processed (e.g. not English)

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"

    @property
    def kind(self) -> str:
        return self.reason.split(" (")[0].split(":")[0]
