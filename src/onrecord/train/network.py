"""The tagger's network in PyTorch (for training) and its export to ONNX (for running).

The graph takes the inputs :class:`onrecord.nlp.tagger.Batch` holds and returns
``emissions`` ``[B, L, role, tag]``; the CRF weights (transitions, start, end per
role) are trained here but decoded outside the graph, in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from onrecord.nlp.tagger import COLUMNS, ROLES, TAGS

# Embedding width per feature column; 8 for the small closed classes.
WIDTHS = {"word": 64, "lemma": 32, "head_lemma": 16, "prefix": 16, "suffix": 16}
PIECE_WIDTH = 192  # the transformer's 384 dimensions, projected


class Network(nn.Module):
    """Transformer word pieces + feature embeddings -> BiLSTM (+ head's state) -> scores."""

    def __init__(self, transformer: nn.Module, sizes: Sequence[int], hidden: int = 160,
                 dropout: float = 0.3) -> None:
        super().__init__()
        self.transformer = transformer
        dims = [WIDTHS.get(c, 8) for c in COLUMNS]
        self.embeddings = nn.ModuleList(
            nn.Embedding(n, d, padding_idx=0) for n, d in zip(sizes, dims, strict=True))
        config: Any = getattr(transformer, "config")  # noqa: B009 (a Hugging Face model's)
        width = int(config.hidden_size)
        self.project = nn.Linear(width, PIECE_WIDTH)
        self.dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(sum(dims) + PIECE_WIDTH, hidden, num_layers=2, bidirectional=True,
                            batch_first=True, dropout=dropout)
        self.scores = nn.Linear(4 * hidden, len(ROLES) * len(TAGS))
        k = len(TAGS)
        self.transitions = nn.Parameter(torch.zeros(len(ROLES), k, k))
        self.start = nn.Parameter(torch.zeros(len(ROLES), k))
        self.end = nn.Parameter(torch.zeros(len(ROLES), k))

    def forward(self, features: torch.Tensor, heads: torch.Tensor, pieces: torch.Tensor,
                piece_mask: torch.Tensor, word_piece: torch.Tensor) -> torch.Tensor:
        states = self.transformer(input_ids=pieces, attention_mask=piece_mask).last_hidden_state
        flat = torch.cat([states.new_zeros(1, states.shape[-1]),
                          states.reshape(-1, states.shape[-1])])
        words = torch.relu(self.project(flat[word_piece]))
        parts = [emb(features[..., k]) for k, emb in enumerate(self.embeddings)]
        x = self.dropout(torch.cat([*parts, words], -1))
        h, _ = self.lstm(x)
        head = h.gather(1, heads.unsqueeze(-1).expand(-1, -1, h.shape[-1]))
        h = self.dropout(torch.cat([h, head], -1))
        return self.scores(h).view(h.shape[0], h.shape[1], len(ROLES), len(TAGS))


def crf_loss(emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor,
             transitions: torch.Tensor, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    """Negative log-likelihood of the gold ``tags`` [B, L] under a linear-chain CRF,
    summed over the batch (``emissions`` [B, L, tag]; ``mask`` [B, L], left-aligned)."""
    first = tags[:, 0]
    score = start[first] + emissions[:, 0].gather(1, first.unsqueeze(1)).squeeze(1)
    alpha = start + emissions[:, 0]
    for t in range(1, emissions.shape[1]):
        on = mask[:, t]
        step = transitions[tags[:, t - 1], tags[:, t]] + emissions[:, t].gather(
            1, tags[:, t:t + 1]).squeeze(1)
        score = score + step * on
        nxt = torch.logsumexp(alpha.unsqueeze(2) + transitions.unsqueeze(0)
                              + emissions[:, t].unsqueeze(1), dim=1)
        alpha = torch.where(on.unsqueeze(1), nxt, alpha)
    last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
    return (torch.logsumexp(alpha + end, dim=1) - score - end[last]).sum()


INPUTS = ("features", "heads", "pieces", "piece_mask", "word_piece")


def export(net: Network, example: Sequence[torch.Tensor], path: Path) -> None:
    """The network as an ONNX graph with int8 weights (dynamic quantization) at ``path``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net.eval()
    plain = path.with_suffix(".fp32.onnx")
    axes = {"features": {0: "batch", 1: "length"}, "heads": {0: "batch", 1: "length"},
            "pieces": {0: "windows", 1: "width"}, "piece_mask": {0: "windows", 1: "width"},
            "word_piece": {0: "batch", 1: "length"}, "emissions": {0: "batch", 1: "length"}}
    with torch.no_grad():
        torch.onnx.export(net, tuple(example), str(plain), input_names=list(INPUTS),
                          output_names=["emissions"], dynamic_axes=axes, opset_version=17,
                          dynamo=False)
    quantize_dynamic(str(plain), str(path), weight_type=QuantType.QInt8)
    plain.unlink()
