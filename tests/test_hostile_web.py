"""Hostile requests and records on the web app: posted texts keyed by content, only
http(s) record URLs as links, no Host header in feed links, no writes on GET."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.record import Document
from onrecord.store.sqlite import SQLiteStore
from onrecord.web.app import create_app

DEMO = Path(__file__).resolve().parents[1] / "src" / "onrecord" / "data" / "demo"
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def store(tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch) -> SQLiteStore:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ONRECORD_DIGEST_BASE_URL", "https://briefing.example.org")
    s = SQLiteStore(tmp_path / "onrecord.db")
    urls = {"summit": "javascript:alert(document.domain)",
            "fisheries-deal": "data:text/html,<script>alert(1)</script>",
            "velmar-budget": "https://news.example.com/velmar"}
    for name, url in urls.items():
        text = (DEMO / f"{name}.txt").read_text(encoding="utf-8")
        s.add(extract(text, name, published="2025-09-04", nlp=nlp).model_copy(
            update={"url": url}))
    yield s
    s.close()


@pytest.fixture
def client(store: SQLiteStore, nlp: Language) -> TestClient:
    def extractor(text: str, doc_id: str, published: str | None) -> Document:
        return extract(text, doc_id, published=published, nlp=nlp)

    return TestClient(create_app(store, token=TOKEN, extractor=extractor))


def test_posts_without_id_or_url_are_distinct_documents(client: TestClient):
    first = client.post("/api/documents", headers=AUTH,
                        json={"text": "“The ferry runs at nine,” Mr Holm said."})
    second = client.post("/api/documents", headers=AUTH,
                         json={"text": "“The bridge shuts in May,” Ms Berg said."})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["version"] == second.json()["version"] == 1
    texts = [client.get(f"/api/documents/{r.json()['id']}").json()["record"]["text"]
             for r in (first, second)]
    assert "ferry" in texts[0] and "bridge" in texts[1]


@pytest.mark.parametrize("text", [" ", "\n\t \n", "\u00a0\u2003"])
def test_whitespace_only_text_is_refused(client: TestClient, text: str):
    r = client.post("/api/documents", headers=AUTH, json={"text": text})
    assert r.status_code == 422


def test_only_http_urls_become_links(client: TestClient):
    docs = client.get("/api/documents").json()["items"]
    pages = {d["url"].split(":")[0]: client.get(f"/documents/{quote(d['id'], safe='')}")
             for d in docs}
    assert {k: p.status_code for k, p in pages.items()} == dict.fromkeys(
        ("javascript", "data", "https"), 200)
    assert "javascript:" not in pages["javascript"].text
    assert 'href="data:' not in pages["data"].text
    assert 'href="https://news.example.com/velmar"' in pages["https"].text


def test_feed_links_ignore_the_host_header_and_gets_write_nothing(client: TestClient,
                                                                   store: SQLiteStore):
    def story_rows() -> int:
        with sqlite3.connect(store.path) as con:
            tables = [t for (t,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'stor%'")]
            return sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)

    before = story_rows()
    feed = client.get("/digest.atom", headers={"Host": "evil.example"})
    page = client.get("/digest", headers={"Host": "evil.example"})
    assert feed.status_code == page.status_code == 200
    assert "evil.example" not in feed.text and "evil.example" not in page.text
    assert "https://briefing.example.org/digest?date=2025-09-04" in feed.text
    assert story_rows() == before


class Upload:
    """A request body that counts how much of it the server read."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.read = chunks, 0

    def __iter__(self):  # noqa: ANN204
        for _ in range(self.chunks):
            self.read += 1
            yield b"x" * 1_000_000


@pytest.mark.parametrize("auth", [{}, {"Authorization": "Bearer nope"}])
def test_unauthenticated_upload_is_refused_before_its_body(client: TestClient, auth: dict):
    body = Upload(300)
    r = client.post("/api/documents", content=body,
                    headers={**auth, "Content-Length": "300000000"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert body.read <= 1


def test_oversized_or_unsized_upload_is_refused_before_its_body(client: TestClient):
    body = Upload(300)
    r = client.post("/api/documents", content=body,
                    headers={**AUTH, "Content-Length": "300000000"})
    assert r.status_code == 413 and body.read <= 1
    body = Upload(300)
    r = client.post("/api/documents", content=body, headers=AUTH)  # chunked: no length
    assert r.status_code == 411 and body.read <= 1
