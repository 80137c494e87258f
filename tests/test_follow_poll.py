"""`onrecord follow` cycles against a local site whose two feeds change between cycles.

Cycle by cycle: new items stored once, 304s answered without refetching anything, a 404
given up at once, a page too large and a robots.txt-disallowed page never stored (the
latter never requested), a timeout retried next cycle, a feed answering 500 retried
within the cycle with doubling backoff, then polled less often, then recovering. The
clock is the test's and the fetcher's sleeps are recorded, so nothing waits for real
except the one timeout.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator

import pytest

from feedsite import Site, article, running
from onrecord.follow.poll import Follower, FollowSettings
from onrecord.follow.sources import SourcesError, read_sources
from onrecord.follow.state import Policy, parse_every
from onrecord.ingest.fetch import Fetcher, FetchError
from onrecord.store.base import FeedState
from onrecord.store.sqlite import SQLiteStore

EVERY = 900.0


@pytest.fixture
def site() -> Iterator[Site]:
    with running("User-agent: *\nDisallow: /a/private/\n") as s:
        yield s


def test_follow_cycles_against_a_changing_site(site: Site, nlp, tmp_path,  # noqa: ANN001
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="onrecord.follow")
    a, b = "/a/feed.xml", "/b/feed.xml"
    for n, path in enumerate(("/a/one", "/a/two", "/a/private/three", "/b/one", "/b/slow")):
        site.page(path, f"Story {path}", article(n, "Mayor Tomas Reyes", "harbour tram"))
    site.page("/a/big", "Big", ["x" * 60_000])
    site.page("/b/slow", "Slow", article(9, "Mayor Tomas Reyes", "ferry link"), delay=3.0)
    site.feed(a, "A", [("/a/one", "One"), ("/a/two", "Two"), ("/a/private/three", "Three"),
                       ("/a/big", "Big"), ("/a/gone", "Gone")])
    site.feed(b, "B", [("/b/one", "B one"), ("/b/slow", "B slow")])
    store = SQLiteStore(tmp_path / "db.sqlite")
    clock = [dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)]
    sleeps: list[float] = []
    settings = FollowSettings(every=EVERY, allow_private=True, timeout=1.0, retries=2,
                              backoff=5.0, host_interval=0.0, max_bytes=50_000)
    follower = Follower(store, [site.url + a, site.url + b], settings, nlp=nlp,
                        clock=lambda: clock[0], sleep=sleeps.append)

    def stored() -> dict[str, int]:
        con = sqlite3.connect(store.path)
        try:
            return dict(con.execute("SELECT url, COUNT(*) FROM documents GROUP BY url"))
        finally:
            con.close()

    # 1: everything is new. The timeout is retried within the cycle (transient), the 404
    # and the oversized page are not, the disallowed page is never requested.
    r1 = follower.cycle()
    assert (r1.polled, r1.not_modified, r1.new_items, r1.stored) == (2, 0, 7, 3)
    assert stored() == {site.url + p: 1 for p in ("/a/one", "/a/two", "/b/one")}
    assert site.hits("/a/private/three") == 0 and site.hits("/robots.txt") == 1
    assert site.hits("/a/gone") == 1 and site.hits("/a/big") == 1
    assert site.hits("/b/slow") == 3 and sleeps == [5.0, 10.0]
    failed = dict(r1.failed)
    assert "disallowed by robots.txt" in failed[site.url + "/a/private/three"]
    assert "too large" in failed[site.url + "/a/big"]
    assert "HTTP 404" in failed[site.url + "/a/gone"]
    assert "timed out" in failed[site.url + "/b/slow"]
    logged = [r.getMessage() for r in caplog.records]
    for url, reason in r1.failed:  # each error logged with its URL and reason
        assert f"{url}: {reason}" in logged
    assert any(m.startswith("cycle: 2 feeds polled, 0 not modified, 7 new items, 3 stored, "
                            "4 failed") for m in logged)

    # 2: feed A unchanged (304, nothing refetched); feed B fails with 500 on every try;
    # the slow page now answers and is stored; the 404 is not asked again.
    clock[0] += dt.timedelta(seconds=EVERY)
    site.routes["/b/slow"].delay = 0.0
    site.routes[b].status = 500
    sleeps.clear()
    r2 = follower.cycle()
    assert (r2.polled, r2.not_modified, r2.stored) == (2, 1, 1)
    assert any(h.get("If-None-Match") for p, h in site.requests if p == a)
    assert site.hits(b) == 1 + 3 and sleeps == [5.0, 10.0]  # first poll + 3 tries
    assert "HTTP 500 (after 3 tries)" in dict(r2.failed)[site.url + b]
    assert f"{site.url + b}: fetch failed: HTTP 500 (after 3 tries)" in [
        r.getMessage() for r in caplog.records]
    assert site.hits("/a/gone") == 1 and site.hits("/a/big") == 1
    assert site.hits("/a/one") == site.hits("/a/two") == site.hits("/b/one") == 1
    assert stored()[site.url + "/b/slow"] == 1
    state = {s.url: s for s in store.feed_states()}[site.url + b]
    assert state.failures == 1 and "HTTP 500" in (state.last_error or "")
    assert state.next_poll == (clock[0] + dt.timedelta(seconds=2 * EVERY)).isoformat()

    # 3: one interval later feed B is still backing off (not polled); A has a new item.
    clock[0] += dt.timedelta(seconds=EVERY)
    site.routes[b].status = 200
    site.page("/a/four", "Four", article(4, "Anna Berg", "bus lane"))
    site.feed(a, "A", [("/a/four", "Four"), ("/a/one", "One"), ("/a/two", "Two"),
                       ("/a/private/three", "Three"), ("/a/big", "Big"), ("/a/gone", "Gone")])
    r3 = follower.cycle()
    assert (r3.polled, r3.new_items, r3.stored, r3.failed) == (1, 1, 1, [])
    assert site.hits(b) == 4
    assert stored() == {site.url + p: 1 for p in ("/a/one", "/a/two", "/a/four", "/b/one",
                                                  "/b/slow")}
    assert site.hits("/a/one") == site.hits("/a/two") == 1

    # 4: past its backoff, feed B recovers (conditional GET on the validators it had).
    clock[0] += dt.timedelta(seconds=2 * EVERY)
    site.page("/b/two", "B two", article(5, "Anna Berg", "night trains"))
    site.feed(b, "B", [("/b/two", "B two"), ("/b/one", "B one"), ("/b/slow", "B slow")])
    r4 = follower.cycle()
    assert (r4.polled, r4.not_modified, r4.new_items, r4.stored, r4.failed) == (2, 1, 1, 1, [])
    state = {s.url: s for s in store.feed_states()}[site.url + b]
    assert state.failures == 0 and state.last_error is None
    assert stored()[site.url + "/b/two"] == 1 and site.hits("/b/one") == 1
    assert len(stored()) == 6 and set(stored().values()) == {1}

    # 5: nothing new anywhere: two 304s, no page fetched.
    clock[0] += dt.timedelta(seconds=EVERY)
    before = len(site.requests)
    r5 = follower.cycle()
    assert (r5.polled, r5.not_modified, r5.new_items, r5.stored) == (2, 2, 0, 0)
    assert [p for p, _ in site.requests[before:]] in ([a, b], [b, a])
    expected = ("/a/one", "/a/two", "/a/four", "/b/one", "/b/two", "/b/slow")
    assert stored() == {site.url + p: 1 for p in expected}  # every new item exactly once
    for path in expected[:-1]:  # each fetched once; the slow one 3 tries + 1 next cycle
        assert site.hits(path) == 1, path
    assert site.hits("/b/slow") == 4
    assert site.hits("/a/private/three") == 0
    store.close()


def test_policy_backs_off_and_recovers() -> None:
    policy = Policy(every=60, max_wait=300)
    state = FeedState("http://example.org/feed")
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    waits = []
    for _ in range(4):
        policy.polled(state, now, "fetch failed: HTTP 503")
        waits.append((dt.datetime.fromisoformat(state.next_poll or "") - now).total_seconds())
    assert waits == [120, 240, 300, 300] and state.failures == 4
    policy.polled(state, now, None)
    assert state.failures == 0 and state.next_poll == (now + dt.timedelta(seconds=60)).isoformat()


def test_host_gate_spaces_fetches_from_one_host(site: Site) -> None:
    site.page("/x", "X", ["A page."])
    sleeps: list[float] = []
    fetcher = Fetcher(allow_private=True, timeout=2.0, host_interval=30.0, sleep=sleeps.append)
    for _ in range(3):
        fetcher.fetch(site.url + "/x")
    fetcher.close()
    assert len(sleeps) == 2 and 25 < sleeps[0] <= 30 and 55 < sleeps[1] <= 60


def test_a_4xx_is_never_retried(site: Site) -> None:
    sleeps: list[float] = []
    fetcher = Fetcher(allow_private=True, timeout=2.0, retries=3, sleep=sleeps.append)
    with pytest.raises(FetchError, match="HTTP 404") as err:
        fetcher.fetch(site.url + "/nothing")
    fetcher.close()
    assert not err.value.transient and sleeps == [] and site.hits("/nothing") == 1


def test_sources_files(tmp_path) -> None:  # noqa: ANN001
    text = tmp_path / "feeds.txt"
    text.write_text("# news\nhttps://a.example/feed.xml\n\nhttps://b.example/page  # a page\n"
                    "https://a.example/feed.xml\n")
    assert read_sources(text) == ["https://a.example/feed.xml", "https://b.example/page"]
    toml = tmp_path / "onrecord.toml"
    toml.write_text('[follow]\nsources = "feeds.txt"\nevery = "5m"\n')
    assert read_sources(toml) == read_sources(text)
    (tmp_path / "bad.txt").write_text("ftp://x.example/\n")
    with pytest.raises(SourcesError, match="not an http"):
        read_sources(tmp_path / "bad.txt")
    assert parse_every("15m") == 900 and parse_every("90s") == 90 and parse_every("2") == 2


def test_the_example_deploy_config_loads() -> None:
    from pathlib import Path

    from onrecord.digest.config import load_settings
    from onrecord.follow.config import load_run_settings

    path = Path(__file__).resolve().parents[1] / "deploy" / "onrecord.toml"
    cfg = load_run_settings(path)
    assert cfg.sources == ["https://example.org/politics/feed.xml", "https://example.org/city/rss"]
    assert cfg.follow.every == 900 and cfg.follow.retries == 2 and not cfg.follow.allow_private
    assert cfg.briefing_at == dt.time(17, 0) and cfg.port == 8000
    assert cfg.db == "/var/lib/onrecord/onrecord.db"
    assert load_settings(path, env={}).smtp.recipients == ["desk@example.org"]


def test_run_config_refuses_what_it_cannot_use(tmp_path) -> None:  # noqa: ANN001
    from onrecord.follow.config import RunConfigError, load_run_settings

    cfg = tmp_path / "onrecord.toml"
    cfg.write_text('[follow]\nsources = ["https://a.example/feed"]\nevery = "soon"\n')
    with pytest.raises(RunConfigError, match="every"):
        load_run_settings(cfg)
    cfg.write_text('[follow]\nsources = ["https://a.example/feed"]\nevry = "5m"\n')
    with pytest.raises(RunConfigError, match="unknown setting 'evry'"):
        load_run_settings(cfg)
    cfg.write_text('[follow]\nsources = ["https://a.example/feed"]\n[digest]\nat = 07:30:00\n')
    assert load_run_settings(cfg).briefing_at == dt.time(7, 30)
    cfg.write_text('[follow]\nsources = ["https://a.example/feed"]\n[digest]\nat = "off"\n')
    assert load_run_settings(cfg).briefing_at is None
