"""Reading brat standoff annotation files (``.ann``) of attribution relations.

Text-bound lines look like ``T1\\tSource 89 106\\tThe New York Post``; the range may be
discontinuous (``12 20;25 40``) and the text column may contain line breaks that spill
onto the following lines, so only lines starting with ``T<n>\\t`` or ``E<n>\\t`` are
read and everything else is ignored. Offsets are what counts, never the text column.

Events join the spans of one attribution:
``E1\\tAttribution:T4 Content:T3 Cue:T2 Source:T1`` (``Source`` may be missing, rarely
``Cue``; a few events have a second content argument ``Content2``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.eval.spans import Unit

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_EVENT = re.compile(r"^(E\d+)\t(\S.*)$")
_ROLE_NUMBER = re.compile(r"\d+$")

ROLES = ("content", "source", "cue")


@dataclass(frozen=True)
class TextBound:
    """One annotated span: its type and its (possibly several) character ranges."""

    id: str
    type: str
    segments: tuple[Unit, ...]


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution event; a role without a span is an empty tuple."""

    id: str
    type: str
    content: tuple[Unit, ...]
    cue: tuple[Unit, ...] = ()
    source: tuple[Unit, ...] = ()

    def role(self, name: str) -> tuple[Unit, ...]:
        return {"content": self.content, "cue": self.cue, "source": self.source}[name]


@dataclass
class Annotations:
    """Everything read from one ``.ann`` file."""

    spans: dict[str, TextBound] = field(default_factory=dict)
    attributions: list[GoldAttribution] = field(default_factory=list)


def _segments(ranges: str) -> tuple[Unit, ...]:
    out = []
    for part in ranges.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return tuple(out)


def parse_ann(content: str) -> Annotations:
    """The spans and attribution events of one ``.ann`` file's content."""
    ann = Annotations()
    events: list[tuple[str, str, list[tuple[str, str]]]] = []
    for raw in content.split("\n"):
        line = raw.rstrip("\r")
        m = _TEXT_BOUND.match(line)
        if m:
            tid, typ, ranges = m.groups()
            ann.spans[tid] = TextBound(tid, typ, _segments(ranges))
            continue
        m = _EVENT.match(line)
        if m:
            eid, args = m.groups()
            pairs = [tuple(a.split(":", 1)) for a in args.split() if ":" in a]
            if pairs:
                etype = pairs[0][0]
                events.append((eid, etype, [(r, t) for r, t in pairs[1:]]))
    for eid, etype, args in events:
        roles: dict[str, list[Unit]] = {r: [] for r in ROLES}
        for role, tid in args:
            name = _ROLE_NUMBER.sub("", role).lower()  # Content2 -> content
            tb = ann.spans.get(tid)
            if name in roles and tb is not None:
                roles[name].extend(tb.segments)
        if not roles["content"] and not roles["source"] and not roles["cue"]:
            continue
        ann.attributions.append(GoldAttribution(
            id=eid,
            type=etype,
            content=tuple(sorted(roles["content"])),
            cue=tuple(sorted(roles["cue"])),
            source=tuple(sorted(roles["source"])),
        ))
    return ann


def read_ann(path: str | Path) -> Annotations:
    """Parse one ``.ann`` file (UTF-8)."""
    return parse_ann(Path(path).read_text(encoding="utf-8"))


def read_text(path: str | Path) -> str:
    """A brat text file, line endings untouched so offsets stay valid."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()
