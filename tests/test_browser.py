"""End-to-end: the web app served by uvicorn on 127.0.0.1, driven in a real headless Chromium.

Uses Debian's ``chromium`` and ``chromedriver`` (``apt-get install chromium
chromium-driver``; ``.ci/run`` installs them) through Selenium. Skipped, with the
reason, only when they are not installed. A screenshot of the article page is saved
to ``build/screenshots/`` and its path printed.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from spacy.language import Language

from onrecord.nlp.pipeline import extract
from onrecord.store.sqlite import SQLiteStore
from onrecord.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "onrecord" / "data" / "demo"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("ONRECORD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = (os.environ.get("ONRECORD_CHROMEDRIVER") or shutil.which("chromedriver")
                or "/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
                       reason="Chromium and ChromeDriver are not installed "
                              "(apt-get install chromium chromium-driver)"),
]

EVIL_TITLE = "<script>alert('title')</script>"
EVIL = ("Harbour News\n"
        "“<script>document.title = 'pwned'; alert(1)</script> is not a plan,” "
        "Mr Lund said.\n"
        "The <img src=x onerror=\"document.title='pwned'\"> budget was cut, "
        "according to <b>officials</b>.\n")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Iterator[str]:
    """A real uvicorn server on a free loopback port over a temp database."""
    import uvicorn

    store = SQLiteStore(tmp_path_factory.mktemp("browser") / "onrecord.db")
    for name, date in (("summit", "2025-09-04"), ("patrol-first-sail", "2025-12-04"),
                       ("velmar-budget", "2025-11-02")):
        text = (DEMO / f"{name}.txt").read_text(encoding="utf-8")
        store.add(extract(text, name, published=date, nlp=nlp))
    evil = extract(EVIL, "evil", published="2025-10-01", nlp=nlp)
    assert any("<script>" in st.content.text for st in evil.statements)
    store.add(evil.model_copy(update={"title": EVIL_TITLE}))

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_url(driver: Any, prefix: str, *parts: str) -> None:
    """Wait for a click or submit to land on the next page before reading it."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(
        lambda d: d.current_url.startswith(prefix) and all(p in d.current_url for p in parts)
    )
    WebDriverWait(driver, 15).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def _no_alert(driver: Any) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert  # noqa: B018 - raises when there is none
    except NoAlertPresentException:
        return True
    return False


def test_article_marks_speaker_page_and_search(base_url: str, browser: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/")
    assert browser.title == "Home · onrecord"
    browser.find_element(By.LINK_TEXT, "summit").click()
    wait_for_url(browser, base_url + "/documents/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "summit"

    # The statements are marked in the text, coloured by the stylesheet, titled by speaker.
    marks = browser.find_elements(By.CSS_SELECTOR, "div.text mark.content")
    assert len(marks) >= 3
    titles = [m.get_attribute("title") for m in marks]
    assert any(t.startswith("Anna de Vries | ") for t in titles)
    first = marks[0]
    assert first.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)",
                                                                  "transparent")
    assert browser.find_elements(By.CSS_SELECTOR, "div.text mark.cue")
    assert browser.find_elements(By.CSS_SELECTOR, "div.text mark.source")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "article-summit.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\n  screenshot of the article page: {shot}")

    # A mark links to itself and shows its statement's details, which link to the entry
    # below the text; the entry opens and names the speaker, whose page is one click away.
    first.click()
    assert browser.current_url.endswith("#S1")
    tip = browser.find_element(By.CSS_SELECTOR, "#S1 + .tip")
    assert tip.is_displayed() and "Anna de Vries" in tip.text
    tip.find_element(By.TAG_NAME, "a").click()
    assert browser.current_url.endswith("#s-S1")
    entry = browser.find_element(By.ID, "s-S1")
    entry.find_element(By.TAG_NAME, "summary").click()
    assert entry.find_element(By.TAG_NAME, "details").get_attribute("open") is not None
    assert "characters" in entry.find_element(By.TAG_NAME, "dl").text
    speaker = entry.find_element(By.CSS_SELECTOR, "summary .who a")
    assert speaker.text == "Anna de Vries"
    speaker.click()
    wait_for_url(browser, base_url + "/people/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Anna de Vries"
    assert browser.title == "Anna de Vries · onrecord"
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "Statements, oldest first" in body and "Erik Lund" in body  # quoted alongside

    # Search from the header form.
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("tram")
    box.submit()
    wait_for_url(browser, base_url + "/search?q=tram")
    hits = browser.find_elements(By.CSS_SELECTOR, "section.articles ol.hits > li")
    assert len(hits) == 1
    assert [m.text.lower() for m in hits[0].find_elements(By.TAG_NAME, "mark")][:1] == ["tram"]
    hits[0].find_element(By.TAG_NAME, "a").click()
    wait_for_url(browser, base_url + "/doc/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "velmar-budget"

    # The quotes filter form.
    browser.get(base_url + "/quotes")
    browser.find_element(By.NAME, "speaker").send_keys("natarajan")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait_for_url(browser, base_url + "/quotes?", "speaker=natarajan")
    quotes = browser.find_elements(By.CSS_SELECTOR, "ol.statements blockquote")
    assert quotes
    assert any("hope, not on money" in q.text for q in quotes)


def test_markup_in_articles_is_shown_as_text_not_run(base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/documents/evil")
    # The title tag shows the markup as text; nothing changed it.
    assert browser.title == f"{EVIL_TITLE} · onrecord"
    assert browser.find_element(By.TAG_NAME, "h1").text == EVIL_TITLE
    assert _no_alert(browser)
    # No element came out of the article: the only script/img elements are none at all.
    assert browser.execute_script("return document.scripts.length") == 0
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.find_elements(By.CSS_SELECTOR, "div.text b") == []
    text = browser.find_element(By.CSS_SELECTOR, "div.text").text
    assert "<script>document.title = 'pwned'; alert(1)</script>" in text
    assert "<img src=x onerror=\"document.title='pwned'\">" in text
    assert "<b>officials</b>" in text
    # The quote is marked, with its markup as the mark's text.
    marked = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "div.text mark.content")]
    assert any("<script>" in m for m in marked)
    # Give an onerror handler, had one been created, time to fire.
    time.sleep(0.3)
    assert "pwned" not in browser.title and _no_alert(browser)

    # The same quote on the quotes page and a reflected search query stay text too.
    browser.get(base_url + "/quotes?speaker=lund")
    assert any("<script>" in q.text for q in
               browser.find_elements(By.CSS_SELECTOR, "ol.statements blockquote"))
    probe = "<img src=x onerror=\"document.title='pwned'\">"
    browser.get(base_url + "/search?" + urlencode({"q": probe}))
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]"
                                ).get_attribute("value") == probe
    assert browser.title == "Search · onrecord" and _no_alert(browser)


# -- the newsroom desk: statement links, keyboard, facets, search, charts, screenshots ----

def _get_json(url: str) -> Any:
    import json
    import urllib.request

    with urllib.request.urlopen(url, timeout=15) as r:  # noqa: S310 - the loopback test server
        return json.loads(r.read().decode("utf-8"))


def _get_text(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=15) as r:  # noqa: S310 - the loopback test server
        return str(r.read().decode("utf-8"))


def _person(base_url: str, name: str) -> int:
    people = _get_json(base_url + "/api/entities?limit=100")["items"]
    return int(next(p["id"] for p in people if p["name"] == name))


def test_a_quote_in_a_list_lands_on_its_words_highlighted_with_details(
        base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(1366, 900)
    browser.get(base_url + "/quotes?speaker=lund")
    quotes = browser.find_elements(By.CSS_SELECTOR, "ol.statements a.quote")
    assert len(quotes) >= 3
    wanted = quotes[-1].text
    quotes[-1].click()
    wait_for_url(browser, base_url + "/doc/", "#S")
    sid = browser.current_url.rsplit("#", 1)[1]
    target = browser.execute_script("return document.querySelector(':target')")
    assert target is not None and target.get_attribute("id") == sid
    # Scrolled to: the words are inside the window, not a screen above or below it.
    top, bottom, height = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight];", target)
    assert top >= 0 and bottom <= height and browser.execute_script(
        "return window.scrollY") > 0
    # Highlighted, with its details open beside it.
    mark = target.find_element(By.TAG_NAME, "mark")
    assert mark.value_of_css_property("outline-style") == "solid"
    assert wanted.strip("“”")[:30] in browser.find_element(By.CSS_SELECTOR, "div.text").text
    tip = browser.find_element(By.CSS_SELECTOR, f"#{sid} + .tip")
    assert tip.is_displayed() and "Erik Lund" in tip.text
    assert tip.location["y"] >= target.location["y"]  # below the words, not elsewhere
    others = [t for t in browser.find_elements(By.CSS_SELECTOR, ".tip") if t.is_displayed()]
    assert others == [tip]


def test_keyboard_alone_opens_a_statements_details(base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(base_url + "/doc/summit")
    body = browser.find_element(By.TAG_NAME, "body")
    body.click()
    focused = None
    for _ in range(40):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        if "st" in (focused.get_attribute("class") or "").split():
            break
    assert focused is not None and focused.get_attribute("id") == "S1"
    tip = browser.find_element(By.CSS_SELECTOR, "#S1 + .tip")
    assert tip.is_displayed() and "Anna de Vries" in tip.text
    # Tab on to the next statement: its details show, the first one's hide.
    for _ in range(10):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        if focused.get_attribute("id") == "S2":
            break
    assert focused.get_attribute("id") == "S2"
    assert browser.find_element(By.CSS_SELECTOR, "#S2 + .tip").is_displayed()
    assert not tip.is_displayed()
    # The entry below opens with Enter on its summary, too.
    summary = browser.find_element(By.CSS_SELECTOR, "#s-S2 summary")
    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    assert browser.find_element(By.CSS_SELECTOR, "#s-S2 details").get_attribute("open")


def _facet_narrows(base_url: str, browser: Any, heading: str,
                   param: str) -> tuple[str, list[dict[str, str]]]:
    """Click the second (else first) link of a facet on /quotes: the list narrows to its
    count, and the page's CSV link returns exactly the rows shown. The link's label and
    the CSV's rows."""
    import csv
    import io

    from selenium.webdriver.common.by import By

    browser.get(base_url + "/quotes")
    before = len(browser.find_elements(By.CSS_SELECTOR, "ol.statements > li"))
    items = browser.find_elements(By.XPATH, f"//aside[@class='facets']//h2[.='{heading}']"
                                            "/following-sibling::ul/li")
    assert items, heading
    facet = items[1] if len(items) > 1 else items[0]
    count = int(facet.find_element(By.CSS_SELECTOR, ".count").text)
    name = facet.find_element(By.TAG_NAME, "a").text
    facet.find_element(By.TAG_NAME, "a").click()
    wait_for_url(browser, base_url + "/quotes?", param)
    rows = browser.find_elements(By.CSS_SELECTOR, "ol.statements > li")
    assert 0 < len(rows) == count < before
    csv_url = browser.find_element(By.CSS_SELECTOR, "a.csv").get_attribute("href")
    assert param in csv_url
    table = list(csv.DictReader(io.StringIO(_get_text(csv_url))))
    assert len(table) == count
    shown = [q.text.strip("“”") for q in
             browser.find_elements(By.CSS_SELECTOR, "ol.statements blockquote")]
    assert sorted(shown) == sorted(r["content"] for r in table)
    return name, table


def test_a_facet_narrows_the_list_and_the_csv_has_its_rows(base_url: str,
                                                          browser: Any) -> None:
    from selenium.webdriver.common.by import By

    name, table = _facet_narrows(base_url, browser, "Speaker", "speaker_id=")
    assert browser.find_element(By.TAG_NAME, "h1").text == f"Quotes by {name}"
    assert all(name in r["speakers"] for r in table)


def test_a_place_or_person_named_narrows_the_list_and_its_csv(base_url: str,
                                                             browser: Any) -> None:
    from selenium.webdriver.common.by import By

    name, table = _facet_narrows(base_url, browser, "Places named", "mentions=")
    assert all(name in r["content"] for r in table)
    assert browser.find_element(By.XPATH, "//aside[@class='facets']//h2[.='Places named']"
                                          f"/following-sibling::ul//strong[.='{name}']")
    name, table = _facet_narrows(base_url, browser, "People named", "mentions=")
    assert all(name.split()[-1] in r["content"] for r in table)


def test_searching_a_name_shows_their_quotes(base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(base_url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("Natarajan")
    box.submit()
    wait_for_url(browser, base_url + "/search?q=Natarajan")
    people = browser.find_elements(By.CSS_SELECTOR, "section.people-hits a")
    assert [p.text for p in people] == ["Priya Natarajan"]
    quotes = browser.find_elements(By.CSS_SELECTOR, "section.quotes-by blockquote")
    assert quotes and any("hope, not on money" in q.text for q in quotes)


def test_the_person_chart_has_a_bar_per_week(base_url: str, browser: Any) -> None:
    import datetime as dt

    from selenium.webdriver.common.by import By

    pid = _person(base_url, "Anna de Vries")
    items = _get_json(base_url + f"/api/statements?speaker_id={pid}&limit=100")["items"]
    weeks = {dt.date.fromisoformat(st["published"][:10]).isocalendar()[:2] for st in items}
    browser.get(base_url + f"/people/{pid}")
    bars = browser.find_elements(By.CSS_SELECTOR, "#weeks svg rect.bar")
    assert len(bars) == len(weeks) >= 2 and all(b.is_displayed() for b in bars)
    assert all(float(b.get_attribute("height")) > 0 for b in bars)
    table = browser.find_element(By.CSS_SELECTOR, "#weeks details.numbers table")
    assert not table.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#weeks details.numbers summary").click()
    assert table.is_displayed()
    assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) == len(weeks)


def test_screenshots_of_each_page_at_desk_and_phone_width(
        base_url: str, browser: Any, capsys: pytest.CaptureFixture[str]) -> None:
    pid = _person(base_url, "Anna de Vries")
    pages = {"home": "/", "quotes": "/quotes", "article": "/doc/summit#S5",
             "person": f"/people/{pid}", "people": "/people", "search": "/search?q=Lund",
             "timeline": "/timeline", "briefing": "/digest?date=2025-12-04", "docs": "/docs"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for width in (1366, 390):
            browser.set_window_size(width, 900)
            for name, path in pages.items():
                browser.get(base_url + path)
                # No page is wider than the window (nothing to scroll sideways on a phone).
                assert browser.execute_script(
                    "return document.documentElement.scrollWidth <= window.innerWidth + 1"
                ), (name, width)
                shot = SCREENSHOTS / f"{name}-{width}.png"
                assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5_000
                written.append(shot)
    finally:
        browser.set_window_size(1280, 1600)
    with capsys.disabled():
        print(f"\n  {len(written)} screenshots in {SCREENSHOTS}")


def test_a_tap_on_a_quote_shows_its_details(base_url: str, browser: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 900)
    try:
        browser.get(base_url + "/doc/summit")
        mark = browser.find_element(By.CSS_SELECTOR, "#S4")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
        tip = browser.find_element(By.CSS_SELECTOR, "#S4 + .tip")
        assert not tip.is_displayed()
        finger = PointerInput(interaction.POINTER_TOUCH, "finger")
        actions = ActionChains(browser)
        actions.w3c_actions = ActionBuilder(browser, mouse=finger)
        actions.w3c_actions.pointer_action.move_to(mark).pointer_down().pointer_up()
        actions.perform()
        assert browser.current_url.endswith("#S4")
        assert tip.is_displayed() and "Anna de Vries" in tip.text
    finally:
        browser.set_window_size(1280, 1600)
