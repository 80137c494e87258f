"""The briefing as Markdown, plain text, an HTML email and Atom entries.

The HTML is an email: one table-layout page with inline styles only, no scripts, no
images, fonts or style sheets to fetch, and links only to the onrecord web app's
document pages (``base_url``); the original article addresses are in the plain-text
part, not linked from the HTML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, select_autoescape

from onrecord.digest.build import Briefing, StoryBrief
from onrecord.stories.rank import count

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "digest"


def _sources(outlets: list[str]) -> str:
    return ", ".join(outlets)


def _claims(c: object) -> str:
    from onrecord.stories.checks import FigureConflict

    assert isinstance(c, FigureConflict)
    return "; ".join(f"{x.text} ({' & '.join(x.claimed_by) or 'the article'}, {x.outlet})"
                     for x in c.claims)


def markdown(b: Briefing) -> str:
    out = [f"# {b.subject}", ""]
    if not b.stories:
        out.append("No stories were published on this day.")
    for s in b.stories:
        out += [f"## {s.rank}. {s.title}", ""]
        out.append(f"*{count(len(s.outlets), 'outlet', 'outlets')} ({_sources(s.outlets)}), "
                   f"{count(len(s.documents), 'article', 'articles')}, {s.first_seen} to "
                   f"{s.last_seen}*")
        out += ["", f"{s.summary} — {_sources(s.summary_sources)}", ""]
        if s.people:
            out += [f"**People:** {', '.join(s.people)}", ""]
        if s.quotes:
            out.append("**Quotes**")
            out += [f"- {q.speaker}: “{q.text}” ({_sources(q.outlets)})" for q in s.quotes]
            out.append("")
        if s.figures:
            out.append("**Figures**")
            out += [f"- {f.text}, claimed by {f.claimed_by} ({_sources(f.outlets)})"
                    for f in s.figures]
            out.append("")
        if s.conflicts or s.variants:
            out.append("**Cross-source checks**")
            out += [f"- Sources disagree on the number of {c.thing}: {_claims(c)}"
                    for c in s.conflicts]
            for v in s.variants:
                a, b2 = v.quotes
                out.append(f"- {v.speaker} quoted differently: “{a.text}” ({a.outlet}) vs "
                           f"“{b2.text}” ({b2.outlet})")
            out.append("")
        out.append("**Articles**")
        out += [f"- [{d.outlet}, {d.published or 'undated'}{': ' + d.title if d.title else ''}]"
                f"({d.href})"
                + (" (copy)" if d.copy else "") + f" — {why}"
                for d, (_, why) in zip(s.documents, s.explanations, strict=True)]
        out += ["", f"<details><summary>Why this story</summary>{s.why} "
                    f"(importance {s.score:g})</details>", ""]
    return "\n".join(out).rstrip() + "\n"


def text(b: Briefing) -> str:
    """The plain-text alternative of the email."""
    out = [b.subject, "=" * min(len(b.subject), 78), ""]
    if not b.stories:
        out.append("No stories were published on this day.")
    for s in b.stories:
        out += [f"{s.rank}. {s.title}",
                f"   {count(len(s.outlets), 'outlet', 'outlets')}, "
                f"{count(len(s.documents), 'article', 'articles')}, "
                f"{s.first_seen} to {s.last_seen}", "",
                f"   {s.summary} ({_sources(s.summary_sources)})", ""]
        for q in s.quotes:
            out.append(f"   \"{q.text}\" - {q.speaker} ({_sources(q.outlets)})")
        for f in s.figures:
            out.append(f"   * {f.text}: {f.claimed_by} ({_sources(f.outlets)})")
        for c in s.conflicts:
            out.append(f"   ! Sources disagree on the number of {c.thing}: {_claims(c)}")
        for v in s.variants:
            a, b2 = v.quotes
            out.append(f"   ! {v.speaker} quoted differently: \"{a.text}\" ({a.outlet}) / "
                       f"\"{b2.text}\" ({b2.outlet})")
        for d in s.documents:
            out.append(f"   - {d.outlet}, {d.published or 'undated'}: {d.url or d.href}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["sources"] = _sources
    return env


def html(b: Briefing) -> str:
    """The briefing as a self-contained HTML email (inline styles, tables, no fetches)."""
    return _env().get_template("email.html").render(b=b, stories=b.stories)


def atom(briefings: list[Briefing], feed_url: str, updated: dt.datetime | None = None) -> str:
    """An Atom feed with one entry per briefing (newest first), HTML content escaped."""
    now = (updated or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    base = feed_url.rsplit("/", 1)[0]
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             "<title>onrecord briefings</title>",
             f"<id>{escape(feed_url)}</id>",
             f'<link rel="self" href="{escape(feed_url)}"/>',
             f"<updated>{now}</updated>",
             "<author><name>onrecord</name></author>"]
    for b in briefings:
        link = f"{base}/digest?date={b.day.isoformat()}"
        parts += ["<entry>", f"<title>{escape(b.subject)}</title>",
                  f"<id>{escape(link)}</id>", f'<link href="{escape(link)}"/>',
                  f"<updated>{b.day.isoformat()}T23:59:59Z</updated>",
                  f"<summary>{escape(_headline(b.stories))}</summary>",
                  f'<content type="html">{escape(html(b))}</content>', "</entry>"]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def _headline(stories: list[StoryBrief]) -> str:
    return "; ".join(s.title for s in stories) or "no stories"
