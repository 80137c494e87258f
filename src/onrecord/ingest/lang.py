"""Offline language guess from the script, then from stopword ratios.

Text mostly in a non-Latin script is named by that script's main language, even
when short. News bodies are long enough that the share of a language's commonest
function words identifies a Latin-script one reliably, with no model to download;
texts too short or too mixed to call are left undetermined rather than skipped.
"""

from __future__ import annotations

import re

STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the and of to in is that for it was on with as by he she said at from "
              "his her have has are be this which not they were but an or",
        "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
              "auch es an als wird sie werden nach bei aus",
        "fr": "le la les et des est une un du que pour dans qui pas sur au ne se plus par "
              "avec il elle sont aux ont été cette",
        "es": "el la los las y de que en un una por con para del se es no al lo como más "
              "pero sus le ha fue está son",
        "pt": "o a os as e de que em um uma do da dos das para com não por se mais na no "
              "ao foi como mas são pelo pela",
        "it": "il lo la gli le e di che un una per con non del della sono è si da nel alla "
              "anche più ha come ma questo",
        "nl": "de het een en van is dat niet op te zijn voor met als er aan ook door bij "
              "wordt naar heeft maar om deze",
    }.items()
}
# (code, letters): the first script that has most of a text's letters names its language;
# a few letters tell close languages apart (Ukrainian from Russian, Persian from Arabic).
SCRIPTS: list[tuple[str, str]] = [
    ("uk", "\u0404\u0406\u0407\u0454\u0456\u0457\u0490\u0491"), ("ru", "\u0400-\u04ff"),
    ("el", "\u0370-\u03ff"), ("he", "\u0590-\u05ff"), ("fa", "\u067e\u0686\u0698\u06af"),
    ("ar", "\u0600-\u06ff"), ("hi", "\u0900-\u097f"), ("th", "\u0e00-\u0e7f"),
    ("ja", "\u3040-\u30ff"), ("ko", "\uac00-\ud7af\u1100-\u11ff"),
    ("zh", "\u4e00-\u9fff\u3400-\u4dbf"),
]
_SCRIPT = {code: re.compile(f"[{chars}]") for code, chars in SCRIPTS}
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 30  # below this the ratios are too noisy to call
MIN_RATIO = 0.12  # share of tokens that must be stopwords of the winning language


def _script_language(text: str) -> str | None:
    """The language of a text written mostly in a non-Latin script."""
    letters = sum(len(w) for w in _WORD.findall(text))
    counts = {code: len(rx.findall(text)) for code, rx in _SCRIPT.items()}
    main = sum(counts[c] for c in ("ru", "el", "he", "ar", "hi", "th", "ja", "ko", "zh"))
    if not letters or main / letters < 0.5:
        return None
    for code, _ in SCRIPTS:  # the marker letters (uk, fa) come before their script
        if counts[code] and (code not in ("uk", "fa") or counts[code] >= 3):
            return code
    return None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot be called."""
    script = _script_language(text[:20000])
    if script:
        return script
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if len(words) < MIN_WORDS:
        return None
    scores = {code: sum(w in stop for w in words) for code, stop in STOPWORDS.items()}
    best = max(scores, key=lambda c: scores[c])
    if scores[best] / len(words) < MIN_RATIO:
        return None
    return best
