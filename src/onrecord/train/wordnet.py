"""Word classes for the event classifier, written once from WordNet 3.0.

A verb or noun the training sentences never held can still be typed if it shares a
WordNet ancestor with words they did ("slammed" and "criticised" both fall under
"knock"). This script reads the WordNet database files (Debian's ``wordnet-base``
puts them in ``/usr/share/wordnet``; WordNet's licence allows use and redistribution with
its notice, which the output carries) and writes, for each single-word verb and event-like noun,
the head words of its first senses' synsets and their hypernyms. The output is data in
the package, so nothing reads WordNet at run time.

``python -m onrecord.train.wordnet [WORDNET_DIR]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "models" / "events" / "wordnet.json"
NOTICE = (
    'Permission to use, copy, modify and distribute this software and database and its '
    'documentation for any purpose and without fee or royalty is hereby granted, provided '
    'that you agree to comply with the following copyright notice and statements, '
    'including the disclaimer, and that the same appear on ALL copies of the software, '
    'database and documentation, including modifications that you make for internal use '
    'or for distribution. WordNet 3.0 Copyright 2006 by Princeton University. All rights '
    'reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY '
    'MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT '
    'NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF '
    'MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE '
    'LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY '
    'PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS. The name of Princeton University or '
    'Princeton may not be used in advertising or publicity pertaining to distribution of '
    'the software and/or database. Title to copyright in this software, database and any '
    'associated documentation shall at all times remain with Princeton University and '
    'LICENSEE agrees to preserve same.'
)
# Senses read per word (WordNet lists them by frequency in its tagged corpus).
SENSES = {"verb": 3, "noun": 2}
# Nouns kept: those with a first sense under one of these (acts, events, messages); the
# rest (things, people, places) are the rules' and the parser's business.
NOUN_ROOTS = {"act", "event", "communication"}
# Too general to say anything: dropped from every class list.
TOO_GENERAL = {"entity", "abstraction", "psychological_feature", "physical_entity", "act",
               "event", "communication", "object", "whole", "measure", "attribute"}

Synsets = dict[str, tuple[str, list[str]]]


def read(root: Path, pos: str) -> tuple[Synsets, dict[str, list[str]]]:
    """Synsets (offset -> head word, hypernym offsets) and the index (lemma -> offsets)."""
    synsets: Synsets = {}
    for line in (root / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split(" | ")[0].split()
        words = int(f[3], 16)
        k = 4 + 2 * words
        pointers = [f[k + 1 + 4 * j: k + 5 + 4 * j] for j in range(int(f[k]))]
        synsets[f[0]] = (f[4].lower(), [p[1] for p in pointers if p[0] in ("@", "@i")])
    index: dict[str, list[str]] = {}
    for line in (root / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split()
        n, n_pointers = int(f[2]), int(f[3])
        index[f[0]] = f[6 + n_pointers: 6 + n_pointers + n]
    return synsets, index


def ancestors(synsets: Synsets, offset: str) -> list[str]:
    """Head words of a synset and of all its hypernyms."""
    out: list[str] = []
    todo, seen = [offset], set()
    while todo:
        off = todo.pop()
        if off in seen:
            continue
        seen.add(off)
        word, parents = synsets[off]
        out.append(word)
        todo.extend(parents)
    return out


def classes(root: Path, pos: str) -> dict[str, str]:
    synsets, index = read(root, pos)
    out = {}
    for lemma, offsets in index.items():
        if not lemma.isalpha():
            continue
        if pos == "noun" and not NOUN_ROOTS & set(ancestors(synsets, offsets[0])):
            continue
        words: list[str] = []
        for off in offsets[: SENSES[pos]]:
            words += [w for w in ancestors(synsets, off) if w not in TOO_GENERAL and w not in words]
        if words:
            out[lemma] = " ".join(words)
    return out


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    data = {"_notice": NOTICE, **{pos: classes(root, pos) for pos in SENSES}}
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"{len(data['verb'])} verbs, {len(data['noun'])} nouns -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
