"""``onrecord train``: rebuild the attribution CRFs from PolNeAR train, scored on dev.

The run is deterministic (same data, same order, L-BFGS has no random start), so the
shipped models are reproduced byte for byte by the same code and data. The three
roles train in parallel worker processes (``--jobs``, default 2): the parsed training
sequences are built once, before the workers fork, and shared with them.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from onrecord.eval.polnear import format_scores, list_documents
from onrecord.eval.spans import PRF
from onrecord.nlp import model
from onrecord.nlp.tagger import MODEL_ENV, ROLES, bio_runs
from onrecord.train.data import Example, examples


@dataclass(frozen=True)
class Settings:
    """L-BFGS with elastic-net regularisation; chosen on dev (see docs/model-card.md)."""

    iterations: int = 150
    c1: float = 0.1
    c2: float = 0.01


# Filled by the parent before the workers fork; read by :func:`_train_role` in each worker.
_TRAIN: list[Example] = []


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def tag_scores(model_path: Path, role: str, dev: Sequence[Example]) -> PRF:
    """Exact span P/R/F1 of one role's tagger on dev sequences (tokens, before linking)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    prf = PRF()
    for ex in dev:
        gold, pred = set(bio_runs(ex.tags[role])), set(bio_runs(tagger.tag(ex.features)))
        prf.add(len(gold & pred), len(gold), len(pred))
    return prf


def _train_role(role: str, settings: Settings, out: Path) -> tuple[str, float]:
    import pycrfsuite

    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for ex in _TRAIN:
        trainer.append(ex.features, ex.tags[role])
    trainer.set_params({
        "c1": settings.c1,
        "c2": settings.c2,
        "max_iterations": settings.iterations,
        "feature.possible_transitions": True,
    })
    trainer.train(str(out / f"{role}.crfsuite"))
    return role, time.perf_counter() - started


def train(train_dir: Path, dev_dir: Path, out: Path, settings: Settings = Settings(),
          jobs: int = 2) -> int:
    """Parse, train the three role CRFs into ``out``, print dev scores; 0 on success."""
    global _TRAIN
    for split in (train_dir, dev_dir):
        if not list_documents(split):
            print(f"onrecord: no annotated PolNeAR texts in {split}", file=sys.stderr)
            return 2
    out.mkdir(parents=True, exist_ok=True)
    nlp = model.load()
    _say(f"parsing {train_dir} and {dev_dir} with {model.available_model()}")
    _TRAIN = list(examples(list_documents(train_dir), nlp))
    dev = list(examples(list_documents(dev_dir), nlp))
    tokens = sum(len(ex.features) for ex in _TRAIN)
    _say(f"{len(_TRAIN)} training paragraphs ({tokens} tokens), {len(dev)} dev paragraphs; "
         f"training {', '.join(ROLES)} ({settings}) in {jobs} processes")
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_train_role, role, settings, out) for role in ROLES]
        for future in futures:
            role, seconds = future.result()
            prf = tag_scores(out / f"{role}.crfsuite", role, dev)
            _say(f"{role}: trained in {seconds / 60:.1f} min; dev tagged spans "
                 f"P {prf.precision:.3f} R {prf.recall:.3f} F1 {prf.f1:.3f}")
    _TRAIN = []
    _say("scoring the whole pipeline on dev with the new models")
    from onrecord.eval.polnear import evaluate

    previous = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = str(out)
    try:
        scores = evaluate(dev_dir)
    finally:
        if previous is None:
            del os.environ[MODEL_ENV]
        else:
            os.environ[MODEL_ENV] = previous
    print(format_scores(scores, title=f"PolNeAR {dev_dir.name} (crf, {out})"), flush=True)
    return 0
