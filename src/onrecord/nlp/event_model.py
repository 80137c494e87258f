"""A learned event-trigger classifier beside the rules (see docs/events.md).

Each candidate word (a verb, or a noun that is an object, subject or prepositional object)
is described by features of the parse (its lemma, its object's and governor's lemmas, the
rules' word classes of each, negation, modals, the frame it sits in) and typed by a
multinomial logistic regression into the 16 PLOVER types or ``NONE``. The weights are data
in the package (``data/models/events/classifier.json``) and run with dictionaries and
numpy, so the classifier adds no runtime dependency.

``method``: ``hybrid`` (shipped) keeps the rules' triggers and lets the classifier read
only the sentences where the rules found none; ``classifier`` reads every sentence alone.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from spacy.tokens import Doc, Token

from onrecord.nlp import events as ev
from onrecord.nlp.lexicon import REPORTING_VERBS
from onrecord.nlp.wordnet import senses

Method = Literal["rules", "hybrid", "classifier"]
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "events" / "classifier.json"
NONE = "NONE"
# Words that are never an event by themselves: reporting verbs that are no speech act of
# PLOVER's ("said", "stressed", "hoped"), light verbs without an event noun ("made", "held"
# count through their object: "held talks"), the verbs of being and having, and those of
# aspect, attempt and intention ("tried to hack": the act is "hack").
NOT_EVENTS = ((REPORTING_VERBS | ev.LIGHT_VERBS) - set(ev.VERBS)) | ev.ASPECT_VERBS | {
    "be", "have", "do", "get", "seem", "become"}
NOUN_DEPS = {"dobj", "pobj", "attr", "nsubjpass", "nsubj", "conj", "appos"}
OBJECT_DEPS = {"dobj", "nsubjpass", "attr"}
# Word classes beyond the rules' type lexicons, each a feature value for the lemmas in it.
CLASSES: dict[str, frozenset[str]] = {
    "light": frozenset(ev.LIGHT_VERBS),
    "undo": frozenset(ev.UNDO_VERBS),
    "frame": frozenset(ev.FRAME_VERBS | ev.INTENT_VERBS),
    "attack": frozenset(ev.ATTACK_VERBS),
    "weapon": frozenset(ev.WEAPONS),
    "actor": frozenset(ev.ACTOR_NOUNS),
    "relation": frozenset(ev.RELATION_NOUNS),
    "measure": frozenset(ev.UNDO_NOUNS),
    "demanded": frozenset(ev.CONCEDED_NOUNS),
    "meeting": frozenset(ev.MEETING_NOUNS),
    "speech": frozenset(ev.SPEECH_VERBS),
}


def word_classes(lemma: str, pos: str, hidden: frozenset[str] = frozenset()) -> list[str]:
    """The rules' classes of a lemma: its lexicon type as a verb or noun, and the others
    (none for a ``hidden`` lemma: cross-validation hides the words only a held-out fold
    supports)."""
    if lemma in hidden:
        return []
    out = [k for k, words in CLASSES.items() if lemma in words]
    lex = ev.VERBS if pos in ("VERB", "AUX", "ADJ") else ev.NOUNS
    hit = lex.get(lemma)
    if hit is not None:
        out.append(hit[0])
    return out


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def features(tok: Token, hidden: frozenset[str] = frozenset()) -> list[str]:
    """The features of one candidate trigger word."""

    def classes(t: Token) -> list[str]:
        return word_classes(_lemma(t), t.pos_, hidden)

    def describe(prefix: str, t: Token) -> list[str]:
        return [f"{prefix}={_lemma(t)}", *(f"{prefix}c={c}" for c in classes(t))]

    lemma = _lemma(tok)
    own = classes(tok)
    out = [f"w={lemma}", f"pos={tok.pos_}", f"dep={tok.dep_}", *(f"c={c}" for c in own),
           *(f"s={c}" for c in senses(tok))]
    head = tok.head
    if head.i != tok.i:
        out += describe("h", head)
        out.append(f"hd={tok.dep_}|{_lemma(head)}")
        if head.dep_ == "prep":
            out.append(f"prep={head.lower_}")
            if head.head.i != head.i:
                out += describe("hh", head.head)
    for child in tok.children:
        dep = child.dep_
        if dep in ("dobj", "dative", "attr", "oprd"):
            out += describe("o", child)
            out += [f"os={c}" for c in senses(child)]
            out += [f"w+o={lemma}|{_lemma(child)}",
                    *(f"c+oc={c}|{o}" for c in own for o in classes(child))]
        elif dep == "prep":
            out.append(f"p={child.lower_}")
            for g in child.children:
                if g.dep_ == "pobj":
                    out += [f"p+o={child.lower_}|{c}" for c in classes(g)]
                    out.append(f"w+p={lemma}|{child.lower_}")
        elif dep == "prt":
            out.append(f"w+prt={lemma}|{child.lower_}")
        elif dep in ("xcomp", "ccomp"):
            out += describe(dep, child)
        elif dep == "neg":
            out.append("neg")
        elif dep in ("aux", "auxpass") and child.lower_ in ev.MODAL_HYPOTHETICAL | ev.FUTURE_AUX:
            out.append(f"md={child.lower_}")
        elif dep == "amod" or dep == "compound":
            out += describe("m", child)
    return out


def candidates(doc: Doc, sentences: Iterable[tuple[int, int]] | None = None) -> list[Token]:
    """The words the classifier types: verbs, and nouns in argument positions."""
    spans = sentences if sentences is not None else [(s.start, s.end) for s in doc.sents]
    out: list[Token] = []
    for start, end in spans:
        for tok in doc[start:end]:
            if tok.lemma_.lower() in NOT_EVENTS:
                continue
            if tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and tok.dep_ in NOUN_DEPS):
                out.append(tok)
    return out


@dataclass
class EventModel:
    """Weights of a multinomial logistic regression over sparse binary features."""

    classes: list[str]
    index: dict[str, int]
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    method: Method = "hybrid"
    threshold: float = 0.8
    hidden: frozenset[str] = frozenset()  # lemmas whose word classes are not used
    # Lemmas labelled a trigger in training: the only words typed (a word never seen as an
    # event is none; PLOVER sentences all hold one, news sentences mostly do not).
    known: frozenset[str] = frozenset()

    def scores(self, feats: Sequence[str]) -> np.ndarray:
        rows = [self.index[f] for f in feats if f in self.index]
        z = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        z = np.exp(z - z.max())
        return z / z.sum()

    def rule_triggers(self, doc: Doc) -> list[ev.Trigger]:
        return ev.find_triggers(doc)

    def ruled(self) -> frozenset[str]:
        """Words the hybrid leaves to the rules: where the rules know a word and did not
        make it a trigger, they declined it ("fired its coach")."""
        if self.method != "hybrid":
            return frozenset()
        return (ev.VERB_TRIGGER_LEMMAS | ev.NOUN_TRIGGER_LEMMAS) - self.hidden

    def triggers(self, doc: Doc) -> list[ev.Trigger]:
        """The rules' triggers (hybrid) and the classifier's: in the sentences the rules
        miss, and above the rules' highest trigger where they found only subordinate acts."""
        found = self.rule_triggers(doc) if self.method != "classifier" else []
        if self.method == "rules":
            return found
        ruled = self.ruled()
        heads = sorted(t.head.i for t in found)
        learned = []
        for sent in doc.sents:
            span = [(sent.start, sent.end)]
            inside = heads[bisect_left(heads, sent.start):bisect_left(heads, sent.end)]
            if not inside:
                learned += self.sentence_triggers(candidates(doc, span), ruled)
                continue
            # The rules found only subordinate acts ("expelled inspectors after officials
            # alleged ..."): the classifier may type the words above them, without fallback.
            top = min(depth(doc[i]) for i in inside)
            if top > 0:
                above = [t for t in candidates(doc, span) if depth(t) < top]
                learned += self.sentence_triggers(above, ruled, fallback=False)
        return found + ev.settle(learned)

    def sentence_triggers(self, toks: list[Token], ruled: frozenset[str],
                          fallback: bool = True) -> list[ev.Trigger]:
        """The words typed as events (of those ever seen as one in training, and not left
        to the rules); with ``fallback``, if none is, the likeliest one when its chance of
        being no event is under ``self.threshold``."""
        out = []
        best: tuple[float, Token, str] | None = None
        for tok in toks:
            lemma = _lemma(tok)
            if lemma in ruled or (self.known and lemma not in self.known):
                continue
            p = self.scores(features(tok, self.hidden))
            kind = int(np.argmax(p[1:])) + 1  # classes[0] is NONE
            if p[kind] > p[0]:
                out.append(as_trigger(tok, self.classes[kind]))
            elif best is None or p[0] < best[0]:
                best = (float(p[0]), tok, self.classes[kind])
        if fallback and not out and best is not None and best[0] < self.threshold:
            out.append(as_trigger(best[1], best[2]))
        return out

    def to_json(self) -> dict:
        names = sorted(self.index, key=self.index.__getitem__)
        return {
            "classes": self.classes,
            "bias": [round(float(b), 5) for b in self.bias],
            "known": sorted(self.known),
            "weights": {n: [round(float(w), 5) for w in self.weights[i]]
                        for i, n in enumerate(names)},
        }

    @classmethod
    def from_json(cls, data: dict, method: Method = "hybrid") -> EventModel:
        names = list(data["weights"])
        return cls(
            classes=list(data["classes"]),
            index={n: i for i, n in enumerate(names)},
            weights=np.array([data["weights"][n] for n in names], dtype=np.float64).reshape(
                len(names), len(data["classes"])),
            bias=np.array(data["bias"], dtype=np.float64),
            known=frozenset(data.get("known", ())),
            method=method,
        )


def depth(tok: Token) -> int:
    """Steps from ``tok`` up to its sentence's root (spaCy makes a new Token object at each
    access, so the root is found by index, not identity)."""
    n = 0
    while tok.head.i != tok.i and n < 50:
        tok, n = tok.head, n + 1
    return n


def as_trigger(tok: Token, kind: str) -> ev.Trigger:
    """A trigger for a classified word: a noun object counts with its verb, as the rules'
    light-verb nouns do; a noun elsewhere stands alone ("after a meeting of ...")."""
    if tok.pos_ == "NOUN":
        head = tok.head
        if head.i != tok.i and head.pos_ in ("VERB", "AUX") and tok.dep_ in OBJECT_DEPS:
            return ev.Trigger(head, tok, tok, kind, None, noun=True)
        return ev.Trigger(tok, tok, tok, kind, None, noun=True, bare=True)
    return ev.Trigger(tok, tok, tok, kind, None)


@lru_cache(maxsize=1)
def shipped() -> EventModel:
    """The classifier trained on all of the PLOVER dev records and the written templates."""
    return EventModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
