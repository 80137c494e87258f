"""Items found by the character span they cover, without scanning them all.

A long document has thousands of statements; comparing each with every other made
extraction time grow with the square of the document's length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
Span = tuple[int, int]


class SpanIndex(Generic[T]):
    """``items`` by ``span(item)`` (items without a span are left out); answers keep the
    items' own order, so ties are broken as a scan over them would break them."""

    def __init__(self, items: Sequence[T], span: Callable[[T], Span | None]) -> None:
        self._items = items
        self._spans = {i: s for i, x in enumerate(items) if (s := span(x)) is not None}
        keyed = sorted((s[0], i) for i, s in self._spans.items())
        self._starts = [start for start, _ in keyed]
        self._order = [i for _, i in keyed]
        self._longest = max((e - s for s, e in self._spans.values()), default=0)

    def _near(self, start: int, last: int) -> list[int]:
        """Indices of items starting within ``longest`` before ``start`` up to ``last``."""
        lo = bisect_left(self._starts, start - self._longest)
        return sorted(self._order[lo:bisect_right(self._starts, last)])

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items sharing at least one character with ``start:end``."""
        out = []
        for i in self._near(start, end - 1):
            s, e = self._spans[i]
            if min(e, end) - max(s, start) > 0:
                out.append(self._items[i])
        return out

    def containing(self, start: int, end: int) -> list[T]:
        """Items whose span holds all of ``start:end``."""
        out = []
        for i in self._near(start, start):
            s, e = self._spans[i]
            if s <= start and end <= e:
                out.append(self._items[i])
        return out
