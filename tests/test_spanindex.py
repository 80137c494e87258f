"""SpanIndex answers exactly what a scan over every span would, in the same order."""

from __future__ import annotations

import random

from onrecord.nlp.spanindex import SpanIndex


def test_same_answers_as_a_scan():
    rng = random.Random(6)
    for _ in range(200):
        spans: list[tuple[int, int] | None] = []
        for _ in range(rng.randrange(0, 30)):
            start = rng.randrange(0, 200)
            spans.append(None if rng.random() < 0.1 else (start, start + rng.randrange(0, 60)))
        index = SpanIndex(spans, lambda s: s)
        for _ in range(20):
            a = rng.randrange(-10, 260)
            b = a + rng.randrange(0, 40)
            assert index.overlapping(a, b) == [
                s for s in spans if s is not None and min(s[1], b) - max(s[0], a) > 0]
            assert index.containing(a, b) == [
                s for s in spans if s is not None and s[0] <= a and b <= s[1]]
