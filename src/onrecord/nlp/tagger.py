"""Learned attribution spans: one linear-chain CRF per role (content, source, cue).

Rules find the attributions news writing makes explicit ("…,” she said; X said that
Y); PolNeAR also annotates stance and feeling ("don't like", "reserved his passion
for"), nominal reports and long multi-sentence contents that rules miss. Each CRF
labels the tokens of one paragraph B/I/O for its role from features of the parse
already made for the record (words, lemmas, tags, dependency labels, the nearest
reporting-verb ancestor, quotation state) and from the rules' own spans, so the
model learns where to trust and where to extend the rules. How the tagged spans become
statements is :mod:`onrecord.nlp.attribution`'s job.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

from onrecord.nlp.lexicon import REPORTING_VERBS, SPEECH_NOUNS
from onrecord.nlp.quotes import Quote
from onrecord.nlp.statements import Found

ROLES = ("content", "source", "cue")
CUE_WORDS = REPORTING_VERBS | SPEECH_NOUNS | frozenset(["according"])
Span2 = tuple[int, int]


def paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the paragraphs: the CRF's sequences."""
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
        kind = "qs" if q.speech else "ql"
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


def rule_spans(found: Sequence[Found]) -> dict[str, list[tuple[Span2, str]]]:
    """The rules' statements as ``((start, end), kind)`` spans per role: tagger features."""
    return {
        "content": [(f.content, f.type) for f in found],
        "source": [(f.source, "r") for f in found if f.source],
        "cue": [(f.cue, "r") for f in found if f.cue],
    }


def token_features(doc: Doc, rules_found: dict[str, list[tuple[Span2, str]]],
                   quotes: Sequence[Quote]) -> list[list[str]]:
    """The feature strings of every token of ``doc``, given the rules' spans per role
    (:func:`rule_spans`) and the document's quotations."""
    n = len(doc)
    # One array read instead of a Python Token object per attribute per token.
    cols = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE, SENT_START])
    strings = doc.vocab.strings
    text_of: dict[int, str] = {}

    def words(col: int) -> list[str]:
        out = []
        for v in cols[:, col].tolist():
            if v not in text_of:
                text_of[v] = strings[v] if v else ""
            out.append(text_of[v])
        return out

    lower = words(1)
    lemma = [w.lower() for w in words(2)]
    pos = [POS_NAMES.get(v, "") for v in cols[:, 3].tolist()]
    tag, dep, ent = words(4), words(5), words(7)
    head = [i + off for i, off in enumerate(cols[:, 6].astype("int64").tolist())]
    shape = [_shape(w) for w in words(0)]
    quote = _quote_state(doc, quotes)
    rules = {role: _bio(doc, rules_found.get(role, [])) for role in ROLES}
    is_cue = [w in CUE_WORDS for w in lemma]
    sent_start = [v == 1 for v in cols[:, 8].astype("int64").tolist()]
    sent_start[:1] = [True] * min(n, 1)

    # Nearest ancestor that is a reporting word, and the dependency label of the child
    # on the path under it: "in the ccomp of 'say'", "in the nsubj of 'say'".
    cue_anc: list[int] = [-1] * n
    cue_dep: list[str] = [""] * n
    verb_anc: list[int] = [-1] * n
    verb_dep: list[str] = [""] * n
    depth: list[int] = [0] * n
    for i in range(n):
        j, d, child = i, 0, i
        while head[j] != j and d < 12:
            child, j, d = j, head[j], d + 1
            if cue_anc[i] < 0 and is_cue[j]:
                cue_anc[i], cue_dep[i] = j, dep[child]
            if verb_anc[i] < 0 and pos[j] in ("VERB", "AUX"):
                verb_anc[i], verb_dep[i] = j, dep[child]
            if cue_anc[i] >= 0 and verb_anc[i] >= 0:
                break
        depth[i] = d

    base: list[list[str]] = []
    for i in range(n):
        h = head[i]
        f = [
            "w=" + lower[i], "l=" + lemma[i], "p=" + pos[i], "t=" + tag[i], "d=" + dep[i],
            "s=" + shape[i], "e=" + ent[i], "q=" + quote[i],
            "hl=" + lemma[h], "hp=" + pos[h], "dh=" + dep[i] + "|" + lemma[h],
            "rc=" + rules["content"][i], "rs=" + rules["source"][i], "ru=" + rules["cue"][i],
        ]
        if is_cue[i]:
            f.append("cue")
        if is_cue[h]:
            f.append("hcue|" + dep[i])
        if cue_anc[i] >= 0:
            a = cue_anc[i]
            f += ["ac=" + cue_dep[i], "acl=" + lemma[a], "acs=" + ("<" if a < i else ">"),
                  "acr=" + cue_dep[i] + "|" + rules["cue"][a]]
        if verb_anc[i] >= 0:
            f += ["av=" + verb_dep[i], "avl=" + verb_dep[i] + "|" + lemma[verb_anc[i]]]
        if sent_start[i]:
            f.append("ss")
        if i + 1 == n or sent_start[i + 1]:
            f.append("se")
        f.append("dp=" + str(min(depth[i], 6)))
        base.append(f)

    feats: list[list[str]] = []
    for i in range(n):
        f = list(base[i])
        for off in (-2, -1, 1, 2):
            k = i + off
            if 0 <= k < n:
                f += [f"{off}w={lower[k]}", f"{off}p={pos[k]}", f"{off}q={quote[k]}",
                      f"{off}rc={rules['content'][k]}", f"{off}rs={rules['source'][k]}",
                      f"{off}ru={rules['cue'][k]}"]
            else:
                f.append(f"{off}edge")
        if i > 0:
            f.append("bw=" + lower[i - 1] + "|" + lower[i])
        if i + 1 < n:
            f.append("fw=" + lower[i] + "|" + lower[i + 1])
        feats.append(f)
    return feats


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


@dataclass
class Tagger:
    """The three role taggers, loaded once per process."""

    taggers: dict[str, object]

    def spans(self, doc: Doc, feats: list[list[str]]) -> dict[str, list[Span2]]:
        """Each role's predicted character spans in ``doc``."""
        out: dict[str, list[Span2]] = {role: [] for role in ROLES}
        for start, end in paragraphs(doc):
            xseq = feats[start:end]
            for role, tagger in self.taggers.items():
                tags = tagger.tag(xseq)  # type: ignore[attr-defined]
                out[role] += spans_from_tags(doc, start, tags)
        return out


MODEL_ENV = "ONRECORD_ATTRIBUTION_MODEL"
MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "models" / "attribution"


class TaggerNotFound(RuntimeError):
    """The attribution model files are missing or unreadable."""


def model_dir() -> Path:
    """The models in use: ``$ONRECORD_ATTRIBUTION_MODEL`` if set, else the shipped ones."""
    return Path(os.environ.get(MODEL_ENV) or MODEL_DIR)


def load(directory: str | Path | None = None) -> Tagger:
    """The CRF models of ``directory`` (default :func:`model_dir`), opened once per process."""
    return _open(str(Path(directory) if directory else model_dir()))


@lru_cache(maxsize=4)
def _open(root: str) -> Tagger:
    import pycrfsuite

    taggers: dict[str, object] = {}
    for role in ROLES:
        path = Path(root) / f"{role}.crfsuite"
        t = pycrfsuite.Tagger()
        try:
            t.open(str(path))
        except (OSError, ValueError) as exc:
            raise TaggerNotFound(
                f"cannot open the attribution model {path} ({exc}); rebuild it with "
                "`make train`, or pass --attribution rules"
            ) from exc
        taggers[role] = t
    return Tagger(taggers)
