"""A CR/LF in a feed item's title: titles stay single-line, the digest renders and is
sent, no header is built from it, and a malformed --to is a usage error."""

from __future__ import annotations

import datetime as dt
import email
import threading
from collections.abc import Iterator
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.cli import main
from onrecord.record import Document

HOSTILE_TITLE = "Hospital cuts&#13;&#10;Bcc: x@y"
PAGE = ("<html><head><meta property='article:published_time' content='2025-11-05'></head>"
        "<body><article>"
        + "".join(f"<p>The health board said on Tuesday that the hospital in Velmar would cut "
                  f"{k} wards next spring, after a review found that the budget could not "
                  f"cover the costs of the older buildings.</p>" for k in range(3, 8))
        + "</article></body></html>").encode()


@pytest.fixture
def site() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/feed.rss":
                body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local'
                        f"</title><item><title>{HOSTILE_TITLE}</title><link>{base}/story"
                        f"</link></item></channel></rss>").encode()
                ctype = "application/rss+xml"
            else:
                body, ctype = PAGE, "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def db(site: str, tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = tmp_path / "onrecord.db"
    assert main(["ingest", "--db", str(path), "--allow-private", "--timeout", "5",
                 site + "/feed.rss"]) == 0
    return path


def test_titles_are_single_line(db: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    doc = Document.model_validate_json(capsys.readouterr().out.splitlines()[0])
    assert doc.title == "Hospital cuts Bcc: x@y"
    assert Document(id="x", text="t", title="a\r\nb\u2028c").title == "a b c"


def test_digest_renders_with_a_hostile_title(db: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["digest", "--db", str(db), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "## 1. Hospital cuts Bcc: x@y" in md and "\r" not in md
    assert main(["digest", "--db", str(db), "--format", "email",
                 "--to", "ed@example.org"]) == 0
    msg = email.message_from_string(capsys.readouterr().out, policy=policy.default)
    assert msg["Bcc"] is None and "Hospital cuts Bcc: x@y" in msg["Subject"]


def test_digest_is_sent_with_a_hostile_title(db: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, smtp_server):
    port, received = smtp_server
    monkeypatch.setenv("ONRECORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ONRECORD_SMTP_PORT", str(port))
    monkeypatch.setenv("ONRECORD_SMTP_FROM", "brief@example.org")
    code = main(["digest", "--db", str(db), "--send", "--to", "ed@example.org"])
    assert code == 0, capsys.readouterr().err
    (sent,) = received
    msg = email.message_from_bytes(sent.content, policy=policy.default)
    assert msg["Bcc"] is None and "Hospital cuts Bcc: x@y" in msg["Subject"]


@pytest.mark.parametrize("to", ["ed@example.org\r\nBcc: x@y", "not an address", "a@b@c.org",
                                "Ed <ed@example.org>", " , "])
def test_malformed_to_is_a_usage_error(db: Path, capsys: pytest.CaptureFixture[str], to: str):
    assert main(["digest", "--db", str(db), "--format", "email", "--to", to]) == 2
    assert "--to" in capsys.readouterr().err


def test_the_daily_schedule_sends_a_hostile_title(db: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch, smtp_server):
    """`digest --every` (which exited 1 on this title) sends it: one scheduler check on the
    article's day, after the hour, instead of a loop that waits for the clock."""
    from onrecord.digest.schedule import Scheduler

    port, received = smtp_server
    monkeypatch.setenv("ONRECORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ONRECORD_SMTP_PORT", str(port))
    monkeypatch.setenv("ONRECORD_SMTP_FROM", "brief@example.org")

    def one_check(self: Scheduler, stop: object = None) -> None:
        self.now = lambda: dt.datetime(2025, 11, 5, 18, 0)
        assert self.tick()

    monkeypatch.setattr(Scheduler, "run", one_check)
    code = main(["digest", "--db", str(db), "--every", "17:00", "--to", "ed@example.org"])
    assert code == 0, capsys.readouterr().err
    (sent,) = received
    msg = email.message_from_bytes(sent.content, policy=policy.default)
    assert msg["Bcc"] is None and "Hospital cuts Bcc: x@y" in msg["Subject"]
