"""A page's publication date (kept apart from its update) and its headline."""

from __future__ import annotations

from datetime import date

import pytest
from trafilatura.utils import load_html

from onrecord.ingest.datetext import numeric_dates, visible_text, worded_dates
from onrecord.ingest.headline import headline, strip_site
from onrecord.ingest.pubdate import candidates, choose, iso_day, page_dates

BODY = "<p>" + "The council met to discuss the harbour plan and its cost. " * 8 + "</p>"


def dates_of(head: str, body: str, lang: str = "en"):
    html = (f'<html lang="{lang}"><head><title>Pier plan | Gazette</title>{head}</head>'
            f"<body>{body}</body></html>")
    return page_dates(load_html(html), "https://gazette.example.com/news/pier")


@pytest.mark.parametrize("stamp, day", [
    ("2025-03-11T08:30:00.000Z", "2025-03-11"),       # milliseconds
    ("2025-03-11T23:30:00-05:00", "2025-03-11"),      # the day as written, not UTC's
    ("2025-03-11", "2025-03-11"),
    ("0001-01-01T00:00:00Z", None),                    # a placeholder declares nothing
    ("2025-02-30", None),
    ("11 March 2025", None),
])
def test_iso_day(stamp: str, day: str | None):
    assert iso_day(stamp) == day


def test_published_fields_first_and_update_kept_apart():
    head = ('<meta property="article:modified_time" content="2025-05-02T10:00:00Z">'
            '<meta property="article:published_time" content="2025-03-11T08:30:00.123Z">')
    found = dates_of(head, f"<h1>Pier plan</h1>{BODY}")
    assert (found.published, found.source, found.updated) == ("2025-03-11", "meta", "2025-05-02")


def test_json_ld_article_object_before_the_web_page():
    ld = ('<script type="application/ld+json">{"@graph": ['
          '{"@type": "WebPage", "datePublished": "2020-01-01"},'
          '{"@type": "NewsArticle", "datePublished": "2025-03-11T08:30:00+01:00",'
          ' "dateModified": "2025-03-12"}]}</script>')
    found = dates_of(ld, f"<h1>Pier plan</h1><p>By Anna Berg, 11 March 2025</p>{BODY}")
    assert (found.published, found.source, found.updated) == ("2025-03-11", "json-ld", "2025-03-12")


def test_a_modified_date_alone_is_not_published():
    head = '<meta property="article:modified_time" content="2025-05-02T10:00:00Z">'
    found = dates_of(head, f"<h1>Pier plan</h1>{BODY}")
    assert found.published is None and found.updated == "2025-05-02"


def test_byline_date_under_the_headline_not_the_cards():
    body = ('<h1>Pier plan</h1><div class="byline">By Anna Berg · Published March 4, 2025 · '
            f"Updated June 9, 2025</div>{BODY}"
            '<div class="related-posts"><p>Older story, January 2, 2024</p></div>')
    found = dates_of("", body)
    assert (found.published, found.source) == ("2025-03-04", "byline")
    assert "2024-01-02" not in candidates(load_html(f"<html><body>{body}</body></html>"), None)[0]


def test_a_shown_update_does_not_beat_the_declared_publication():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
          '"datePublished": "2025-03-11", "dateModified": "2025-06-09"}</script>'
          '<meta property="article:published_time" content="2025-03-11T08:00:00Z">')
    found = dates_of(ld, f"<h1>Pier plan</h1><p>Updated June 9, 2025</p>{BODY}")
    assert found.published == "2025-03-11" and found.updated == "2025-06-09"


def test_a_shown_update_is_the_date_when_the_declared_one_is_too_weak():
    found = {"2025-03-11": {"ld_published"}, "2025-06-09": {"modified", "shown"}}
    weak = {"none": 1.0, "ld_published": 0.5, "modified": 0.2, "shown": 2.0}
    assert choose(found, weak) == "2025-06-09"
    assert choose(found, weak | {"ld_published": 1.5}) == "2025-03-11"
    assert choose(found, weak | {"shown": 0.5}) is None


def test_the_no_date_candidate_wins_on_weak_evidence():
    found = {"2025-03-04": {"shown", "below_headline"}, "2024-01-01": {"meta_modified"}}
    assert choose(found, {"none": 0.5, "shown": 0.2, "meta_modified": 1.0}) == "2024-01-01"
    assert choose(found, {"none": 1.5, "shown": 0.2, "meta_modified": 1.0}) is None


def test_a_date_shown_without_its_year_counts_for_the_declared_day():
    head = '<meta property="article:published_time" content="2025-04-12T10:00:00Z">'
    tree = load_html(f"<html><head>{head}</head><body><h1>Pier plan</h1>"
                     f"<p>Anna Berg · Apr 12 · 5 min read</p>{BODY}</body></html>")
    features = candidates(tree, None)[0]["2025-04-12"]
    assert {"meta_published", "shown", "near_after", "first_near"} <= features


def test_no_date_on_the_page_means_none():
    found = dates_of("", f"<h1>Pier plan</h1>{BODY}")
    assert found.published is None and found.source is None


def test_day_month_order_from_the_page_language():
    page = f'<html lang="en-US"><body><h1>x</h1>3/4/2025 {BODY}</body></html>'
    us = visible_text(load_html(page))
    assert [d.day for d in numeric_dates(us.text, True, date(2026, 1, 1))] == ["2025-03-04"]
    assert [d.day for d in numeric_dates(us.text, False, date(2026, 1, 1))] == ["2025-04-03"]
    assert dates_of("", f"<h1>Pier plan</h1><p>3/4/2025</p>{BODY}", "en-GB").published == (
        "2025-04-03")
    assert dates_of("", f"<h1>Pier plan</h1><p>3/4/2025</p>{BODY}", "en-US").published == (
        "2025-03-04")


def test_day_month_order_from_the_page_stamps():
    head = '<meta property="article:published_time" content="2025-12-02T10:00:00Z">'
    shown = f"<h1>Pier plan</h1><p>By Anna Berg, 02-12-2025</p>{BODY}"
    features = candidates(load_html(f'<html lang="en"><head>{head}</head><body>{shown}'
                                    "</body></html>"), None)[0]
    assert "2025-02-12" not in features and "near_after" in features["2025-12-02"]


def test_a_widget_holding_most_of_the_page_is_its_main_column():
    post = (f'<div class="widget Blog"><h2 class="date-header">Monday, September 8, 2008</h2>'
            f"<h3>Pier plan</h3>{BODY}</div>")
    side = '<div class="widget"><p>Archive: October 2, 2008</p></div>'
    seen = visible_text(load_html(f"<html><body><h1>Gazette</h1>{post}{side}</body></html>"))
    assert "September 8, 2008" in seen.text and "October 2, 2008" not in seen.text


def test_dates_after_today_are_not_seen():
    text = "Event on March 4, 2099 and report of March 4, 2025"
    assert [d.day for d in worded_dates(text, date(2026, 1, 1))] == ["2025-03-04"]


def headline_of(head: str, body: str) -> str | None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return headline(load_html(html), "The Coastal Gazette", "www.coastalgazette.com")


def test_headline_is_the_one_visible_h1():
    head = '<meta property="og:title" content="Pier to cost 4m euros, SEO version">'
    assert headline_of(head, "<h1> Harbour pier to be\n rebuilt </h1>") == (
        "Harbour pier to be rebuilt")


def test_headline_among_several_h1s_is_the_one_the_title_names():
    head = "<title>Harbour pier to be rebuilt - The Coastal Gazette</title>"
    body = "<h1>The Coastal Gazette</h1><h1>Harbour pier to be rebuilt</h1>"
    assert headline_of(head, body) == "Harbour pier to be rebuilt"


def test_headline_from_the_title_without_the_site():
    assert headline_of("<title>Harbour pier to be rebuilt | The Coastal Gazette</title>",
                       BODY) == "Harbour pier to be rebuilt"
    assert strip_site("CoastalGazette - Pier plan: what it costs", None,
                      "coastalgazette.com") == "Pier plan: what it costs"
    assert strip_site("Pier plan - what it costs", None, "example.com") == (
        "Pier plan - what it costs")
