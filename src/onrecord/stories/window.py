"""Document frequencies over a sliding window of days, so a name in every article that week
weighs little however rare it is over the year.

The window is the days within ``days`` of an anchor day (the day of the document being
placed). It moves a day at a time, adding the day that enters and removing the day that
leaves, so placing documents in publication order costs time linear in their number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable


class WindowDF:
    """Per-day document frequencies and their running sum over the current window."""

    def __init__(self, days: int, prior: float = 10.0) -> None:
        self.days = days
        self.prior = prior
        self.by_day: dict[dt.date, Counter[str]] = {}
        self.docs_by_day: Counter[dt.date] = Counter()
        self.anchor: dt.date | None = None
        self.df: Counter[str] = Counter()
        self.n = 0

    def _in_window(self, day: dt.date) -> bool:
        return self.anchor is not None and abs((day - self.anchor).days) <= self.days

    def add(self, day: dt.date, terms: Iterable[str]) -> None:
        """Count one document's distinct terms on ``day``."""
        keys = set(terms)
        self.by_day.setdefault(day, Counter()).update(keys)
        self.docs_by_day[day] += 1
        if self._in_window(day):
            self.df.update(keys)
            self.n += 1

    def _shift(self, day: dt.date, sign: int) -> None:
        counts = self.by_day.get(day)
        if not counts:
            return
        self.n += sign * self.docs_by_day[day]
        if sign > 0:
            self.df.update(counts)
            return
        for t, c in counts.items():
            left = self.df[t] - c
            if left > 0:
                self.df[t] = left
            else:
                del self.df[t]

    def move_to(self, anchor: dt.date) -> None:
        """Make the window the days within ``days`` of ``anchor``."""
        if self.anchor == anchor:
            return
        one = dt.timedelta(days=1)
        if self.anchor is None or abs((anchor - self.anchor).days) > self.days:
            self.df, self.n, self.anchor = Counter(), 0, anchor
            for k in range(-self.days, self.days + 1):
                self._shift(anchor + k * one, +1)
            return
        step = 1 if anchor > self.anchor else -1
        while self.anchor != anchor:
            self._shift(self.anchor - step * self.days * one, -1)
            self.anchor += step * one
            self._shift(self.anchor + step * self.days * one, +1)

    def idf(self, term: str) -> float:
        """log((N + prior) / (df + 0.5)) over the window (at least 0): near 0 for a term in every
        document of a full window; the ``prior`` documents without the term keep the
        first few documents of a stream from cancelling the words they share."""
        return max(0.0, math.log((self.n + self.prior) / (self.df.get(term, 0) + 0.5)))
