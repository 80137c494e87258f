"""`onrecord follow` (poll feeds into the store), `onrecord watch` and `onrecord run`."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import closing

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _every(value: str) -> float:
    from onrecord.follow.state import parse_every

    try:
        return parse_every(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def cmd_follow(args: argparse.Namespace) -> int:
    from onrecord.digest.config import ConfigError, load_settings
    from onrecord.follow import logs
    from onrecord.follow.poll import Follower, FollowSettings
    from onrecord.follow.service import cycle_hook
    from onrecord.follow.sources import SourcesError, read_sources
    from onrecord.store import open_store

    try:
        sources = read_sources(args.sources)
        settings = load_settings(args.config)
    except (SourcesError, ConfigError) as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_USAGE
    logs.configure(structured=args.json_logs)
    follow = FollowSettings(every=args.every, allow_private=args.allow_private,
                            timeout=args.timeout, retries=args.retries, backoff=args.backoff)
    with closing(open_store(args.db, readonly=False)) as store:
        follower = Follower(store, sources, follow, after_store=cycle_hook(store, settings))
        if args.once:
            report = follower.cycle()
            return EXIT_FAILED if report.failed else EXIT_OK
        print(f"onrecord: following {len(sources)} sources every {args.every:g} s into "
              f"{store.path} (Ctrl-C stops)", file=sys.stderr, flush=True)
        try:
            follower.run()
        except KeyboardInterrupt:
            follower.stop.set()
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from onrecord.store import QueryError, StoreError, open_store

    chosen = [(k, v) for k, v in (("speaker", args.speaker), ("about", args.about),
                                  ("entity", args.entity)) if v]
    if args.action == "add":
        if len(chosen) != 1:
            print("onrecord: watch add needs one of --speaker, --about or --entity",
                  file=sys.stderr)
            return EXIT_USAGE
        if args.email:
            from onrecord.digest.cli import is_address

            if not is_address(args.email):
                print(f"onrecord: --email: not an email address (name@host): {args.email!r}",
                      file=sys.stderr)
                return EXIT_USAGE
        with closing(open_store(args.db, readonly=False)) as store:
            try:
                w = store.add_watch(chosen[0][0], chosen[0][1], args.email)  # type: ignore[arg-type]
            except QueryError as exc:
                print(f"onrecord: {exc}", file=sys.stderr)
                return EXIT_USAGE
        print(f"onrecord: watch {w.id} added: {chosen[0][0]} {w.value!r}"
              + (f", mail to {w.email}" if w.email else ""), file=sys.stderr)
        return EXIT_OK
    if chosen or args.email:
        print(f"onrecord: watch {args.action} takes no --speaker/--about/--entity/--email",
              file=sys.stderr)
        return EXIT_USAGE
    if args.action == "rm":
        if args.id is None:
            print("onrecord: watch rm needs the watch's ID (see `onrecord watch list`)",
                  file=sys.stderr)
            return EXIT_USAGE
        with closing(open_store(args.db, readonly=False)) as store:
            removed = store.remove_watch(args.id)
        if not removed:
            print(f"onrecord: no watch {args.id}", file=sys.stderr)
            return EXIT_FAILED
        print(f"onrecord: watch {args.id} removed", file=sys.stderr)
        return EXIT_OK
    try:  # a query: no whole-file check unless the schema needs upgrading first
        reader = open_store(args.db, readonly=True)
    except StoreError:
        reader = open_store(args.db, readonly=False)
    with closing(reader) as store:
        rows = [{"id": w.id, "kind": w.kind, "value": w.value, "email": w.email,
                 "matches": len(store.watch_matches(w.id, limit=500)),
                 "created_at": w.created_at} for w in store.watches()]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in rows:
            print(f"{r['id']:>4}  {r['kind']:<8} {r['value']!s:<32} {r['matches']:>4} matches"
                  + (f"  mail to {r['email']}" if r["email"] else ""))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from onrecord.digest.config import ConfigError, load_settings
    from onrecord.follow import logs
    from onrecord.follow.config import RunConfigError, load_run_settings
    from onrecord.follow.service import run

    try:
        cfg = load_run_settings(args.config)
        settings = load_settings(args.config)
    except (RunConfigError, ConfigError) as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.db:
        cfg.db = args.db
    if not cfg.sources:
        print(f"onrecord: {args.config}: nothing to follow: set [follow] sources",
              file=sys.stderr)
        return EXIT_USAGE
    logs.configure(structured=True)
    return run(cfg, settings)


def add_commands(sub: argparse._SubParsersAction, db_help: str) -> None:
    fo = sub.add_parser("follow", help="poll feeds and pages, storing new articles as they come")
    fo.add_argument("sources", metavar="SOURCES",
                    help="a file of feed and page URLs, one per line, or a TOML file with "
                         "sources = [...]")
    fo.add_argument("--every", type=_every, default=900.0, metavar="DURATION",
                    help="poll each feed this often: 15m (default), 90s, 1h")
    fo.add_argument("--once", action="store_true", help="one cycle, then exit (for cron)")
    fo.add_argument("--db", help=db_help)
    fo.add_argument("--config", help="TOML config for watch mail ([smtp]) and links "
                                     "([digest] base_url)")
    fo.add_argument("--allow-private", action="store_true",
                    help="allow fetching from loopback, private and link-local addresses")
    fo.add_argument("--timeout", type=float, default=10.0,
                    help="seconds to wait for each URL (default 10)")
    fo.add_argument("--retries", type=int, default=2,
                    help="tries again after a 5xx or timeout, within a cycle (default 2)")
    fo.add_argument("--backoff", type=float, default=2.0,
                    help="seconds before the first retry, doubled each time (default 2)")
    fo.add_argument("--json-logs", action="store_true", help="log JSON lines")
    fo.set_defaults(func=cmd_follow)

    wa = sub.add_parser("watch", help="alerts on a speaker, words or an entity in new "
                                      "statements: add, list, rm")
    wa.add_argument("action", choices=("add", "list", "rm"))
    wa.add_argument("id", nargs="?", type=int, metavar="ID", help="the watch to remove")
    wa.add_argument("--speaker", metavar="NAME", help="statements said by this person")
    wa.add_argument("--about", metavar="WORDS", help="statements with these words "
                                                     "(full-text query)")
    wa.add_argument("--entity", metavar="NAME", help="statements naming this person, body "
                                                     "or place")
    wa.add_argument("--email", metavar="ADDR", help="mail new matches here, batched per cycle")
    wa.add_argument("--format", choices=("table", "json"), default="table")
    wa.add_argument("--db", help=db_help)
    wa.set_defaults(func=cmd_watch)

    ru = sub.add_parser("run", help="the service: follow, the daily briefing and the web app "
                                    "in one process")
    ru.add_argument("--config", required=True, help="TOML config (see deploy/onrecord.toml)")
    ru.add_argument("--db", help=db_help + "; overrides [store] db")
    ru.set_defaults(func=cmd_run)
