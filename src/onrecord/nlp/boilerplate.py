"""Site boilerplate in article text: promo, subscription and navigation lines.

A line is boilerplate when it speaks to the reader about the site rather than
reporting news: calls to subscribe, register, sign up, buy the e-paper, get the
newsletter, accept cookies, follow on social media, or read related links. Each
such signal adds to a score; quoted speech and reporting verbs count against it.
"""

from __future__ import annotations

import re

from onrecord.record import Region

# Each pattern is one kind of reader-directed promo signal.
PROMO_SIGNALS = [
    r"\bsubscri(?:be|ption|bers?)\b",
    r"\bregister\b(?! of\b)",
    r"\bsign[ -]?(?:up|in)\b",
    r"\blog[ -]?in\b",
    r"\bnewsletters?\b",
    r"\be-?paper\b",
    r"\bdigital (?:edition|access)\b",
    r"\bcookies?\b",
    r"\bprivacy (?:policy|notice|settings)\b",
    r"\bterms (?:of (?:use|service)|and conditions)\b",
    r"\ball rights reserved\b",
    r"©|\bcopyright\b",
    r"\bfollow us\b",
    r"\b(?:facebook|twitter|instagram|whatsapp|tiktok|linkedin)\b",
    r"\bclick here\b|\btap here\b|\bhere for\b",
    r"\bread more\b|\bread next\b|\bmore from\b|\brelated (?:articles?|stories|content)\b",
    r"\bdelivered (?:straight )?to your inbox\b|\byour inbox\b",
    r"\binstant access\b|\bunlimited access\b|\bfree trial\b",
    r"\bdownload (?:our|the) app\b",
    r"\badvertis(?:e|ement|ing)\b",
    r"\bkeep up (?:to date )?with\b|\bstay (?:up to date|informed)\b",
    r"\b(?:our|the) (?:latest|top) (?:news|stories|headlines)\b",
    r"\bdiscover more\b",
    r"\bsupport (?:our|independent) journalism\b",
]
_SIGNALS = [re.compile(p, re.IGNORECASE) for p in PROMO_SIGNALS]
_ANY_SIGNAL = re.compile("|".join(f"(?:{p})" for p in PROMO_SIGNALS), re.IGNORECASE)
_READER_ADDRESS = re.compile(
    r"\b(?:you|your|our|we)\b|^(?:subscribe|buy|sign|keep|get|join|follow|click|read|download|register)\b",
    re.IGNORECASE,
)
_NEWS_SPEECH = re.compile(r"[“”\"]|\b(?:said|says|told|according to)\b", re.IGNORECASE)


def promo_score(line: str) -> int:
    """How strongly a line reads as site promotion rather than article text."""
    if not _ANY_SIGNAL.search(line):
        return 0  # most article lines: one scan instead of one per signal
    score = sum(1 for rx in _SIGNALS if rx.search(line))
    if score and _READER_ADDRESS.search(line):
        score += 1
    if _NEWS_SPEECH.search(line):
        score -= 2
    return score


def find_boilerplate(text: str, threshold: int = 2) -> list[Region]:
    """Regions of ``text`` (whole lines, without their line break) that are boilerplate."""
    regions: list[Region] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and promo_score(body) >= threshold:
            regions.append(Region(start=pos, end=pos + len(body)))
        pos += len(line)
    return regions


def mask(text: str, regions: list[Region]) -> str:
    """``text`` with each region blanked by spaces, so offsets stay the same."""
    if not regions:
        return text
    chars = list(text)
    for r in regions:
        chars[r.start : r.end] = " " * (r.end - r.start)
    return "".join(chars)
