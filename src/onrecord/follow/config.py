"""``onrecord run``'s config file (TOML): the store, what to follow, the briefing, the web app.

::

    [store]   db = "/var/lib/onrecord/onrecord.db"
    [follow]  sources = "feeds.txt" (or a list of URLs), every = "15m", allow_private,
              timeout, retries, backoff, host_concurrency, host_interval, max_attempts
    [digest]  at = "17:00" (local time; "off" for none), top, base_url
    [web]     host = "127.0.0.1", port = 8000, token
    [smtp]    as for `onrecord digest` (briefing and watch mail)

The digest, stories and smtp sections are read by :mod:`onrecord.digest.config`, with
its environment overrides. Relative paths are relative to the config file.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from onrecord.follow.poll import FollowSettings
from onrecord.follow.sources import SourcesError, read_sources
from onrecord.follow.state import parse_every


class RunConfigError(ValueError):
    """A config file that cannot be run (one line for the user)."""


@dataclass
class RunSettings:
    path: Path
    db: str | None = None
    sources: list[str] = field(default_factory=list)
    follow: FollowSettings = field(default_factory=FollowSettings)
    briefing_at: dt.time | None = dt.time(17, 0)
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None


def _section(data: dict[str, Any], name: str, known: set[str], file: Path) -> dict[str, Any]:
    values = data.get(name, {})
    if not isinstance(values, dict):
        raise RunConfigError(f"{file}: [{name}] must be a table")
    unknown = set(values) - known
    if unknown:
        raise RunConfigError(f"{file} [{name}]: unknown setting {sorted(unknown)[0]!r} "
                             f"(known: {', '.join(sorted(known))})")
    return values


def load_run_settings(path: str | Path) -> RunSettings:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RunConfigError(f"{file}: cannot read config ({exc})") from exc
    s = RunSettings(file)
    store = _section(data, "store", {"db"}, file)
    if store.get("db"):
        s.db = str(file.parent / str(store["db"]))
    follow_keys = {f.name for f in fields(FollowSettings)} | {"sources"}
    follow = _section(data, "follow", follow_keys, file)
    sources = follow.get("sources")
    try:
        if isinstance(sources, str):
            s.sources = read_sources(file.parent / sources)
        elif sources is not None:
            s.sources = read_sources(file)
    except SourcesError as exc:
        raise RunConfigError(str(exc)) from exc
    for f in fields(FollowSettings):
        if f.name not in follow:
            continue
        value = follow[f.name]
        try:
            if f.name == "every":
                value = parse_every(str(value))
            elif f.name == "allow_private":
                if not isinstance(value, bool):
                    raise ValueError("expected true or false")
            else:
                value = type(getattr(s.follow, f.name))(value)
        except (TypeError, ValueError) as exc:
            raise RunConfigError(f"{file} [follow] {f.name}: {exc}") from exc
        setattr(s.follow, f.name, value)
    at = data.get("digest", {}).get("at", "17:00")
    if isinstance(at, dt.time):  # TOML's own local time: at = 17:00:00
        s.briefing_at = at
    elif str(at).lower() in ("off", "none", ""):
        s.briefing_at = None
    else:
        from onrecord.digest.schedule import parse_time

        try:
            s.briefing_at = parse_time(str(at))
        except ValueError as exc:
            raise RunConfigError(f"{file} [digest] at: {exc}") from exc
    web = _section(data, "web", {"host", "port", "token"}, file)
    s.host = str(web.get("host", s.host))
    s.port = int(web.get("port", s.port))
    s.token = str(web["token"]) if web.get("token") else None
    return s
