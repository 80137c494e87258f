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


class Reader:
    """Reads number expressions from a token sequence."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.n = len(doc)

    def tok(self, i: int) -> Token | None:
        return self.doc[i] if 0 <= i < self.n else None

    def number(self, i: int) -> tuple[int, float | None, float | None, float | None] | None:
        """One number starting at token ``i``: (end, value, low, high); end is exclusive."""
        doc = self.doc
        total, current, seen, j, good = 0.0, 0.0, False, i, i
        vague: tuple[float, float] | None = None
        while j < self.n:
            t = doc[j]
            w = t.lower_
            dig = _digits(t.text)
            if dig is not None:
                if seen:
                    break
                current = dig[0]
                if dig[1] > 1:
                    total, current = current * dig[1], 0.0
                # "€300m", "2.5 bn": a scale suffix split off by the tokenizer.
                nxt = self.tok(j + 1)
                if (
                    nxt is not None
                    and nxt.lower_ in SCALES
                    and nxt.lower_ != "hundred"
                    and (not t.whitespace_ or nxt.lower_ not in ("m", "k"))
                    and dig[1] == 1
                ):
                    total, current = current * SCALES[nxt.lower_], 0.0
                    j += 1
                seen = True
            elif w in SMALL:
                v = SMALL[w]
                ok = (
                    not seen
                    or (current == 0 and total > 0)
                    or (current % 100 == 0 and current > 0 and v < 100)
                    or (20 <= current < 100 and current % 10 == 0 and v < 10)
                )
                if not ok:
                    break
                current += v
                seen = True
            elif (
                w == "-"
                and seen
                and doc[j - 1].lower_ in SMALL
                and ((nxt := self.tok(j + 1)) is not None and nxt.lower_ in SMALL)
            ):
                j += 1
                continue  # twenty-five
            elif w in ("hundred", "dozen"):
                current = (current or 1.0) * (100 if w == "hundred" else 12)
                seen = True
            elif w in SCALES and w not in ("m", "k") and (seen or i == j):
                total += (current or 1.0) * SCALES[w]
                current = 0.0
                seen = True
            elif w in ("a", "an") and not seen:
                nxt = self.tok(j + 1)
                if nxt is None or nxt.lower_ not in (
                    "hundred",
                    "thousand",
                    "million",
                    "billion",
                    "trillion",
                    "dozen",
                ):
                    break
                current, seen = 1.0, True
                j += 1
                continue
            elif w == "half" and not seen:
                nxt, nxt2 = self.tok(j + 1), self.tok(j + 2)
                if (
                    nxt is None
                    or nxt.lower_ not in ("a", "an")
                    or nxt2 is None
                    or nxt2.lower_ not in SCALES
                ):
                    break
                current, seen = 0.5, True  # half a million
                j += 2
                continue
            elif w == "and" and seen:
                nxt, nxt2 = self.tok(j + 1), self.tok(j + 2)
                if (
                    nxt is not None
                    and nxt.lower_ in ("a", "an")
                    and nxt2 is not None
                    and nxt2.lower_ == "half"
                ):
                    current += 0.5  # one and a half million
                    j += 3
                    continue
                j += 1
                continue  # kept only if a number follows ("one hundred and twenty")
            elif w in VAGUE and not seen:
                nxt, nxt2 = self.tok(j + 1), self.tok(j + 2)
                if (
                    nxt is not None
                    and nxt.lower_ == "of"
                    and nxt2 is not None
                    and nxt2.lower_ in VAGUE
                ):
                    scale = VAGUE[nxt2.lower_]  # hundreds of thousands
                    vague = (VAGUE[w] * 2 * scale, VAGUE[w] * 10 * scale - 1)
                    good = j + 3
                else:
                    vague = (VAGUE[w] * 2, 99 if w == "dozens" else VAGUE[w] * 10 - 1)
                    good = j + 1
                seen = True
                break
            elif w == "tens" and not seen:
                nxt, nxt2 = self.tok(j + 1), self.tok(j + 2)
                if (
                    nxt is not None
                    and nxt.lower_ == "of"
                    and nxt2 is not None
                    and nxt2.lower_ in VAGUE
                ):
                    scale = VAGUE[nxt2.lower_]
                    vague = (20 * scale, 100 * scale - 1)
                    good = j + 3
                    seen = True
                break
            else:
                break
            j += 1
            good = j
        j = good
        if not seen:
            return None
        if vague is not None:
            return j, None, vague[0], vague[1]
        value = total + current
        return j, value, None, None


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


def _back_reference(doc: Doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in DEFINITE


def find_figures(
    doc: Doc,
    text: str,
    statements: list[Statement] | None = None,
    dates: list[DateMention] | None = None,
    regions: list[Region] | None = None,
) -> list[Figure]:
    """Every figure the document cites, in text order."""
    statements = statements or []
    blocked: list[tuple[int, int]] = [(d.span.start, d.span.end) for d in dates or []]
    blocked += [(r.start, r.end) for r in regions or []]
    reader = Reader(doc)
    out: list[Figure] = []
    seen_values: set[float] = set()
    sent_ends: dict[int, int] = {}
    ents = doc.ents
    starts = _figure_starts(doc)
    at = 0  # the first of ``starts`` not yet passed
    i, n = 0, len(doc)
    while i < n:
        # Tokens that neither start a number nor lead into one are skipped.
        while at < len(starts) and starts[at] < i:
            at += 1
        if at == len(starts):
            break
        i = starts[at]
        tok = doc[i]
        start = i
        low_kw = None
        if tok.lower_ in ("between", "from"):
            low_kw = tok.lower_
            i += 1
            if i >= n:
                break
        cur = _currency_before(doc, i)
        got = reader.number(i)
        if got is None or _date_token(tok, ents) and not low_kw:
            i = start + 1
            continue
        end, value, low, high = got
        if low_kw is None:
            start = cur[0] if cur else i
        unit = cur[1] if cur else None
        # Range: "10-15", "10 to 15", "between 10 and 15", "two or three", "$10m-$15m".
        j = end
        if (
            j < n
            and doc[j].lower_ in ("-", "–", "to", "and", "or")
            and value is not None
            and (doc[j].lower_ != "and" or low_kw == "between")
            and (doc[j].lower_ != "to" or low_kw != "between")
        ):
            k = j + 1
            if k < n and CURRENCY_SYMBOLS.get(doc[k].lower_):
                k += 1
            second = reader.number(k) if k < n else None
            if second is not None and second[1] is not None:
                low, high, value, end = value, second[1], None, second[0]
        elif low_kw is not None:
            i = start + 1
            continue
        num_start = start + 1 if low_kw else (cur[0] + 1 if cur else start)
        # "several hundred", "a few thousand": a vague multiple.
        mult = doc[num_start - 1].lower_ if num_start > 0 else ""
        if mult in ("several", "few") and value is not None and doc[num_start].lower_ in SCALES:
            scale = value
            low, high, value = (
                scale * (2 if mult == "few" else 3),
                scale * (5 if mult == "few" else 9),
                None,
            )
            if not cur and not low_kw:
                start = num_start - 1 - (num_start >= 2 and doc[num_start - 2].lower_ == "a")
        j = end
        after_unit = False
        u = _unit_after(doc, j)
        # "1 in 4", "three out of five": a ratio.
        ratio_at = (
            j + 1
            if j < n and doc[j].lower_ == "in"
            else (
                j + 2
                if j + 1 < n and doc[j].lower_ == "out" and doc[j + 1].lower_ == "of"
                else None
            )
        )
        if ratio_at is not None and value and not cur and low_kw is None:
            whole = reader.number(ratio_at) if ratio_at < n else None
            if whole is not None and whole[1] and whole[1] > value:
                value, unit, j, u = value / whole[1], "ratio", whole[0], None
        if u is not None:
            j, unit = u
            after_unit = True
        elif unit is not None and unit != "ratio":
            after_unit = True
        first, last = doc[start], doc[end - 1]
        s_char, e_char = first.idx, doc[j - 1].idx + len(doc[j - 1])
        i = max(j, start + 1)
        # -- what is not a figure -------------------------------------------------
        if any(s_char < b_end and e_char > b_start for b_start, b_end in blocked):
            continue
        if any(_date_token(doc[x], ents) for x in range(num_start, end)) and unit is None:
            continue
        nxt = doc[end] if end < n else None
        if unit is None and nxt is not None and nxt.lower_ in TIME_UNITS:
            continue  # a duration: "in one year", "three days of clashes"
        if _is_age(doc, num_start, end):
            continue
        if (
            last.lower_ == "one"
            and end - num_start == 1
            and low is None
            and not (
                last.dep_ == "nummod"
                and (nxt is None or nxt.lower_ not in ONE_IDIOMS)
                or (
                    nxt is not None
                    and nxt.lower_ == "of"
                    and not (end + 2 < n and doc[end + 2].lower_ in ("most", "best", "largest"))
                )
            )
        ):
            continue
        prev = doc[num_start - 1] if num_start > 0 else None
        if (
            prev is not None
            and unit is None
            and prev.is_title
            and prev.pos_ in ("PROPN", "NOUN")
            and low_kw is None
            and doc[num_start].text[:1].isdigit()
            and prev.ent_type_ != "GPE"
        ):
            continue  # part of a name: "Article 5", "Boeing 737"
        if value is None and low is None:
            continue
        if value is not None and value in seen_values and _back_reference(doc, num_start):
            continue
        # -- the figure -------------------------------------------------------------
        hedge = None
        h = _hedge_before(doc, start)
        if h is not None and not low_kw:
            hedge = h[1]
        if value is not None:
            seen_values.add(value)
        counted = None
        c = _counted(doc, j, after_unit)
        if c is not None and c[0] < c[1]:
            a, b = doc[c[0]], doc[c[1] - 1]
            if b.lower_ in TIME_UNITS and unit is not None:
                c = None
            else:
                counted = RecSpan.of(text, a.idx, b.idx + len(b))
        sent = tok.sent
        if sent.start not in sent_ends:
            sent_ends[sent.start] = sent.end_char
        search_from = counted.end if counted else e_char
        period = None
        window = text[search_from : sent_ends[sent.start]]
        cut = re.search(r"[;:]|\d", window)
        pm = _PERIOD.search(window[: cut.start()] if cut else window)
        if pm:
            period = RecSpan.of(text, search_from + pm.start(), search_from + pm.end())
        statement = _innermost(statements, s_char, e_char)
        out.append(
            Figure(
                id=f"F{len(out) + 1}",
                span=RecSpan.of(text, s_char, e_char),
                value=value,
                low=low,
                high=high,
                hedge=hedge,
                unit=unit or "count",
                counted=counted,
                period=period,
                statement=statement.id if statement else None,
                claimed_by=list(statement.speakers) if statement else [],
            )
        )
    return out


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
