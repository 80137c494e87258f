"""``onrecord eval speakers`` and ``onrecord eval quotes``: is the speaker right?

Two reference sets say *who* a statement's speaker is (``../shared/data/README.md``):

* ``polnear/speakers-dev/``: for gold PolNeAR attributions, the speaker's kind
  (``person``, ``body``, ``document``, ``unnamed``, ``none``), fullest name and aliases.
  A gold attribution is *found* when a statement's content has character IoU >= 0.5
  with it (the best such statement is judged).
* ``article-extraction-benchmark/quotes-dev/``: every direct quote of 18 news pages with
  its speaker, scored end to end from the HTML: the quote is located in the record's
  ``text`` (exactly, else with quote marks, apostrophes and whitespace runs folded; not
  located = lost by extraction), *found* when one statement's content covers at least
  half of its characters (the best-covering statement is judged); a predicted direct or
  mixed statement overlapping no gold quote is spurious.

A speaker is *right* for a person or body when a resolved speaker entity's name equals
the gold name or an alias after normalisation (:func:`name_tokens`); for a person also
when first and last tokens agree; for a body also when one name's words contain the
other's. For ``document``/``unnamed`` it is right when no PERSON speaker is given
(unless its name matches), for ``none`` when no speaker is given.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.eval.spans import iou, trim
from onrecord.nlp.lexicon import HONORIFICS, ROLE_WORDS
from onrecord.record import Document, Entity, Statement

KINDS = ("person", "body", "document", "unnamed", "none")
NAMED = ("person", "body")
IOU_THRESHOLD = 0.5
COVER_THRESHOLD = 0.5

# Title abbreviations dropped with the honorifics when names are compared.
_TITLE_WORDS = (
    {h.rstrip(".") for h in HONORIFICS}
    | set(ROLE_WORDS)
    | {"sen", "gov", "gen", "lt", "col", "sgt", "pres", "rep", "jr", "sr", "retired"}
)
_NAME_STOP = {"the", "of", "and", "for", "a", "an", "in", "on", "at", "to"}
_QUOTE_CHARS = "\"'“”„‟«»‘’‚‛`´"
_FOLD = str.maketrans({c: "'" for c in _QUOTE_CHARS})


def name_tokens(name: str) -> list[str]:
    """Lower-cased words of a name without punctuation, possessive 's, titles, initials."""
    low = re.sub(r"['’]s\b", "", name.lower())
    words = re.findall(r"[^\W_]+", low)
    return [w for w in words if w not in _TITLE_WORDS and len(w) > 1]


def names_match(kind: str, predicted: str, gold: str) -> bool:
    """Whether a predicted entity name names the gold speaker, as the data README defines."""
    p, g = name_tokens(predicted), name_tokens(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    if kind == "person":
        return p[0] == g[0] and p[-1] == g[-1]
    if kind == "body":
        pc = {w for w in p if w not in _NAME_STOP}
        gc = {w for w in g if w not in _NAME_STOP}
        return bool(pc and gc) and (pc <= gc or gc <= pc)
    return False


@dataclass(frozen=True)
class GoldSpeaker:
    """Who said one gold statement: its kind, fullest name and other written forms."""

    kind: str
    speaker: str | None
    aliases: tuple[str, ...] = ()

    def named_by(self, entity: Entity) -> bool:
        names = [n for n in (self.speaker, *self.aliases) if n]
        kind = self.kind if self.kind in NAMED else ("person" if entity.type == "PERSON"
                                                      else "body")
        return any(names_match(kind, entity.name, n) for n in names)


def speaker_right(gold: GoldSpeaker, statement: Statement, entities: dict[str, Entity]) -> bool:
    """Whether ``statement``'s resolved speakers agree with ``gold``."""
    given = [entities[e] for e in statement.speakers if e in entities]
    if gold.kind in NAMED:
        return any(gold.named_by(e) for e in given)
    if gold.kind == "none":
        return not given
    return all(e.type != "PERSON" or gold.named_by(e) for e in given)


@dataclass
class KindCounts:
    gold: int = 0
    found: int = 0
    right: int = 0

    def add(self, other: KindCounts) -> None:
        self.gold += other.gold
        self.found += other.found
        self.right += other.right

    @property
    def on_found(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0


@dataclass
class Outcome:
    """One gold statement's fate, for ``-v``."""

    doc: str
    gold_text: str
    gold: GoldSpeaker
    status: str  # "right", "wrong", "missed", "lost" (quote not in the extracted text)
    predicted: list[str] = field(default_factory=list)
    source: str | None = None
    basis: str | None = None  # how the speaker was resolved (Statement.speaker_basis)


@dataclass
class SpeakerScores:
    kinds: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    outcomes: list[Outcome] = field(default_factory=list)
    lost: int = 0  # quotes: not located in the extracted text
    direct: int = 0  # quotes: predicted direct/mixed statements
    spurious: int = 0  # quotes: ... overlapping no gold quote
    documents: int = 0

    def total(self, kinds: Iterable[str]) -> KindCounts:
        out = KindCounts()
        for k in kinds:
            out.add(self.kinds[k])
        return out

    @property
    def direct_precision(self) -> float:
        return (self.direct - self.spurious) / self.direct if self.direct else 0.0

    def record(self, doc: str, gold_text: str, gold: GoldSpeaker, st: Statement | None,
               entities: dict[str, Entity], lost: bool = False) -> None:
        counts = self.kinds[gold.kind]
        counts.gold += 1
        if st is None:
            self.lost += lost
            self.outcomes.append(Outcome(doc, gold_text, gold, "lost" if lost else "missed"))
            return
        counts.found += 1
        right = speaker_right(gold, st, entities)
        counts.right += right
        self.outcomes.append(Outcome(
            doc, gold_text, gold, "right" if right else "wrong",
            [entities[e].name for e in st.speakers if e in entities],
            st.source.text if st.source else None,
            st.speaker_basis,
        ))


def _gold_speaker(item: dict) -> GoldSpeaker:
    return GoldSpeaker(item["kind"], item.get("speaker"), tuple(item.get("aliases") or ()))


def best_by_iou(text: str, span: tuple[int, int], doc: Document) -> Statement | None:
    """The statement whose trimmed content overlaps ``span`` best, at IoU >= 0.5."""
    best, best_score = None, IOU_THRESHOLD
    for st in doc.statements:
        unit = trim(text, st.content.start, st.content.end)
        if unit is None:
            continue
        score = iou([span], [unit])
        if score >= best_score:
            best, best_score = st, score
    return best


def best_cover(span: tuple[int, int], doc: Document) -> Statement | None:
    """The statement whose content covers most of ``span``, if at least half of it."""
    best, best_cover_ = None, COVER_THRESHOLD
    length = span[1] - span[0]
    for st in doc.statements:
        inter = max(0, min(span[1], st.content.end) - max(span[0], st.content.start))
        if length and inter / length >= best_cover_:
            best, best_cover_ = st, inter / length
    return best


# -- PolNeAR speakers-dev -------------------------------------------------------------------


def score_speakers(scores: SpeakerScores, name: str, text: str, items: Sequence[dict],
                   doc: Document) -> None:
    """Add one article's gold attributions to ``scores``."""
    entities = {e.id: e for e in doc.entities}
    for item in items:
        start, end = item["content"]
        st = best_by_iou(text, (start, end), doc)
        scores.record(name, text[start:end], _gold_speaker(item), st, entities)
    scores.documents += 1


def evaluate_speakers(gold_dir: Path, text_dir: Path,
                      attribution: str = "learned") -> SpeakerScores:
    from onrecord.nlp.pipeline import extract_many

    files = sorted(gold_dir.glob("*.json"))
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    texts = [(text_dir / f"{g['article']}.txt").read_text(encoding="utf-8") for g in golds]
    records = extract_many(((t, g["article"], None, None) for g, t in zip(golds, texts,
                                                                           strict=True)),
                           attribution=attribution)  # type: ignore[arg-type]
    scores = SpeakerScores()
    for g, text, doc in zip(golds, texts, records, strict=True):
        score_speakers(scores, g["article"], text, g["attributions"], doc)
    return scores


# -- quotes-dev (end to end from HTML) ------------------------------------------------------


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` with quote marks as ``'`` and whitespace runs as one space, and where each
    folded character came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate(text: str, quote: str, occurrence: int = 0) -> tuple[int, int] | None:
    """Where the ``occurrence``-th copy of ``quote`` is in ``text`` (folded if need be)."""
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            break
    if pos >= 0:
        return pos, pos + len(quote)
    ftext, where = _folded(text)
    fquote = _folded(quote.strip())[0]
    if not fquote:
        return None
    pos = -1
    for _ in range(occurrence + 1):
        pos = ftext.find(fquote, pos + 1)
        if pos < 0:
            return None
    return where[pos], where[pos + len(fquote) - 1] + 1


def score_quotes(scores: SpeakerScores, page: str, items: Sequence[dict],
                 doc: Document | None) -> None:
    """Add one page's gold quotes to ``scores`` (``doc`` None: the page gave no text)."""
    entities = {e.id: e for e in doc.entities} if doc is not None else {}
    located: list[tuple[int, int]] = []
    for item in items:
        gold = _gold_speaker(item)
        span = locate(doc.text, item["quote"], item.get("occurrence", 0)) if doc else None
        if span is None:
            scores.record(page, item["quote"], gold, None, entities, lost=True)
            continue
        located.append(span)
        scores.record(page, item["quote"], gold, best_cover(span, doc), entities)  # type: ignore[arg-type]
    if doc is not None:
        for st in doc.statements:
            if st.type not in ("direct", "mixed"):
                continue
            scores.direct += 1
            c = (st.content.start, st.content.end)
            scores.spurious += not any(min(c[1], e) > max(c[0], s) for s, e in located)
    scores.documents += 1


def evaluate_quotes(gold_dir: Path, html_dir: Path,
                    attribution: str = "learned") -> SpeakerScores:
    from onrecord.ingest.base import Source
    from onrecord.ingest.html import html_source
    from onrecord.nlp.pipeline import extract_many

    golds = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(gold_dir.glob("*.json"))]
    sources: list[Source | None] = []
    for g in golds:
        data = gzip.decompress((html_dir / f"{g['page']}.html.gz").read_bytes())
        page = html_source(data, g["page"], g["page"])
        sources.append(page if isinstance(page, Source) else None)
    present = [s for s in sources if s is not None]
    records = iter(extract_many(
        ((s.text, s.id, None, s.meta.get("published")) for s in present),  # type: ignore[misc]
        attribution=attribution,  # type: ignore[arg-type]
    ))
    scores = SpeakerScores()
    for g, source in zip(golds, sources, strict=True):
        score_quotes(scores, g["page"], g["quotes"], next(records) if source else None)
    return scores


# -- report -----------------------------------------------------------------------------------


def format_scores(scores: SpeakerScores, title: str, quotes: bool = False) -> str:
    head = f"{'kind':<10} {'gold':>5} {'found':>6} {'right':>6} {'on found':>9} {'recall':>7}"
    lines = [f"{title}: {scores.documents} documents", "", head, "-" * len(head)]

    def row(label: str, c: KindCounts) -> str:
        found = c.found / c.gold if c.gold else 0.0
        return (f"{label:<10} {c.gold:>5} {c.found:>6} {c.right:>6} {c.on_found:>9.3f} "
                f"{c.recall:>7.3f}   (found {found:.3f})")

    for kind in KINDS:
        if scores.kinds[kind].gold:
            lines.append(row(kind, scores.kinds[kind]))
    lines.append(row("named", scores.total(NAMED)))
    lines.append(row("all", scores.total(KINDS)))
    if quotes:
        lines.append("")
        lines.append(f"lost by extraction: {scores.lost}; direct/mixed statements: "
                     f"{scores.direct}, spurious {scores.spurious}, precision "
                     f"{scores.direct_precision:.3f}")
    return "\n".join(lines)


def format_outcomes(scores: SpeakerScores) -> str:
    lines = []
    for o in scores.outcomes:
        if o.status == "right":
            continue
        gold = o.gold.speaker or "-"
        said = " & ".join(o.predicted) or "-"
        snippet = o.gold_text.replace("\n", " ")[:70]
        lines.append(f"{o.status:<6} {o.doc[:28]:<28} {o.gold.kind:<8} gold={gold!r} "
                     f"pred={said!r} source={o.source!r} ({o.basis}) | {snippet}")
    return "\n".join(lines)


def run_speakers_eval(path: str | Path, shared: Path, verbose: bool = False,
                      attribution: str = "learned") -> int:
    gold_dir = Path(path)
    text_dir = shared / "polnear" / "dev" / "text"
    if not gold_dir.is_dir() or not text_dir.is_dir():
        print(f"onrecord: need {gold_dir} and {text_dir}", file=sys.stderr)
        return 2
    scores = evaluate_speakers(gold_dir, text_dir, attribution)
    print(format_scores(scores, f"Speakers ({gold_dir.name}, {attribution})"))
    if verbose:
        print()
        print(format_outcomes(scores))
    return 0


def run_quotes_eval(path: str | Path, verbose: bool = False,
                    attribution: str = "learned") -> int:
    gold_dir = Path(path)
    html_dir = gold_dir.parent / "html"
    if not gold_dir.is_dir() or not html_dir.is_dir():
        print(f"onrecord: need {gold_dir} and {html_dir}", file=sys.stderr)
        return 2
    scores = evaluate_quotes(gold_dir, html_dir, attribution)
    print(format_scores(scores, f"Quotes ({gold_dir.name}, {attribution})", quotes=True))
    if verbose:
        print()
        print(format_outcomes(scores))
    return 0
