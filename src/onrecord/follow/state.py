"""When to poll a feed next: every interval while it answers, backing off while it fails.

A failed poll doubles the wait for each consecutive failure (capped), so a feed down for
a day costs a few requests, not a hundred; the first good poll restores the interval.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from onrecord.store.base import FeedState

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d)?")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_every(value: str) -> float:
    """Seconds in ``"15m"``, ``"90s"``, ``"1h"``, ``"2d"`` or a bare number of seconds."""
    m = _DURATION.fullmatch(value.strip().lower())
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not a duration (like 15m, 90s, 1h): {value!r}")
    return float(m.group(1)) * _UNIT[m.group(2)]


def stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_stamp(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@dataclass
class Policy:
    every: float = 900.0  # seconds between polls of a healthy feed
    max_wait: float = 86400.0  # the longest a failing feed waits

    def due(self, state: FeedState, now: dt.datetime) -> bool:
        nxt = parse_stamp(state.next_poll)
        return nxt is None or nxt <= now

    def wait(self, failures: int) -> float:
        return min(self.every * 2 ** min(failures, 30), max(self.max_wait, self.every))

    def polled(self, state: FeedState, now: dt.datetime, error: str | None) -> None:
        """Update ``state`` after a poll at ``now`` (failed with ``error``, or not)."""
        state.last_poll = stamp(now)
        if error is None:
            state.failures, state.last_error, state.last_ok = 0, None, stamp(now)
        else:
            state.failures += 1
            state.last_error = error
        state.next_poll = stamp(now + dt.timedelta(seconds=self.wait(state.failures)))
