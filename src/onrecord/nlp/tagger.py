"""Learned attribution spans: MiniLM word pieces and the parse, a BiLSTM, one CRF per role.

Rules find the attributions news writing makes explicit ("…,” she said; X said that
Y); PolNeAR also annotates stance and feeling ("don't like", "reserved his passion
for"), nominal reports and long multi-sentence contents that rules miss. This tagger
labels the tokens of a paragraph B/I/O for each role (content, source, cue) from

* the first word piece of each token in a fine-tuned MiniLM (the first layers of
  all-MiniLM-L6-v2), which knows what words mean: "slammed" reports, "slipped" does not;
* embeddings of the parse already made for the record: word, affixes, tag, dependency
  label, head, entity type, quotation state, the nearest reporting word above the
  token and the branch under it, and the rules' own spans (:func:`token_columns`).

A two-layer BiLSTM reads the paragraph, each token also sees its syntactic head's state,
and a CRF per role picks the labels. The network runs in ONNX Runtime (int8 weights);
the CRF decoding is numpy. How the tagged spans become statements is
:mod:`onrecord.nlp.attribution`'s job; ``onrecord train`` builds the model
(:mod:`onrecord.train.tagger`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

from onrecord.nlp import lexicon
from onrecord.nlp.quotes import Quote
from onrecord.nlp.statements import Found

ROLES = ("content", "source", "cue")
TAGS = ("O", "B", "I")
Span2 = tuple[int, int]

# The categorical features of a token, in the order the network reads them.
COLUMNS = ("word", "lemma", "prefix", "suffix", "shape", "pos", "tag", "dep", "entity",
           "head_dep", "head_pos", "head_dir", "head_lemma", "quote", "rule_content",
           "rule_source", "rule_cue", "lexicon", "head_cue", "cue_branch", "cue_branch_rule",
           "verb_branch", "depth", "sentence")
CUE_WORDS = lexicon.REPORTING_VERBS | lexicon.SPEECH_NOUNS | frozenset(["according"])
# Word classes of the rules' lexicon, one feature value per class a lemma belongs to.
LEXICON_CLASSES = (("speech", lexicon.SPEECH_VERBS), ("cognition", lexicon.COGNITION_VERBS),
                   ("stance", lexicon.STANCE_VERBS), ("intention", lexicon.INTENTION_VERBS),
                   ("object", lexicon.OBJECT_CONTENT_VERBS), ("noun", lexicon.SPEECH_NOUNS),
                   ("phrasal", frozenset(lexicon.PHRASAL_CUES)))
MAX_PIECES_PER_WORD = 8
WINDOW = 256  # word pieces per transformer window, [CLS] and [SEP] included


def paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the paragraphs, never empty: the tagger's sequences."""
    out: list[tuple[int, int]] = []
    start = None
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            if start is not None:
                out.append((start, tok.i))
                start = None
            continue
        if start is None:
            start = tok.i
        if "\n" in tok.whitespace_:
            out.append((start, tok.i + 1))
            start = None
    if start is not None:
        out.append((start, len(doc)))
    return out


def _bio(doc: Doc, spans: Iterable[tuple[Span2, str]]) -> list[str]:
    """Per-token ``B-kind``/``I-kind``/``O`` of character spans (first span wins)."""
    tags = ["O"] * len(doc)
    for (start, end), kind in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for k, tok in enumerate(span):
            if tags[tok.i] == "O":
                tags[tok.i] = ("B-" if k == 0 else "I-") + kind
    return tags


def _quote_state(doc: Doc, quotes: Sequence[Quote]) -> list[str]:
    state = ["out"] * len(doc)
    for q in quotes:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            continue
        kind = "speech" if q.speech else "label"
        for tok in span:
            state[tok.i] = kind
        state[span.start] = kind + "-open"
        state[span.end - 1] = kind + "-close"
    return state


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word[:1].isupper():
        return "X" if word.isupper() and len(word) > 1 else "Xx"
    if word.isalpha():
        return "x"
    return "p"


def _direction(offset: int) -> str:
    if offset == 0:
        return "root"
    size = abs(offset)
    bucket = str(size) if size <= 3 else ("4-6" if size <= 6 else "7+")
    return ("L" if offset < 0 else "R") + bucket


def rule_spans(found: Sequence[Found]) -> dict[str, list[tuple[Span2, str]]]:
    """The rules' statements as ``((start, end), kind)`` spans per role: tagger features."""
    return {
        "content": [(f.content, f.type) for f in found],
        "source": [(f.source, "r") for f in found if f.source],
        "cue": [(f.cue, "r") for f in found if f.cue],
    }


def token_columns(doc: Doc, found: Sequence[Found], quotes: Sequence[Quote]
                  ) -> dict[str, list[str]]:
    """The categorical features (:data:`COLUMNS`) of every token of ``doc``, given the
    rules' statements and the document's quotations."""
    n = len(doc)
    # One array read instead of a Python Token object per attribute per token.
    cols = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE, SENT_START, ENT_IOB])
    strings = doc.vocab.strings
    text_of: dict[int, str] = {}

    def words(col: int) -> list[str]:
        out = []
        for v in cols[:, col].tolist():
            if v not in text_of:
                text_of[v] = strings[v] if v else ""
            out.append(text_of[v])
        return out

    orth, lower = words(0), words(1)
    lemma = [w.lower() for w in words(2)]
    pos = [POS_NAMES.get(v, "") for v in cols[:, 3].tolist()]
    tag, dep, ent = words(4), words(5), words(7)
    iob = ["", "I", "O", "B"]
    ent = [iob[v] + e for v, e in zip(cols[:, 9].tolist(), ent, strict=True)]
    head = [i + off for i, off in enumerate(cols[:, 6].astype("int64").tolist())]
    starts = [v == 1 for v in cols[:, 8].astype("int64").tolist()]
    starts[:1] = [True] * min(n, 1)
    quote = _quote_state(doc, quotes)
    rules = {role: _bio(doc, spans) for role, spans in rule_spans(found).items()}
    is_cue = [w in CUE_WORDS for w in lemma]

    # Nearest ancestor that is a reporting word, and the dependency label of the child
    # on the path under it: "in the ccomp of 'say'", "in the nsubj of 'say'".
    cue_anc, cue_dep = [-1] * n, [""] * n
    verb_anc, verb_dep = [-1] * n, [""] * n
    depth = [0] * n
    for i in range(n):
        j, d, child = i, 0, i
        while head[j] != j and d < 30:
            child, j, d = j, head[j], d + 1
            if cue_anc[i] < 0 and is_cue[j]:
                cue_anc[i], cue_dep[i] = j, dep[child]
            if verb_anc[i] < 0 and pos[j] in ("VERB", "AUX"):
                verb_anc[i], verb_dep[i] = j, dep[child]
        depth[i] = d

    out: dict[str, list[str]] = {c: [] for c in COLUMNS}
    for i in range(n):
        h, a, w = head[i], cue_anc[i], lower[i]
        row = {
            "word": w, "lemma": lemma[i], "prefix": w[:3], "suffix": w[-3:],
            "shape": _shape(orth[i]), "pos": pos[i], "tag": tag[i], "dep": dep[i],
            "entity": ent[i], "head_dep": dep[h] if h != i else "-", "head_pos": pos[h],
            "head_dir": _direction(h - i), "head_lemma": lemma[h], "quote": quote[i],
            "rule_content": rules["content"][i], "rule_source": rules["source"][i],
            "rule_cue": rules["cue"][i],
            "lexicon": "|".join(k for k, ws in LEXICON_CLASSES if lemma[i] in ws) or "-",
            "head_cue": dep[i] if h != i and is_cue[h] else "-",
            "cue_branch": cue_dep[i] + ("<" if a < i else ">") if a >= 0 else "-",
            "cue_branch_rule": rules["cue"][a] if a >= 0 else "-",
            "verb_branch": verb_dep[i] if verb_anc[i] >= 0 else "-",
            "depth": str(min(depth[i], 8)),
            "sentence": ("S" if starts[i] else "") + ("E" if i + 1 == n or starts[i + 1] else "")
            or "-",
        }
        for c in COLUMNS:
            out[c].append(row[c])
    return out


class WordPieces:
    """MiniLM's WordPiece vocabulary: each word's pieces, and transformer windows of them."""

    def __init__(self, tokenizer_json: Path) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(tokenizer_json))
        self._tok.no_padding()  # the sentence model's file pads every text to 128 pieces
        self._tok.no_truncation()
        self.cls, self.sep, self.unk = (self._special(t) for t in ("[CLS]", "[SEP]", "[UNK]"))
        self._cache: dict[str, list[int]] = {}

    def _special(self, token: str) -> int:
        found = self._tok.token_to_id(token)
        if found is None:
            raise ValueError(f"the tokenizer has no {token}")
        return int(found)

    def of(self, word: str) -> list[int]:
        """The word's piece ids (at most :data:`MAX_PIECES_PER_WORD`)."""
        ids = self._cache.get(word)
        if ids is None:
            ids = self._tok.encode(word, add_special_tokens=False).ids[:MAX_PIECES_PER_WORD]
            ids = ids or [self.unk]
            if len(self._cache) < 200_000:
                self._cache[word] = ids
        return ids

    def windows(self, words: Sequence[str]) -> list[tuple[list[int], list[int]]]:
        """``(word indices, piece ids with [CLS]/[SEP])`` windows covering every word that
        is not white space; a word's first piece is where the tagger reads it."""
        out: list[tuple[list[int], list[int]]] = []
        idx: list[int] = []
        ids: list[int] = [self.cls]
        for i, w in enumerate(words):
            if not w.strip():
                continue
            pieces = self.of(w)
            if idx and len(ids) + len(pieces) + 1 > WINDOW:
                out.append((idx, [*ids, self.sep]))
                idx, ids = [], [self.cls]
            idx.append(i)
            ids += pieces
        if idx:
            out.append((idx, [*ids, self.sep]))
        return out


@dataclass
class Batch:
    """The network's inputs for a few paragraphs, padded (0 = padding everywhere)."""

    features: np.ndarray  # [B, L, len(COLUMNS)] feature value ids
    heads: np.ndarray  # [B, L] index of each token's head within its paragraph
    pieces: np.ndarray  # [W, P] word piece ids, one row per transformer window
    piece_mask: np.ndarray  # [W, P] 1 where a piece is
    word_piece: np.ndarray  # [B, L] 1 + row * P + column of the token's first piece, 0: none

    def inputs(self) -> dict[str, np.ndarray]:
        return {"features": self.features, "heads": self.heads, "pieces": self.pieces,
                "piece_mask": self.piece_mask, "word_piece": self.word_piece}


@dataclass
class Encoder:
    """Turns paragraphs' feature columns into network inputs with the model's vocabularies."""

    vocab: dict[str, dict[str, int]]
    pieces: WordPieces

    def ids(self, columns: dict[str, list[str]], start: int, end: int) -> np.ndarray:
        """``[end - start, len(COLUMNS)]`` value ids (1 = unseen in training)."""
        return np.array([[self.vocab[c].get(v, 1) for v in columns[c][start:end]]
                         for c in COLUMNS], dtype=np.int64).T.reshape(end - start, len(COLUMNS))

    def batch(self, items: Sequence[tuple[np.ndarray, Sequence[int], Sequence[str]]]) -> Batch:
        """A batch of ``(feature ids, head index per token, words)`` paragraphs."""
        lengths = [len(heads) for _, heads, _ in items]
        size, longest = len(items), max(lengths)
        features = np.zeros((size, longest, len(COLUMNS)), np.int64)
        heads = np.zeros((size, longest), np.int64)
        word_piece = np.zeros((size, longest), np.int64)
        windows = [self.pieces.windows(words) for _, _, words in items]
        rows = [w for ws in windows for w in ws] or [([], [0])]
        width = max(len(ids) for _, ids in rows)
        pieces = np.zeros((len(rows), width), np.int64)
        row = 0
        for b, ((ids, hd, _), ws) in enumerate(zip(items, windows, strict=True)):
            features[b, :len(hd)] = ids
            heads[b, :len(hd)] = hd
            for idx, piece_ids in ws:
                pieces[row, :len(piece_ids)] = piece_ids
                col = 1
                for i in idx:
                    word_piece[b, i] = 1 + row * width + col
                    col += len(self.pieces.of(items[b][2][i]))
                row += 1
        return Batch(features, heads, pieces, (pieces > 0).astype(np.int64), word_piece)


def viterbi(emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray,
            end: np.ndarray) -> np.ndarray:
    """The best label sequence of each role under its CRF: ``emissions`` [L, role, tag],
    weights [role, tag, tag], [role, tag], [role, tag]; labels [L, role]."""
    length, roles = emissions.shape[:2]
    score = start + emissions[0]
    back = np.zeros((length, roles, len(TAGS)), np.int64)
    for t in range(1, length):
        step = score[:, :, None] + transitions + emissions[t][:, None, :]
        back[t] = step.argmax(1)
        score = step.max(1)
    best = np.zeros((length, roles), np.int64)
    best[-1] = (score + end).argmax(1)
    every = np.arange(roles)
    for t in range(length - 1, 0, -1):
        best[t - 1] = back[t][every, best[t]]
    return best


def crf_weights(crf: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
                ) -> list[np.ndarray]:
    """Per-role CRF weights stacked in :data:`ROLES` order, as :func:`viterbi` takes them."""
    return [np.stack([crf[role][k] for role in ROLES]) for k in range(3)]


def bio_runs(tags: Sequence[str]) -> list[tuple[int, int]]:
    """``[start, end)`` index ranges of the B/I runs in ``tags`` (an I after O starts one)."""
    out: list[tuple[int, int]] = []
    begin = -1
    for k, t in enumerate([*tags, "O"]):
        if begin >= 0 and t != "I":
            out.append((begin, k))
            begin = -1
        if t == "B" or (t == "I" and begin < 0):
            begin = k
    return out


def spans_from_tags(doc: Doc, start: int, tags: Sequence[str]) -> list[Span2]:
    """Character spans of the B/I runs in ``tags`` (tags of tokens from ``start`` on)."""
    out: list[Span2] = []
    for first, end in bio_runs(tags):
        last = doc[start + end - 1]
        out.append((doc[start + first].idx, last.idx + len(last.text)))
    return out


def paragraph_heads(doc: Doc, start: int, end: int) -> list[int]:
    """Each token's head as an index within the paragraph (itself when outside it)."""
    return [t.head.i - start if start <= t.head.i < end else t.i - start
            for t in doc[start:end]]


@dataclass
class Tagger:
    """The network, its vocabularies and CRF weights, loaded once per process."""

    session: Any  # onnxruntime.InferenceSession
    encoder: Encoder
    crf: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # transitions, start, end

    def emissions(self, batch: Batch) -> np.ndarray:
        """``[B, L, role, tag]`` scores of a batch."""
        return np.asarray(self.session.run(["emissions"], batch.inputs())[0])

    def spans(self, doc: Doc, found: Sequence[Found], quotes: Sequence[Quote]
              ) -> dict[str, list[Span2]]:
        """Each role's predicted character spans in ``doc``."""
        columns = token_columns(doc, found, quotes)
        weights = crf_weights(self.crf)
        out: dict[str, list[Span2]] = {role: [] for role in ROLES}
        # One paragraph per run: padding a batch to its longest paragraph cost more than
        # the batching saved (1.5x slower at 16 per batch on PolNeAR dev).
        for s, e in paragraphs(doc):
            batch = self.encoder.batch([(self.encoder.ids(columns, s, e),
                                         paragraph_heads(doc, s, e), columns["word"][s:e])])
            labels = viterbi(self.emissions(batch)[0], *weights)
            for r, role in enumerate(ROLES):
                out[role] += spans_from_tags(doc, s, [TAGS[k] for k in labels[:, r]])
        return out


MODEL_ENV = "ONRECORD_ATTRIBUTION_MODEL"
THREADS_ENV = "ONRECORD_THREADS"
MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "models" / "attribution"
MODEL_FILES = ("tagger.onnx", "tagger.json", "tokenizer.json")


class TaggerNotFound(RuntimeError):
    """The attribution model files are missing or unreadable."""


def model_dir() -> Path:
    """The model in use: ``$ONRECORD_ATTRIBUTION_MODEL`` if set, else the shipped one."""
    return Path(os.environ.get(MODEL_ENV) or MODEL_DIR)


def load(directory: str | Path | None = None) -> Tagger:
    """The model of ``directory`` (default :func:`model_dir`), opened once per process."""
    return _open(str(Path(directory) if directory else model_dir()))


def read_meta(root: Path) -> dict[str, Any]:
    """``tagger.json``: vocabularies, CRF weights and how the model was made."""
    with open(root / "tagger.json", encoding="utf-8") as fh:
        meta: dict[str, Any] = json.load(fh)
    return meta


@lru_cache(maxsize=4)
def _open(root: str) -> Tagger:
    import onnxruntime

    path = Path(root)
    try:
        meta = read_meta(path)
        options = onnxruntime.SessionOptions()
        # One thread: onrecord runs one extraction process per core (ingest --jobs,
        # batch); $ONRECORD_THREADS gives a lone process more.
        options.intra_op_num_threads = int(os.environ.get(THREADS_ENV) or 1)
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(path / "tagger.onnx"), options,
                                               providers=["CPUExecutionProvider"])
        pieces = WordPieces(path / "tokenizer.json")
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise TaggerNotFound(
            f"cannot open the attribution model in {path} ({exc}); rebuild it with "
            "`make train`, or pass --attribution rules"
        ) from exc
    crf = {role: tuple(np.asarray(meta["crf"][role][k], np.float32)
                       for k in ("transitions", "start", "end")) for role in ROLES}
    return Tagger(session, Encoder(meta["vocab"], pieces), crf)  # type: ignore[arg-type]
