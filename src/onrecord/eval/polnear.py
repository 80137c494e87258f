"""``onrecord eval polnear DIR``: score extraction against a PolNeAR split.

For every article of the split (``DIR/text/<name>.txt`` with its first annotator's
``DIR/attributions/<name>_<annotator>.ann``) the pipeline's statements are compared
with the gold attributions:

* per role (content, source, cue), units are trimmed spans (:func:`spans.trim`); each
  contiguous segment of a discontinuous gold span is one unit, identical units in a
  document count once. Scored with exact matching and with IoU >= 0.5 (greedy
  one-to-one by best IoU);
* an attribution matches when content IoU >= 0.5 (the gold content taken whole, as the
  union of its segments) and the predicted source overlaps the gold source, or both
  have none; one-to-one, greedy by content IoU.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.eval.brat import ROLES, GoldAttribution, read_ann, read_text
from onrecord.eval.spans import (
    PRF,
    Unit,
    greedy_match,
    iou,
    match_exact,
    match_iou,
    overlaps,
    trim_all,
)
from onrecord.nlp import Attribution
from onrecord.record import Document, Span

IOU_THRESHOLD = 0.5
_ANNOTATOR = re.compile(r"^(?P<name>.+)_(?P<annotator>[^_]+)\.ann$")


@dataclass(frozen=True)
class GoldDocument:
    """One article of the split with the attributions of its first annotator."""

    name: str
    text_path: Path
    ann_path: Path


def list_documents(split_dir: str | Path) -> list[GoldDocument]:
    """Annotated articles of a split directory, sorted by name.

    Articles with several annotators use the first ``.ann`` file by filename; texts
    without any annotation file are left out.
    """
    root = Path(split_dir)
    anns: dict[str, list[Path]] = {}
    for ann in (root / "attributions").glob("*.ann"):
        m = _ANNOTATOR.match(ann.name)
        if m:
            anns.setdefault(m["name"], []).append(ann)
    docs = []
    for text_path in sorted((root / "text").glob("*.txt")):
        found = anns.get(text_path.stem)
        if found:
            docs.append(GoldDocument(text_path.stem, text_path, sorted(found)[0]))
    return docs


@dataclass
class RoleScores:
    exact: PRF = field(default_factory=PRF)
    iou: PRF = field(default_factory=PRF)


@dataclass
class PolnearScores:
    """Scores of one run over a split (or over any set of documents)."""

    roles: dict[str, RoleScores] = field(default_factory=lambda: {r: RoleScores() for r in ROLES})
    attribution: PRF = field(default_factory=PRF)
    documents: int = 0
    words: int = 0
    seconds: float = 0.0  # extraction time only (model loaded beforehand)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0


def _span_units(text: str, span: Span | None) -> list[Unit]:
    return trim_all(text, [(span.start, span.end)]) if span is not None else []


def role_units(text: str, gold: Sequence[GoldAttribution], pred: Document,
               role: str) -> tuple[list[Unit], list[Unit]]:
    """Deduplicated, trimmed ``(gold, predicted)`` units of one role in one document."""
    gold_units = trim_all(text, (seg for att in gold for seg in att.role(role)))
    pred_units = trim_all(text, (
        (span.start, span.end)
        for st in pred.statements
        if (span := getattr(st, role)) is not None
    ))
    return gold_units, pred_units


def match_attributions(text: str, gold: Sequence[GoldAttribution],
                       pred: Document) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, statement index)`` pairs of matching attributions."""
    golds = [(trim_all(text, g.content), trim_all(text, g.source)) for g in gold]
    preds = [(_span_units(text, st.content), _span_units(text, st.source))
             for st in pred.statements]
    candidates = []
    for gi, (g_content, g_source) in enumerate(golds):
        for pi, (p_content, p_source) in enumerate(preds):
            score = iou(g_content, p_content)
            if score < IOU_THRESHOLD:
                continue
            if (not g_source and not p_source) or overlaps(g_source, p_source):
                candidates.append((score, gi, pi))
    return greedy_match(candidates)


def score_document(scores: PolnearScores, text: str, gold: Sequence[GoldAttribution],
                   pred: Document) -> None:
    """Add one document's counts to ``scores``."""
    for role in ROLES:
        gold_units, pred_units = role_units(text, gold, pred, role)
        rs = scores.roles[role]
        rs.exact.add(match_exact(gold_units, pred_units), len(gold_units), len(pred_units))
        rs.iou.add(match_iou(gold_units, pred_units, IOU_THRESHOLD),
                   len(gold_units), len(pred_units))
    pairs = match_attributions(text, gold, pred)
    scores.attribution.add(len(pairs), len(gold), len(pred.statements))
    scores.documents += 1
    scores.words += len(text.split())


def evaluate(split_dir: str | Path, limit: int | None = None,
             docs: Iterable[GoldDocument] | None = None,
             attribution: Attribution = "learned") -> PolnearScores:
    """Run the pipeline over the split's articles and score it."""
    from onrecord.nlp import model
    from onrecord.nlp.pipeline import extract_many

    selected = list(docs) if docs is not None else list_documents(split_dir)
    if limit is not None:
        selected = selected[:max(limit, 0)]
    texts = [read_text(d.text_path) for d in selected]
    nlp = model.load()  # loaded before the clock starts
    started = time.perf_counter()
    records = list(extract_many(
        ((text, d.name, str(d.text_path), None) for d, text in zip(selected, texts, strict=True)),
        nlp=nlp,
        attribution=attribution,
    ))
    elapsed = time.perf_counter() - started
    scores = PolnearScores(seconds=elapsed)
    for d, text, record in zip(selected, texts, records, strict=True):
        score_document(scores, text, read_ann(d.ann_path).attributions, record)
    return scores


def format_scores(scores: PolnearScores, title: str = "PolNeAR") -> str:
    """The scores as a plain-text table."""
    head = f"{'':<12} {'match':<8} {'gold':>6} {'pred':>6} {'tp':>6} {'P':>6} {'R':>6} {'F1':>6}"
    lines = [f"{title}: {scores.documents} documents, {scores.words} words", "", head,
             "-" * len(head)]

    def row(label: str, kind: str, prf: PRF) -> str:
        return (f"{label:<12} {kind:<8} {prf.gold:>6} {prf.pred:>6} {prf.tp:>6} "
                f"{prf.precision:>6.3f} {prf.recall:>6.3f} {prf.f1:>6.3f}")

    for role in ROLES:
        lines.append(row(role, "exact", scores.roles[role].exact))
    for role in ROLES:
        lines.append(row(role, "iou>=.5", scores.roles[role].iou))
    lines.append(row("attribution", "c+s", scores.attribution))
    lines.append("")
    lines.append(f"speed: {scores.words} words in {scores.seconds:.2f} s = "
                 f"{scores.words_per_second:,.0f} words/s (extraction only, model preloaded)")
    return "\n".join(lines)


def run_polnear_eval(path: str | Path, limit: int | None = None,
                     attribution: Attribution = "learned") -> int:
    """Score the pipeline on the split at ``path``, print the table; 2 on a bad directory."""
    root = Path(path)
    if not root.is_dir():
        print(f"onrecord: no such directory: {root}", file=sys.stderr)
        return 2
    docs = list_documents(root)
    if not docs:
        print(f"onrecord: no annotated texts in {root} (expected text/*.txt and "
              "attributions/*.ann)", file=sys.stderr)
        return 2
    scores = evaluate(root, limit=limit, docs=docs, attribution=attribution)
    print(format_scores(scores, title=f"PolNeAR {root.name} ({attribution})"))
    return 0
