"""Settings for stories, ranking, the briefing and its mail: defaults < config file < env < CLI.

The config file is TOML: ``--config PATH``, else ``$ONRECORD_CONFIG``, else
``$XDG_CONFIG_HOME/onrecord/config.toml`` (``~/.config/onrecord/config.toml``) when it
exists. Sections and environment variables (see docs/briefing.md)::

    [importance]  outlets = 2.0 ...         ONRECORD_IMPORTANCE_OUTLETS=2
    [stories]     threshold = 0.13 ...      ONRECORD_STORIES_THRESHOLD=0.13
    [digest]      top = 5, base_url = "..." ONRECORD_DIGEST_TOP, ONRECORD_DIGEST_BASE_URL
    [smtp]        host, port, starttls, ssl, user, password, from, to = [...]
                  ONRECORD_SMTP_HOST, _PORT, _STARTTLS, _SSL, _USER, _PASSWORD, _FROM,
                  _TO (comma-separated)
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from onrecord.stories.cluster import ClusterConfig
from onrecord.stories.rank import Weights


class ConfigError(ValueError):
    """A setting that cannot be used (one line for the user)."""


@dataclass
class SMTPSettings:
    host: str = "localhost"
    port: int = 0  # 0: 465 with ssl, 587 with starttls, else 25
    starttls: bool = False
    ssl: bool = False
    user: str | None = None
    password: str | None = None
    sender: str = "onrecord@localhost"
    recipients: list[str] = field(default_factory=list)
    timeout: float = 30.0

    @property
    def real_port(self) -> int:
        return self.port or (465 if self.ssl else 587 if self.starttls else 25)


@dataclass
class Settings:
    weights: Weights = field(default_factory=Weights)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    smtp: SMTPSettings = field(default_factory=SMTPSettings)
    top: int = 5
    base_url: str = "http://127.0.0.1:8000"


def default_config_path(env: Mapping[str, str] = os.environ) -> Path:
    if env.get("ONRECORD_CONFIG"):
        return Path(env["ONRECORD_CONFIG"])
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "onrecord" / "config.toml"


def _as(kind: Any, value: Any, name: str) -> Any:
    try:
        if kind in (bool, "bool"):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(value)
        if kind in (int, "int"):
            return int(value)
        if kind in (float, "float"):
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: not a {getattr(kind, '__name__', kind)}: {value!r}") from exc
    return value


def _apply(obj: Any, values: Mapping[str, Any], where: str) -> None:
    known = {f.name: f.type for f in fields(obj)}
    for key, value in values.items():
        name = key.lower()
        if name not in known:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(known)})")
        setattr(obj, name, _as(known[name], value, f"{where}.{name}"))


SMTP_KEYS = {"host": "str", "port": "int", "starttls": "bool", "ssl": "bool", "user": "str",
             "password": "str", "from": "str", "to": "list", "timeout": "float"}


def _smtp(smtp: SMTPSettings, values: Mapping[str, Any], where: str) -> None:
    for key, value in values.items():
        name = key.lower()
        if name not in SMTP_KEYS:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(SMTP_KEYS)})")
        kind = SMTP_KEYS[name]
        if name == "to":
            items = value if isinstance(value, list) else str(value).split(",")
            smtp.recipients = [str(v).strip() for v in items if str(v).strip()]
        elif name == "from":
            smtp.sender = str(value)
        else:
            setattr(smtp, name, _as(kind, value, f"{where}.{name}"))


def load_settings(path: str | Path | None = None, env: Mapping[str, str] = os.environ,
                  weights: Iterable[str] = ()) -> Settings:
    """Settings from defaults, the config file, ``ONRECORD_*`` variables and ``NAME=VALUE``
    weight overrides (CLI ``--weight``), each overriding the one before."""
    s = Settings()
    file = Path(path) if path else default_config_path(env)
    if path and not file.exists():
        raise ConfigError(f"{file}: no such config file")
    data: dict[str, Any] = {}
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read config ({exc})") from exc
    _apply(s.weights, data.get("importance", {}), f"{file} [importance]")
    _apply(s.cluster, data.get("stories", {}), f"{file} [stories]")
    _smtp(s.smtp, data.get("smtp", {}), f"{file} [smtp]")
    digest = data.get("digest", {})
    s.top = _as(int, digest.get("top", s.top), "[digest] top")
    s.base_url = str(digest.get("base_url", s.base_url))

    def env_section(prefix: str) -> dict[str, str]:
        return {k[len(prefix):]: v for k, v in env.items() if k.startswith(prefix) and v != ""}

    _apply(s.weights, env_section("ONRECORD_IMPORTANCE_"), "environment ONRECORD_IMPORTANCE_*")
    _apply(s.cluster, env_section("ONRECORD_STORIES_"), "environment ONRECORD_STORIES_*")
    _smtp(s.smtp, env_section("ONRECORD_SMTP_"), "environment ONRECORD_SMTP_*")
    if env.get("ONRECORD_DIGEST_TOP"):
        s.top = _as(int, env["ONRECORD_DIGEST_TOP"], "ONRECORD_DIGEST_TOP")
    if env.get("ONRECORD_DIGEST_BASE_URL"):
        s.base_url = env["ONRECORD_DIGEST_BASE_URL"]
    overrides: dict[str, str] = {}
    for item in weights:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--weight {item!r}: expected NAME=VALUE")
        overrides[name.strip()] = value.strip()
    _apply(s.weights, overrides, "--weight")
    return s
