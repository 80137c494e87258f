"""Date expressions resolved against the document's publication date.

Rules over the text (regular expressions, cheap), with the parse consulted only for
tense:

* explicit dates: "4 September 2025", "Sept. 4", "September 4, 2025", "2025-09-04",
  "September 2025", "in 2024"; a day and month without a year take the year that puts
  them nearest to publication;
* ranges: "4-6 September", "September 4 to 6", "between 2019 and 2021";
* relative days: "today", "yesterday", "tomorrow", "last night", "this morning",
  "the day before" (the day before the last day-precise date mentioned, else before
  publication), "three days ago";
* weekdays: "on Thursday" is the most recent Thursday on or before publication (the
  publication day itself when it is a Thursday), unless the clause is in the future
  ("will meet on Monday": the first Monday on or after it); "last Monday" strictly
  before, "next Monday" strictly after, "this Monday" within the publication week;
  "overnight on Thursday" and "Thursday morning" name that day;
* weeks, months, years: "last week" (ISO week), "this month", "next year";
  "earlier/later this month" are approximate; "in September" without a year is the
  nearest September.

Durations ("in one year", "three days of clashes") are not dates. Without a
publication date every relative expression is kept, unresolved, with the reason.
Any other date expression spaCy's recogniser marks that names a month, weekday,
season or year is kept unresolved ("no rule for this expression").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain

from spacy.tokens import Doc, Token

from onrecord.record import DateMention, Region
from onrecord.record import Span as RecSpan

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip

_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[89]|20)\d{2}(?!\d)"
_NUM = (
    r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a couple of|a few|several)"
)
_UNIT = r"(day|week|month|year)s?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_YEAR_CUES = (
    r"(?:in|since|until|till|by|from|during|of|before|after|through|throughout|early|late|"
    r"mid|mid-|end of|start of|beginning of)"
)
FUTURE_WORDS = {"will", "shall", "'ll"}
FUTURE_PHRASES = ("due to", "set to", "scheduled to", "expected to", "going to", "plans to")


@dataclass
class Context:
    published: dt.date | None
    future: bool
    past: bool
    anchor: dt.date | None  # the last day-precise date mentioned before this one


Resolved = tuple[str | None, str | None, str, str | None]  # value, granularity, kind, reason
Handler = Callable[[re.Match[str], Context], Resolved | None]

NO_PUB = "relative date and no publication date"


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _nearest_year(m: int, d: int, pub: dt.date, c: Context | None = None) -> dt.date | None:
    """The date with month ``m`` and day ``d`` nearest to ``pub`` (on or before it in a past
    clause, on or after it in a future one)."""
    options = [x for y in (pub.year - 1, pub.year, pub.year + 1) if (x := _safe_date(y, m, d))]
    if c is not None and c.past:
        options = [x for x in options if x <= pub] or options
    elif c is not None and c.future:
        options = [x for x in options if x >= pub] or options
    return min(options, key=lambda x: abs((x - pub).days)) if options else None


def _week(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _month_of(day: dt.date, shift: int = 0) -> str:
    n = day.year * 12 + day.month - 1 + shift
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _count(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else SMALL_NUMBERS[w]


# -- handlers: each returns (value, granularity, kind, reason) -----------------------


def _iso(m: re.Match[str], c: Context) -> Resolved | None:
    day = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return (day.isoformat(), "day", "exact", None) if day else None


def _day_month(m: re.Match[str], c: Context) -> Resolved | None:
    d, mon, y = int(m["d"]), _month(m["m"]), m["y"]
    if y:
        day = _safe_date(int(y), mon, d)
        return (day.isoformat(), "day", "exact", None) if day else None
    if c.published is None:
        return None, None, "unresolved", "no year given and no publication date"
    if not 1 <= d <= 31:
        return None
    day = _nearest_year(mon, d, c.published, c)
    return (day.isoformat(), "day", "exact", None) if day else None


def _day_range(m: re.Match[str], c: Context) -> Resolved | None:
    d1, d2, mon, y = int(m["d1"]), int(m["d2"]), _month(m["m"]), m["y"]
    if not 1 <= d1 < d2 <= 31:
        return None
    if y:
        year = int(y)
    elif c.published is not None:
        near = _nearest_year(mon, d1, c.published, c)
        if near is None:
            return None
        year = near.year
    else:
        return None, None, "unresolved", "no year given and no publication date"
    a, b = _safe_date(year, mon, d1), _safe_date(year, mon, d2)
    if a is None or b is None:
        return None
    return f"{a.isoformat()}/{b.isoformat()}", "day", "range", None


def _month_year(m: re.Match[str], c: Context) -> Resolved | None:
    return f"{int(m['y']):04d}-{_month(m['m']):02d}", "month", "exact", None


def _month_alone(m: re.Match[str], c: Context) -> Resolved | None:
    mon = _month(m["m"])
    approx = "approximate" if re.search(r"(?i)\b(?:early|late|mid)", m[0]) else "exact"
    rel = (m["rel"] or "").lower()
    if c.published is None:
        return None, None, "unresolved", "no year given and no publication date"
    pub = c.published
    if rel == "last":
        year = pub.year if mon < pub.month else pub.year - 1
    elif rel == "next":
        year = pub.year if mon > pub.month else pub.year + 1
    elif rel == "this":
        year = pub.year
    else:
        # The nearest such month: within half a year of publication either way.
        diff = mon - pub.month
        year = pub.year + (1 if diff < -6 else -1 if diff > 6 else 0)
        if c.future and diff < 0:
            year = pub.year + 1
        elif c.past and diff > 0:
            year = pub.year - 1
    return f"{year:04d}-{mon:02d}", "month", approx, None


def _year(m: re.Match[str], c: Context) -> Resolved | None:
    approx = re.search(r"(?i)\b(?:early|late|mid|end|start|beginning)", m[0])
    return m["y"], "year", "approximate" if approx else "exact", None


def _decade(m: re.Match[str], c: Context) -> Resolved | None:
    return m["y"], "decade", "exact", None  # ISO 8601 reduced precision: "199" is the 1990s


def _year_range(m: re.Match[str], c: Context) -> Resolved | None:
    a, b = int(m["a"]), m["b"]
    end = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
    if not a < end <= a + 100:
        return None
    return f"{a:04d}/{end:04d}", "year", "range", None


def _relative_day(m: re.Match[str], c: Context) -> Resolved | None:
    if c.published is None:
        return None, None, "unresolved", NO_PUB
    word = m[0].lower()
    if word.startswith(("yesterday", "last night")):
        day = c.published - dt.timedelta(days=1)
    elif word.startswith("tomorrow"):
        day = c.published + dt.timedelta(days=1)
    else:  # today, tonight, this morning
        day = c.published
    return day.isoformat(), "day", "exact", None


def _weekday(m: re.Match[str], c: Context) -> Resolved | None:
    if c.published is None:
        return None, None, "unresolved", NO_PUB
    pub = c.published
    want = WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    back = (pub.weekday() - want) % 7  # days back to the most recent such day (0: today)
    if rel == "last":
        day = pub - dt.timedelta(days=back or 7)
    elif rel == "next":
        day = pub + dt.timedelta(days=(want - pub.weekday()) % 7 or 7)
    elif rel == "this":
        day = pub + dt.timedelta(days=want - pub.weekday())
    elif c.future:
        day = pub + dt.timedelta(days=(want - pub.weekday()) % 7)
    else:
        day = pub - dt.timedelta(days=back)
    return day.isoformat(), "day", "exact", None


def _relative_period(m: re.Match[str], c: Context) -> Resolved | None:
    if c.published is None:
        return None, None, "unresolved", NO_PUB
    pub = c.published
    rel, unit = m["rel"].lower(), m["unit"].lower()
    shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[rel]
    kind = "approximate" if m["mod"] else "exact"
    if unit == "weekend":
        # Saturday and Sunday of the week in question ("last weekend" is always before the
        # day of publication: 2 to 8 days back).
        sat = pub + dt.timedelta(days=5 - pub.weekday() + 7 * shift)
        return f"{sat.isoformat()}/{(sat + dt.timedelta(days=1)).isoformat()}", "day", "range", None
    if unit == "week":
        return _week(pub + dt.timedelta(weeks=shift)), "week", kind, None
    if unit == "month":
        return _month_of(pub, shift), "month", kind, None
    return f"{pub.year + shift:04d}", "year", kind, None


def _ago(m: re.Match[str], c: Context) -> Resolved | None:
    if c.published is None:
        return None, None, "unresolved", NO_PUB
    pub, n, unit = c.published, _count(m["n"]), m["unit"].lower()
    approx = "approximate" if m["n"].lower() in ("a few", "several", "a couple of") else "exact"
    if unit == "day":
        return (pub - dt.timedelta(days=n)).isoformat(), "day", approx, None
    if unit == "week":
        return _week(pub - dt.timedelta(weeks=n)), "week", approx, None
    if unit == "month":
        return _month_of(pub, -n), "month", approx, None
    return f"{pub.year - n:04d}", "year", approx, None


def _day_relative(m: re.Match[str], c: Context) -> Resolved | None:
    base = c.anchor or c.published
    if base is None:
        return None, None, "unresolved", NO_PUB
    words = m[0].lower()
    back = "before" in words or "previous" in words or "earlier" in words
    return (base + dt.timedelta(days=-1 if back else 1)).isoformat(), "day", "exact", None


PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), _iso),
    (
        re.compile(
            rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and|until)\s*(?P<d2>\d{{1,2}})"
            rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"
        ),
        _day_range,
    ),
    (
        re.compile(
            rf"\b(?P<m>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and|until)\s*"
            rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?"
        ),
        _day_range,
    ),
    (
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            rf"(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"
        ),
        _day_month,
    ),
    (
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:,]\d)"
            rf"(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?"
        ),
        _day_month,
    ),
    (
        re.compile(
            rf"\b(?P<m>{_FULL_MONTH}|Sept\.|Jan\.|Feb\.|Aug\.|Oct\.|Nov\.|Dec\.)\s+(?:of\s+)?"
            rf"(?P<y>{_YEAR})"
        ),
        _month_year,
    ),
    (
        re.compile(
            r"(?:\b(?:from|between)\s+)(?P<a>(?:1[89]|20)\d{2})\s+(?:to|and|until)\s+"
            r"(?P<b>(?:1[89]|20)\d{2})\b"
        ),
        _year_range,
    ),
    (
        re.compile(r"\b(?P<a>(?:1[89]|20)\d{2})\s*[-–]\s*(?P<b>\d{2}|(?:1[89]|20)\d{2})(?![\d-])"),
        _year_range,
    ),
    (
        re.compile(
            rf"(?i:\b(?:{_YEAR_CUES})\s+)(?P<mod>(?i:early|late|mid-?)\s*)?(?P<y>{_YEAR})\b(?![-–]\d)"
        ),
        _year,
    ),
    (
        re.compile(
            rf"(?:(?i:\b(?:in|since|until|till|by|from|during|of|before|after|through|"
            rf"throughout)\s+)|(?P<rel>\b(?i:last|next|this))\s+|"
            rf"(?P<mod>\b(?i:early|late|mid-?)\s*))(?:(?i:early|late|mid-?)\s*)?"
            rf"(?P<m>{_FULL_MONTH})\b(?!\s+\d)"
        ),
        _month_alone,
    ),
    (re.compile(r"\b(?:[Tt]he\s+)?(?P<y>(?:1[89]|20)\d)0s\b"), _decade),
    (
        re.compile(
            r"(?i)\b(?:today|tonight|yesterday|tomorrow|last night|"
            r"this (?:morning|afternoon|evening))\b"
            r"(?:\s+(?:morning|afternoon|evening|night))?"
        ),
        _relative_day,
    ),
    (
        re.compile(
            rf"(?:(?i:overnight)\s+(?:(?i:on|into)\s+)?)?(?:(?P<rel>(?i:last|next|this))\s+)?"
            rf"(?P<wd>{_WEEKDAY})\b{_PART}"
        ),
        _weekday,
    ),
    (
        re.compile(
            r"(?i)\b(?P<mod>(?:earlier|later|early|late)\s+(?:in\s+)?)?"
            r"(?P<rel>this|last|next|past|previous|coming)\s+(?P<unit>week|month|year|weekend)\b"
        ),
        _relative_period,
    ),
    (re.compile(rf"(?i)\b{_NUM}\s+(?P<unit>day|week|month|year)s?\s+ago\b"), _ago),
    (
        re.compile(
            r"(?i)\b(?:the\s+(?:day\s+(?:before|after)|previous\s+day|next\s+day|following\s+day)|"
            r"a\s+day\s+(?:earlier|later))\b"
        ),
        _day_relative,
    ),
]

# For each of PATTERNS, in order, the characters any of its matches can begin with. The
# scan puts them in a lookahead at the front of the pattern: the same matches (a match
# always begins with one of them), but most positions of the text fail at once instead
# of trying every alternative of the pattern there. Keep in step with PATTERNS.
_FIRST_CHARS = [
    r"\d",  # 2025-09-04
    r"\d",  # 4-6 September
    "[JFMASOND]",  # September 4 to 6
    r"[MTWFSt\d]",  # (Thursday,) (the) 4 September
    "[MTWFSJAOND]",  # (Thursday,) September 4
    "[JFMASOND]",  # September 2025
    "[fb]",  # from/between 2019 and 2021
    "[12]",  # 2019-21
    "(?i:[isutbfdoaelm])",  # in 2024, since 2019, ... early 2024, mid-2024
    "(?i:[isutbfdoalnem])",  # in September, last September, early September
    "[Tt12]",  # (the) 1990s
    "(?i:[tyl])",  # today, tonight, yesterday, tomorrow, last night, this morning
    "(?i:[olnt])|[MTWFS]",  # overnight on, last/next/this, a weekday
    "(?i:[eltnpc])",  # earlier/later/early/late, this/last/next/past/previous/coming
    r"(?i:[\daotfsen])",  # 3/a/an/one/.../several ... ago
    "(?i:[ta])",  # the day before, a day earlier
]


def _with_first(pat: re.Pattern[str], first: str) -> re.Pattern[str]:
    """``pat`` with a lookahead for its first character in front (after a global flag)."""
    flags = re.match(r"\(\?[aiLmsux]+\)", pat.pattern)
    lead = flags[0] if flags else ""
    return re.compile(f"{lead}(?={first}){pat.pattern[len(lead):]}", pat.flags)


_SCAN = [
    (_with_first(pat, first), handler)
    for (pat, handler), first in zip(PATTERNS, _FIRST_CHARS, strict=True)
]

# Words that make a spaCy DATE entity worth keeping when no rule resolves it.
ANCHOR_WORDS = re.compile(
    rf"(?i)\b(?:{_FULL_MONTH}|{_WEEKDAY}|spring|summer|autumn|fall|winter|christmas|easter|"
    r"ramadan|weekend|(?:1[89]|20)\d{2}s?)\b"
)


def _tense(tok: Token | None, text: str) -> str | None:
    """The tense of the clause governing ``tok``: "future" ("will meet on Monday"),
    "past" ("was signed on December 30") or None."""
    if tok is None:
        return None
    verb = tok
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
            break
        verb = verb.head
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in FUTURE_WORDS for a in auxes):
        return "future"
    if verb.tag_ == "VB" and verb.dep_ == "xcomp":
        before = text[max(verb.head.idx - 10, 0) : verb.idx].lower()
        if any(p in before for p in FUTURE_PHRASES):
            return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    return None


def _following_is_noun(text: str, end: int) -> bool:
    """Does a noun phrase follow ("the day after a ceasefire"): the date is relative to an event."""
    rest = text[end : end + 20].lstrip()
    return bool(
        re.match(r"(?:a|an|the|its|his|her|their|[A-Z][a-z]+)\b", rest)
    ) and not rest.startswith(("yesterday", "tomorrow"))


def _in_regions(start: int, regions: list[Region]) -> bool:
    return any(r.start <= start < r.end for r in regions)


# A leading preposition a year or month rule matched is not part of the date's span.
LEADING_PREPOSITION = re.compile(
    r"(?i)(?:in|since|until|till|by|from|during|of|before|after|through|throughout|"
    r"end of|start of|beginning of)\s+"
)
PREPOSITION_TRIMMED: tuple[Handler, ...] = (_year, _month_alone)
# A date entity that is a year alone ("2020", "the year 2020"): its last four characters.
ENTITY_YEAR = re.compile(rf"(?:the\s+year\s+)?({_YEAR})")


@dataclass
class _Text:
    """What every date of a document is read against."""

    doc: Doc
    text: str
    published: dt.date | None
    regions: list[Region]


@dataclass
class _Candidate:
    """A rule's match: its characters, handler and match."""

    start: int
    end: int
    handler: Handler
    match: re.Match[str]


def find_dates(
    doc: Doc, text: str, published: str | None, regions: list[Region] | None = None
) -> list[DateMention]:
    """Every date expression of ``text`` (``doc`` parsed from it), in text order."""
    ctx = _Text(doc, text, _publication_date(published), regions or [])
    out = _rule_dates(ctx, _longest_first(_candidates(ctx)))
    out += _entity_dates(ctx, out)
    out.sort(key=lambda d: d.span.start)
    return out


def _publication_date(published: str | None) -> dt.date | None:
    """The day of an ISO publication date (a time after it ignored); None if unreadable."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _candidates(ctx: _Text) -> list[_Candidate]:
    """Every match of every rule that starts outside the boilerplate regions (never at a
    space: each scanned pattern's lookahead wants a letter or digit first)."""
    return [
        _Candidate(m.start(), m.end(), handler, m)
        for pat, handler in _SCAN
        for m in pat.finditer(ctx.text)
        if not _in_regions(m.start(), ctx.regions)
    ]


def _longest_first(cands: list[_Candidate]) -> list[_Candidate]:
    """The candidates no longer one overlaps (the earlier wins a tie), in text order."""
    taken: list[_Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def _rule_dates(ctx: _Text, taken: list[_Candidate]) -> list[DateMention]:
    """The mentions the rules resolve, in text order; each day-precise exact date is the
    anchor of a later "the day before"."""
    out: list[DateMention] = []
    anchor: dt.date | None = None
    for c in taken:
        if _before_an_event(ctx.text, c):
            continue
        res = c.handler(c.match, _context(ctx, c, anchor))
        if res is None:
            continue
        out.append(_mention(ctx.text, c, res))
        value, gran, kind, _ = res
        if gran == "day" and kind == "exact" and value:
            anchor = dt.date.fromisoformat(value)
    return out


def _before_an_event(text: str, c: _Candidate) -> bool:
    """"the day after a ceasefire": relative to an event, not a date."""
    return (
        c.handler is _day_relative
        and c.match[0].lower().startswith("the day")
        and _following_is_noun(text, c.end)
    )


def _context(ctx: _Text, c: _Candidate, anchor: dt.date | None) -> Context:
    """What the handler resolves against: publication, the clause's tense, the anchor."""
    span = ctx.doc.char_span(c.start, c.end, alignment_mode="expand")
    tok = span.root if span is not None and len(span) else None
    tense = _tense(tok, ctx.text)
    return Context(ctx.published, tense == "future", tense == "past", anchor)


def _mention(text: str, c: _Candidate, res: Resolved) -> DateMention:
    """The mention of a resolved candidate, its span kept to the date words."""
    value, gran, kind, reason = res
    start = c.start
    lead = LEADING_PREPOSITION.match(text[c.start : c.end])
    if lead and c.handler in PREPOSITION_TRIMMED:
        start += lead.end()
    return DateMention(
        span=RecSpan.of(text, start, c.end),
        value=value,
        granularity=gran,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        reason=reason,
    )


def _entity_dates(ctx: _Text, found: list[DateMention]) -> list[DateMention]:
    """spaCy's date entities no rule covers, when they name a year or a calendar unit."""
    out: list[DateMention] = []
    for ent in ctx.doc.ents:
        if ent.label_ != "DATE" or _in_regions(ent.start_char, ctx.regions):
            continue
        s, e = ent.start_char, ent.end_char
        if any(not (e <= d.span.start or s >= d.span.end) for d in chain(found, out)):
            continue
        mention = _entity_date(ctx.text, s, e)
        if mention is not None:
            out.append(mention)
    return out


def _entity_date(text: str, s: int, e: int) -> DateMention | None:
    """A year alone, resolved; else unresolved if it names a month, weekday, season or year."""
    words = text[s:e]
    year = ENTITY_YEAR.fullmatch(words)
    if year:
        return DateMention(span=RecSpan.of(text, e - 4, e), value=year[1], granularity="year")
    if ANCHOR_WORDS.search(words):
        return DateMention(
            span=RecSpan.of(text, s, e), kind="unresolved", reason="no rule for this expression"
        )
    return None
