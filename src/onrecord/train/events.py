"""Training the event-trigger classifier (:mod:`onrecord.nlp.event_model`).

Examples are the candidate words of parsed sentences, each labelled with its PLOVER type
or ``NONE``: from PLOVER gold records (the words the markup tags ``EVT``, labelled with the
record's type) and from the sentences written from the codebook's definitions
(``event_templates.json``), minus any too close to a gold sentence. The fit is a
multinomial logistic regression with L2, by full-batch Adam in numpy (deterministic).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.nlp.event_model import NONE, EventModel, candidates, features

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
              "FIGHT": "ASSAULT"}
EVT = re.compile(r"\(EVT:\s*([^)]*)\)")
WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Sentence:
    """A sentence and its labelled trigger words as character spans."""

    text: str
    triggers: list[tuple[int, int, str]]


def gold_sentences(records: Iterable[dict]) -> list[Sentence]:
    """PLOVER records as sentences: the ``EVT`` words of the markup, found in order in the
    text, labelled with the record's type."""
    out = []
    for rec in records:
        text, kind = rec["text"], OLD_LABELS.get(rec["event"], rec["event"])
        info = rec.get("textInfo") or ""
        markup = info.get("markup", "") if isinstance(info, dict) else str(info)
        spans: list[tuple[int, int, str]] = []
        pos = 0
        for phrase in EVT.findall(markup):
            for word in WORD.findall(phrase):
                m = re.search(rf"\b{re.escape(word)}", text[pos:])
                if m is None:
                    continue
                start = pos + m.start()
                spans.append((start, start + len(word), kind))
                pos = start + len(word)
        out.append(Sentence(text, spans))
    return out


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def template_sentences(gold_texts: Sequence[str] = (), limit: float = 0.3) -> list[Sentence]:
    """The written sentences, each pattern filled with three actor pairs; a sentence
    sharing more than ``limit`` of its word trigrams with a gold sentence is dropped."""
    path = resources.files("onrecord") / "train" / "event_templates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    actors: list[str] = data["actors"]
    gold = [_shingles(t) for t in gold_texts]
    out = []
    n = 0
    for kind, patterns in data["types"].items():
        for pattern in patterns:
            for _ in range(3):
                a, b = actors[n % len(actors)], actors[(n * 7 + 3) % len(actors)]
                n += 1
                if a == b:
                    b = actors[(n + 1) % len(actors)]
                sent = _fill(pattern, a, b, kind)
                sh = _shingles(sent.text)
                if any(len(sh & g) > limit * len(sh) for g in gold):
                    continue
                out.append(sent)
    return out


def _fill(pattern: str, a: str, b: str, kind: str) -> Sentence:
    text = pattern.replace("{A}", a, 1).replace("{B}", b) + "."
    text = text[0].upper() + text[1:]
    spans = []
    while (m := re.search(r"\[([^\]]+)\]", text)) is not None:
        word = m.group(1)
        text = text[: m.start()] + word + text[m.end() :]
        if kind != NONE:
            spans.append((m.start(), m.start() + len(word), kind))
    return Sentence(text, spans)


def parse(sentences: Sequence[Sentence], nlp: Language) -> list[Doc]:
    return list(nlp.pipe([s.text for s in sentences], batch_size=64))


def examples(sentences: Sequence[Sentence], docs: Sequence[Doc],
             hidden: frozenset[str] = frozenset()) -> list[list[tuple[list[str], str]]]:
    """For each parsed sentence, (features, label) of every candidate word."""
    return [
        [(features(tok, hidden), next((k for s, e, k in sent.triggers if s <= tok.idx < e), NONE))
         for tok in candidates(doc)]
        for sent, doc in zip(sentences, docs, strict=True)
    ]


class _Sparse:
    """A binary example x feature matrix kept twice, sorted by row and by column, so that
    its products with dense matrices are segment sums (``np.add.reduceat``), much faster
    than scattered adds."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]):
        self.shape = shape
        self.rows, self.cols = rows, cols
        self.row_ids, self.row_starts = _segments(rows)
        by_col = np.argsort(cols, kind="stable")
        self.rows_by_col = rows[by_col]
        self.col_ids, self.col_starts = _segments(cols[by_col])

    def times(self, w: np.ndarray) -> np.ndarray:
        """X @ w."""
        out = np.zeros((self.shape[0], w.shape[1]))
        out[self.row_ids] = np.add.reduceat(w[self.cols], self.row_starts)
        return out

    def t_times(self, d: np.ndarray) -> np.ndarray:
        """X.T @ d."""
        out = np.zeros((self.shape[1], d.shape[1]))
        out[self.col_ids] = np.add.reduceat(d[self.rows_by_col], self.col_starts)
        return out


def _segments(sorted_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and where each run of them starts."""
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    return sorted_ids[starts], starts


def _design(data: Sequence[tuple[list[str], str]], min_count: int
            ) -> tuple[dict[str, int], _Sparse]:
    """The feature index (features seen in at least ``min_count`` examples) and the
    examples' feature matrix."""
    counts: dict[str, int] = {}
    for feats, _label in data:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, (feats, _label) in enumerate(data):
        for c in sorted({index[f] for f in feats if f in index}):
            rows.append(r)
            cols.append(c)
    matrix = _Sparse(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
                     (len(data), len(names)))
    return index, matrix


def fit(data: Sequence[tuple[list[str], str]], l2: float = 1e-4, steps: int = 300,
        min_count: int = 1) -> EventModel:
    """A softmax regression over the examples' binary features, by full-batch Adam."""
    index, x = _design(data, min_count)
    classes = [NONE, *TYPES]
    y = np.array([classes.index(label) for _f, label in data])
    n, k = len(data), len(classes)
    w = np.zeros((len(index), k))
    b = np.zeros(k)
    onehot = np.eye(k)[y]
    params = [w, b]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    for step in range(1, steps + 1):
        z = x.times(w) + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        d = (p - onehot) / n
        grads = [x.t_times(d) + l2 * w, d.sum(axis=0)]
        for param, grad, (m, v) in zip(params, grads, moments, strict=True):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= 0.1 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    known = frozenset(f[2:] for feats, label in data if label != NONE
                      for f in feats if f.startswith("w="))
    return EventModel(classes, index, w, b, known=known)


def train(records: Sequence[dict], nlp: Language, gold_texts: Sequence[str]) -> EventModel:
    """The classifier from these gold records and the written sentences (minus those close
    to any of ``gold_texts``: the whole gold file, not only the records trained on)."""
    sentences = gold_sentences(records) + template_sentences(gold_texts)
    return fit([x for sent in examples(sentences, parse(sentences, nlp)) for x in sent])


def write(model: EventModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), separators=(",", ":")), encoding="utf-8")


def main() -> int:
    """``python -m onrecord.train.events [GOLD]``: retrain the shipped classifier."""
    import sys

    from onrecord.nlp import model
    from onrecord.nlp.event_model import MODEL_PATH

    gold = Path(sys.argv[1] if len(sys.argv) > 1 else
                Path(__file__).resolve().parents[3].parent / "shared/data/plover/gsr-dev.json")
    records = json.loads(gold.read_text(encoding="utf-8"))
    learned = train(records, model.load(), [r["text"] for r in records])
    write(learned, MODEL_PATH)
    print(f"{len(learned.index)} features, {len(learned.known)} trigger words -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
