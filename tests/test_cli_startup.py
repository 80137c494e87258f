"""The CLI starts fast: queries, --help and --version never load spaCy, PyTorch, ONNX Runtime
or PySpark, and extraction never loads PyTorch.

Each command runs in a fresh interpreter (what a user's shell does), so the modules a
command loaded are exactly the ones it needed. The one timing is a generous ratio to a
bare interpreter start measured in the same test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord import cli
from onrecord.record import Document, Entity, Span, Statement
from onrecord.store.sqlite import SQLiteStore

HEAVY = ("spacy", "thinc", "torch", "onnxruntime", "pyspark", "transformers",
         "onrecord.nlp.tagger", "onrecord.nlp.pipeline")
SRC = str(Path(cli.__file__).resolve().parents[1])
# Runs onrecord's main() on argv (JSON in argv[1]), then prints the heavy modules it loaded.
PROBE = """
import json, sys
from onrecord.cli import main
try:
    code = main(json.loads(sys.argv[1]))
except SystemExit as exc:
    code = exc.code or 0
heavy = json.loads(sys.argv[2])
print("\\n" + json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}))
"""
TEXT = "“The harbour tram will run by May,” Mayor Rosa Diaz said on Friday.\n"


def probe(*argv: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
                         capture_output=True, text=True, timeout=120, check=True,
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A database with one hand-made record (no extraction needed), and its id; its key
    is the URL and its input id "tram"."""
    path = tmp_path_factory.mktemp("startup") / "onrecord.db"
    doc = Document(
        id="tram", text=TEXT, published="2025-11-07", url="https://example.org/tram-by-may",
        entities=[Entity(id="E1", name="Rosa Diaz", type="PERSON", titles=["Mayor"],
                         mentions=[Span.of(TEXT, 42, 51)])],
        statements=[Statement(id="S1", type="direct", content=Span.of(TEXT, 1, 33),
                              cue=Span.of(TEXT, 52, 56), source=Span.of(TEXT, 36, 51),
                              speakers=["E1"])])
    store = SQLiteStore(path)
    try:
        return str(path), store.add(doc).id
    finally:
        store.close()


def test_the_parser_choices_match_what_they_stand_for() -> None:
    from onrecord.nlp import ATTRIBUTIONS
    from onrecord.store.output import FORMATS

    assert cli.ATTRIBUTION_CHOICES == ATTRIBUTIONS and cli.FORMATS == FORMATS


def test_queries_help_and_version_load_no_nlp(db: tuple[str, str]) -> None:
    path, doc_id = db
    for argv in (["--version"], ["--help"], ["quotes", "--help"],
                 ["quotes", "--db", path, "--speaker", "Diaz"], ["people", "--db", path],
                 ["search", "--db", path, "tram"], ["show", "--db", path, doc_id],
                 ["show", "--db", path, "tram"],  # the input id, as an untitled page shows
                 ["export", "--db", path, "--format", "json"], ["figures", "--db", path],
                 ["events", "--db", path], ["stories", "--db", path],
                 ["digest", "--db", path, "--date", "2025-11-07"], ["watch", "list", "--db", path],
                 ["follow", "--help"], ["run", "--help"]):
        result = probe(*argv)
        assert result == {"code": 0, "loaded": []}, argv


@pytest.mark.slow
def test_extraction_never_loads_torch(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = probe("extract", "--format", "jsonl", str(article))
    assert result["code"] == 0
    assert "torch" not in result["loaded"] and "spacy" in result["loaded"]


def _fastest(args: list[str], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, timeout=60, env={"PYTHONPATH": SRC})
        best = min(best, time.perf_counter() - start)
    return best


def test_query_path_starts_within_a_few_bare_interpreter_starts() -> None:
    """Whole-process time of importing what a query needs, over `python -c pass`.

    About 12x here (0.2 s against 17 ms); the bound is loose for a busy machine, and an
    import of spaCy alone is over 40x."""
    bare = _fastest([sys.executable, "-c", "pass"])
    query = _fastest([sys.executable, "-c",
                      "import onrecord.cli as c; c.build_parser(); import onrecord.store, "
                      "onrecord.store.output, onrecord.digest.build, onrecord.digest.render"])
    assert query / bare < 40, f"query path {query:.3f} s, bare start {bare:.3f} s"


def test_a_damaged_database_is_still_refused_by_queries(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """Queries skip the whole-file check at open; the damaged page they read is reported."""
    path = tmp_path / "onrecord.db"
    store = SQLiteStore(path)
    store.add(Document(id="tram", text=TEXT))
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[page:] = b"\xff" * (len(data) - page)  # every page but the header page
    path.write_bytes(bytes(data))
    assert cli.main(["quotes", "--db", str(path)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert path.read_bytes() == bytes(data)  # left untouched
