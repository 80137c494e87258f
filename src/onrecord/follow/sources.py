"""What to follow: a SOURCES file of feed and page URLs, one per line, or a TOML file.

A text file lists one URL a line (``#`` starts a comment). A TOML file gives
``sources = [...]`` at the top or in ``[follow]``, either a list of URLs or the path of
a text file (relative to the TOML file), so ``onrecord run``'s config can name them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit


class SourcesError(ValueError):
    """A SOURCES file that cannot be used (one line for the user)."""


def read_sources(path: str | Path) -> list[str]:
    """The URLs to follow, in file order, each once."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{file}: not UTF-8 text") from exc
    if file.suffix.lower() == ".toml":
        return _from_toml(file, text)
    urls = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return _checked([u for u in urls if u], str(file))


def _from_toml(file: Path, text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{file}: not TOML ({exc})") from exc
    value = data.get("sources", data.get("follow", {}).get("sources"))
    if isinstance(value, str):
        return read_sources(file.parent / value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{file}: expected sources = [\"URL\", ...] or a file name, "
                           "at the top or in [follow]")
    return _checked(value, str(file))


def _checked(urls: list[str], where: str) -> list[str]:
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourcesError(f"{where}: not an http(s) URL: {url!r}")
    if not urls:
        raise SourcesError(f"{where}: no URLs to follow")
    return list(dict.fromkeys(urls))
