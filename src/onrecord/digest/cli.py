"""`onrecord digest` (the daily briefing: print, send, send daily) and `onrecord stories`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onrecord.digest.config import Settings
    from onrecord.stories.store import Story

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    from onrecord.digest.config import load_settings

    s = load_settings(args.config, weights=args.weight or ())
    if getattr(args, "base_url", None):
        s.base_url = args.base_url
    if getattr(args, "top", None):
        s.top = args.top
    return s


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


_ADDRESS = re.compile(r"[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\".]+")


def is_address(text: str) -> bool:
    """Whether ``text`` is one bare address (name@host.tld): nothing that could break or
    add a mail header (no CR/LF, no display names, no second address)."""
    return _ADDRESS.fullmatch(text) is not None


def cmd_digest(args: argparse.Namespace) -> int:
    from onrecord.digest import mail, render
    from onrecord.digest.build import build_briefing
    from onrecord.digest.config import ConfigError
    from onrecord.store import open_store

    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_USAGE
    smtp = settings.smtp
    if args.to:
        smtp.recipients = [a.strip() for a in args.to.split(",") if a.strip()]
        bad = [a for a in smtp.recipients if not is_address(a)]
        if bad or not smtp.recipients:
            print(f"onrecord: --to: not an email address (name@host): {(bad or [args.to])[0]!r}",
                  file=sys.stderr)
            return EXIT_USAGE
    store = open_store(args.db, readonly=False)
    try:
        if args.every:
            from onrecord.digest.schedule import Scheduler, parse_time

            if not smtp.recipients:
                print("onrecord: --every sends mail: set [smtp] to or ONRECORD_SMTP_TO",
                      file=sys.stderr)
                return EXIT_USAGE

            def prepare(day: dt.date) -> tuple[str, list[str], Callable[[], None]]:
                b = build_briefing(store, day, settings.top, settings.weights,
                                   settings.cluster, settings.base_url)
                msg = mail.message(b, smtp.sender, smtp.recipients)
                return b.subject, smtp.recipients, lambda: mail.send(msg, smtp)

            sched = Scheduler(store, parse_time(args.every), prepare,
                              log=lambda m: print(m, file=sys.stderr, flush=True))
            print(f"onrecord: sending the briefing every day at {args.every} to "
                  f"{', '.join(smtp.recipients)} (Ctrl-C stops)", file=sys.stderr, flush=True)
            sched.run()
            return EXIT_OK
        b = build_briefing(store, args.date, settings.top, settings.weights, settings.cluster,
                           settings.base_url)
        if args.send:
            msg = mail.message(b, smtp.sender, smtp.recipients)
            try:
                mail.send(msg, smtp)
            except (OSError, ConfigError) as exc:
                print(f"onrecord: briefing not sent ({exc})", file=sys.stderr)
                return EXIT_FAILED
            print(f"onrecord: briefing for {b.day} sent to {', '.join(smtp.recipients)}",
                  file=sys.stderr)
            return EXIT_OK
        if args.format == "md":
            sys.stdout.write(render.markdown(b))
        elif args.format == "text":
            sys.stdout.write(render.text(b))
        elif args.format == "html":
            sys.stdout.write(render.html(b))
        else:
            sys.stdout.write(mail.message(b, smtp.sender, smtp.recipients or
                                          ["you@localhost"]).as_string())
        return EXIT_OK
    finally:
        store.close()


def cmd_stories(args: argparse.Namespace) -> int:
    from onrecord.digest.config import ConfigError
    from onrecord.store import open_store
    from onrecord.stories.rank import rank
    from onrecord.stories.store import load_stories

    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args.db, readonly=False)
    try:
        stories = load_stories(store, settings.cluster)
    finally:
        store.close()
    if args.date:
        ranked = rank(stories, args.date, settings.weights)
        listed: list[tuple[Story, float | None, str]] = [(r.story, r.score, r.why())
                                                          for r in ranked]
    else:
        listed = [(s, None, "") for s in sorted(stories, key=lambda s: (
            -(s.last_seen or dt.date.min).toordinal(), -len(s.docs), s.id))]
    rows = []
    for story, score, why in listed:
        rows.append({"story": story.id, "title": story.title, "score": score, "why": why,
                     "first_seen": str(story.first_seen), "last_seen": str(story.last_seen),
                     "outlets": story.outlets, "people": [p.name for p in story.people],
                     "documents": [{"id": d.id, "outlet": d.outlet,
                                    "published": d.record.published,
                                    "joined": d.why.as_dict()} for d in story.docs]})
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for story, score, why in listed:
        head = f"[{story.id}] {story.title}"
        if score is not None:
            head += f"  (score {score:g}: {why})"
        print(head)
        print(f"    {story.first_seen} to {story.last_seen}; outlets: {', '.join(story.outlets)};"
              f" people: {', '.join(p.name for p in story.people) or '-'}")
        for d in story.docs:
            print(f"    - {d.id} {d.outlet} {d.record.published or 'undated'}: "
                  f"{d.why.summary() if args.verbose else d.why.short()}")
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction, db_help: str) -> None:
    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help=db_help)
        p.add_argument("--config", help="TOML settings file (default $ONRECORD_CONFIG, else "
                                        "~/.config/onrecord/config.toml when present)")
        p.add_argument("--weight", action="append", metavar="NAME=VALUE",
                       help="importance weight override, e.g. outlets=3 (repeatable)")

    dg = sub.add_parser("digest", help="the daily briefing: top stories with quotes, figures "
                                       "and cross-source checks")
    common(dg)
    dg.add_argument("--date", type=_day, help="day YYYY-MM-DD (default: latest day with news)")
    dg.add_argument("--top", type=int, help="how many stories (default 5)")
    dg.add_argument("--format", choices=("md", "text", "html", "email"), default="md",
                    help="md (default), text, html (the email's HTML), email (MIME message)")
    dg.add_argument("--base-url", help="where the onrecord web app is, for document links "
                                       "(default http://127.0.0.1:8000)")
    dg.add_argument("--send", action="store_true", help="send it over SMTP (settings from the "
                                                        "config file or ONRECORD_SMTP_*)")
    dg.add_argument("--to", help="recipients, comma-separated (overrides the settings)")
    dg.add_argument("--every", metavar="HH:MM",
                    help="run as a scheduler: send each day's briefing at this local time, "
                         "once per day across restarts")
    dg.set_defaults(func=cmd_digest)

    st = sub.add_parser("stories", help="stories grouped across outlets, with what joined them")
    common(st)
    st.add_argument("--date", type=_day, help="rank the stories seen by this day YYYY-MM-DD")
    st.add_argument("--format", choices=("table", "json"), default="table")
    st.add_argument("--verbose", "-v", action="store_true",
                    help="with each document, all that joined it: score, words, days, figures, "
                         "events, shared names (default: the event in a few words)")
    st.set_defaults(func=cmd_stories)
