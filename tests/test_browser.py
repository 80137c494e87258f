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

    # A mark links to its statement's entry below the text; the entry opens and names
    # the speaker, whose page is one click away.
    first.click()
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
    hits = browser.find_elements(By.CSS_SELECTOR, "ol.hits > li")
    assert len(hits) == 1
    assert [m.text.lower() for m in hits[0].find_elements(By.TAG_NAME, "mark")][:1] == ["tram"]
    hits[0].find_element(By.TAG_NAME, "a").click()
    wait_for_url(browser, base_url + "/documents/")
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
