"""`onrecord extract` over mixed inputs: order, metadata, copies, skips, failures, summary."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from onrecord.cli import main
from test_ingest_html import PARAGRAPHS, page

GERMAN = ("Die Hafenbehörde hat am Dienstag beschlossen, die nördliche Mole wieder aufzubauen, "
          "die bei den Stürmen im letzten Winter beschädigt wurde. Die Arbeiten sollen acht "
          "Monate dauern und werden von der Regierung zur Hälfte bezahlt, sagte die "
          "Vorsitzende auf einer Versammlung im Rathaus der Stadt, und das ist nicht so einfach.")


def test_mixed_batch_in_input_order_with_metadata_and_summary(tmp_path: Path, capsys, nlp):
    html = tmp_path / "pier.html"
    html.write_text(page(PARAGRAPHS))
    wire = "\n".join(["Sign up for our newsletter to get the news in your inbox.", *PARAGRAPHS])
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(d) for d in [
        {"id": "wire-copy", "text": wire, "published": "2025-03-12"},
        {"id": "de", "text": GERMAN}]))
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(gzip.compress(page(PARAGRAPHS).encode())[:200])

    code = main(["extract", "--format", "jsonl", str(html), str(batch), str(bad)])
    out, err = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["id"] for d in docs] == ["pier", "wire-copy"]
    pier, copy = docs
    assert pier["published"] == "2025-03-11" and pier["language"] == "en"
    assert pier["url"] == "https://gazette.example.com/news/pier-rebuilt"
    assert pier["site"] == "The Coastal Gazette" and pier["authors"] == ["Anna Berg"]
    assert (pier["duplicate_of"], pier["copy_group"]) == (None, "pier")
    assert (copy["duplicate_of"], copy["copy_group"]) == ("pier", "pier")
    assert any(st["speakers"] for st in pier["statements"])

    lines = err.splitlines()
    assert any("de" in ln and "not English" in ln for ln in lines)
    assert any(str(bad) in ln and "corrupt gzip" in ln for ln in lines)
    assert lines[-1] == ("onrecord: 4 documents read, 2 extracted, 1 skipped (not English: 1), "
                         "1 failed (corrupt gzip: 1)")
    assert "Traceback" not in err and code == 1


def test_private_url_refused_unless_allowed(capsys, nlp):
    url = "http://127.0.0.1:9/story"
    assert main(["extract", url]) == 1
    err = capsys.readouterr().err
    assert url in err and "non-public address" in err and "--allow-private" in err
    assert main(["extract", "--allow-private", "--timeout", "1", url]) == 1
    err = capsys.readouterr().err
    assert "fetch failed" in err and "Traceback" not in err
