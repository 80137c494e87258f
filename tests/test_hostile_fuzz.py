"""Generated hostile inputs (cut or bit-flipped gzip, WARC, HTML, JSON Lines, feeds; mixed
encodings) through ``onrecord ingest`` beside good files: no traceback, every good file
stored, every document accounted for, each failure one line naming it, the store intact."""

from __future__ import annotations

import gzip
import io
import random
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.cli import main

GOOD = ["The harbour board said on Monday that pier {n} would reopen in the spring.\n",
        "“We will rebuild the school roof by June,” the mayor of Velmar said on day {n}.\n"]
PARA = "<p>The council said on Tuesday that the bridge {n} would close for repairs in May.</p>"
SUMMARY = re.compile(r"onrecord: (\d+) documents read, (\d+) stored, (\d+) new versions, "
                     r"(\d+) unchanged, (\d+) failed, (\d+) skipped")


def _html(n: int) -> bytes:
    return (f"<html><head><title>Bridge {n}</title></head><body><article>"
            + PARA.format(n=n) * 4 + "</article></body></html>").encode()


def _warc(n: int, gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for k in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"http://example.com/{n}/{k}", "response", payload=io.BytesIO(_html(n + k)),
            http_headers=headers))
    return buf.getvalue()


def _jsonl(n: int) -> bytes:
    return (f'{{"id": "j{n}", "text": "The mayor said on Monday that lane {n} would open."}}\n'
            f'{{"id": "k{n}", "html": "<p>{PARA.format(n=n)}</p>"}}\n').encode()


def _feed(n: int) -> bytes:  # links no fetch can follow: nothing leaves the machine
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local {n}</title>'
            f"<item><title>Story {n}</title><link>ftp://feeds.invalid/{n}</link></item>"
            "</channel></rss>").encode()


MAKERS: list[tuple[str, Callable[[int], bytes]]] = [
    (".html", _html), (".html.gz", lambda n: gzip.compress(_html(n))),
    (".warc", lambda n: _warc(n, False)), (".warc.gz", lambda n: _warc(n, True)),
    (".jsonl", _jsonl), (".jsonl.gz", lambda n: gzip.compress(_jsonl(n))),
    (".rss", _feed), (".txt", lambda n: GOOD[0].format(n=n).encode()),
]


def _break(data: bytes, rng: random.Random) -> bytes:
    """One of: cut, bit flips, a re-encoding, or a mix of them."""
    if not data:  # cut to nothing already: nothing left to break
        return data
    how = rng.randrange(5)
    if how == 0:
        return data[: rng.randrange(len(data))]
    if how in (1, 2):
        out = bytearray(data)
        for _ in range(rng.choice((1, 3, 20, 200))):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out)
    if how == 3:
        codec = rng.choice(("utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"))
        return data.decode("utf-8", "replace").encode(codec, "replace")
    return _break(_break(data, rng), rng)


@pytest.mark.slow
def test_hostile_batches_never_crash_or_corrupt(tmp_path: Path, nlp: Language,
                                                capsys: pytest.CaptureFixture[str]):
    rng = random.Random(19)
    db = tmp_path / "onrecord.db"
    goods: list[str] = []
    total = 0
    for batch in range(5):
        folder = tmp_path / f"batch{batch}"
        folder.mkdir()
        inputs = []
        for k, text in enumerate(GOOD):
            good = folder / f"good{k}.txt"
            good.write_text(text.format(n=batch), encoding="utf-8")
            inputs.append(str(good))
            goods.append(text.format(n=batch))
        for n in range(104):
            suffix, make = MAKERS[n % len(MAKERS)]
            bad = folder / f"hostile{n}{suffix}"
            bad.write_bytes(_break(make(1000 * batch + n), rng))
            inputs.append(str(bad))
        total += 104
        rng.shuffle(inputs)
        code = main(["ingest", "--db", str(db), *inputs])
        err = capsys.readouterr().err
        assert code in (0, 1) and "Traceback" not in err
        lines = err.strip().splitlines()
        assert all(line.startswith("onrecord: ") for line in lines), err
        for line in lines[:-1]:  # each error names an input of this batch
            assert line.startswith(f"onrecord: {folder}/"), line
        read, *outcomes = map(int, SUMMARY.fullmatch(lines[-1].split(" (")[0]).groups())
        assert read == sum(outcomes), lines[-1]
    assert total >= 500
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {t for (t,) in con.execute("SELECT text FROM documents")}
    assert all(g in stored for g in goods)
