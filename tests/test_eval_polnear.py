"""The PolNeAR evaluation: brat reading, trimming, span and attribution matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.eval.brat import parse_ann, read_ann, read_text
from onrecord.eval.polnear import (
    PolnearScores,
    evaluate,
    format_scores,
    list_documents,
    match_attributions,
    run_polnear_eval,
    score_document,
)
from onrecord.eval.spans import iou, match_exact, match_iou, trim, trim_all
from onrecord.record import Document, Span, Statement

SHARED_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear" / "dev"

# "The Post" 0-8, "reported" 9-17, 'that "taxes will rise,"' 18-41 ("that" 18-22),
# "officials" 42-51, "said" 52-56, "Nobody" 58-64, "knew" 65-69
TEXT = 'The Post reported that "taxes will rise," officials said. Nobody knew.\n'


def _find(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


# --- brat reader ---------------------------------------------------------------------------

ANN = (
    "T1\tSource 0 8\tThe Post\n"
    "T2\tCue 9 17\treported\n"
    "T3\tContent 18 22;23 41\tthat \"taxes will rise,\"\n"
    "T4\tAttribution 9 17\treported\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 58 64\tNobody\n"
    "spilled continuation line\n"
    "T6\tCue 65 69\tkn\n"
    "ow\n"
    "T7\tAttribution-no-source 65 69\tknew\n"
    "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
    "#1\tAnnotatorNotes T5\tnot really\n"
    "T8\tDiscard 0 3\tThe\n"
)


def test_brat_discontinuous_spilled_and_missing_source() -> None:
    ann = parse_ann(ANN)
    assert ann.spans["T3"].segments == ((18, 22), (23, 41))
    assert ann.spans["T6"].segments == ((65, 69),)  # the spilled "ow" line is ignored
    assert ann.spans["T8"].type == "Discard"
    first, second = ann.attributions
    assert first.type == "Attribution"
    assert first.content == ((18, 22), (23, 41))
    assert first.cue == ((9, 17),) and first.source == ((0, 8),)
    assert second.type == "Attribution-no-source"
    assert second.source == ()
    assert second.content == ((58, 64),) and second.cue == ((65, 69),)


def test_brat_second_content_argument_and_crlf() -> None:
    ann = parse_ann("T1\tContent 0 4\tabcd\r\nT2\tContent 10 12\tkl\r\nT3\tCue 5 8\tfgh\r\n"
                    "E1\tAttribution:T3 Content:T1 Cue:T3 Content2:T2\r\n")
    (att,) = ann.attributions
    assert att.content == ((0, 4), (10, 12))
    assert att.cue == ((5, 8),) and att.source == ()


def test_brat_files_and_first_annotator(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a_b.txt").write_text("x\r\ny", encoding="utf-8", newline="")
    (tmp_path / "text" / "lonely.txt").write_text("no annotation", encoding="utf-8")
    (tmp_path / "attributions" / "a_b_ff01.ann").write_text("T1\tCue 0 1\tx\n", encoding="utf-8")
    (tmp_path / "attributions" / "a_b_0a02.ann").write_text(ANN, encoding="utf-8")
    (doc,) = list_documents(tmp_path)
    assert doc.name == "a_b" and doc.ann_path.name == "a_b_0a02.ann"
    assert read_text(doc.text_path) == "x\r\ny"  # line endings kept: offsets stay valid
    assert len(read_ann(doc.ann_path).attributions) == 2


# --- trimming and span matching ------------------------------------------------------------

def test_trim_strips_space_quotes_and_punctuation() -> None:
    text = ' “Taxes will rise,” he said. '
    assert trim(text, 0, len(text)) == _find(text, "Taxes will rise,” he said")
    assert trim("'‘x’.';: ", 0, 9) == (2, 3)
    assert trim(' " ., ', 0, 6) is None
    assert trim("abc", -3, 10) == (0, 3)


def test_trim_all_dedupes_and_drops_empty() -> None:
    text = "said, said"
    assert trim_all(text, [(0, 5), (0, 4), (4, 5), (6, 10)]) == [(0, 4), (6, 10)]


def test_exact_matching_is_one_to_one() -> None:
    assert match_exact([(0, 4), (5, 9)], [(0, 4), (0, 4), (5, 8)]) == 1
    assert match_exact([], [(0, 4)]) == 0


def test_iou_and_greedy_matching() -> None:
    assert iou([(0, 10)], [(5, 15)]) == pytest.approx(5 / 15)
    assert iou([(0, 4), (6, 10)], [(0, 10)]) == pytest.approx(0.8)
    assert iou([], []) == 0.0
    # one predicted span covers two gold units: it may match only one of them
    assert match_iou([(0, 10), (0, 9)], [(0, 10)]) == 1
    # the best pair wins: gold (0,10) takes pred (0,10), gold (0,6) still gets (0,5)
    assert match_iou([(0, 10), (0, 6)], [(0, 5), (0, 10)]) == 2
    assert match_iou([(0, 10)], [(0, 4)]) == 0  # IoU 0.4
    assert match_iou([(0, 10)], [(0, 5)]) == 1  # IoU 0.5 is enough


# --- attribution matching and document scores ----------------------------------------------

def _statement(i: int, text: str, content: str, source: str | None,
               cue: str | None = None) -> Statement:
    def span(needle: str | None) -> Span | None:
        return Span.of(text, *_find(text, needle)) if needle else None

    c = span(content)
    assert c is not None
    return Statement(id=f"s{i}", type="indirect", content=c, source=span(source), cue=span(cue))


def _doc(text: str, *statements: Statement) -> Document:
    return Document(id="d", text=text, statements=list(statements))


def test_attribution_needs_content_iou_and_source_overlap() -> None:
    gold = parse_ann(ANN).attributions
    good = _statement(0, TEXT, '"taxes will rise,"', "Post", "reported")
    assert match_attributions(TEXT, gold, _doc(TEXT, good)) == [(0, 0)]
    wrong_source = _statement(0, TEXT, "taxes will rise", "officials")
    assert match_attributions(TEXT, gold, _doc(TEXT, wrong_source)) == []
    no_source = _statement(0, TEXT, "taxes will rise", None)
    assert match_attributions(TEXT, gold, _doc(TEXT, no_source)) == []
    short = _statement(0, TEXT, "taxes", "The Post")  # IoU with the whole gold content < 0.5
    assert match_attributions(TEXT, gold, _doc(TEXT, short)) == []
    # gold E2 has no source: a prediction without one matches it, one with a source does not
    nobody = _statement(1, TEXT, "Nobody", None)
    assert match_attributions(TEXT, gold, _doc(TEXT, nobody)) == [(1, 0)]
    nobody_src = _statement(1, TEXT, "Nobody", "officials")
    assert match_attributions(TEXT, gold, _doc(TEXT, nobody_src)) == []
    # one-to-one: two identical predictions, one gold
    assert len(match_attributions(TEXT, gold, _doc(TEXT, good, good))) == 1


def test_score_document_counts_units_per_role() -> None:
    gold = parse_ann(ANN).attributions
    doc = _doc(TEXT,
               _statement(0, TEXT, 'that "taxes will rise,"', "The Post", "reported"),
               _statement(1, TEXT, "taxes will rise", "officials", "said"))
    scores = PolnearScores()
    score_document(scores, TEXT, gold, doc)
    content, source, cue = (scores.roles[r] for r in ("content", "source", "cue"))
    # gold content units "that", "taxes will rise" (T3's two segments) and "Nobody";
    # predicted 'that "taxes will rise' (trimmed) and "taxes will rise"
    assert (content.exact.gold, content.exact.pred, content.exact.tp) == (3, 2, 1)
    assert content.iou.tp == 1  # 18-39 vs 24-39 also reaches IoU 0.5 but is used once
    assert source.exact.gold == 1 and source.exact.pred == 2 and source.exact.tp == 1
    assert cue.exact.gold == 2 and cue.exact.pred == 2 and cue.exact.tp == 1
    assert scores.attribution.gold == 2 and scores.attribution.pred == 2
    assert scores.attribution.tp == 1
    assert scores.documents == 1 and scores.words == len(TEXT.split())
    assert "attribution" in format_scores(scores)


def test_run_polnear_eval_bad_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_polnear_eval(tmp_path / "missing") == 2
    assert run_polnear_eval(tmp_path) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 2


@pytest.mark.slow
def test_eval_on_three_dev_documents() -> None:
    if not SHARED_DEV.is_dir():
        pytest.skip("shared PolNeAR data not available")
    scores = evaluate(SHARED_DEV, limit=3)
    assert scores.documents == 3 and scores.words > 0 and scores.seconds > 0
    assert scores.attribution.gold > 0 and scores.attribution.pred > 0
    assert 0.0 <= scores.attribution.f1 <= 1.0
    assert scores.roles["cue"].iou.tp >= scores.roles["cue"].exact.tp
