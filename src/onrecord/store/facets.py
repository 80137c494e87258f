"""Counts over the statements a filter selects: the facets and charts of the web pages.

A mixin of :class:`~onrecord.store.sqlite.SQLiteStore`. Filters of speaker id, type and
outlet alone (the quotes page, a person's page and the facet links from them) are
answered from the counts kept on write (:mod:`onrecord.store.tally`); any other filter
counts the rows the store's statement filter selects. Either way a facet's number is
the number of rows its link will list. Counting thousands of rows takes up to a second
on 100,000 statements, so results are kept until the data changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from onrecord.store import selection
from onrecord.store.base import FacetCount, SpeakerShare, StatementQuery
from onrecord.store.mentioned import FACET_TYPES
from onrecord.store.tally import WEEK

T = TypeVar("T")
CACHED = 256  # results kept per store
KEPT_ROWS = 20_000  # statements of a selection kept (8 bytes each)
FACETS = ("speaker", "outlet", "type", "month", *FACET_TYPES)  # in the order pages show them


class FacetQueries:
    _rows: Callable[..., list[sqlite3.Row]]  # SQLiteStore's read helper
    _statement_filter: Callable[..., tuple[str, list[Any]]]
    _spoken: Callable[[StatementQuery], tuple[str, list[Any]] | None]
    _data_stamp: Callable[[], tuple[int, int]]
    _resolved: Callable[[StatementQuery], StatementQuery]
    _lock: threading.RLock

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T],
                keep: Callable[[T], bool] = lambda _: True) -> T:
        """``compute()``, or its result from before when the data has not changed since
        (kept if ``keep`` says so)."""
        with self._lock:
            stamp = self._data_stamp()
            cache: dict[tuple[Any, ...], Any] = self.__dict__.setdefault("_facet_cache", {})
            if self.__dict__.get("_facet_stamp") != stamp:
                cache.clear()
                self.__dict__["_facet_stamp"] = stamp
            if key in cache:
                result: T = cache[key]
                return result
            result = compute()
            if keep(result):
                if len(cache) >= CACHED:
                    cache.pop(next(iter(cache)))
                cache[key] = result
            return result

    def _selection(self, query: StatementQuery) -> selection.Selection:
        """The statements ``query`` (resolved) selects, read once per state of the data
        (a selection of many thousands is read again rather than kept)."""
        def select() -> selection.Selection:
            base, params = self._statement_filter(query, narrow=True)
            return selection.select(self._rows, base, params, query.oldest_first)

        return self._cached(("selection", *dataclasses.astuple(query)), select,
                            lambda sel: len(sel.keys) <= KEPT_ROWS)

    def statement_facets(self, query: StatementQuery, size: int = 8,
                         kinds: tuple[str, ...] = FACETS) -> dict[str, list[FacetCount]]:
        key = ("facets", *dataclasses.astuple(query), size, kinds)
        return self._cached(key, lambda: self._facets(self._resolved(query), size, kinds))

    @staticmethod
    def _tallied(query: StatementQuery) -> tuple[str, list[Any]] | None:
        """The ``statement_tally`` condition for ``query``, if its counts answer it: no
        words, name or entities named, and dates (if any) of whole months, as the month
        facet's links give."""
        months = _whole_months(query)
        if (query.speaker or query.about or query.document or query.mentions
                or months is None or (query.speaker_id and months != ("", ""))):
            return None
        where = ["t.entity = ?"]
        params: list[Any] = [query.speaker_id or 0]
        query.type_and_site("t.type", "t.site", where, params)
        _month_tests("t.month", months, where, params)
        return " AND ".join(where), params

    def _facets(self, query: StatementQuery, size: int,
                kinds: tuple[str, ...]) -> dict[str, list[FacetCount]]:
        tallied = self._tallied(query)
        out: dict[str, list[FacetCount]] = {}
        if "speaker" in kinds:
            speakers = (selection.top(self._rows, selection.speakers(
                            self._rows, self._selection(query)), size)
                        if tallied is None else self._tallied_speakers(query, tallied, size))
            out["speaker"] = [FacetCount(str(i), name, n) for i, name, n in speakers]
        if {"outlet", "type", "month"} & set(kinds):
            counts = (self._selection(query).values if tallied is None
                      else self._tallied_values(tallied, kinds))
            out |= {k: v for k, v in _ranked(counts, size).items() if k in kinds}
        if {"person", "place"} & set(kinds):
            if tallied is None and self._spoken(query) is None:
                named = selection.named(self._rows, self._selection(query),
                                        tuple(t for ts in FACET_TYPES.values() for t in ts))
                for kind, types in FACET_TYPES.items():
                    of_kind = sum((named[t] for t in types), Counter[int]())
                    out[kind] = [FacetCount(str(i), name, n)
                                 for i, name, n in selection.top(self._rows, of_kind, size)]
            else:
                rows = self._mentioned(query, tallied is not None, size)
                out |= {kind: [FacetCount(str(r[0]), r[1], r[3]) for r in rows
                               if r[2] in types][:size] for kind, types in FACET_TYPES.items()}
        return {k: v for k, v in out.items() if k in kinds}

    def _tallied_values(self, tallied: tuple[str, list[Any]],
                        kinds: tuple[str, ...]) -> dict[str, Counter[str]]:
        """Outlets, types and months (those of ``kinds``) from the kept counts, each
        grouped in SQL (a person's kept counts hold thousands of combinations; reading
        them all once to sum here took longer than three groupings)."""
        return {key: Counter({value: n for value, n in self._rows(
            f"SELECT t.{column}, SUM(t.n) FROM statement_tally t WHERE {tallied[0]}"
            " GROUP BY 1", tallied[1]) if value} if key in kinds else {})
            for key, column in (("outlet", "site"), ("type", "type"), ("month", "month"))}

    def _mentioned(self, query: StatementQuery, tallied: bool,
                   size: int) -> list[sqlite3.Row]:
        """(id, name, type, statements) of the people and places the statements of
        ``query`` name, most first: from the kept counts, or a person's statements
        filtered further (by date, outlet...) read from their index."""
        kinds = ", ".join(f"'{t}'" for types in FACET_TYPES.values() for t in types)
        spoken = self._spoken(query)
        if spoken is None and not query.type and not query.site and not query.since \
                and not query.until:
            # Those counted at least as often as the ``size``-th of their kind, read off
            # the index of counts (not all of the thousands named).
            return [r for types in FACET_TYPES.values() for r in self._rows(
                "SELECT e.id, e.name, e.type, t.n FROM mention_total t JOIN entities e"
                " ON e.id = t.entity WHERE t.kind IN ({marks}) AND t.n >= COALESCE((SELECT n"
                " FROM mention_total WHERE kind IN ({marks}) ORDER BY n DESC LIMIT 1"
                " OFFSET ?), 0) ORDER BY t.n DESC, e.name".format(marks=",".join("?" * len(types))),
                (*types, *types, size - 1))]
        if spoken is None:
            where: list[str] = []
            params: list[Any] = []
            query.type_and_site("m.type", "m.site", where, params)
            _month_tests("m.month", _whole_months(query) or ("", ""), where, params)
            return self._rows("SELECT e.id, e.name, e.type, m.n FROM (SELECT m.entity,"
                              f" SUM(m.n) AS n FROM mention_tally m WHERE {' AND '.join(where)}"
                              " GROUP BY m.entity) m JOIN entities e ON e.id = m.entity"
                              f" WHERE e.type IN ({kinds}) ORDER BY n DESC, e.name", params)
        if tallied and not query.type and not query.site:  # a speaker's from their counts
            return self._rows("SELECT e.id, e.name, e.type, m.n FROM speaker_mentions m"
                              " JOIN entities e ON e.id = m.entity WHERE m.speaker = ?"
                              f" AND m.kind IN ({kinds}) ORDER BY m.n DESC, e.name",
                              (query.speaker_id,))
        base, params = spoken
        base = base.replace(" WHERE ", " JOIN statement_mentions sm ON sm.statement ="
                            " p.statement JOIN entities e ON e.id = sm.entity WHERE ", 1)
        return self._rows(f"SELECT e.id, e.name, e.type, COUNT(*) AS n {base}"
                          f" AND e.type IN ({kinds}) GROUP BY e.id ORDER BY n DESC, e.name",
                          params)

    def _tallied_speakers(self, query: StatementQuery, tallied: tuple[str, list[Any]],
                          size: int) -> list[tuple[int, str, int]]:
        """The speaker facet from the kept counts: (id, name, statements), most first."""
        if query.speaker_id is None:
            if not query.type and not query.site and not query.since and not query.until:
                return [(r[0], r[1], r[2]) for r in self._rows(
                    "SELECT e.id, e.name, t.statements FROM entity_tally t JOIN entities e"
                    " ON e.id = t.entity WHERE t.statements > 0"
                    " ORDER BY t.statements DESC, e.name LIMIT ?", [size])]
            cond = tallied[0].replace("t.entity = ?", "t.entity != 0", 1)
            return [(r[0], r[1], r[2]) for r in self._rows(
                "SELECT e.id, e.name, SUM(t.n) AS n FROM statement_tally t JOIN entities e"
                f" ON e.id = t.entity WHERE {cond} GROUP BY e.id ORDER BY n DESC, e.name"
                " LIMIT ?", [*tallied[1][1:], size])]
        # The person's own count, and whoever made statements jointly with them.
        if not query.type and not query.site:
            return [(r[0], r[1], r[2]) for r in self._rows(
                "SELECT e.id, e.name, t.statements FROM entity_tally t JOIN entities e"
                " ON e.id = t.entity WHERE t.entity = ? AND t.statements > 0"
                " UNION ALL SELECT e.id, e.name, c.joint FROM cospeaker_tally c"
                " JOIN entities e ON e.id = c.other WHERE c.entity = ? AND c.joint > 0"
                " ORDER BY 3 DESC, 2 LIMIT ?", [query.speaker_id, query.speaker_id, size])]
        own = self._rows("SELECT e.id, e.name, (SELECT COALESCE(SUM(t.n), 0) FROM"
                         f" statement_tally t WHERE {tallied[0]}) FROM entities e"
                         " WHERE e.id = ?",
                         [*tallied[1], query.speaker_id])
        extra = ("" if not query.type else " AND s.type = ?") + \
                ("" if not query.site else " AND d.site = ?")
        joint = self._rows(
            "SELECT e.id, e.name, COUNT(DISTINCT s.pk) FROM statement_speakers ss1"
            " JOIN statement_speakers ss2 ON ss2.statement = ss1.statement"
            " AND ss2.entity != ss1.entity JOIN statements s ON s.pk = ss2.statement"
            " JOIN documents d ON d.pk = s.doc AND d.is_current = 1"
            f" JOIN entities e ON e.id = ss2.entity WHERE ss1.entity = ?{extra}"
            " GROUP BY e.id", [*tallied[1]])
        found = [(r[0], r[1], r[2]) for r in [*own, *joint] if r[2]]
        return sorted(found, key=lambda r: (-r[2], r[1]))[:size]

    def statement_weeks(self, query: StatementQuery) -> list[FacetCount]:
        return self._cached(("weeks", *dataclasses.astuple(query)),
                            lambda: self._weeks(self._resolved(query)))

    def _weeks(self, query: StatementQuery) -> list[FacetCount]:
        tallied = self._tallied(query)
        if tallied is not None:
            rows = self._rows(f"SELECT t.week, SUM(t.n) FROM statement_tally t"
                              f" WHERE {tallied[0]} AND t.week != ''"
                              " GROUP BY t.week ORDER BY t.week", tallied[1])
        else:
            base, params = self._statement_filter(query, narrow=True)
            rows = self._rows(
                f"SELECT {WEEK} AS wk, COUNT(*) AS n {base} AND d.published IS NOT NULL"
                " GROUP BY wk ORDER BY wk", params)
        return [FacetCount(r[0], r[0], r[1]) for r in rows if r[0]]

    def top_speakers(self, days: int = 7, size: int = 8,
                     type: str | None = "PERSON") -> tuple[str | None, list[SpeakerShare]]:
        """The most quoted in the ``days`` up to the newest publication date, with counts
        per outlet; and the first of those days (None for an empty store)."""
        return self._cached(("top", days, size, type), lambda: self._top(days, size, type))

    def _top(self, days: int, size: int,
             type: str | None) -> tuple[str | None, list[SpeakerShare]]:
        # The day of the newest value starting with a digit (read from the index) is the
        # newest day; a publication date that is no date is no day.
        newest = self._rows("SELECT substr(max(published), 1, 10) FROM documents"
                            " WHERE is_current = 1 AND published >= '0' AND published < ':'")[0][0]
        try:
            last = dt.date.fromisoformat(newest)
        except (TypeError, ValueError):
            return None, []
        since = (last - dt.timedelta(days=days - 1)).isoformat()
        # The window's documents drive (CROSS JOIN keeps them outermost): starting from
        # the top speakers read every statement of theirs, 60 ms for the most quoted.
        window = ("FROM documents d CROSS JOIN statements s ON s.doc = d.pk"
                  " CROSS JOIN statement_speakers ss ON ss.statement = s.pk"
                  " JOIN entities e ON e.id = ss.entity"
                  " WHERE d.is_current = 1 AND d.published >= ?"
                  " AND substr(d.published, 1, 10) >= ?"
                  + (" AND e.type = ?" if type else ""))
        params: list[Any] = [since, since, type] if type else [since, since]
        # Speakers and outlets in one pass (the window is read once), ranked here.
        shares: dict[int, SpeakerShare] = {}
        for entity, name, site, n in self._rows(
                f"SELECT e.id, e.name, COALESCE(d.site, '(no outlet)'), COUNT(*) {window}"
                " GROUP BY e.id, d.site", params):
            share = shares.setdefault(entity, SpeakerShare(entity, name, 0))
            share.statements += n
            share.outlets.append((site, n))
        ranked = sorted(shares.values(), key=lambda sh: (-sh.statements, sh.name))[:size]
        for share in ranked:
            share.outlets.sort(key=lambda o: (-o[1], o[0]))
        return since, ranked


def _whole_months(query: StatementQuery) -> tuple[str, str] | None:
    """The first and last month ``query``'s dates span ("" for none), or None when a date
    cuts a month."""
    since, until = query.since, query.until
    if since and since.day != 1:
        return None
    if until and (until + dt.timedelta(days=1)).day != 1:
        return None
    return (f"{since:%Y-%m}" if since else "", f"{until:%Y-%m}" if until else "")


def _month_tests(column: str, months: tuple[str, str], where: list[str],
                 params: list[Any]) -> None:
    """The tests on a kept month ``column`` for the first and last month of a query."""
    if months[0]:
        where.append(f"{column} >= ?")
        params.append(months[0])
    if months[1]:
        where.append(f"{column} <= ? AND {column} != ''")
        params.append(months[1])


def _ranked(counts: dict[str, Counter[str]], size: int) -> dict[str, list[FacetCount]]:
    """Outlets and types most first, months newest first, ``size`` of each."""
    def top(c: Counter[str]) -> list[tuple[str, int]]:
        return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:size]

    return {"outlet": [FacetCount(k, k, n) for k, n in top(counts["outlet"])],
            "type": [FacetCount(k, k.replace("_", " "), n) for k, n in top(counts["type"])],
            "month": [FacetCount(k, k, n)
                      for k, n in sorted(counts["month"].items(), reverse=True)[:size]]}
