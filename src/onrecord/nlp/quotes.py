"""Quotation marks: pairing them into quoted spans, across paragraphs where needed.

News style opens every paragraph of a multi-paragraph quote with a mark and closes
only the last one; a quote left open at a paragraph end continues when the next
paragraph opens with a mark. Straight double quotes alternate open/close within a
paragraph; curly ones say which they are.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_MARKS = "“«„"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
# First words that mark a short quote as someone's words, not a name for something.
SPEECH_OPENERS = frozenset(
    ["a", "an", "the", "i", "we", "you", "it", "this", "that", "my", "our", "not", "no"]
)


@dataclass(frozen=True)
class Quote:
    """A quoted stretch: ``inner_start:inner_end`` is the text between the marks."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    paragraph_start: bool  # the opening mark is the first character of its paragraph

    inner_text: str

    @property
    def speech(self) -> bool:
        """Quoted words rather than a quoted label ("a sincere desire" vs “reassurance force”)."""
        words = self.inner_text.split()
        if not words:
            return False
        return (
            len(words) >= 4
            or words[0].lower() in SPEECH_OPENERS
            or self.inner_text.rstrip()[-1:] in ",.!?"
        )


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, 'open'|'close') for each double quote mark in one paragraph.

    A closing mark that begins a paragraph and is closed again later in it is a typed
    opening mark ("”Fear. I am truly afraid …”").
    """
    marks: list[tuple[int, str]] = []
    straight_open = False
    for i in range(start, end):
        ch = text[i]
        if ch in CLOSE_MARKS and not text[start:i].strip() and any(
            c in CLOSE_MARKS for c in text[i + 1 : end]
        ) or ch in OPEN_MARKS:
            marks.append((i, "open"))
        elif ch in CLOSE_MARKS:
            marks.append((i, "close"))
        elif ch == STRAIGHT:
            marks.append((i, "close" if straight_open else "open"))
            straight_open = not straight_open
    return marks


def find_quotes(text: str) -> list[Quote]:
    """All quoted spans in ``text``, in order."""
    quotes: list[Quote] = []

    def add(opened: int, inner_end: int, end: int, at_start: bool) -> None:
        inner = text[opened + 1 : inner_end]
        quotes.append(Quote(opened, end, opened + 1, inner_end, at_start, inner))

    pending: tuple[int, bool] | None = None  # (open offset, at paragraph start) of an open quote
    pending_end = 0
    for p_start, p_end in _paragraphs(text):
        first = p_start + (len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip()))
        marks = _marks(text, p_start, p_end)
        if pending is not None and not (marks and marks[0] == (first, "open")):
            # The open quote did not continue: it ends with its paragraph.
            add(pending[0], pending_end, pending_end, pending[1])
            pending = None
        open_at: int | None = None
        for offset, kind in marks:
            if kind == "open":
                if pending is not None and offset == first:
                    continue  # continuation paragraph of a multi-paragraph quote
                open_at = offset
            elif pending is not None:
                add(pending[0], offset, offset + 1, pending[1])
                pending = None
            elif open_at is not None:
                add(open_at, offset, offset + 1, open_at == first)
                open_at = None
        if open_at is not None:
            pending, pending_end = (open_at, open_at == first), p_end
        elif pending is not None:
            pending_end = p_end
    if pending is not None:
        add(pending[0], pending_end, pending_end, pending[1])
    return quotes
