"""Watches: who or what a reporter wants to hear about, and delivering each match once.

Matching is the store's (:meth:`~onrecord.store.base.Store.match_watches`): a speaker
watch follows the store's person identity, an ``about`` watch is a full-text query over
what was said, an entity watch looks for the entity named inside the words. Here the
new matches are delivered: one email per address per cycle listing every match of that
address's watches (marked sent only once the server took it, so a failed send is
retried next cycle and a sent one never repeated), and an Atom feed per watch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from xml.sax.saxutils import escape

from onrecord.digest.config import SMTPSettings
from onrecord.record import one_line
from onrecord.store.base import StatementRow, Store, Watch, WatchMatch

log = logging.getLogger("onrecord.follow")
MAX_PER_CYCLE = 500  # matches emailed per cycle; the rest go in the next


def describe(w: Watch) -> str:
    """What a watch looks for, in a few words."""
    if w.kind == "speaker":
        return f"said by {w.value}"
    if w.kind == "about":
        return f"about “{w.value}”"
    return f"mentioning {w.value}"


def statement_link(st: StatementRow, base_url: str) -> str:
    """The document page scrolled to the statement's marked words."""
    return f"{base_url.rstrip('/')}/doc/{st.document}#{st.local_id}"


def _who(st: StatementRow) -> str:
    return " & ".join(s.name for s in st.speakers) or st.source or "unattributed"


def _line(st: StatementRow, base_url: str) -> str:
    where = one_line(st.title or st.source_id or st.document)
    date = f", {st.published[:10]}" if st.published else ""
    return (f"  “{one_line(st.content)}”\n    — {one_line(_who(st))} ({where}{date})\n"
            f"    {statement_link(st, base_url)}")


def message(address: str, matches: list[WatchMatch], watches: dict[int, Watch],
            sender: str, base_url: str) -> EmailMessage:
    """One email listing ``matches``, grouped by watch."""
    msg = EmailMessage()
    n = len(matches)
    names = "; ".join(dict.fromkeys(describe(watches[m.watch]) for m in matches))
    msg["Subject"] = one_line(f"onrecord: {n} new statement{'s' if n != 1 else ''} {names}")[:200]
    msg["From"] = sender
    msg["To"] = address
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(idstring="watch")
    parts = []
    for wid in dict.fromkeys(m.watch for m in matches):
        mine = [m for m in matches if m.watch == wid]
        parts.append(f"Watch {wid}: {describe(watches[wid])} ({len(mine)} new)\n\n"
                     + "\n\n".join(_line(m.statement, base_url) for m in mine))
    msg.set_content("\n\n".join(parts) + "\n")
    return msg


def deliver(store: Store, smtp: SMTPSettings | None, base_url: str) -> int:
    """Match new statements against the watches and email what is new; the number of
    new matches. Matches of watches without an address are only listed (page, feed)."""
    from onrecord.digest import mail

    found = sum(store.match_watches().values())
    watches = {w.id: w for w in store.watches()}
    unsent = store.watch_matches(unsent=True, limit=MAX_PER_CYCLE)
    by_address: dict[str, list[WatchMatch]] = {}
    quiet = []
    for m in reversed(unsent):  # oldest first in the mail
        address = watches[m.watch].email if m.watch in watches else None
        if address and smtp is not None:
            by_address.setdefault(address, []).append(m)
        else:
            quiet.append(m)
    if quiet:
        store.mark_sent(quiet)
    for address, matches in by_address.items():
        assert smtp is not None
        msg = message(address, matches, watches, smtp.sender, base_url)
        try:
            mail.send(msg, dataclasses.replace(smtp, recipients=[address]))
        except Exception as exc:  # noqa: BLE001  (SMTP, network, config: retried next cycle)
            log.warning("watch mail to %s not sent (%s: %s); retrying next cycle", address,
                        type(exc).__name__, exc,
                        extra={"fields": {"event": "mail_failed", "to": address,
                                          "reason": str(exc)}})
            continue
        store.mark_sent(matches)
        log.info("watch mail: %d matches sent to %s", len(matches), address,
                 extra={"fields": {"event": "mail_sent", "to": address,
                                   "matches": len(matches)}})
    return found


def atom(w: Watch, matches: list[WatchMatch], feed_url: str, base_url: str,
         updated: dt.datetime | None = None) -> str:
    """An Atom feed of a watch's matches, newest first; one entry per statement."""
    now = (updated or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    latest = max((m.matched_at for m in matches), default=now)
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{escape(one_line('onrecord watch: ' + describe(w)))}</title>",
             f"<id>{escape(feed_url)}</id>",
             f'<link rel="self" href="{escape(feed_url)}"/>',
             f"<updated>{escape(latest)}</updated>",
             "<author><name>onrecord</name></author>"]
    for m in matches:
        st = m.statement
        link = statement_link(st, base_url)
        title = f"{_who(st)}: “{st.content}”"
        if len(title) > 160:
            title = title[:159] + "…"
        parts += ["<entry>", f"<title>{escape(one_line(title))}</title>",
                  f"<id>{escape(f'{feed_url}#{st.id}')}</id>",
                  f'<link href="{escape(link)}"/>', f"<updated>{escape(m.matched_at)}</updated>",
                  f"<summary>{escape(one_line(st.content))}</summary>",
                  f"<content type=\"text\">{escape(_line(st, base_url))}</content>", "</entry>"]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
