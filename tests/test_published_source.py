"""Where a page's date came from: kept in the record, shown by `show` and the document page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.cli import main
from onrecord.ingest.base import Source
from onrecord.record import Document
from onrecord.store.loader import _item
from onrecord.store.sqlite import SQLiteStore
from onrecord.web.app import create_app

DOC = Document(id="pier", text="The harbour pier will be rebuilt.", published="2025-03-11",
               published_source="json-ld", updated="2025-05-02", title="Pier to be rebuilt")


def test_show_and_document_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "onrecord.db"
    store = SQLiteStore(db)
    store.add(DOC)
    page = TestClient(create_app(store)).get("/documents/pier").text
    assert "2025-03-11</time> <span class=\"meta\">(json-ld)</span>" in page
    store.close()
    assert main(["show", "--db", str(db), "pier"]) == 0
    assert "published: 2025-03-11 (json-ld)" in capsys.readouterr().out
    assert main(["show", "--db", str(db), "pier", "--format", "json"]) == 0
    assert '"updated": "2025-05-02"' in capsys.readouterr().out


def test_a_date_given_with_the_input_has_no_page_source() -> None:
    src = Source("pier", DOC.text, meta={"published": "2025-03-11", "published_source": "meta"})
    assert _item(src, None)[4]["published_source"] == "meta"
    assert "published_source" not in _item(src, "2025-01-01")[4]
