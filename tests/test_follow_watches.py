"""Watches: a speaker watch and a topic watch over a follow cycle of matching and other
articles get exactly the matching statements, once each, in one email per address (a local
aiosmtpd server) and in each watch's Atom feed (read back with feedparser); a second cycle
sends nothing new."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email import message_from_bytes, policy

import feedparser
import pytest
from fastapi.testclient import TestClient

from feedsite import Site, article, running
from onrecord.cli import main
from onrecord.digest.config import Settings, SMTPSettings
from onrecord.follow.poll import Follower, FollowSettings
from onrecord.follow.service import cycle_hook
from onrecord.store.base import StatementQuery
from onrecord.store.sqlite import SQLiteStore
from onrecord.web.app import create_app


@pytest.fixture
def site() -> Iterator[Site]:
    with running("User-agent: *\nAllow: /\n") as s:
        yield s


def _body(content: bytes) -> str:
    msg = message_from_bytes(content, policy=policy.default)
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_watches_deliver_each_match_once(site: Site, nlp, smtp_server, tmp_path,  # noqa: ANN001
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "none.toml"))
    port, received = smtp_server
    db = tmp_path / "db.sqlite"
    assert main(["watch", "add", "--db", str(db), "--speaker", "Tomas Reyes",
                 "--email", "desk@example.org"]) == 0
    assert main(["watch", "add", "--db", str(db), "--about", "ferry",
                 "--email", "desk@example.org"]) == 0
    assert main(["watch", "add", "--db", str(db), "--entity", "Velmar"]) == 0
    assert main(["watch", "rm", "3", "--db", str(db)]) == 0
    assert main(["watch", "add", "--db", str(db), "--speaker", "x", "--about", "y"]) == 2

    site.page("/n/reyes", "Tram", article(1, "Mayor Tomas Reyes", "harbour tram"))
    site.page("/n/ferry", "Ferry", article(2, "Anna Berg", "ferry link"))
    site.page("/n/other", "Bus", article(3, "Anna Berg", "bus lane"))
    site.feed("/feed.xml", "News", [("/n/reyes", "Tram"), ("/n/ferry", "Ferry"),
                                    ("/n/other", "Bus")])
    store = SQLiteStore(db)
    settings = Settings(smtp=SMTPSettings(host="127.0.0.1", port=port,
                                          sender="onrecord@example.org"))
    clock = [dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)]
    follower = Follower(store, [site.url + "/feed.xml"],
                        FollowSettings(every=60, allow_private=True, timeout=5, host_interval=0),
                        nlp=nlp, after_store=cycle_hook(store, settings), clock=lambda: clock[0])
    report = follower.cycle()
    assert report.stored == 3 and report.failed == []

    said = store.statements(StatementQuery(speaker="Tomas Reyes")).items
    about = store.statements(StatementQuery(about="ferry")).items
    everything = store.statements(StatementQuery(), limit=100).items
    assert len(said) == 1 and about and len(everything) > len(said) + len(about)
    assert report.matches == len(said) + len(about)
    assert len(received) == 1
    mail = received[0]
    assert mail.rcpt_tos == ["desk@example.org"]
    text = _body(mail.content)
    for st in said + about:
        assert text.count(st.content) == 1, st.content
        assert f"/doc/{st.document}#{st.local_id}" in text
    for st in everything:
        if st.id not in {s.id for s in said + about}:
            assert st.content not in text, st.content
    assert "said by Tomas Reyes" in text and "about “ferry”" in text

    client = TestClient(create_app(store))
    for watch_id, expected in ((1, said), (2, about)):
        feed = feedparser.parse(client.get(f"/watch/{watch_id}.atom").content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert sorted(e.summary for e in feed.entries) == sorted(st.content for st in expected)
        assert {e.link.split("/doc/")[1] for e in feed.entries} == {
            f"{st.document}#{st.local_id}" for st in expected}
        page = client.get(f"/watch/{watch_id}")
        assert page.status_code == 200
        assert f'href="/doc/{expected[0].document}#{expected[0].local_id}"' in page.text
    assert client.get("/watch/3.atom").status_code == 404
    assert "Tomas Reyes" in client.get("/watches").text
    health = client.get("/health").json()
    assert health["feeds"] == 1 and health["failing"] == [] and health["last_cycle"]
    assert health["store"]["documents"] == 3 and health["store"]["bytes"] > 0
    assert "127.0.0.1" in client.get("/sources").text

    # A second cycle: one more article that matches no watch; nothing new is sent.
    clock[0] += dt.timedelta(seconds=120)
    site.page("/n/late", "Late", article(4, "Anna Berg", "night trains"))
    site.feed("/feed.xml", "News", [("/n/late", "Late"), ("/n/reyes", "Tram"),
                                    ("/n/ferry", "Ferry"), ("/n/other", "Bus")])
    again = follower.cycle()
    assert again.stored == 1 and again.matches == 0
    assert len(received) == 1
    assert len(feedparser.parse(client.get("/watch/1.atom").content).entries) == 1
    store.close()
