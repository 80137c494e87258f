"""Hostile WARC files: a malformed, cut or corrupted archive is an error line naming it,
never a crash of the batch nor a stored (or new version of a) page."""

from __future__ import annotations

import gzip
import io
import sqlite3
from pathlib import Path

import pytest
from spacy.language import Language
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.cli import main
from onrecord.ingest.base import InputError, Source
from onrecord.ingest.sources import iter_sources

BAD_LENGTH = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\nshort"


def page(n: int) -> bytes:
    paras = "".join(f"<p>The harbour board voted on Monday to repair pier {n}, section {k}, "
                    "after inspectors found damage that officials said could not wait.</p>"
                    for k in range(6))
    return (f"<html><head><title>Pier {n}</title></head><body><article><h1>Pier {n} repairs"
            f"</h1>{paras}</article></body></html>").encode()


def warc(pages: list[bytes], gz: bool = False) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for n, body in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"http://example.com/{n}", "response", payload=io.BytesIO(body),
            http_headers=headers))
    return buf.getvalue()


def read(path: Path) -> list[Source | InputError]:
    return list(iter_sources([str(path)]))


def test_malformed_record_is_an_error_line_not_a_crash(tmp_path: Path):
    bad = tmp_path / "g.warc"
    bad.write_bytes(BAD_LENGTH)
    items = read(bad)
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert "g.warc record 1" in str(items[0]) and "broken WARC record" in str(items[0])


def test_cut_record_is_an_error_and_the_whole_ones_stand(tmp_path: Path):
    data = warc([page(0), page(1)])
    cut = tmp_path / "trunc.warc"
    cut.write_bytes(data[: len(data) - 300])
    items = read(cut)
    assert isinstance(items[0], Source) and "Pier 0 repairs" in items[0].text
    assert isinstance(items[1], InputError) and len(items) == 2
    assert "record 2" in str(items[1]) and "truncated WARC record" in str(items[1])
    gz = tmp_path / "trunc.warc.gz"
    data = warc([page(0), page(1)], gz=True)
    gz.write_bytes(data[: len(data) - 200])
    items = read(gz)
    assert isinstance(items[0], Source) and isinstance(items[-1], InputError)
    assert not any(isinstance(i, Source) and "Pier 1" in i.text for i in items)


def test_flipped_bytes_fail_the_block_digest(tmp_path: Path):
    data = bytearray(warc([page(0), page(1)]))
    at = data.index(b"section 3", data.index(b"Pier 1 repairs"))
    for k in range(at, at + 200):
        data[k] ^= 0x20 if chr(data[k]).isalpha() else 0
    path = tmp_path / "flipped.warc"
    path.write_bytes(bytes(data))
    items = read(path)
    assert isinstance(items[0], Source)
    assert isinstance(items[1], InputError) and "corrupt WARC record" in str(items[1])
    assert "digest" in str(items[1])


def test_not_a_warc_file_is_said_so(tmp_path: Path):
    for name, data in (("text.warc", b"hello world this is text\n"), ("empty.warc", b""),
                       ("bytes.warc", b"\x00\x01\xffWARC garbage \xe9\xff"),
                       ("text.warc.gz", gzip.compress(b"just some words\n"))):
        (tmp_path / name).write_bytes(data)
        items = read(tmp_path / name)
        assert len(items) == 1 and isinstance(items[0], InputError), name
        assert "not a WARC file" in items[0].reason, items[0]
        assert items[0].reason.isascii() and items[0].reason.isprintable()


@pytest.mark.usefixtures("nlp")
def test_ingest_keeps_good_files_beside_bad_warcs(tmp_path: Path, capsys, nlp: Language):
    good_txt = tmp_path / "good.txt"
    good_txt.write_text("The mayor said on Monday that the harbour bridge would reopen.\n")
    whole = warc([page(0), page(1)])
    (tmp_path / "good.warc").write_bytes(whole)
    (tmp_path / "g.warc").write_bytes(BAD_LENGTH)
    (tmp_path / "trunc.warc").write_bytes(whole[: len(whole) - 300])
    db = tmp_path / "x.db"
    argv = ["ingest", "--db", str(db), str(good_txt), str(tmp_path / "good.warc"),
            str(tmp_path / "g.warc"), str(tmp_path / "trunc.warc")]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(err)
    assert any("g.warc record 1" in line for line in err)
    assert any("trunc.warc record 2" in line and "truncated" in line for line in err)
    assert "3 stored" in err[-1] and "0 new versions" in err[-1] and "2 failed" in err[-1]
    with sqlite3.connect(db) as con:
        texts = [t for (t,) in con.execute("SELECT text FROM documents")]
    assert len(texts) == 3


def test_a_reader_exception_is_an_error_naming_the_input(tmp_path: Path, monkeypatch):
    from onrecord.ingest import sources

    def explode(data: bytes, name: str) -> str:
        if "bad" in name:
            raise AttributeError("'NoneType' object has no attribute 'startswith'")
        return data.decode()

    monkeypatch.setattr(sources, "decode_text", explode)
    (tmp_path / "bad.txt").write_text("Some words that the reader trips over.\n")
    (tmp_path / "good.txt").write_text("The mayor said on Monday that the bridge would reopen.\n")
    items = list(iter_sources([str(tmp_path / "bad.txt"), str(tmp_path / "good.txt")]))
    assert isinstance(items[0], InputError) and "bad.txt" in str(items[0])
    assert "unreadable (AttributeError)" in str(items[0])
    assert isinstance(items[1], Source)


def test_a_short_content_length_without_digests_is_not_stored(tmp_path: Path):
    import re

    data = re.sub(rb"WARC-(Block|Payload)-Digest: [^\r]*\r\n", b"", warc([page(0), page(1)]))
    length = int(re.search(rb"Content-Length: (\d+)", data).group(1))  # type: ignore[union-attr]
    data = data.replace(f"Content-Length: {length}".encode(),
                        f"Content-Length: {length - 40}".encode(), 1)
    path = tmp_path / "short.warc"
    path.write_bytes(data)
    items = read(path)
    assert isinstance(items[0], InputError) and "short.warc record 1" in str(items[0])
    assert "broken WARC record" in str(items[0])
    assert not any(isinstance(i, Source) and "Pier 0" in i.text for i in items)
