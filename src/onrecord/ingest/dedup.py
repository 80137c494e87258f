"""Syndicated copies in a batch: MinHash LSH over article bodies, then an exact check.

Copies of one wire story differ in site promo lines, may be cut short, and may
have a sentence reworded. LSH at a low Jaccard threshold finds candidate pairs
cheaply; a pair is a copy when most of the shorter body's shingles are in the
longer one (containment) and it is not much shorter, which a truncated copy
passes and a different story on the same topic, or a snippet quoted in it, does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from onrecord.nlp.boilerplate import find_boilerplate, mask

if TYPE_CHECKING:
    from datasketch import MinHash

SHINGLE = 3  # words
NUM_PERM = 128
LSH_THRESHOLD = 0.3
MIN_CONTAINMENT = 0.6  # share of the shorter body's shingles found in the longer one
MIN_SIZE_RATIO = 0.4  # a copy cut after 70% of paragraphs keeps ~0.7 of the shingles
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """Word 3-grams of the text without its boilerplate lines, case-folded."""
    words = _WORD.findall(mask(text, find_boilerplate(text)).lower())
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _minhash(grams: set[str]) -> MinHash:
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return mh


def copy_groups(texts: Sequence[str]) -> list[int]:
    """For each text, the index of the first text of its group (itself when alone)."""
    if len(texts) < 2:
        return list(range(len(texts)))
    from datasketch import MinHashLSH  # imported on first use: it pulls in SciPy (~0.6 s)

    grams = [shingles(t) for t in texts]

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, g in enumerate(grams):
        if not g:
            continue
        mh = _minhash(g)
        for key in lsh.query(mh):
            j = int(key)
            small, large = sorted((len(g), len(grams[j])))
            if small >= MIN_SIZE_RATIO * large and len(g & grams[j]) >= MIN_CONTAINMENT * small:
                a, b = sorted((root(i), root(j)))
                parent[b] = a
        lsh.insert(str(i), mh)
    return [root(i) for i in range(len(texts))]


def mark_copies(ids: Sequence[str], texts: Sequence[str], published: Sequence[str | None]
                ) -> list[tuple[str | None, str | None]]:
    """``(duplicate_of, copy_group)`` per document; both None for a story seen once.

    The group is named by its earliest copy: earliest published date, then input
    order (undated copies count as later than dated ones).
    """
    roots = copy_groups(texts)
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    out: list[tuple[str | None, str | None]] = [(None, None)] * len(ids)
    for group in members.values():
        if len(group) < 2:
            continue
        first = min(group, key=lambda i: (published[i] is None, published[i] or "", i))
        for i in group:
            out[i] = (None if i == first else ids[first], ids[first])
    return out
