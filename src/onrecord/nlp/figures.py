"""Figures: the numbers a document cites, what they count and who claims them.

One pass over the parsed tokens reads number expressions with our own parser
(spaCy's entity boundaries merge neighbouring amounts, "$2.5bn and €300"):

* digits ("1,500", "2.5"), words ("three", "twenty-five", "one hundred and twenty",
  "two dozen", "a million", "one and a half million"), scales ("1.1 billion",
  "$2.5bn", "€300m", "10k"), vague plurals ("hundreds", "tens of thousands": a range);
* hedges before them ("about", "more than", "up to", "at least", ...);
* ranges: "between 10 and 15", "from 10 to 15", "10-15", "two or three";
* units: a currency symbol or word (ISO 4217), "%" / "per cent" / "percent",
  "percentage points", a physical unit ("tonnes", "km", "barrels"), else a count.

Not figures: numbers inside dates and times (spaCy DATE/TIME entities and the date
mentions found by :mod:`onrecord.nlp.dates`), durations ("in one year": a number
of a time unit), ages ("aged 63", "a 45-year-old", "Smith, 52,"), ordinals, numbers
that are part of a name ("Article 5", "Boeing 737"), "one" as a pronoun, and a
definite back-reference to a number already cited ("the 26 states" after "26 of
Ukraine's allies").

``counted`` is the noun phrase the number quantifies (the nouns, adjectives and
coordinations after it: "112 strike and decoy drones"; "26 of Ukraine's allies"; a
short "of" phrase is kept: "three areas of action"); for an amount of money or a
percentage it is the phrase after "in"/"of" ("1.1 billion euros in fuel sales").
``period`` is a time phrase in the same clause ("in one year", "a day", "per year").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from onrecord.nlp.statements import tokens_with
from onrecord.record import DateMention, Figure, Region, Statement
from onrecord.record import Span as RecSpan

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "bn": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "k": 1e3, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
# Vague plurals: "hundreds" (of), "tens of thousands".
VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
HEDGES = [
    "no more than", "no fewer than", "no less than", "as many as", "as much as", "more than",
    "less than", "fewer than", "up to", "at least", "at most", "close to", "just over",
    "just under", "upwards of", "in excess of", "an estimated", "estimated", "approximately",
    "roughly", "around", "about", "nearly", "almost", "some", "over", "under", "below",
    "above", "barely", "only", "almost", "around",
]  # fmt: skip
CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₴": "UAH", "a$": "AUD", "c$": "CAD", "hk$": "HKD", "nz$": "NZD", "₩": "KRW", "₪": "ILS",
    "chf": "CHF", "eur": "EUR", "usd": "USD", "gbp": "GBP", "jpy": "JPY", "cny": "CNY",
    "rmb": "CNY", "rs": "INR",
}  # fmt: skip
CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rupee": "INR", "rupees": "INR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
    "rubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "franc": "CHF",
    "francs": "CHF", "won": "KRW", "lira": "TRY", "liras": "TRY", "shekel": "ILS",
    "shekels": "ILS", "rand": "ZAR", "riyal": "SAR", "riyals": "SAR", "dirham": "AED",
    "dirhams": "AED", "zloty": "PLN", "zlotys": "PLN", "reais": "BRL", "real": "BRL",
    "forint": "HUF", "forints": "HUF", "naira": "NGN",
}  # fmt: skip
DOLLAR_QUALIFIERS = {
    "us": "USD", "american": "USD", "australian": "AUD", "canadian": "CAD",
    "singapore": "SGD", "hong": "HKD", "new": "NZD", "zealand": "NZD", "taiwan": "TWD",
}  # fmt: skip
PHYSICAL_UNITS = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mi", "mile": "mi", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "feet": "ft", "foot": "ft", "kg": "kg", "kilograms": "kg", "kilos": "kg", "tonnes": "t",
    "tonne": "t", "tons": "t", "ton": "t", "barrels": "barrel", "barrel": "barrel",
    "litres": "L", "liters": "L", "gallons": "gal", "hectares": "ha", "acres": "acre",
    "mw": "MW", "megawatts": "MW", "gw": "GW", "gigawatts": "GW", "kwh": "kWh",
    "degrees": "degree", "°c": "°C", "bcm": "bcm", "mph": "mph",
}  # fmt: skip
TIME_UNITS = {
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
    "weeks", "month", "months", "year", "years", "decade", "decades", "century",
    "centuries", "night", "nights", "weekend", "weekends", "quarter", "quarters",
}  # fmt: skip
CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "old", "today", "yesterday", "tomorrow", "ago",
}  # fmt: skip
ONE_IDIOMS = {"point", "time", "way", "side", "hand", "another", "thing", "sense", "day"}
DEFINITE = {"the", "these", "those", "all", "both"}
ARTICLES = {"a", "an"}
# The words "a" / "an" count one of: "a thousand", "a dozen".
ARTICLE_SCALES = {"hundred", "thousand", "million", "billion", "trillion", "dozen"}
# Multipliers of the group read so far: "two hundred", "two dozen".
MULTIPLIERS = {"hundred": 100, "dozen": 12}
# Scale suffixes read only when attached to the digits: "€300m", not "300 m".
ATTACHED_SCALES = {"m", "k"}
# "between 10 and 15", "from 10 to 15": a range only, never a figure alone.
RANGE_OPENERS = {"between", "from"}
RANGE_JOINERS = {"-", "–", "to", "and", "or"}
# "a few thousand", "several hundred": the scale's multiple, a range (low, high).
VAGUE_MULTIPLES = {"few": (2, 5), "several": (3, 9)}
# "one of the most ...": "one" as a pronoun unless it counts a noun.
SUPERLATIVES = {"most", "best", "largest"}
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(bn|mn|mln|m|k|tn|trn)?$", re.I)
_PERIOD = re.compile(
    r"(?i)\b(?:(?:in|over|during|within|for|per|a|an|each|every)\s+(?:the\s+)?"
    r"(?:(?:past|last|next|first|same)\s+)?(?:(?:\d+|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|twelve)\s+)?(?:year|month|week|day|hour|quarter|decade)s?|annually|"
    r"a\s+year|yearly|daily)\b"
)


def _digits(text: str) -> tuple[float, float] | None:
    """The value and scale of a digit token: "1,500" -> (1500, 1); "2.5bn" -> (2.5, 1e9)."""
    m = _DIGITS.match(text)
    if not m:
        return None
    value = float(m[1].replace(",", "") + (m[2] or ""))
    return value, SCALES[m[3].lower()] if m[3] else 1.0


NUMBER_WORDS = frozenset(
    [*SMALL, *VAGUE, "dozen", "hundred", "thousand", "million", "billion"]
)
# Words a figure may start with besides a number: "a thousand", "half a million",
# "between 10 and 15", "from 10 to 15", "tens of thousands".
LEAD_WORDS = frozenset(["a", "an", "half", "between", "from", "tens"])


def _starts_number(tok: Token) -> bool:
    return _digits(tok.text) is not None or tok.lower_ in NUMBER_WORDS


def _figure_starts(doc: Doc) -> list[int]:
    """Indices of the tokens a figure can start at (those that start a number or are a
    lead word), found from the token arrays without building every token."""
    found = {t.i for t in tokens_with(doc, "LOWER", NUMBER_WORDS | LEAD_WORDS)}
    orths = doc.to_array("ORTH").tolist()
    strings = doc.vocab.strings
    # A number's first character is a digit (``str.isdigit`` holds for every ``\d``).
    digits = {
        o for o in set(orths) if (w := strings[o])[:1].isdigit() and _digits(w) is not None
    }
    found.update(i for i, o in enumerate(orths) if o in digits)
    return sorted(found)


def _lower(doc: Doc, i: int) -> str:
    """The lower-cased token ``i``, or "" outside the document (no word list holds "")."""
    return doc[i].lower_ if 0 <= i < len(doc) else ""


class _Number(NamedTuple):
    """A number read from the tokens: ``end`` is exclusive; a range or a vague amount
    ("hundreds") has ``low`` and ``high`` and no ``value``."""

    end: int
    value: float | None
    low: float | None
    high: float | None


# A step of the reading: the token to read next, and whether the number reaches it
# (words such as "and", "a" and "-" are kept only if a number word follows them).
_Step = tuple[int, bool]


class _NumberReading:
    """One number read word by word from token ``start``: the sum of the groups already
    scaled (``total``), the group being read (``current``: "one hundred and twenty"
    before its "thousand"), whether a number word was read, and the vague range once one
    is read ("hundreds of thousands" ends the number)."""

    def __init__(self, doc: Doc, start: int):
        self.doc, self.start = doc, start
        self.total, self.current = 0.0, 0.0
        self.seen = False
        self.vague: tuple[float, float] | None = None

    def read(self) -> _Number | None:
        j = end = self.start
        while j < len(self.doc) and self.vague is None:
            step = self._step(j)
            if step is None:
                break
            j, reached = step
            if reached:
                end = j
        if not self.seen:
            return None
        if self.vague is not None:
            return _Number(end, None, self.vague[0], self.vague[1])
        return _Number(end, self.total + self.current, None, None)

    def _step(self, j: int) -> _Step | None:
        """Read token ``j`` by its class; None ends the number before it."""
        t = self.doc[j]
        dig = _digits(t.text)
        if dig is not None:
            return self._digit_token(j, *dig)
        w = t.lower_
        if w in SMALL:
            return self._small(j, SMALL[w])
        if w == "-":
            return self._hyphen(j)
        if w in MULTIPLIERS:
            return self._multiplier(j, MULTIPLIERS[w])
        if w in SCALES:
            return self._scale(j, w)
        if w in ARTICLES:
            return self._article(j)
        if w == "half":
            return self._half(j)
        if w == "and":
            return self._and(j)
        if w in VAGUE:
            return self._vague(j, w)
        if w == "tens":
            return self._tens(j)
        return None

    def _digit_token(self, j: int, value: float, scale: float) -> _Step | None:
        """"1,500", "2.5bn", and "2.5 bn" / "€300m" with the scale split off."""
        if self.seen:
            return None
        self.seen = True
        if scale > 1:
            self.total, self.current = value * scale, 0.0
            return j + 1, True
        self.current = value
        if not self._split_scale(j):
            return j + 1, True
        self.total, self.current = value * SCALES[self.doc[j + 1].lower_], 0.0
        return j + 2, True

    def _split_scale(self, j: int) -> bool:
        """A scale word after the digits of token ``j`` ("2.5 bn"; "m" and "k" only
        attached)."""
        nxt = _lower(self.doc, j + 1)
        return (
            nxt in SCALES
            and nxt != "hundred"
            and (not self.doc[j].whitespace_ or nxt not in ATTACHED_SCALES)
        )

    def _small(self, j: int, v: int) -> _Step | None:
        """A word below a hundred, alone or where the group allows it: after a scale ("a
        thousand two"), after hundreds ("hundred and twenty"), after tens ("twenty-five")."""
        cur, total = self.current, self.total
        if not (
            not self.seen
            or (cur == 0 and total > 0)
            or (cur % 100 == 0 and cur > 0 and v < 100)
            or (20 <= cur < 100 and cur % 10 == 0 and v < 10)
        ):
            return None
        self.current += v
        self.seen = True
        return j + 1, True

    def _hyphen(self, j: int) -> _Step | None:
        """The hyphen of "twenty-five"."""
        doc = self.doc
        if self.seen and doc[j - 1].lower_ in SMALL and _lower(doc, j + 1) in SMALL:
            return j + 1, False
        return None

    def _multiplier(self, j: int, factor: int) -> _Step:
        self.current = (self.current or 1.0) * factor
        self.seen = True
        return j + 1, True

    def _scale(self, j: int, w: str) -> _Step | None:
        """"thousand", "million", "bn": the group so far (or one) scaled into the total."""
        if w in ATTACHED_SCALES or not (self.seen or j == self.start):
            return None
        self.total += (self.current or 1.0) * SCALES[w]
        self.current = 0.0
        self.seen = True
        return j + 1, True

    def _article(self, j: int) -> _Step | None:
        """"a thousand", "a dozen": one of the scale that follows."""
        if self.seen or _lower(self.doc, j + 1) not in ARTICLE_SCALES:
            return None
        self.current, self.seen = 1.0, True
        return j + 1, False

    def _half(self, j: int) -> _Step | None:
        """"half a million"."""
        doc = self.doc
        if self.seen or _lower(doc, j + 1) not in ARTICLES or _lower(doc, j + 2) not in SCALES:
            return None
        self.current, self.seen = 0.5, True
        return j + 2, False

    def _and(self, j: int) -> _Step | None:
        """"one and a half million"; else kept only if a number follows ("one hundred and
        twenty")."""
        if not self.seen:
            return None
        doc = self.doc
        if _lower(doc, j + 1) in ARTICLES and _lower(doc, j + 2) == "half":
            self.current += 0.5
            return j + 3, False
        return j + 1, False

    def _vague(self, j: int, w: str) -> _Step | None:
        """"hundreds" (200 to 999, "dozens" 24 to 99), "hundreds of thousands"."""
        if self.seen:
            return None
        self.seen = True
        doc = self.doc
        if _lower(doc, j + 1) == "of" and _lower(doc, j + 2) in VAGUE:
            scale = VAGUE[doc[j + 2].lower_]
            self.vague = (VAGUE[w] * 2 * scale, VAGUE[w] * 10 * scale - 1)
            return j + 3, True
        self.vague = (VAGUE[w] * 2, 99 if w == "dozens" else VAGUE[w] * 10 - 1)
        return j + 1, True

    def _tens(self, j: int) -> _Step | None:
        """"tens of thousands": 20,000 to 99,999."""
        doc = self.doc
        if self.seen or _lower(doc, j + 1) != "of" or _lower(doc, j + 2) not in VAGUE:
            return None
        scale = VAGUE[doc[j + 2].lower_]
        self.vague = (20 * scale, 100 * scale - 1)
        self.seen = True
        return j + 3, True


def _read_number(doc: Doc, i: int) -> _Number | None:
    """One number starting at token ``i``."""
    return _NumberReading(doc, i).read()


def _currency_before(doc: Doc, i: int) -> tuple[int, str] | None:
    """A currency symbol or code just before token ``i``: (its index, ISO code)."""
    if i <= 0:
        return None
    prev = doc[i - 1]
    code = CURRENCY_SYMBOLS.get(prev.lower_)
    if code is None:
        return None
    start = i - 1
    if (
        prev.lower_ == "$"
        and i >= 2
        and doc[i - 2].lower_ in ("us", "a", "c", "hk", "nz")
        and not doc[i - 2].whitespace_
    ):
        code = CURRENCY_SYMBOLS.get(doc[i - 2].lower_ + "$", code)
        start = i - 2
    return start, code


def _unit_after(doc: Doc, j: int) -> tuple[int, str] | None:
    """A unit right after a number ending before token ``j``: (end, unit)."""
    t = doc[j] if j < len(doc) else None
    if t is None:
        return None
    w = t.lower_
    nxt = doc[j + 1] if j + 1 < len(doc) else None
    if w in ("%", "percent", "pc"):
        return j + 1, "percent"
    if w == "per" and nxt is not None and nxt.lower_ == "cent":
        return j + 2, "percent"
    if w in ("percentage", "basis") and nxt is not None and nxt.lower_ in ("points", "point"):
        return j + 2, "percentage point" if w == "percentage" else "basis point"
    if w in CURRENCY_WORDS:
        if w in ("pound", "pounds") and nxt is not None and nxt.lower_ == "of":
            return j + 1, "lb"
        if w == "real" or (w == "won" and (nxt is None or nxt.pos_ != "PUNCT")):
            return None
        return j + 1, CURRENCY_WORDS[w]
    if w in DOLLAR_QUALIFIERS and nxt is not None and nxt.lower_ in ("dollar", "dollars"):
        return j + 2, DOLLAR_QUALIFIERS[w]
    if (
        w in ("square", "sq")
        and nxt is not None
        and nxt.lower_ in ("km", "kilometres", "kilometers", "miles", "metres", "meters")
    ):
        return j + 2, "km2" if nxt.lower_.startswith("k") else (
            "sq mi" if nxt.lower_ == "miles" else "m2"
        )
    if w in ("cubic",) and nxt is not None and nxt.lower_ in ("metres", "meters"):
        return j + 2, "m3"
    if w in PHYSICAL_UNITS:
        return j + 1, PHYSICAL_UNITS[w]
    return None


_HEDGE_WORDS = [(h, h.split()) for h in HEDGES]
_HEDGE_LONGEST = max(len(words) for _h, words in _HEDGE_WORDS)


def _hedge_before(doc: Doc, i: int) -> tuple[int, str] | None:
    """A hedge phrase ending just before token ``i``: (its first token, the hedge)."""
    before = [doc[k].lower_ for k in range(max(i - _HEDGE_LONGEST, 0), i)]
    for h, words in _HEDGE_WORDS:
        k = i - len(words)
        if k < 0:
            continue
        if before[len(before) - len(words) :] == words:
            # "over" and "under" are hedges only when nothing else governs them.
            return k, h
    return None


def _is_age(doc: Doc, start: int, end: int) -> bool:
    prev = doc[start - 1] if start > 0 else None
    nxt = doc[end] if end < len(doc) else None
    if prev is not None and prev.lower_ in ("aged", "age", "ages"):
        return True
    after = [t.lower_ for t in doc[end : end + 3]]
    if (
        (after[:1] in (["-year"], ["year"]) and after[2:3] == ["old"])  # "52-year-old"
        or after[:2] == ["years", "old"]  # "52 years old"
        or (after[:1] == ["-"] and after[1:2] and after[1].startswith("year"))  # "52-years"
    ):
        return True
    # "Jane Smith, 52, said": a number in commas after a person's name.
    return (
        prev is not None
        and prev.text == ","
        and start >= 2
        and (doc[start - 2].ent_type_ == "PERSON" or doc[start - 2].pos_ == "PROPN")
        and nxt is not None
        and nxt.text in (",", ")")
    )


def _counted(doc: Doc, j: int, after_unit: bool) -> tuple[int, int] | None:
    """Token range of the thing counted, looking from token ``j`` (after the number)."""
    n = len(doc)
    k = j
    while k < n and doc[k].text in ("“", '"', "‘", "'"):
        k += 1
    if k < n and doc[k].lower_ in ("of", "in", "worth") and (after_unit or doc[k].lower_ == "of"):
        k += 1
        if k < n and doc[k].lower_ == "of":  # worth of
            k += 1
        while k < n and (doc[k].pos_ == "DET" or doc[k].tag_ == "PRP$"):
            k += 1
    elif after_unit:
        return None
    start, last_noun, m = k, None, k
    while m < n and m - start < 7:
        t = doc[m]
        if t.pos_ in ("NOUN", "PROPN") and not t.like_num:
            last_noun = m
        elif (
            t.pos_ == "ADJ"
            or (t.dep_ in ("amod", "compound") and t.tag_ in ("VBN", "VBG"))
            or (
                t.lower_ in ("and", "or")
                and m + 1 < n
                and doc[m + 1].pos_ in ("NOUN", "ADJ", "PROPN")
                and not doc[m + 1].like_num
                and not _starts_number(doc[m + 1])
                and doc[m + 1].lower_ != "tens"
            )
            or t.text in ("-", "’s", "'s")
            and last_noun is not None
        ):
            pass
        else:
            break
        m += 1
    if last_noun is None:
        return None
    end = last_noun + 1
    # A short "of" phrase belongs to the counted noun: "areas of action", "tonnes of aid".
    if end + 1 < n and doc[end].lower_ == "of" and doc[end + 1].pos_ == "NOUN":
        stop = end + 1
        while stop + 1 < n and doc[stop + 1].pos_ == "NOUN" and stop - end < 3:
            stop += 1
        end = stop + 1
    return start, end


def _date_token(tok: Token, ents: Sequence[Span] | None = None) -> bool:
    """Is the token part of a time, an ordinal, or a date entity with a calendar word in it?
    (The small model tags some plain counts as DATE; those are kept.) ``ents``: the
    document's entities, when the caller has them (``Doc.ents`` builds them on each call)."""
    if tok.ent_type_ in ("TIME", "ORDINAL"):
        return True
    if tok.ent_type_ != "DATE":
        return False
    if ents is None:
        ents = tok.doc.ents
    ent = next((e for e in ents if e.start <= tok.i < e.end), None)
    if ent is None:
        return False
    return any(
        t.lower_ in TIME_UNITS
        or t.lower_.rstrip(".") in CALENDAR_WORDS
        or t.lower_.endswith("-old")
        or re.fullmatch(r"(?:1[89]|20)\d\ds?", t.text) is not None
        for t in ent
    )


# A period is looked for up to the next clause break or number.
_CLAUSE_CUT = re.compile(r"[;:]|\d")


@dataclass
class _Document:
    """What every figure of a document is read against, and the values cited so far."""

    doc: Doc
    text: str
    statements: list[Statement]
    blocked: list[tuple[int, int]]  # character spans of dates and boilerplate
    ents: Sequence[Span]
    seen_values: set[float] = field(default_factory=set)


@dataclass
class _Candidate:
    """A number expression that may be a figure: its token positions, amount and unit."""

    first: int  # the token the reading started at (its sentence holds the period)
    ranged: bool  # opened by "between" / "from"
    start: int  # the span's first token: a currency symbol, "between", "several"
    num_start: int  # the number's first token
    end: int  # the end of the number (or range)
    stop: int  # the end of the span, after the unit
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    after_unit: bool  # a unit or currency: the counted thing only after "of" / "in" / "worth"
    s_char: int  # the span's characters
    e_char: int


def find_figures(
    doc: Doc,
    text: str,
    statements: list[Statement] | None = None,
    dates: list[DateMention] | None = None,
    regions: list[Region] | None = None,
) -> list[Figure]:
    """Every figure the document cites, in text order."""
    blocked = [(d.span.start, d.span.end) for d in dates or []]
    blocked += [(r.start, r.end) for r in regions or []]
    ctx = _Document(doc, text, statements or [], blocked, doc.ents)
    out: list[Figure] = []
    i = 0  # the first token not yet read
    for first in _figure_starts(doc):
        if first < i:
            continue
        i, cand = _read_at(ctx, first)
        if cand is None or _not_a_figure(ctx, cand):
            continue
        if cand.value is not None:
            ctx.seen_values.add(cand.value)
        out.append(_figure(ctx, cand, f"F{len(out) + 1}"))
    return out


def _read_at(ctx: _Document, first: int) -> tuple[int, _Candidate | None]:
    """The candidate read from token ``first``, and the token to read on from."""
    doc, tok = ctx.doc, ctx.doc[first]
    opener = tok.lower_ if tok.lower_ in RANGE_OPENERS else None
    i = first + 1 if opener else first
    if i >= len(doc):
        return i, None
    num = _read_number(doc, i)
    if num is None or (opener is None and _date_token(tok, ctx.ents)):
        return first + 1, None
    if _joins_range(doc, num, opener):
        num = _with_second(doc, num)
    elif opener is not None:
        return first + 1, None
    cand = _candidate(doc, first, opener is not None, _currency_before(doc, i), num)
    return max(cand.stop, cand.start + 1), cand


def _joins_range(doc: Doc, num: _Number, opener: str | None) -> bool:
    """A range word after the number: "10-15", "10 to 15", "between 10 and 15", "two or
    three" ("and" only after "between", "to" never after it)."""
    w = _lower(doc, num.end)
    return (
        w in RANGE_JOINERS
        and num.value is not None
        and (w != "and" or opener == "between")
        and (w != "to" or opener != "between")
    )


def _with_second(doc: Doc, num: _Number) -> _Number:
    """The range from ``num`` to the number after the range word ("$10m-$15m": its
    currency symbol skipped); ``num`` itself when no number follows."""
    k = num.end + 1
    if k < len(doc) and CURRENCY_SYMBOLS.get(doc[k].lower_):
        k += 1
    second = _read_number(doc, k)
    if second is None or second.value is None:
        return num
    return _Number(second.end, None, num.value, second.value)


def _candidate(
    doc: Doc, first: int, ranged: bool, cur: tuple[int, str] | None, num: _Number
) -> _Candidate:
    """The candidate's span, amount and unit: a currency before, a vague multiple
    ("several hundred"), a ratio ("1 in 4") or a unit after."""
    i = first + 1 if ranged else first
    start = first if ranged else (cur[0] if cur else i)
    num_start = i if ranged else (cur[0] + 1 if cur else i)
    multiple = _vague_multiple(doc, num_start, num)
    if multiple is not None:
        num = multiple
        if not cur and not ranged:  # the span takes in "several" / "a few"
            start = num_start - 1 - (num_start >= 2 and doc[num_start - 2].lower_ == "a")
    value, stop, unit = num.value, num.end, cur[1] if cur else None
    ratio = _ratio(doc, num.end, value) if value and not cur and not ranged else None
    after = None if ratio is not None else _unit_after(doc, num.end)
    if ratio is not None:
        value, stop, unit = ratio[0], ratio[1], "ratio"
    elif after is not None:
        stop, unit = after
    return _Candidate(
        first=first,
        ranged=ranged,
        start=start,
        num_start=num_start,
        end=num.end,
        stop=stop,
        value=value,
        low=num.low,
        high=num.high,
        unit=unit,
        after_unit=after is not None or (unit is not None and unit != "ratio"),
        s_char=doc[start].idx,
        e_char=doc[stop - 1].idx + len(doc[stop - 1]),
    )


def _vague_multiple(doc: Doc, num_start: int, num: _Number) -> _Number | None:
    """"several hundred", "a few thousand": a range of multiples of the scale."""
    mult = doc[num_start - 1].lower_ if num_start > 0 else ""
    if mult not in VAGUE_MULTIPLES or num.value is None or doc[num_start].lower_ not in SCALES:
        return None
    low, high = VAGUE_MULTIPLES[mult]
    return _Number(num.end, None, num.value * low, num.value * high)


def _ratio(doc: Doc, end: int, value: float) -> tuple[float, int] | None:
    """"1 in 4", "three out of five": the ratio and the end of its whole."""
    if _lower(doc, end) == "in":
        at = end + 1
    elif _lower(doc, end) == "out" and _lower(doc, end + 1) == "of":
        at = end + 2
    else:
        return None
    whole = _read_number(doc, at)
    if whole is None or not whole.value or whole.value <= value:
        return None
    return value / whole.value, whole.end


def _not_a_figure(ctx: _Document, c: _Candidate) -> bool:
    """A date, time, duration, age, pronoun, part of a name, or a back-reference."""
    doc = ctx.doc
    return (
        any(c.s_char < b_end and c.e_char > b_start for b_start, b_end in ctx.blocked)
        or (c.unit is None and _dated(ctx, c))
        or (c.unit is None and _lower(doc, c.end) in TIME_UNITS)  # "in one year", "three days"
        or _is_age(doc, c.num_start, c.end)
        or _pronoun_one(doc, c)
        or _name_part(doc, c)
        or (c.value is None and c.low is None)
        or (
            c.value is not None
            and c.value in ctx.seen_values
            and _back_reference(doc, c.num_start)
        )
    )


def _dated(ctx: _Document, c: _Candidate) -> bool:
    """A number word inside a date or time ("12 March 2024", "5pm")."""
    return any(_date_token(ctx.doc[x], ctx.ents) for x in range(c.num_start, c.end))


def _pronoun_one(doc: Doc, c: _Candidate) -> bool:
    """"one" alone, not counting a noun ("one man") nor picking from a group ("one of the
    12 victims", not "one of the most ..."), nor in an idiom ("at one point")."""
    if doc[c.end - 1].lower_ != "one" or c.end - c.num_start != 1 or c.low is not None:
        return False
    nxt = _lower(doc, c.end)
    counts = doc[c.end - 1].dep_ == "nummod" and nxt not in ONE_IDIOMS
    picks = nxt == "of" and _lower(doc, c.end + 2) not in SUPERLATIVES
    return not (counts or picks)


def _name_part(doc: Doc, c: _Candidate) -> bool:
    """Digits after a capitalised word, as in "Article 5", "Boeing 737" (not after a place)."""
    if c.num_start == 0 or c.unit is not None or c.ranged:
        return False
    prev = doc[c.num_start - 1]
    return (
        prev.is_title
        and prev.pos_ in ("PROPN", "NOUN")
        and doc[c.num_start].text[:1].isdigit()
        and prev.ent_type_ != "GPE"
    )


def _back_reference(doc: Doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in DEFINITE


def _figure(ctx: _Document, c: _Candidate, fid: str) -> Figure:
    """The record of a figure: its hedge, what it counts, its period and who claims it."""
    doc, text = ctx.doc, ctx.text
    h = _hedge_before(doc, c.start) if not c.ranged else None
    counted = _counted_span(doc, text, c)
    period = _period(doc, text, c.first, counted.end if counted else c.e_char)
    statement = _innermost(ctx.statements, c.s_char, c.e_char)
    return Figure(
        id=fid,
        span=RecSpan.of(text, c.s_char, c.e_char),
        value=c.value,
        low=c.low,
        high=c.high,
        hedge=h[1] if h is not None else None,
        unit=c.unit or "count",
        counted=counted,
        period=period,
        statement=statement.id if statement else None,
        claimed_by=list(statement.speakers) if statement else [],
    )


def _counted_span(doc: Doc, text: str, c: _Candidate) -> RecSpan | None:
    """The counted phrase's span; none for a time unit after an amount ("$3bn a year")."""
    found = _counted(doc, c.stop, c.after_unit)
    if found is None or found[0] >= found[1]:
        return None
    a, b = doc[found[0]], doc[found[1] - 1]
    if b.lower_ in TIME_UNITS and c.unit is not None:
        return None
    return RecSpan.of(text, a.idx, b.idx + len(b))


def _period(doc: Doc, text: str, first: int, search_from: int) -> RecSpan | None:
    """A time phrase after the figure in its sentence, before any clause break or number."""
    window = text[search_from : doc[first].sent.end_char]
    cut = _CLAUSE_CUT.search(window)
    pm = _PERIOD.search(window[: cut.start()] if cut else window)
    if pm is None:
        return None
    return RecSpan.of(text, search_from + pm.start(), search_from + pm.end())


def _innermost(statements: list[Statement], start: int, end: int) -> Statement | None:
    best = None
    for st in statements:
        if (
            st.content.start <= start
            and end <= st.content.end
            and (
                best is None
                or st.content.end - st.content.start < best.content.end - best.content.start
            )
        ):
            best = st
    return best
