"""The web desk: statement links, facets and their counts, CSV/JSON of the filtered rows,
"51-100 of N" paging, search across articles, quotes and people, charts, /docs.

The records are made by hand (no extraction), so every count below is known exactly:
three speakers in two outlets over five weeks, a place named in every fourth article's
first statement, the speaker in every fifth article's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from onrecord.record import Document, Entity, Span, Statement
from onrecord.store.base import StatementQuery
from onrecord.store.sqlite import SQLiteStore
from onrecord.web.app import create_app

SPEAKERS = ("Rosa Diaz", "Jonas Holm", "Lena Voss")
OUTLETS = ("Harbour Times", "Velmar Post")
MONDAY = dt.date(2025, 9, 1)


def article(n: int) -> Document:
    """Article n: speaker n % 3 says two things; outlet n % 2; week n % 5; the first names
    Velmar when n % 4 == 0 and the speaker when n % 5 == 0."""
    name = SPEAKERS[n % 3]
    text = ""
    statements, mentions, places = [], [], []
    said = (f"The ferry plan {n}{' for Velmar' if n % 4 == 0 else ''} will cost more"
            f"{', as ' + name + ' feared' if n % 5 == 0 else ''}", f"Tram line {n} opens late")
    for i, words in enumerate(said):
        start = len(text) + 1
        text += f"“{words},” {name} said.\n"
        end = start + len(words)
        for who, spans in (("Velmar", places), (name, mentions)):
            if who in words:
                at = text.index(who, start)
                spans.append(Span.of(text, at, at + len(who)))
        src = text.index(name, end)
        mentions.append(Span.of(text, src, src + len(name)))
        statements.append(Statement(id=f"S{i + 1}", type="direct" if i == 0 else "indirect",
                                    content=Span.of(text, start, end),
                                    cue=Span.of(text, src + len(name) + 1, src + len(name) + 5),
                                    source=Span.of(text, src, src + len(name)),
                                    speakers=["E1"]))
    day = MONDAY + dt.timedelta(weeks=n % 5, days=n % 3)
    return Document(id=f"a{n}", text=text, published=day.isoformat(), title=f"Story {n}",
                    site=OUTLETS[n % 2], url=f"https://news.example/{n}",
                    entities=[Entity(id="E1", name=name, type="PERSON", titles=["Councillor"],
                                    mentions=mentions)]
                    + [Entity(id="E2", name="Velmar", type="GPE", mentions=places)] * bool(places),
                    statements=statements)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = SQLiteStore(tmp_path_factory.mktemp("desk") / "onrecord.db")
    for n in range(45):  # 90 statements, 30 per speaker
        store.add(article(n))
    yield TestClient(create_app(store))
    store.close()


def links(html: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html) if re.search(pattern, h)]


def person_id(client: TestClient, name: str) -> int:
    people = client.get("/api/entities", params={"limit": 10}).json()["items"]
    return next(p["id"] for p in people if p["name"] == name)


def test_paging_says_which_rows_of_how_many(client: TestClient) -> None:
    first = client.get("/quotes").text
    assert "1–50 of 90" in first
    second = client.get(links(first, r"offset=50")[0]).text
    assert "51–90 of 90" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_every_listed_statement_links_to_its_words(client: TestClient) -> None:
    html = client.get("/quotes", params={"speaker": "Holm"}).text
    targets = links(html, r"^/doc/[0-9a-f]+#S\d$")
    assert len(set(targets)) == 30  # each of Holm's statements, by its id in the article
    page = client.get(targets[0].split("#")[0]).text
    sid = targets[0].split("#")[1]
    # The statement's first marked words carry the id and are followed by its details.
    anchor = re.search(rf'<a class="st" href="#{sid}" id="{sid}">.*?</a><span class="tip"'
                       rf' role="note"><strong>Jonas Holm</strong>', page)
    assert anchor


def test_facets_count_the_rows_their_links_list(client: TestClient) -> None:
    html = client.get("/quotes").text
    facets = re.findall(r'<a href="(/quotes\?[^"]*)">([^<]*)</a> <span class="count">(\d+)</span>',
                        html)
    assert {label for _, label, _ in facets} >= {*SPEAKERS, *OUTLETS, "2025-09", "indirect"}
    for href, label, count in facets:
        narrowed = client.get(unescape(href)).text
        total = int(re.search(r"(\d+) statements?", narrowed).group(1))
        assert total == int(count), label
    by_outlet = {label: int(n) for _, label, n in facets if label in OUTLETS}
    assert by_outlet == {"Harbour Times": 46, "Velmar Post": 44}  # two per article
    # Facets count within the filters already chosen; a chosen value is shown, not linked.
    direct = client.get(next(h for h, label, _ in facets if label == "direct")).text
    assert "<strong>direct</strong>" in direct
    assert re.findall(r'>Harbour Times</a> <span class="count">(\d+)<', direct) == ["23"]


def test_csv_and_json_links_return_exactly_the_filtered_rows(client: TestClient) -> None:
    params = {"speaker_id": person_id(client, "Lena Voss"), "type": "indirect",
              "outlet": "Velmar Post"}
    html = client.get("/quotes", params=params).text
    total = int(re.search(r"(\d+) statements?", html).group(1))
    assert total == 7  # Voss in odd articles n % 3 == 2: 5, 11, ..., 41
    rows = list(csv.DictReader(io.StringIO(client.get(links(html, r"^/quotes\.csv")[0]).text)))
    assert len(rows) == total
    assert {r["outlet"] for r in rows} == {"Velmar Post"} and {r["type"] for r in rows} == {
        "indirect"}
    api = client.get("/api/statements", params={**params, "limit": 100}).json()["items"]
    assert sorted((r["document"], r["statement"]) for r in rows) == sorted(
        (s["document"], s["local_id"]) for s in api)
    row = rows[0]
    assert row["url"].startswith("https://news.example/") and row["speakers"] == "Lena Voss"
    doc = client.get(f"/api/documents/{row['document']}").json()["record"]
    assert doc["text"][int(row["start"]):int(row["end"])] == row["content"]
    data = client.get(links(html, r"^/quotes\.json")[0]).json()
    assert [(d["document"], d["statement"]) for d in data] == [
        (r["document"], r["statement"]) for r in rows]


def entity_links(html: str, heading: str) -> dict[str, tuple[str, int]]:
    """The links of one facet (or the search page's line of them): label -> (href, count)."""
    part = html[html.index(heading):]
    part = part[:part.index("</section>" if "<h2>" in heading else "</p>")]
    return {label: (unescape(href), int(n)) for href, label, n in re.findall(
        r'<a href="([^"]*)">([^<]*)</a> <span class="count">(\d+)</span>', part)}


def test_people_and_places_named_narrow_the_list_and_its_csv(client: TestClient) -> None:
    html = client.get("/quotes").text
    assert {k: n for k, (_, n) in entity_links(html, "<h2>People named</h2>").items()} == {
        name: 3 for name in SPEAKERS}  # each in 3 of the articles 0, 5, ..., 40
    href, count = entity_links(html, "<h2>Places named</h2>")["Velmar"]
    assert count == 12  # articles 0, 4, ..., 44
    velmar = client.get(href).text
    assert "12 statements" in velmar and "<strong>Velmar</strong>" in velmar
    # Within a speaker's quotes the count narrows again, and so do the links and exports.
    diaz = client.get(href.replace("?", f"?speaker_id={person_id(client, 'Rosa Diaz')}&")).text
    assert "4 statements" in diaz  # articles 0, 12, 24, 36
    rows = list(csv.DictReader(io.StringIO(client.get(links(diaz, r"^/quotes\.csv")[0]).text)))
    assert len(rows) == 4 and all("Velmar" in r["content"] and r["speakers"] == "Rosa Diaz"
                                  for r in rows)
    data = client.get(links(diaz, r"^/quotes\.json")[0]).json()
    assert [(d["document"], d["statement"]) for d in data] == [
        (r["document"], r["statement"]) for r in rows]
    both = links(diaz, r"mentions=.*mentions=")  # a person link adds, keeps the place
    assert both and "1 statement" in client.get(both[0]).text  # article 0: both named
    empty = client.get(href + "&type=indirect").text
    assert "No statement matches" in empty and ">without naming Velmar</a>" in empty


def test_search_names_the_people_and_places_its_quotes_name(client: TestClient) -> None:
    html = client.get("/search", params={"q": "ferry"}).text
    href, count = entity_links(html, "Places named:")["Velmar"]
    assert count == 12 and href.startswith("/quotes?about=ferry&mentions=")
    assert "12 statements" in client.get(href).text


def test_nothing_found_suggests_dropping_a_filter(client: TestClient) -> None:
    html = client.get("/quotes", params={"speaker": "Holm", "about": "ferry",
                                         "type": "indirect"}).text
    assert "No statement matches" in html
    dropped = links(html, r"^/quotes\?")
    without_type = next(h for h in dropped if "type=" not in h and "about=" in h)
    assert "1–" in client.get(without_type).text


def test_search_finds_people_their_quotes_and_articles(client: TestClient) -> None:
    html = client.get("/search", params={"q": "Holm"}).text
    assert "<h2>People</h2>" in html and ">Jonas Holm</a>" in html
    assert "Quotes by people named “Holm”" in html
    by = html[html.index('<section class="quotes-by">'):]
    assert len(re.findall(r'<a class="quote"', by[:by.index("</section>")])) == 10  # of 30
    assert client.get("/search", params={"q": "Tram"}).text.count("Quotes that mention") == 1
    empty = client.get("/search", params={"q": "zeppelin"}).text
    assert "Nothing matches “zeppelin” in articles, quotes or names" in empty


def test_person_charts_have_a_bar_per_week_and_outlet(client: TestClient) -> None:
    pid = person_id(client, "Rosa Diaz")
    html = client.get(f"/people/{pid}").text
    weeks = html[html.index('id="weeks"'):html.index("</figure>", html.index('id="weeks"'))]
    # Diaz speaks in articles 0, 3, ..., 42: weeks n % 5 cover all five.
    assert weeks.count('<rect class="bar"') == 5
    assert "The numbers as a table" in weeks and "2025-09-01" in weeks
    outlets = html[html.index('id="outlets"'):]
    assert outlets.count('<rect class="bar"') == 2
    assert "<script" not in html
    # The title's article is named by its headline, not its id.
    assert re.search(r'Councillor <span class="meta">in <a href="/doc/[0-9a-f]+">Story \d+</a>',
                     html)


def test_home_chart_shows_the_week_by_outlet(client: TestClient) -> None:
    html = client.get("/").text
    chart = html[html.index('id="week"'):html.index("</figure>", html.index('id="week"'))]
    assert "Most quoted in the week from" in chart
    assert all(name in chart for name in SPEAKERS) and "Harbour Times" in chart


def test_docs_is_the_api_reference(client: TestClient) -> None:
    html = client.get("/docs").text
    assert client.get("/docs").status_code == 200
    for path in ("/api/statements", "/api/entities/{entity_id}", "/api/search"):
        assert f"<code>GET {path}</code>" in html
    assert "<code>outlet</code>" in html


def test_facets_follow_new_data(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "onrecord.db")
    try:
        store.add(article(0))
        before = store.statement_facets(StatementQuery())
        assert [(f.label, f.count) for f in before["outlet"]] == [("Harbour Times", 2)]
        assert store.statement_facets(StatementQuery()) is before  # kept, not recounted
        store.add(article(1))
        after = store.statement_facets(StatementQuery())["outlet"]
        assert [(f.label, f.count) for f in after] == [("Harbour Times", 2), ("Velmar Post", 2)]
    finally:
        store.close()


def test_person_search_and_people_lists_link_their_rows(client: TestClient) -> None:
    pid = person_id(client, "Jonas Holm")
    person = client.get(f"/people/{pid}").text
    rows = list(csv.DictReader(io.StringIO(client.get(links(person, r"^/quotes\.csv")[0]).text)))
    assert len(rows) == 30 and {r["speakers"] for r in rows} == {"Jonas Holm"}
    assert len(client.get(links(person, r"^/quotes\.json")[0]).json()) == 30
    search = client.get("/search", params={"q": "Holm"}).text
    by_csv = links(search, r"^/quotes\.csv\?speaker=Holm")[0]
    by = list(csv.DictReader(io.StringIO(client.get(by_csv).text)))
    assert len(by) == 30
    people = client.get("/people").text
    listed = list(csv.DictReader(io.StringIO(client.get(links(people, r"^/people\.csv")[0]).text)))
    assert [(p["name"], p["statements"]) for p in listed] == [
        (name, "30") for name in sorted(SPEAKERS)]
    assert client.get("/people.json").json() == [
        {**p, "id": int(p["id"]), "statements": 30, "documents": 15} for p in listed]
