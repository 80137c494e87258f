"""The statements a filter the kept counts do not answer selects, read once.

Words, a date range or several entities named select statements no kept count sums.
Counting them for the total, the page and each facet ran the filter (a full-text match
and two joins per row) five times on a quotes page: 155 ms for a common word on
100,000 statements under load (bench/bench_store.py). Instead one pass reads each
selected statement's key, outlet, type and month in list order: the total and the page
are a length and a slice, outlets, types and months are summed here, and speakers and
the entities named are counted by key (``json_each`` over the keys, one probe of a
covering index each; reading them in the same pass as strings cost more).
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Rows = Callable[..., list[sqlite3.Row]]
# A page's order: newest first (undated last), or oldest first; then by position.
NEWEST = "d.published DESC NULLS LAST, d.pk DESC, s.content_start, s.pk"
OLDEST = "d.published ASC NULLS LAST, d.pk ASC, s.content_start, s.pk"


@dataclass
class Selection:
    keys: array[int]  # statement keys in list order
    values: dict[str, Counter[str]] = field(default_factory=dict)  # outlet, type, month

    def json(self) -> str:
        """The keys as a JSON list in key order: the index probes made for each then
        walk the index forwards (in list order they jumped about: a quarter slower)."""
        return json.dumps(sorted(self.keys))


def select(rows: Rows, base: str, params: list[Any], oldest_first: bool) -> Selection:
    """The statements of ``FROM ... WHERE`` ``base``, with their outlets, types and months."""
    sel = Selection(array("q"), {k: Counter() for k in ("outlet", "type", "month")})
    outlet, kind, month = sel.values["outlet"], sel.values["type"], sel.values["month"]
    for pk, site, typ, published in rows(
            f"SELECT s.pk, d.site, s.type, substr(d.published, 1, 7) {base}"
            f" ORDER BY {OLDEST if oldest_first else NEWEST}", params):
        sel.keys.append(pk)
        if site:
            outlet[site] += 1
        kind[typ] += 1
        if published:
            month[published] += 1
    return sel


def speakers(rows: Rows, sel: Selection) -> Counter[int]:
    """Statements of the selection per speaker."""
    return Counter({r[0]: r[1] for r in rows(
        "SELECT ss.entity, COUNT(DISTINCT ss.statement) FROM json_each(?) j"
        " CROSS JOIN statement_speakers ss INDEXED BY statement_speakers_by_statement"
        " ON ss.statement = j.value GROUP BY ss.entity", (sel.json(),))})


def named(rows: Rows, sel: Selection, types: tuple[str, ...]) -> dict[str, Counter[int]]:
    """Statements of the selection naming each entity of ``types``, by entity type."""
    out: dict[str, Counter[int]] = {t: Counter() for t in types}
    for entity, typ, n in rows(
            "SELECT g.entity, e.type, g.n FROM (SELECT sm.entity, COUNT(*) AS n"
            " FROM json_each(?) j CROSS JOIN statement_mentions sm"
            " INDEXED BY statement_mentions_by_statement ON sm.statement = j.value"
            " GROUP BY sm.entity) g JOIN entities e ON e.id = g.entity"
            f" WHERE e.type IN ({','.join('?' * len(types))})", (sel.json(), *types)):
        out[typ][entity] = n
    return out


def top(rows: Rows, counts: Counter[int], size: int) -> list[tuple[int, str, int]]:
    """The ``size`` entities counted most, (id, name, count), ties by name: the names
    of those that could be among them looked up."""
    if not counts:
        return []
    least = sorted(counts.values(), reverse=True)[:size][-1]
    ids = [e for e, n in counts.items() if n >= least]
    names: dict[int, str] = {}
    for at in range(0, len(ids), 500):
        chunk = ids[at:at + 500]
        names |= {r[0]: r[1] for r in rows(
            f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(chunk))})",
            chunk)}
    ranked = sorted((-counts[e], names.get(e, ""), e) for e in ids)[:size]
    return [(e, name, -n) for n, name, e in ranked]
