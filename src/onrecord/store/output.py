"""Rows of query results as a table, JSON, JSON Lines or CSV (the CLI's ``--format``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser reads FORMATS; the row types need the store's imports
    from onrecord.store.base import EventRow, FigureRow, PersonRow, SearchHit, StatementRow

FORMATS = ("table", "json", "jsonl", "csv")


def statement_dict(st: StatementRow) -> dict[str, Any]:
    return {
        "document": st.document,
        "published": st.published,
        "title": st.title,
        "statement": st.local_id,
        "speakers": [sp.name for sp in st.speakers],
        "speaker_ids": [sp.id for sp in st.speakers],
        "source": st.source,
        "type": st.type,
        "cue": st.cue,
        "content": st.content,
        "start": st.content_start,
        "end": st.content_end,
    }


def person_dict(p: PersonRow) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "type": p.type, "statements": p.statements,
            "documents": p.documents}


def hit_dict(h: SearchHit, marks: tuple[str, str] = ("[", "]")) -> dict[str, Any]:
    snippet = " ".join(h.snippet.split()).replace("\x02", marks[0]).replace("\x03", marks[1])
    return {"document": h.document, "title": h.title, "published": h.published,
            "score": round(h.score, 6), "snippet": snippet}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " & ".join(str(v) for v in value)
    return " ".join(str(value).split())


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str],
           widths: dict[str, int] | None = None) -> str:
    """``rows`` in ``fmt``; ``columns`` choose and order the table and CSV columns."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    widths = widths or {}
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    sizes = []
    for i, c in enumerate(columns):
        natural = max([len(c), *(len(row[i]) for row in cells)])
        sizes.append(min(natural, widths.get(c, 40)))

    def line(values: Sequence[str]) -> str:
        out = []
        for v, n in zip(values, sizes, strict=True):
            out.append((v[: n - 1] + "…") if len(v) > n else v.ljust(n))
        return "  ".join(out).rstrip()

    lines = [line(columns), line(["-" * n for n in sizes])]
    lines += [line(row) for row in cells]
    return "\n".join(lines) + "\n"


def figure_dict(f: FigureRow) -> dict[str, Any]:
    return {"document": f.document, "published": f.published, "title": f.title,
            "figure": f.local_id, "text": f.text, "value": f.value, "low": f.low,
            "high": f.high, "hedge": f.hedge, "unit": f.unit, "counted": f.counted,
            "period": f.period, "claimed_by": [c.name for c in f.claimed_by] or ["article"],
            "claimed_by_ids": [c.id for c in f.claimed_by], "statement": f.statement,
            "start": f.start, "end": f.end}


def event_dict(e: EventRow) -> dict[str, Any]:
    return {"document": e.document, "published": e.published, "title": e.title,
            "event": e.local_id, "date": e.date, "date_basis": e.date_basis, "type": e.type,
            "mode": e.mode, "status": e.status, "actors": [a.name for a in e.actors],
            "actor_ids": [a.id for a in e.actors],
            "recipients": [r.name for r in e.recipients],
            "recipient_ids": [r.id for r in e.recipients], "trigger": e.trigger,
            "location": e.location, "size": e.size, "statement": e.statement,
            "start": e.start, "end": e.end}
