"""Bytes to text: binary and truncated inputs rejected, mojibake repaired or refused.

Pages double-encoded somewhere upstream ("Ã©" for "é") read fine to a machine but
garble every name and quote, so they are repaired when a round trip fixes them and
refused otherwise.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib

from onrecord.ingest.base import InputError

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


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 10


def mojibake_share(text: str) -> float:
    """Garbled sequences per 100 characters."""
    return 100 * len(_MOJIBAKE.findall(text)) / max(len(text), 1)


def repair_mojibake(text: str, name: str) -> str | InputError:
    """``text`` unchanged, repaired (UTF-8 read as cp1252/latin-1), or an error."""
    if mojibake_share(text) < 0.2:
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if mojibake_share(fixed) < 0.2:
            return fixed
    return InputError(name, "garbled text: mis-encoded characters (mojibake)")
