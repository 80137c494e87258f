"""The learned attribution tagger: the shipped model on sentences of our own, the
training command on a small brat split written here, and its failure modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.nlp import tagger
from onrecord.nlp.pipeline import extract
from onrecord.nlp.tagger import ROLES, TaggerNotFound, spans_from_tags


def _statement(doc, content_word: str):
    hits = [s for s in doc.statements if content_word in s.content.text]
    assert hits, [s.content.text for s in doc.statements]
    return hits[0]


def test_shipped_model_is_small_and_loads() -> None:
    files = [tagger.MODEL_DIR / f"{role}.crfsuite" for role in ROLES]
    assert sum(f.stat().st_size for f in files) < 50 * 1024 * 1024
    assert set(tagger.load().taggers) == set(ROLES)


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


def test_spans_from_tags_reads_bio_runs() -> None:
    from onrecord.nlp import model

    doc = model.load()("Aides said the plan was dead on arrival.")
    tags = ["B", "B", "B", "I", "I", "I", "I", "I", "O"]
    assert spans_from_tags(doc, 0, tags) == [(0, 5), (6, 10), (11, 39)]
    assert spans_from_tags(doc, 0, ["O", "I", "I", "O", "O", "O", "O", "O", "O"]) == [(6, 14)]


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TaggerNotFound, match="make train"):
        tagger.load(tmp_path)


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
     [("The company", "denied", "it had misled investors")]),
]


def _write_split(root: Path) -> None:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for n, (text, atts) in enumerate(ARTICLES):
        lines, t = [], 0
        for e, (source, cue, content) in enumerate(atts, 1):
            ids = []
            for role, words in (("Source", source), ("Cue", cue), ("Content", content)):
                t += 1
                start = text.index(words)
                lines.append(f"T{t}\t{role} {start} {start + len(words)}\t{words}")
                ids.append(f"{role}:T{t}")
            lines.append(f"E{e}\tAttribution:T{t} " + " ".join(ids))
        (root / "text" / f"a{n}.txt").write_text(text, encoding="utf-8")
        (root / "attributions" / f"a{n}_x.ann").write_text("\n".join(lines) + "\n",
                                                          encoding="utf-8")


@pytest.mark.slow
def test_train_is_deterministic_and_prints_dev_scores(tmp_path: Path, capsys) -> None:
    from onrecord.train.crf import Settings, train

    split = tmp_path / "split"
    _write_split(split)
    settings = Settings(iterations=5)
    runs = []
    for name in ("one", "two"):
        assert train(split, split, tmp_path / name, settings, jobs=2) == 0
        runs.append({r: (tmp_path / name / f"{r}.crfsuite").read_bytes() for r in ROLES})
    assert runs[0] == runs[1]
    out = capsys.readouterr().out
    assert "dev tagged spans" in out and "attribution  c+s" in out
    # The new model is usable straight away.
    assert set(tagger.load(tmp_path / "one").taggers) == set(ROLES)


def test_train_refuses_an_empty_split(tmp_path: Path, capsys) -> None:
    from onrecord.train.crf import train

    assert train(tmp_path, tmp_path, tmp_path / "out") == 2
    assert "no annotated PolNeAR texts" in capsys.readouterr().err


def test_cue_and_source_stay_outside_the_content() -> None:
    # "the Norwegian minister said he was confident ..." once got the tagged cue
    # "said he was confident", reaching into its own content.
    from onrecord.cli import DEMO_ARTICLE

    doc = extract(DEMO_ARTICLE.read_text(encoding="utf-8"))
    assert len(doc.statements) >= 10
    for st in doc.statements:
        for span in (st.cue, st.source):
            if span is not None:
                assert span.end <= st.content.start or st.content.end <= span.start, st
