"""Log lines of the follower and the service: plain text for a terminal, JSON for `run`.

Each record may carry ``extra={"fields": {...}}``; the JSON formatter writes them as
keys of the line (one object a line), so a log collector can count failed feeds or
read a cycle's figures without parsing sentences.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC)
                .isoformat(timespec="milliseconds"), "level": record.levelname.lower(),
                "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}) or {})
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(structured: bool) -> None:
    """Send onrecord's log records to stderr, as JSON lines or as ``onrecord: message``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter() if structured
                         else logging.Formatter("onrecord: %(message)s"))
    root = logging.getLogger("onrecord")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    if structured:  # the web server's warnings in the same format (`run`)
        web = logging.getLogger("uvicorn")
        web.handlers[:] = [handler]
        web.setLevel(logging.WARNING)
        web.propagate = False
