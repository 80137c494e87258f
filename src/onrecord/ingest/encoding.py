"""Bytes to text: binary and truncated inputs rejected, mojibake repaired or refused.

Pages double-encoded somewhere upstream ("Ã©" for "é") read fine to a machine but
garble every name and quote, so they are repaired (ftfy) when that fixes them and
refused otherwise.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib

import ftfy

from onrecord.ingest.base import InputError

MAX_GARBLED = 0.2  # garbled sequences per 100 characters that a text may keep
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf™œ“”˜šž]|ï»¿|\ufffd")


def gunzip(data: bytes, name: str, limit: int) -> bytes | InputError:
    """Decompressed bytes, or an error for corrupt, truncated or oversized gzip."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            body = stream.read(limit + 1)
    except EOFError:
        return InputError(name, "corrupt gzip: truncated")
    except (OSError, zlib.error) as exc:
        return InputError(name, f"corrupt gzip: {exc}")
    if len(body) > limit:
        return InputError(name, f"too large (over {limit} bytes uncompressed)")
    return body


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def utf16_32(data: bytes) -> str | None:
    """The codec of bytes that start with a UTF-16 or UTF-32 byte-order mark (their NULs
    would otherwise look binary)."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 10


def mojibake_share(text: str) -> float:
    """Garbled sequences per 100 characters."""
    return 100 * len(_MOJIBAKE.findall(text)) / max(len(text), 1)


def repair_mojibake(text: str, name: str) -> str | InputError:
    """``text`` unchanged, repaired by ftfy (encoding fixes only), or an error."""
    if mojibake_share(text) < MAX_GARBLED:
        return text
    fixed = ftfy.fix_encoding(text)
    if mojibake_share(fixed) < MAX_GARBLED:
        return fixed
    return InputError(name, "garbled text: mis-encoded characters (mojibake)")
