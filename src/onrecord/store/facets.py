"""Counts over the statements a filter selects: the facets and charts of the web pages.

A mixin of :class:`~onrecord.store.sqlite.SQLiteStore`: every count reuses the store's
statement filter, so a facet's number is exactly the number of rows its link will list.
Counting all 100,000 statements of a store takes a few hundred milliseconds, so results
are kept until the data changes, as the people list is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from onrecord.store.base import FacetCount, SpeakerShare, StatementQuery

T = TypeVar("T")
CACHED = 256  # results kept per store


class FacetQueries:
    _rows: Callable[..., list[sqlite3.Row]]  # SQLiteStore's read helper
    _statement_filter: Callable[[StatementQuery], tuple[str, list[Any]]]
    _data_stamp: Callable[[], tuple[int, int]]
    _lock: threading.RLock

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or its result from before when the data has not changed since."""
        with self._lock:
            stamp = self._data_stamp()
            cache: dict[tuple[Any, ...], Any] = self.__dict__.setdefault("_facet_cache", {})
            if self.__dict__.get("_facet_stamp") != stamp:
                cache.clear()
                self.__dict__["_facet_stamp"] = stamp
            if key not in cache:
                if len(cache) >= CACHED:
                    cache.pop(next(iter(cache)))
                cache[key] = compute()
            result: T = cache[key]
            return result

    def statement_facets(self, query: StatementQuery,
                         size: int = 8) -> dict[str, list[FacetCount]]:
        key = ("facets", *dataclasses.astuple(query), size)
        return self._cached(key, lambda: self._facets(query, size))

    def _facets(self, query: StatementQuery, size: int) -> dict[str, list[FacetCount]]:
        base, params = self._statement_filter(query)
        joined = base.replace(" WHERE ", " JOIN statement_speakers ss ON ss.statement = s.pk"
                                         " JOIN entities e ON e.id = ss.entity WHERE ", 1)
        speakers = self._rows(f"SELECT e.id, e.name, COUNT(*) AS n {joined}"
                              " GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?", [*params, size])
        # Outlets, types and months in one pass over the rows, summed up here.
        outlets: Counter[str] = Counter()
        types: Counter[str] = Counter()
        months: Counter[str] = Counter()
        for site, typ, month, n in self._rows(
                f"SELECT d.site, s.type, substr(d.published, 1, 7), COUNT(*) {base}"
                " GROUP BY 1, 2, 3", params):
            if site:
                outlets[site] += n
            types[typ] += n
            if month:
                months[month] += n

        def top(counts: Counter[str]) -> list[tuple[str, int]]:
            return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]

        return {
            "speaker": [FacetCount(str(r[0]), r[1], r[2]) for r in speakers],
            "outlet": [FacetCount(k, k, n) for k, n in top(outlets)],
            "type": [FacetCount(k, k.replace("_", " "), n) for k, n in top(types)],
            "month": [FacetCount(k, k, n)
                      for k, n in sorted(months.items(), reverse=True)[:size]],
        }

    def statement_weeks(self, query: StatementQuery) -> list[FacetCount]:
        return self._cached(("weeks", *dataclasses.astuple(query)),
                            lambda: self._weeks(query))

    def _weeks(self, query: StatementQuery) -> list[FacetCount]:
        base, params = self._statement_filter(query)
        rows = self._rows(
            "SELECT date(substr(d.published, 1, 10), '-6 days', 'weekday 1') AS wk,"
            f" COUNT(*) AS n {base} AND d.published IS NOT NULL GROUP BY wk ORDER BY wk",
            params)
        return [FacetCount(r[0], r[0], r[1]) for r in rows if r[0]]

    def top_speakers(self, days: int = 7, size: int = 8,
                     type: str | None = "PERSON") -> tuple[str | None, list[SpeakerShare]]:
        """The most quoted in the ``days`` up to the newest publication date, with counts
        per outlet; and the first of those days (None for an empty store)."""
        return self._cached(("top", days, size, type), lambda: self._top(days, size, type))

    def _top(self, days: int, size: int,
             type: str | None) -> tuple[str | None, list[SpeakerShare]]:
        newest = self._rows("SELECT max(substr(published, 1, 10)) FROM documents"
                            " WHERE is_current = 1")[0][0]
        if newest is None:
            return None, []
        since = (dt.date.fromisoformat(newest) - dt.timedelta(days=days - 1)).isoformat()
        window = ("FROM statement_speakers ss JOIN statements s ON s.pk = ss.statement"
                  " JOIN documents d ON d.pk = s.doc JOIN entities e ON e.id = ss.entity"
                  " WHERE d.is_current = 1 AND substr(d.published, 1, 10) >= ?"
                  + (" AND e.type = ?" if type else ""))
        params: list[Any] = [since, type] if type else [since]
        top = self._rows(f"SELECT e.id, e.name, COUNT(*) AS n {window}"
                         " GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?", [*params, size])
        shares = {r[0]: SpeakerShare(r[0], r[1], r[2]) for r in top}
        if shares:
            marks = ",".join("?" * len(shares))
            for r in self._rows(f"SELECT e.id, COALESCE(d.site, '(no outlet)'), COUNT(*)"
                                f" {window} AND e.id IN ({marks}) GROUP BY e.id, d.site"
                                " ORDER BY 3 DESC", [*params, *shares]):
                shares[r[0]].outlets.append((r[1], r[2]))
        return since, list(shares.values())
