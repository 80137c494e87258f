"""Web: figures and events API (filters, pagination, 422 on bad input), the timeline
page, and figure/date/event marks on the article page (escaped, no inline script)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.store.sqlite import SQLiteStore
from onrecord.web.app import create_app

TEXT = ("Russia fired 112 drones across Ukraine overnight on Thursday, the <b>air force</b> "
        "said. Air defences intercepted 84 drones, the statement said. "
        "Norway announced on Wednesday that it was expelling a Russian diplomat. "
        "The mayor, Anna de Vries, said the city would spend €300m on the port. "
        "Nobody ran <script>alert(1)</script> there.")


@pytest.fixture(scope="module")
def client(nlp: Language) -> tuple[TestClient, str]:
    store = SQLiteStore(":memory:")
    doc_id = store.add(extract(TEXT, "facts", published="2025-09-04", nlp=nlp)).id
    return TestClient(create_app(store)), doc_id


def test_api_events_filters_and_pages(client: tuple[TestClient, str]) -> None:
    c, _ = client
    body = c.get("/api/events", params={"type": "ASSAULT"}).json()
    assert body["total"] == 1
    ev = body["items"][0]
    assert [a["name"] for a in ev["actors"]] == ["Russia"]
    assert ev["size"] == {"fired": 112, "intercepted": 84} and ev["date"] == "2025-09-04"
    assert c.get("/api/events", params={"actor": "norway"}).json()["total"] >= 1
    first = c.get("/api/events", params={"limit": 1}).json()
    second = c.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert first["total"] >= 2 and first["items"] != second["items"]
    assert c.get("/api/events", params={"since": "2025-09-04"}).json()["total"] >= 1
    assert c.get("/api/events", params={"until": "2025-01-01"}).json()["total"] == 0


def test_api_figures(client: tuple[TestClient, str]) -> None:
    c, _ = client
    body = c.get("/api/figures", params={"about": "drones"}).json()
    assert sorted(f["value"] for f in body["items"]) == [84, 112]
    eur = c.get("/api/figures", params={"unit": "EUR"}).json()["items"]
    assert [x["name"] for x in eur[0]["claimed_by"]] == ["Anna de Vries"]
    assert c.get("/api/figures", params={"claimed_by": "de vries"}).json()["total"] == 1


@pytest.mark.parametrize("url", [
    "/api/events?type=NOPE", "/api/events?since=yesterday", "/api/events?until=2025-13-01",
    "/api/events?limit=0", "/api/events?limit=1000", "/api/events?offset=-1",
    "/api/events?role=boss&actor=x", "/api/events?status=maybe", "/api/figures?limit=abc",
    "/api/figures?about=" + "x" * 600, "/timeline?since=soon", "/timeline?type=x",
])
def test_malformed_params_are_422(client: tuple[TestClient, str], url: str) -> None:
    c, _ = client
    assert c.get(url).status_code == 422


def test_timeline_page(client: tuple[TestClient, str]) -> None:
    c, doc_id = client
    r = c.get("/timeline")
    assert r.status_code == 200 and "script-src 'none'" in r.headers["Content-Security-Policy"]
    html = r.text
    days = re.findall(r'<time datetime="([^"]+)">', html)
    assert days == sorted(days) and "2025-09-03" in days and "2025-09-04" in days
    assert "ASSAULT" in html and f"/documents/{doc_id}#ev-" in html
    assert "Russia" in html and "fired 112" in html
    assert 'etype">ASSAULT' not in c.get("/timeline", params={"type": "SANCTION"}).text


def test_article_marks_figures_dates_events(client: tuple[TestClient, str]) -> None:
    c, doc_id = client
    html = c.get(f"/documents/{doc_id}").text
    assert '<a class="fact figure" href="#fig-F1"' in html
    assert re.search(r'<a class="fact date" href="#date-\d+" title="date: 2025-09-04', html)
    assert re.search(r'<a class="fact event" href="#ev-V\d+" title="event: ASSAULT', html)
    assert 'id="fig-F1"' in html and 'id="ev-V1"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
