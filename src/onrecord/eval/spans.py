"""Span scoring helpers shared by the evaluations.

A *unit* is a half-open character range ``(start, end)`` into a document's text.
Spans are trimmed before they are compared (:func:`trim`), and predicted units are
matched one-to-one against gold units, exactly (:func:`match_exact`) or by character
IoU (:func:`match_iou`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Unit = tuple[int, int]

# Stripped from both ends of a span before comparing: whitespace, quote marks and
# the punctuation that annotators and rules disagree on the most.
TRIM_CHARS = frozenset("\"“”'‘’.,;:")


def trim(text: str, start: int, end: int) -> Unit | None:
    """``(start, end)`` without surrounding whitespace, quote marks and ``.,;:``.

    ``None`` when nothing is left.
    """
    start, end = max(start, 0), min(end, len(text))
    while start < end and (text[start].isspace() or text[start] in TRIM_CHARS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in TRIM_CHARS):
        end -= 1
    return (start, end) if start < end else None


def trim_all(text: str, units: Iterable[Unit]) -> list[Unit]:
    """Every unit trimmed, empty ones dropped, duplicates removed, in order."""
    out: list[Unit] = []
    seen: set[Unit] = set()
    for start, end in units:
        t = trim(text, start, end)
        if t is not None and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def merge(units: Iterable[Unit]) -> list[Unit]:
    """Sorted, non-overlapping ranges covering the same characters as ``units``."""
    out: list[Unit] = []
    for start, end in sorted(u for u in units if u[1] > u[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _length(units: Sequence[Unit]) -> int:
    return sum(end - start for start, end in units)


def intersection(a: Iterable[Unit], b: Iterable[Unit]) -> int:
    """Characters shared by two sets of ranges."""
    ma, mb = merge(a), merge(b)
    total, i, j = 0, 0, 0
    while i < len(ma) and j < len(mb):
        lo, hi = max(ma[i][0], mb[j][0]), min(ma[i][1], mb[j][1])
        total += max(0, hi - lo)
        if ma[i][1] < mb[j][1]:
            i += 1
        else:
            j += 1
    return total


def iou(a: Iterable[Unit], b: Iterable[Unit]) -> float:
    """Character intersection over union of two sets of ranges (0.0 when both are empty)."""
    ma, mb = merge(a), merge(b)
    inter = intersection(ma, mb)
    union = _length(ma) + _length(mb) - inter
    return inter / union if union else 0.0


def overlaps(a: Iterable[Unit], b: Iterable[Unit]) -> bool:
    """Whether two sets of ranges share at least one character."""
    return intersection(a, b) > 0


def match_exact(gold: Iterable[Unit], pred: Iterable[Unit]) -> int:
    """Number of one-to-one matches between identical units (duplicates count once)."""
    return len(set(gold) & set(pred))


def greedy_match(scores: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one ``(gold, pred)`` pairs from scored candidates, best score first.

    Ties are broken by gold index, then predicted index, so the result is deterministic.
    """
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _score, g, p in sorted(scores, key=lambda c: (-c[0], c[1], c[2])):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return pairs


def match_iou(gold: Sequence[Unit], pred: Sequence[Unit], threshold: float = 0.5) -> int:
    """Number of one-to-one matches with IoU >= ``threshold``, greedy by best IoU."""
    candidates = []
    for g, gu in enumerate(gold):
        for p, pu in enumerate(pred):
            if gu[0] < pu[1] and pu[0] < gu[1]:  # only overlapping pairs can reach it
                score = iou([gu], [pu])
                if score >= threshold:
                    candidates.append((score, g, p))
    return len(greedy_match(candidates))


@dataclass
class PRF:
    """Counts for precision, recall and F1 of a one-to-one matching."""

    tp: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, gold: int, pred: int) -> None:
        self.tp += tp
        self.gold += gold
        self.pred += pred
