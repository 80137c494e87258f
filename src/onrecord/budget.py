"""A per-document time budget for extraction, so one document cannot hold a batch for ever.

The budget grows with the text's length (extraction is close to linear in it); past
it, extraction is interrupted with an error that names the budget. It needs a signal
timer, so it applies in a process's main thread (``ingest``, its workers) and not in
the web app's request threads.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

BASE_SECONDS = 60.0
SECONDS_PER_CHARACTER = 0.001  # a few times what this 2-core machine needs under load


class OverBudget(Exception):
    """Extraction ran past its time budget."""


def seconds_for(characters: int) -> float:
    return BASE_SECONDS + SECONDS_PER_CHARACTER * characters


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once ``seconds`` have passed."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(f"over its time budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
