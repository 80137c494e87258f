"""The README's quick start is three commands that follow a feed file and watch a speaker, and
they work: run against a local site (its URLs for the example ones, plus a database, --once
and --allow-private), the watched speaker's statement arrives by mail."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from feedsite import Site, article, running
from onrecord.cli import build_parser, main

README = Path(__file__).resolve().parents[1] / "README.md"


def quick_start() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Quick start"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
def site() -> Iterator[Site]:
    with running("User-agent: *\nAllow: /\n") as s:
        yield s


def test_quick_start_is_three_commands_that_parse() -> None:
    lines = quick_start()
    assert len(lines) == 3
    feeds, watch, follow = lines
    assert "> feeds.txt" in feeds and "http" in feeds
    assert watch.startswith("onrecord watch add ") and follow.startswith("onrecord follow ")
    for line in (watch, follow):
        build_parser().parse_args(shlex.split(line)[1:])


@pytest.mark.slow
def test_quick_start_follows_and_alerts(site: Site, smtp_server, tmp_path: Path,  # noqa: ANN001
                                        monkeypatch: pytest.MonkeyPatch, nlp) -> None:  # noqa: ANN001
    port, received = smtp_server
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("ONRECORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ONRECORD_SMTP_PORT", str(port))
    feeds, watch, follow = quick_start()
    urls = re.findall(r"https?://\S+", feeds)
    assert urls
    site.page("/n/1", "Tram", article(1, "Mayor Tomas Reyes", "harbour tram"))
    site.feed("/feed.xml", "News", [("/n/1", "Tram")])
    (tmp_path / "feeds.txt").write_text(f"{site.url}/feed.xml\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "onrecord.db")]
    assert main(shlex.split(watch)[1:] + db) == 0
    assert main(shlex.split(follow)[1:] + db + ["--once", "--allow-private"]) == 0
    assert len(received) == 1 and received[0].rcpt_tos == ["desk@example.org"]
    mail = message_from_bytes(received[0].content, policy=policy.default)
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and "harbour tram on time" in str(body.get_content())
    assert "said by Tomas Reyes" in str(mail["Subject"])
