"""The learned attribution tagger: the shipped model on sentences of our own, the inputs
it is fed, the exported network against PyTorch's, and its failure modes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from onrecord.nlp import tagger
from onrecord.nlp.pipeline import extract
from onrecord.nlp.tagger import COLUMNS, MODEL_FILES, TaggerNotFound, WordPieces, spans_from_tags


def _statement(doc, content_word: str):
    hits = [s for s in doc.statements if content_word in s.content.text]
    assert hits, [s.content.text for s in doc.statements]
    return hits[0]


def test_shipped_model_is_small_and_loads() -> None:
    files = [tagger.MODEL_DIR / name for name in MODEL_FILES]
    assert sum(f.stat().st_size for f in files) < 50 * 1024 * 1024
    loaded = tagger.load()
    assert set(loaded.encoder.vocab) == set(COLUMNS)
    assert {k: v[0].shape for k, v in loaded.crf.items()} == {r: (3, 3) for r in tagger.ROLES}


def test_reported_speech_spans_and_speaker() -> None:
    text = ("Senator Maria Lopez said on Tuesday that the budget bill would fail in the House.\n\n"
            "\u201cWe will not back down,\u201d Lopez told reporters in Denver.\n")
    doc = extract(text)
    first = _statement(doc, "budget bill would fail")
    assert first.cue is not None and first.cue.text == "said"
    assert first.source is not None and first.source.text == "Senator Maria Lopez"
    second = _statement(doc, "We will not back down")
    assert second.cue is not None and second.cue.text == "told"
    speakers = {e.id: e.name for e in doc.entities}
    assert [speakers[i] for i in first.speakers] == ["Maria Lopez"]
    assert [speakers[i] for i in second.speakers] == ["Maria Lopez"]
    for st in doc.statements:
        for span in (st.content, st.cue, st.source):
            if span is not None:
                assert text[span.start:span.end] == span.text


def test_learned_mode_adds_what_the_rules_miss() -> None:
    # Attitudes without a reporting verb: PolNeAR annotates them, the rules do not.
    text = "The campaign hopes the ad will win over suburban women.\n"
    assert extract(text, attribution="rules").statements == []
    (found,) = extract(text).statements
    assert found.source is not None and found.source.text == "The campaign"
    assert found.cue is not None and found.cue.text == "hopes"
    assert found.content.text == "the ad will win over suburban women"


ARTICLES = [
    ("Mayor Ann Brooks said the new bridge would open in May. Critics called the plan "
     "a waste of money.\n",
     [("Mayor Ann Brooks", "said", "the new bridge would open in May"),
      ("Critics", "called", "the plan a waste of money")]),
    ("\u201cThe river is rising fast,\u201d the fire chief warned on Sunday. Residents "
     "fear the levee will break.\n",
     [("the fire chief", "warned", "The river is rising fast"),
      ("Residents", "fear", "the levee will break")]),
    ("The company denied that it had misled investors, according to a statement.\n",
     [("The company", "denied", "that it had misled investors"),  # PolNeAR keeps "that"
      ("a statement", "according to", "The company denied that it had misled investors")]),
]


@pytest.mark.parametrize(("text", "expected"), ARTICLES)
def test_shipped_model_on_sentences_of_our_own(text: str, expected) -> None:
    found = {(s.source.text if s.source else None, s.cue.text if s.cue else None, s.content.text)
             for s in extract(text).statements}
    for want in expected:
        assert want in found, found


def test_cue_and_source_stay_outside_the_content() -> None:
    from onrecord.cli import DEMO_ARTICLE

    doc = extract(DEMO_ARTICLE.read_text(encoding="utf-8"))
    assert len(doc.statements) >= 10
    for st in doc.statements:
        for span in (st.cue, st.source):
            if span is not None:
                assert span.end <= st.content.start or st.content.end <= span.start, st


def test_a_content_begun_inside_a_quotation_takes_the_whole_of_it() -> None:
    from onrecord.nlp.attribution import _whole_quotes
    from onrecord.nlp.quotes import find_quotes

    text = ("\u201cThey call it 'reform'; it is a tax on workers,\u201d Ms Okafor said. "
            "\u201cWe warned them. Nobody listened,\u201d she added.\n")
    quotes = find_quotes(text)
    first = text.index("reform")
    said = (text.index("said"), text.index("said") + 4)
    # Mid-sentence: widened to the quoted words, without the closing comma.
    start, end = _whole_quotes(text, (first, text.index("tax")), said, quotes)
    assert text[start:end] == "They call it 'reform'; it is a tax on workers"
    # A sentence ends between the boundary and the mark: two statements, left alone.
    listened = (text.index("Nobody"), text.index("listened,") + 8)
    assert _whole_quotes(text, listened, None, quotes) == listened
    # A cue inside the quotation: a report nested in it, left alone.
    nested = (text.index("it is"), text.index("workers") + 7)
    call = (text.index("call"), text.index("call") + 4)
    assert _whole_quotes(text, nested, call, quotes) == nested


def test_spans_from_tags_reads_bio_runs() -> None:
    from onrecord.nlp import model

    doc = model.load()("Aides said the plan was dead on arrival.")
    tags = ["B", "B", "B", "I", "I", "I", "I", "I", "O"]
    assert spans_from_tags(doc, 0, tags) == [(0, 5), (6, 10), (11, 39)]
    assert spans_from_tags(doc, 0, ["O", "I", "I", "O", "O", "O", "O", "O", "O"]) == [(6, 14)]


def test_each_word_is_read_at_its_first_piece_across_windows() -> None:
    pieces = WordPieces(tagger.MODEL_DIR / "tokenizer.json")
    words = ["Unbelievably", ",", "\n", "Zelensky", "said"] * 70  # 630 pieces: 3 windows
    encoder = tagger.Encoder(tagger.load().encoder.vocab, pieces)
    batch = encoder.batch([(np.ones((len(words), len(COLUMNS)), np.int64),
                            list(range(len(words))), words)])
    assert len(batch.pieces) == 3 and batch.pieces.shape[1] <= tagger.WINDOW
    flat = np.concatenate([[0], batch.pieces.reshape(-1)])
    for i, w in enumerate(words):
        if w.strip():
            assert flat[batch.word_piece[0, i]] == pieces.of(w)[0]
        else:
            assert batch.word_piece[0, i] == 0  # white space reads the zero vector
    assert set(batch.pieces[:, 0]) == {pieces.cls}


@pytest.mark.slow
def test_exported_network_scores_as_the_trained_one(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("onnx")
    import onnxruntime

    from onrecord.train.network import Network, export

    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=60, hidden_size=32, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=64)
    net = Network(transformers.BertModel(config, add_pooling_layer=False),
                  [20] * len(COLUMNS), hidden=16).eval()
    rng = np.random.default_rng(0)
    batch = tagger.Batch(
        features=rng.integers(1, 20, (2, 7, len(COLUMNS))), heads=rng.integers(0, 7, (2, 7)),
        pieces=rng.integers(1, 60, (3, 9)), piece_mask=np.ones((3, 9), np.int64),
        word_piece=rng.integers(0, 28, (2, 7)))
    inputs = [torch.from_numpy(a) for a in batch.inputs().values()]
    with torch.no_grad():
        expected = net(*inputs).numpy()
    export(net, inputs, tmp_path / "tagger.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "tagger.onnx"),
                                           providers=["CPUExecutionProvider"])
    got = session.run(["emissions"], batch.inputs())[0]
    assert got.shape == expected.shape == (2, 7, 3, 3)
    # int8 weights: close, not equal.
    assert np.corrcoef(got.ravel(), expected.ravel())[0, 1] > 0.98


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TaggerNotFound, match="make train"):
        tagger.load(tmp_path)


def test_train_refuses_an_empty_split(tmp_path: Path, capsys) -> None:
    from onrecord.train.tagger import train

    assert train(tmp_path, tmp_path, tmp_path / "out") == 2
    assert "no annotated PolNeAR texts" in capsys.readouterr().err
