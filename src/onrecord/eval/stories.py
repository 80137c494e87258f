"""Score story grouping against a labelled set: B-cubed precision, recall and F1.

The gold file is JSON Lines, one document a line: ``{"id", "url", "text", "published",
"story"}`` (what ``onrecord ingest`` reads, plus the gold story label). Documents are
read as ingestion reads them (copies found across the batch), extracted, and grouped
incrementally in publication order, exactly as the store groups them.

The PolNeAR dev grouping (``stories-dev.json``: story labels over article names
``OUTLET_DATE_SLUG``) is turned into such a file by :func:`polnear_gold`: the outlet
becomes the URL host and the date the publication date, so nothing but the text and
those two reach the grouping.

:func:`cross_validate` is how the grouping's settings are chosen honestly: the stories
are dealt into ``k`` folds fixed here (:func:`story_folds`); for each fold the settings
of :data:`GRID` that score best on the other folds' documents are kept, and the fold's
documents are scored under them. The held-out figure is the one to expect on other
coverage; the shipped defaults scored on the whole set is a development figure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import random
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from onrecord.record import Document
from onrecord.stories.cluster import ClusterConfig, Explanation, StoryIndex, Vectors
from onrecord.stories.features import DocFeatures, featurize

DEFAULT_GOLD = Path(__file__).resolve().parents[1] / "data" / "demo" / "stories.jsonl"


def bcubed(pred: Mapping[str, object], gold: Mapping[str, object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the items both mappings label."""
    items = [i for i in gold if i in pred]
    if not items:
        return 0.0, 0.0, 0.0
    p_sum = r_sum = 0.0
    for i in items:
        same_pred = {j for j in items if pred[j] == pred[i]}
        same_gold = {j for j in items if gold[j] == gold[i]}
        both = len(same_pred & same_gold)
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    p, r = p_sum / len(items), r_sum / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def in_order(docs: Iterable[Document]) -> list[Document]:
    """Publication order (undated last), input order within a day."""
    listed = list(docs)
    return sorted(listed, key=lambda d: (d.published is None, d.published or "",
                                         listed.index(d)))


def group(docs: Iterable[Document], config: ClusterConfig | None = None
          ) -> tuple[dict[str, int], dict[str, Explanation]]:
    """Story number and explanation per document id, assigned one document at a time."""
    return group_features([featurize(d) for d in in_order(docs)], config)


def group_features(feats: Iterable[DocFeatures], config: ClusterConfig | None = None,
                   vectors: dict[tuple[str, dt.date], Vectors] | None = None,
                   ) -> tuple[dict[str, int], dict[str, Explanation]]:
    """:func:`group` over documents already featurized, in publication order."""
    index = StoryIndex(config, vectors)
    stories: dict[str, int] = {}
    why: dict[str, Explanation] = {}
    for f in feats:
        stories[f.id], why[f.id] = index.assign(f)
    return stories, why


# The settings cross-validation chooses among: the join threshold, the weights of the leads
# and of the words tied to a day, and the hub correction (each on or off).
GRID: dict[str, list[Any]] = {
    "threshold": [round(0.04 + 0.01 * i, 2) for i in range(17)],
    "w_lead": [0.0, 0.2],
    "w_dated": [0.0, 1.0],
    "hub_k": [0, 8],
}


def story_folds(gold: Mapping[str, object], k: int) -> dict[object, int]:
    """The fold of each gold story: the labels sorted, shuffled with a fixed seed and dealt
    in turn, so every run and every change is checked on the same split."""
    labels = sorted(set(gold.values()), key=str)
    random.Random(2016).shuffle(labels)
    return {s: i % k for i, s in enumerate(labels)}


@dataclasses.dataclass
class CrossValidation:
    scores: tuple[float, float, float]  # B-cubed P, R, F1 over the held-out documents
    chosen: list[dict[str, Any]]  # the settings each fold's training part chose


def cross_validate(docs: list[Document], gold: Mapping[str, object], k: int = 4,
                   grid: Mapping[str, list[Any]] = GRID) -> CrossValidation:
    """Story-fold cross-validation of the settings in ``grid``. Each setting groups the
    whole stream once (as the store would); a fold's documents are scored under the
    setting that scored best (B-cubed F1) on the documents of the other folds."""
    fold = story_folds(gold, k)
    settings = [dict(zip(grid, values, strict=True))
                for values in itertools.product(*grid.values())]
    feats = [featurize(d) for d in in_order(docs)]
    vectors: dict[tuple[str, dt.date], Vectors] = {}  # the IDF settings are the same
    groupings = [group_features(feats, dataclasses.replace(ClusterConfig(), **s), vectors)[0]
                 for s in settings]
    held: dict[str, tuple[int, int]] = {}
    chosen = []
    for j in range(k):
        train = [i for i in gold if fold[gold[i]] != j]
        fits = [bcubed({i: g[i] for i in train if i in g}, {i: gold[i] for i in train})[2]
                for g in groupings]
        best = max(range(len(settings)), key=lambda n: (fits[n], -n))
        chosen.append(settings[best])
        held.update({i: (j, groupings[best][i]) for i in gold
                     if fold[gold[i]] == j and i in groupings[best]})
    return CrossValidation(bcubed(held, gold), chosen)


def polnear_gold(grouping: Path, texts: Path) -> list[dict[str, str]]:
    """Eval lines for a PolNeAR grouping: id, URL on the outlet's host, date, text, story."""
    data = json.loads(grouping.read_text(encoding="utf-8"))
    lines = []
    for n, story in enumerate(data["stories"]):
        for name in story["ids"]:
            outlet, day, slug = name.split("_", 2)
            text = (texts / f"{name}.txt").read_text(encoding="utf-8")
            lines.append({"id": name, "url": f"https://{outlet}.example/{day}/{slug}",
                          "published": day, "text": text, "story": f"s{n}"})
    return sorted(lines, key=lambda d: d["id"])


def write_polnear_gold(shared: Path, out: Path) -> Path:
    """Write the PolNeAR dev grouping under ``shared`` as an eval file at ``out``."""
    polnear = shared / "polnear"
    lines = polnear_gold(polnear / "stories-dev.json", polnear / "dev" / "text")
    out.write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    return out


def read_gold(path: Path) -> dict[str, str]:
    gold: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            gold[str(obj["id"])] = str(obj["story"])
    return gold


def extract_gold(path: Path, nlp: object | None = None) -> list[Document]:
    """The gold file's records, read and extracted as ``onrecord ingest`` would."""
    from onrecord.ingest.base import Source
    from onrecord.ingest.batch import prepare_batch
    from onrecord.ingest.fetch import Fetcher
    from onrecord.ingest.sources import iter_sources
    from onrecord.store.loader import extracted

    fetcher = Fetcher()
    try:
        items = list(iter_sources([str(path)], fetcher))
    finally:
        fetcher.close()
    sources = [s for s in prepare_batch(items) if isinstance(s, Source)]
    return [d for _, d in extracted(sources, nlp=nlp) if isinstance(d, Document)]


def run_stories_eval(path: str | None = None, config: ClusterConfig | None = None,
                     verbose: bool = False, polnear_dev: Path | None = None,
                     folds: int | None = None) -> int:
    """Print B-cubed scores on ``path`` (default the demo set), or on the PolNeAR dev
    grouping when ``polnear_dev`` names the shared data folder; with ``folds``, the
    story-fold cross-validated score first."""
    if polnear_dev is not None:
        with tempfile.TemporaryDirectory() as tmp:
            gold_file = write_polnear_gold(polnear_dev, Path(tmp) / "stories-dev.jsonl")
            return run_stories_eval(str(gold_file), config, verbose, folds=folds)
    gold_path = Path(path) if path else DEFAULT_GOLD
    gold = read_gold(gold_path)
    docs = extract_gold(gold_path)
    if folds:
        cv = cross_validate(docs, gold, folds)
        print(f"cross-validated ({folds} story folds, settings chosen on the other folds): "
              "B-cubed precision {:.3f}  recall {:.3f}  F1 {:.3f}".format(*cv.scores))
        for j, s in enumerate(cv.chosen):
            print(f"  fold {j}: " + ", ".join(f"{k}={v}" for k, v in s.items()))
    pred, why = group(docs, config)
    p, r, f = bcubed(pred, gold)
    n_gold = len(set(gold.values()))
    print(f"stories: {len(pred)} documents, {n_gold} gold stories, "
          f"{len(set(pred.values()))} predicted ({gold_path})")
    print(f"{'shipped settings, whole set: ' if folds else ''}"
          f"B-cubed precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    if verbose:
        for doc_id in sorted(pred, key=lambda d: (pred[d], d)):
            print(f"  {pred[doc_id]:>3} {gold.get(doc_id, '?'):<22} {doc_id:<28} "
                  f"{why[doc_id].summary()}", file=sys.stdout)
    return 0
