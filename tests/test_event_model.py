"""The learned event-trigger classifier: its fit, its training data, the fixed folds, and
the hybrid reader on sentences written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.eval.plover import METHODS, cross_validate, fold_of, report_folds
from onrecord.nlp.event_model import NONE, candidates, depth, senses, shipped
from onrecord.nlp.pipeline import extract
from onrecord.train.events import TYPES, fit, gold_sentences, template_sentences

GSR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "plover" / "gsr-dev.json"


def test_fit_separates_classes_by_their_features() -> None:
    data = [(["w=bomb", "o=city"], "ASSAULT")] * 5 + [(["w=sign", "o=pact"], "AGREE")] * 5
    data += [(["w=say", "o=city"], NONE)] * 5
    model = fit(data, steps=200)
    assert model.classes == [NONE, *TYPES]
    for feats, label in (data[0], data[5], data[10]):
        p = model.scores(feats)
        assert model.classes[int(p.argmax())] == label and p.max() > 0.8
    assert model.known == frozenset({"bomb", "sign"})


def test_gold_markup_gives_the_event_words() -> None:
    record = {"event": "DEMAND", "text": "Oslo urged Lima to halt the works.",
              "textInfo": {"markup": "(SRC: Oslo) (EVT: urged) (TAR: Lima) to (EVT: halt) "
                                     "the works."}}
    [sent] = gold_sentences([record])
    assert [(sent.text[s:e], k) for s, e, k in sent.triggers] == [
        ("urged", "REQUEST"), ("halt", "REQUEST")]


def test_written_sentences_close_to_a_gold_one_are_dropped() -> None:
    written = template_sentences()
    kinds = {k for s in written for *_x, k in s.triggers}
    assert kinds == set(TYPES)
    assert all(s.text[a:b].isalpha() or "-" in s.text[a:b] for s in written
               for a, b, _k in s.triggers)
    fewer = template_sentences([written[0].text])
    assert written[0].text not in {s.text for s in fewer}
    assert len(fewer) < len(written)


def test_folds_are_fixed_and_spread_every_type() -> None:
    records = [{"id": f"R{i:03d}", "event": kind, "text": "x"}
               for i, kind in enumerate(["AGREE"] * 10 + ["PROTEST"] * 5)]
    folds = fold_of(records, 5)
    assert folds == fold_of(list(reversed(records)), 5)[::-1]  # by id, not by file order
    for kind, n in (("AGREE", 2), ("PROTEST", 1)):
        for f in range(5):
            assert sum(1 for r, g in zip(records, folds, strict=True)
                       if r["event"] == kind and g == f) == n


def test_shipped_model_types_a_verb_the_rules_do_not_list(nlp: Language) -> None:
    text = "Ghana evicted hundreds of Togolese traders."
    assert extract(text, nlp=nlp, event_model="rules").events == []
    doc = extract(text, nlp=nlp)
    [event] = doc.events
    assert (event.type, event.trigger.text) == ("COERCE", "evicted")
    assert doc.text[event.trigger.start : event.trigger.end] == event.trigger.text
    assert [doc.entity(a).name for a in event.actors] == ["Ghana"]  # type: ignore[union-attr]


def test_reporting_and_being_are_no_events(nlp: Language) -> None:
    doc = extract("The minister said the harbour was calm on Sunday.", nlp=nlp)
    assert doc.events == []
    assert shipped().classes[0] == NONE


def test_wordnet_classes_join_a_word_to_its_kin(nlp: Language) -> None:
    doc = nlp("The minister condemned the raid and criticised the army.")
    condemned, criticised = doc[2], doc[6]
    assert "knock" in senses(condemned) and "knock" in senses(criticised)
    assert senses(doc[1]) == []  # "minister": no act, event or message


def test_depth_counts_steps_to_the_root(nlp: Language) -> None:
    doc = nlp("Rebels attacked the town after officials alleged fraud.")
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert depth(root) == 0
    assert depth(doc[6]) == 1  # "alleged", in the "after" clause


def test_aspect_verbs_leave_the_act_to_their_complement(nlp: Language) -> None:
    doc = nlp("North Korea tried to hack the computers of army officers.")
    words = [t.lower_ for t in candidates(doc)]
    assert "tried" not in words and "hack" in words
    [event] = extract("North Korea tried to hack the computers of army officers.",
                      nlp=nlp).events
    assert event.trigger.text != "tried"


@pytest.mark.slow
def test_cross_validation_scores_every_fold() -> None:
    if not GSR.exists():
        pytest.skip("shared PLOVER records not present")
    records = json.loads(GSR.read_text(encoding="utf-8"))[::8]
    scores = cross_validate(records, 2)
    assert set(scores) == set(METHODS)
    assert all(len(folds) == 2 for folds in scores.values())
    assert sum(s.records for s in scores["hybrid"]) == len(records)
    assert "mean" in report_folds(scores)


def test_kin_depth_is_restored_after_evaluation(nlp: Language) -> None:
    from onrecord.nlp import events as ev

    with ev.kin_depth(1):
        assert ev.KIN_DEPTH == 1
    assert ev.KIN_DEPTH == 2


@pytest.mark.slow
def test_nested_scorer_matches_the_pipeline_and_chooses_from_the_grid() -> None:
    """The nested check scores from prepared records: it must agree with score_plover."""
    from onrecord.eval.plover import accuracy, actor_f1, score_plover
    from onrecord.eval.plover_nested import _prepare, _score, nested_cross_validate
    from onrecord.nlp import model

    if not GSR.exists():
        pytest.skip("shared PLOVER records not present")
    records = json.loads(GSR.read_text(encoding="utf-8"))[::8]
    docs = list(model.load().pipe([r["text"] for r in records]))
    fast, slow = _score(_prepare(records, docs), shipped()), score_plover(records)
    assert (accuracy(fast), actor_f1(fast)) == (accuracy(slow), actor_f1(slow))
    grid = ((2, 0.8), (2, 1.01))
    chosen, nested, fixed = nested_cross_validate(records, 3, grid)
    assert len(chosen) == 3 and set(chosen) <= set(grid)
    assert sum(s.records for s in nested) == sum(s.records for s in fixed) == len(records)
