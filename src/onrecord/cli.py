"""onrecord: who said what in the news, every fact pinned to the text it came from.

Exit status: 0 when every input was processed, 1 when any input failed (each failure
is one line on stderr naming the document), 2 for a usage error.

Only the commands that extract load spaCy, the tagger and ONNX Runtime (and only
``batch --engine spark`` PySpark): every import of them sits inside those commands, so
queries, ``--help`` and ``--version`` start in a fraction of a second
(``tests/test_cli_startup.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord import __version__

if TYPE_CHECKING:
    from onrecord.ingest.fetch import Fetcher
    from onrecord.ingest.sources import InputError, Source
    from onrecord.nlp import Attribution
    from onrecord.record import Document
    from onrecord.store.base import Store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# The shared reference data sits beside the repository (../shared/data) unless told otherwise.
SHARED_DATA = Path(os.environ.get("ONRECORD_SHARED_DATA", "../shared/data"))
DEMO_ARTICLE = Path(__file__).resolve().parent / "data" / "demo" / "summit.txt"


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def render_table(doc: Document) -> str:
    """A readable who-said-what table for one document."""
    lines = [
        f"# {doc.path or doc.id}: {len(doc.statements)} statements, {len(doc.entities)} entities"
    ]
    width = 28
    lines.append(f"{'speaker':<{width}} {'type':<12} {'cue':<14} content")
    lines.append(f"{'-' * width} {'-' * 12} {'-' * 14} {'-' * 40}")
    for st in doc.statements:
        who = " & ".join(doc.speaker_names(st)) or (st.source.text if st.source else "?")
        if st.speakers and st.unsure:
            who = f"{who} (?)"  # found a way that is wrong one time in five or more
        cue = st.cue.text if st.cue else "-"
        content = " ".join(st.content.text.split())
        if len(content) > 90:
            content = content[:87] + "..."
        lines.append(f"{who[:width]:<{width}} {st.type:<12} {cue[:14]:<14} {content}")
    people = [e for e in doc.entities if e.type == "PERSON"]
    if people:
        lines.append("")
        lines.append(
            "people: "
            + "; ".join(e.name + (f" ({', '.join(e.titles)})" if e.titles else "") for e in people)
        )
    lines.extend(_facts_lines(doc))
    return "\n".join(lines)


def _facts_lines(doc: Document) -> list[str]:
    """Short sections for figures, dates and events (empty when there are none)."""
    out: list[str] = []

    def who(ids: list[str]) -> str:
        return " & ".join(e.name for i in ids if (e := doc.entity(i)) is not None)

    if doc.figures:
        out.append("")
        out.append("figures:")
        for f in doc.figures:
            value = f"{f.value:g}" if f.value is not None else f"{f.low:g}-{f.high:g}"
            what = f" {f.counted.text}" if f.counted else ""
            claim = who(f.claimed_by) or "article"
            hedge = f"{f.hedge} " if f.hedge else ""
            out.append(f"  {f.span.text!r}: {hedge}{value} {f.unit}{what} (claimed by {claim})")
    if doc.dates:
        out.append("")
        out.append("dates: " + "; ".join(
            f"{d.span.text} = {d.value or 'unresolved'}" for d in doc.dates
        ))
    if doc.events:
        out.append("")
        out.append("events:")
        for e in doc.events:
            status = "" if e.status == "asserted" else f" [{e.status}]"
            out.append(f"  {e.type:<9} {who(e.actors) or '?'} -> {who(e.recipients) or '-'}: "
                       f"{e.trigger.text!r}{status}" + (f" ({e.date})" if e.date else ""))
    return out


META_FIELDS = ("title", "authors", "site", "url", "language", "duplicate_of", "copy_group",
               "published_source", "updated")


# onrecord.nlp.ATTRIBUTIONS and onrecord.store.output.FORMATS, spelled out so that building
# the parser imports neither the NLP code nor the store (a test keeps them equal).
ATTRIBUTION_CHOICES = ("learned", "rules")
FORMATS = ("table", "json", "jsonl", "csv")


def _report(err: InputError) -> None:
    from tqdm import tqdm

    tqdm.write(f"onrecord: {err}", file=sys.stderr)


def _read_batch(inputs: list[str], fetcher: Fetcher, problems: list[InputError]) -> list[Source]:
    """Every input's documents, read before extraction since copies and templates need them all."""
    from tqdm import tqdm

    from onrecord.ingest.batch import prepare_batch
    from onrecord.ingest.sources import InputError, Source, iter_sources

    items: list[Source | InputError] = []
    for item in tqdm(iter_sources(inputs, fetcher), desc="reading", unit="doc", leave=False,
                     disable=not sys.stderr.isatty()):
        if isinstance(item, InputError):
            _report(item)
        items.append(item)
    batch = prepare_batch(items)
    for before, after in zip(items, batch, strict=True):
        if isinstance(after, InputError):
            if after is not before:
                _report(after)
            problems.append(after)
    return [s for s in batch if isinstance(s, Source)]


def _records(sources: list[Source], published: str | None,
             attribution: Attribution = "learned") -> Iterator[Document]:
    """Records in input order, each carrying the metadata ingestion found."""
    from tqdm import tqdm

    from onrecord.nlp.pipeline import extract_many

    def dated(src: Source) -> str | None:
        pub = src.meta.get("published")
        return published or (pub if isinstance(pub, str) else None)

    docs = extract_many(((s.text, s.id, s.path, dated(s)) for s in sources),
                        attribution=attribution)
    bar = tqdm(docs, total=len(sources), desc="extracting", unit="doc", leave=False,
               disable=not sys.stderr.isatty())
    for src, doc in zip(sources, bar, strict=True):
        meta = {k: src.meta[k] for k in META_FIELDS if src.meta.get(k)}
        if published:  # --published, not the page, dated it
            meta.pop("published_source", None)
        yield doc.model_copy(update=meta)


def summary(read: int, extracted: int, problems: list[InputError]) -> str:
    """The end-of-run line: documents read, extracted, skipped and failed, with reasons."""
    parts = [f"{read} documents read", f"{extracted} extracted"]
    for label, group in (("skipped", [p for p in problems if p.skipped]),
                         ("failed", [p for p in problems if not p.skipped])):
        reasons = Counter(p.kind for p in group)
        why = ", ".join(f"{kind}: {n}" for kind, n in reasons.most_common())
        parts.append(f"{len(group)} {label}" + (f" ({why})" if why else ""))
    return "onrecord: " + ", ".join(parts)


def _read_inputs(args: argparse.Namespace, problems: list[InputError]) -> list[Source]:
    """The documents of every input, fetched with the command's network settings."""
    from onrecord.ingest.fetch import Fetcher

    fetcher = Fetcher(allow_private=args.allow_private, timeout=args.timeout)
    try:
        return _read_batch(args.inputs, fetcher, problems)
    finally:
        fetcher.close()


def cmd_extract(args: argparse.Namespace) -> int:
    problems: list[InputError] = []
    sources = _read_inputs(args, problems)
    records = _records(sources, args.published, args.attribution)
    out = sys.stdout
    extracted = 0
    if args.format == "json":
        docs = [d.model_dump() for d in records]
        extracted = len(docs)
        json.dump(
            docs[0] if len(docs) == 1 and len(args.inputs) == 1 else docs,
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
    else:
        for i, doc in enumerate(records):
            extracted += 1
            if args.format == "jsonl":
                out.write(doc.model_dump_json() + "\n")
            else:
                if i:
                    out.write("\n")
                out.write(render_table(doc) + "\n")
            out.flush()
    print(summary(len(sources) + len(problems), extracted, problems), file=sys.stderr)
    return EXIT_FAILED if any(not p.skipped for p in problems) else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Run extraction on the seed article when the shared data is beside the repo, else our own."""
    seed = SHARED_DATA / "seed" / "coalition-of-the-willing.txt"
    path = seed if seed.exists() else DEMO_ARTICLE
    ns = argparse.Namespace(inputs=[str(path)], format="table", published="2025-09-04",
                            allow_private=False, timeout=10.0, attribution="learned")
    return cmd_extract(ns)


def _attribution_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--attribution", choices=ATTRIBUTION_CHOICES, default="learned",
                        help="learned: the trained span tagger (default); rules: the rules alone")


def cmd_eval(args: argparse.Namespace) -> int:
    if args.dataset == "seed":
        from onrecord.eval.seed import run_seed_eval

        return run_seed_eval(args.path, SHARED_DATA, published=args.published,
                             attribution=args.attribution)
    if args.dataset == "stories":
        from onrecord.eval.stories import run_stories_eval

        return run_stories_eval(args.path, verbose=args.verbose,
                                polnear_dev=SHARED_DATA if args.polnear_dev else None,
                                folds=args.folds)
    if args.dataset == "speakers":
        from onrecord.eval.speakers import run_speakers_eval

        return run_speakers_eval(args.path or SHARED_DATA / "polnear" / "speakers-dev",
                                 SHARED_DATA, verbose=args.verbose,
                                 attribution=args.attribution)
    if args.dataset == "quotes":
        from onrecord.eval.speakers import run_quotes_eval

        default = SHARED_DATA / "article-extraction-benchmark" / "quotes-dev"
        return run_quotes_eval(args.path or default, verbose=args.verbose,
                               attribution=args.attribution)
    if args.dataset == "plover":
        from onrecord.eval.plover import run_plover_eval

        path = args.path or str(SHARED_DATA / "plover" / "gsr-dev.json")
        return run_plover_eval(path, limit=args.limit, folds=args.folds,
                               method=args.events, nested=args.nested)
    from onrecord.eval.polnear import run_polnear_eval

    if not args.path:
        print("onrecord: eval polnear needs the PolNeAR split directory", file=sys.stderr)
        return EXIT_USAGE
    return run_polnear_eval(args.path, limit=args.limit, attribution=args.attribution)


def cmd_train(args: argparse.Namespace) -> int:
    from onrecord.nlp.tagger import MODEL_DIR
    from onrecord.train.tagger import Settings, train

    polnear = SHARED_DATA / "polnear"
    settings = Settings(epochs=args.epochs, layers=args.layers, seed=args.seed,
                        threads=args.threads)
    return train(Path(args.train or polnear / "train"), Path(args.dev or polnear / "dev"),
                 Path(args.out or MODEL_DIR), settings, limit=args.limit)


# -- the record store -------------------------------------------------------------------

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT")
DB_HELP = ("database file (default: $ONRECORD_DB, else "
           "$XDG_DATA_HOME/onrecord/onrecord.db or ~/.local/share/onrecord/onrecord.db)")


def _store(args: argparse.Namespace, readonly: bool = True) -> Store:
    from onrecord.store import open_store

    return open_store(args.db, readonly=readonly)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from onrecord.store.base import AddResult
    from onrecord.store.loader import ingest

    if args.jobs < 1:
        print("onrecord: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    with closing(_store(args, readonly=False)) as store:
        problems: list[InputError] = []
        sources = _read_inputs(args, problems)
        bar = tqdm(total=len(sources), desc="storing", unit="doc", leave=False,
                   disable=not sys.stderr.isatty())

        def done(src: Source, outcome: AddResult | str) -> None:
            if isinstance(outcome, str):
                tqdm.write(f"onrecord: {src.label}: {outcome}", file=sys.stderr)
            bar.update()

        report = ingest(store, sources, jobs=args.jobs, published=args.published,
                        on_result=done)
        bar.close()
    failed = [p for p in problems if not p.skipped]
    skipped = len(problems) - len(failed)
    print(f"onrecord: {len(sources) + len(problems)} documents read, {report.added} stored, "
          f"{report.new_versions} new versions, {report.unchanged} unchanged, "
          f"{len(failed) + len(report.failed)} failed, {skipped} skipped ({store.path})",
          file=sys.stderr)
    return EXIT_FAILED if failed or report.failed else EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    from onrecord.store.base import StatementQuery
    from onrecord.store.output import render, statement_dict

    with closing(_store(args)) as store:
        query = StatementQuery(speaker=args.speaker, about=args.about, since=_date(args.since),
                               until=_date(args.until), type=args.type)
        page = store.statements(query, limit=args.limit, offset=args.offset)
    rows = [statement_dict(st) for st in page.items]
    sys.stdout.write(render(rows, args.format,
                            ["published", "speakers", "type", "cue", "content", "document"],
                            widths={"speakers": 24, "cue": 14, "content": 80, "published": 10}))
    return EXIT_OK


def cmd_figures(args: argparse.Namespace) -> int:
    from onrecord.store.base import FigureQuery
    from onrecord.store.output import figure_dict, render

    with closing(_store(args)) as store:
        page = store.figures(FigureQuery(about=args.about, claimed_by=args.claimed_by,
                                         unit=args.unit), limit=args.limit, offset=args.offset)
    sys.stdout.write(render([figure_dict(f) for f in page.items], args.format,
                            ["published", "text", "value", "unit", "counted", "claimed_by",
                             "document"],
                            widths={"counted": 30, "claimed_by": 24, "published": 10}))
    return EXIT_OK


def cmd_events(args: argparse.Namespace) -> int:
    from onrecord.store.base import EventQuery
    from onrecord.store.output import event_dict, render

    with closing(_store(args)) as store:
        query = EventQuery(type=args.type, actor=args.actor, since=_date(args.since),
                           until=_date(args.until), status=args.status)
        page = store.events(query, limit=args.limit, offset=args.offset)
    sys.stdout.write(render([event_dict(e) for e in page.items], args.format,
                            ["date", "type", "status", "actors", "recipients", "trigger",
                             "document"],
                            widths={"actors": 28, "recipients": 28, "trigger": 30}))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from onrecord.store.output import hit_dict, render

    with closing(_store(args)) as store:
        page = store.search(args.query, limit=args.limit, offset=args.offset)
    marks = ("[", "]") if args.format in ("table", "csv") else ("", "")
    rows = [hit_dict(h, marks) for h in page.items]
    if args.format in ("json", "jsonl"):
        rows = [dict(r, snippet=" ".join(h.snippet.split())) for r, h in zip(rows, page.items,
                                                                             strict=True)]
    sys.stdout.write(render(rows, args.format,
                            ["document", "published", "title", "score", "snippet"],
                            widths={"title": 30, "snippet": 160, "published": 10}))
    return EXIT_OK


def cmd_people(args: argparse.Namespace) -> int:
    from onrecord.store.output import person_dict, render

    with closing(_store(args)) as store:
        page = store.people(limit=args.top, type=None if args.all_types else "PERSON")
    sys.stdout.write(render([person_dict(p) for p in page.items], args.format,
                            ["id", "name", "statements", "documents"]))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from onrecord.store.base import StatementQuery
    from onrecord.store.output import render, statement_dict

    with closing(_store(args)) as store:
        stored = store.document(args.doc_id)
        if stored is None:
            print(f"onrecord: {args.doc_id}: no such document in {store.path}", file=sys.stderr)
            return EXIT_FAILED
        info = stored.info
        if args.format == "csv":
            page = store.statements(StatementQuery(document=info.id), limit=500)
            sys.stdout.write(render([statement_dict(st) for st in page.items], "csv",
                                    ["statement", "speakers", "source", "type", "cue", "content",
                                     "start", "end"]))
            return EXIT_OK
    meta = {"id": info.id, "key": info.key, "version": info.version, "current": info.current,
            "versions": [v.id for v in stored.versions]}
    if args.format in ("json", "jsonl"):
        data = stored.record.model_dump(mode="json") | {"store": meta}
        indent = 2 if args.format == "json" else None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")
        return EXIT_OK
    rec = stored.record
    head = [f"id: {info.id} (version {info.version} of {len(stored.versions)}"
            f"{', current' if info.current else ', superseded'}; key {info.key})"]
    dated = f"{rec.published} ({rec.published_source})" if rec.published_source else rec.published
    head += [f"{k}: {v}" for k, v in (("title", rec.title), ("published", dated),
                                      ("site", rec.site), ("url", rec.url)) if v]
    sys.stdout.write("\n".join(head) + "\n" + render_table(rec) + "\n")
    return EXIT_OK


EXPORT_COLUMNS = ["document", "url", "outlet", "title", "published", "statement", "speakers",
                  "source", "type", "cue", "content", "start", "end"]


def _statement_rows(docs: list[tuple[Document, dict[str, object]]]) -> list[dict[str, object]]:
    """One row per statement of every document, for ``export --format csv``."""
    rows: list[dict[str, object]] = []
    for doc, meta in docs:
        for st in doc.statements:
            rows.append({"document": meta["id"], "url": doc.url, "outlet": doc.site,
                         "title": doc.title, "published": doc.published, "statement": st.id,
                         "speakers": doc.speaker_names(st),
                         "source": st.source.text if st.source else None, "type": st.type,
                         "cue": st.cue.text if st.cue else None, "content": st.content.text,
                         "start": st.content.start, "end": st.content.end})
    return rows


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "parquet" and not args.output:
        print("onrecord: export --format parquet needs --output DIR", file=sys.stderr)
        return EXIT_USAGE
    with closing(_store(args)) as store:
        rows = []
        for stored in store.iter_documents(all_versions=args.all_versions):
            info = stored.info
            rows.append((stored.record, {
                "id": info.id, "key": info.key, "version": info.version,
                "current": info.current, "ingested_at": info.ingested_at}))
    if args.format == "parquet":
        from onrecord.batch.local import write_records

        write_records(rows, args.output)
        print(f"onrecord: {len(rows)} documents exported", file=sys.stderr)
        return EXIT_OK
    if args.format == "csv":
        from onrecord.store.output import render

        text = render(_statement_rows(rows), "csv", EXPORT_COLUMNS)
    else:
        rows_json = [doc.model_dump(mode="json") | {"store": meta} for doc, meta in rows]
        if args.format == "json":
            text = json.dumps(rows_json, ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows_json)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"onrecord: {len(rows)} documents exported", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from onrecord.store import open_store
    from onrecord.web.app import create_app

    token = args.token or os.environ.get("ONRECORD_API_TOKEN") or None
    store = open_store(args.db, readonly=False)
    app = create_app(store, token=token)
    print(f"onrecord: serving {store.path} at http://{args.host}:{args.port}/ "
          f"(writes {'enabled with the bearer token' if token else 'disabled'})",
          file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        store.close()
    return EXIT_OK


def _add_store_commands(sub: argparse._SubParsersAction) -> None:
    ing = sub.add_parser("ingest", help="extract inputs and keep their records in the database")
    ing.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="anything extract reads: files, directories, URLs, feeds, WARC, "
                          "JSON Lines, - for stdin")
    ing.add_argument("--db", help=DB_HELP)
    ing.add_argument("--jobs", "-j", type=int, default=1,
                     help="extraction processes (default 1)")
    ing.add_argument("--published", type=_iso_date, help="publication date YYYY-MM-DD")
    ing.add_argument("--allow-private", action="store_true",
                     help="allow fetching from loopback, private and link-local addresses")
    ing.add_argument("--timeout", type=float, default=10.0,
                     help="seconds to wait for each URL (default 10)")
    ing.set_defaults(func=cmd_ingest)

    def query(name: str, help: str, formats: tuple[str, ...] = FORMATS) -> argparse.ArgumentParser:
        q = sub.add_parser(name, help=help)
        q.add_argument("--db", help=DB_HELP)
        q.add_argument("--format", choices=formats, default="table")
        return q

    qu = query("quotes", "stored statements, newest first, with filters")
    qu.add_argument("--speaker", help="part of the speaker's name")
    qu.add_argument("--about", help="full-text query over what was said")
    qu.add_argument("--since", type=_iso_date, help="published on or after YYYY-MM-DD")
    qu.add_argument("--until", type=_iso_date, help="published on or before YYYY-MM-DD")
    qu.add_argument("--type", choices=("direct", "indirect", "mixed", "according_to"))
    qu.add_argument("--limit", type=int, default=50, help="at most this many (max 500)")
    qu.add_argument("--offset", type=int, default=0)
    qu.set_defaults(func=cmd_quotes)

    fi = query("figures", "stored figures (numbers cited), newest article first")
    fi.add_argument("--about", help="text in what is counted, the figure or its statement")
    fi.add_argument("--claimed-by", help="part of the name of who cites it")
    fi.add_argument("--unit", help="unit: count, percent, an ISO currency code, ...")
    fi.add_argument("--limit", type=int, default=50, help="at most this many (max 500)")
    fi.add_argument("--offset", type=int, default=0)
    fi.set_defaults(func=cmd_figures)

    evq = query("events", "stored PLOVER events by resolved date, newest first")
    evq.add_argument("--type", type=str.upper, choices=PLOVER_TYPES, metavar="TYPE",
                     help="PLOVER type: " + ", ".join(PLOVER_TYPES))
    evq.add_argument("--actor", help="part of the name of an actor or recipient")
    evq.add_argument("--since", type=_iso_date, help="dated on or after YYYY-MM-DD")
    evq.add_argument("--until", type=_iso_date, help="dated on or before YYYY-MM-DD")
    evq.add_argument("--status", choices=("asserted", "future", "hypothetical", "negated"))
    evq.add_argument("--limit", type=int, default=50, help="at most this many (max 500)")
    evq.add_argument("--offset", type=int, default=0)
    evq.set_defaults(func=cmd_events)

    se = query("search", "full-text search of stored articles (bm25 ranking)")
    se.add_argument("query", help="words, \"a phrase\", or FTS5 syntax (AND, OR, NOT, prefix*)")
    se.add_argument("--limit", type=int, default=10)
    se.add_argument("--offset", type=int, default=0)
    se.set_defaults(func=cmd_search)

    pe = query("people", "the most-quoted people")
    pe.add_argument("--top", type=int, default=20, help="how many (default 20)")
    pe.add_argument("--all-types", action="store_true",
                    help="bodies and groups too, not only people")
    pe.set_defaults(func=cmd_people)

    sh = query("show", "one stored document and its statements")
    sh.add_argument("doc_id", metavar="DOC_ID", help="document id, or the URL or input id "
                                                    "(the slug pages show) of its latest "
                                                    "version")
    sh.set_defaults(func=cmd_show)

    exp = sub.add_parser("export", help="every stored record as JSON Lines or JSON, its "
                                        "statements as CSV, or Parquet tables like "
                                        "`onrecord batch` writes")
    exp.add_argument("--db", help=DB_HELP)
    exp.add_argument("--format", choices=("jsonl", "json", "csv", "parquet"), default="jsonl",
                     help="jsonl (default) and json: whole records; csv: one row per "
                          "statement (document, url, outlet, title, speakers, type, offsets)")
    exp.add_argument("--output", "-o", help="file to write (default stdout); for parquet, "
                                            "the directory (needed)")
    exp.add_argument("--all-versions", action="store_true",
                     help="superseded versions too, not only the current ones")
    exp.set_defaults(func=cmd_export)

    sv = sub.add_parser("serve", help="the web app and JSON API over the database")
    sv.add_argument("--db", help=DB_HELP)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--token", help="bearer token that enables POST /api/documents "
                                    "(default $ONRECORD_API_TOKEN; unset = read-only)")
    sv.set_defaults(func=cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="onrecord", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"onrecord {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="who said what in each input document")
    ex.add_argument("inputs", nargs="+", metavar="INPUT",
                    help="a .txt/.html(.gz) file, WARC, JSON Lines file, RSS/Atom feed, URL, "
                         "directory, or - for stdin")
    ex.add_argument("--format", choices=("table", "json", "jsonl"), default="table")
    ex.add_argument("--published", type=_iso_date, help="publication date YYYY-MM-DD")
    ex.add_argument("--allow-private", action="store_true",
                    help="allow fetching from loopback, private and link-local addresses")
    ex.add_argument("--timeout", type=float, default=10.0,
                    help="seconds to wait for each URL (default 10)")
    _attribution_option(ex)
    ex.set_defaults(func=cmd_extract)

    demo = sub.add_parser("demo", help="extract the example article and print the table")
    demo.set_defaults(func=cmd_demo)

    ev = sub.add_parser("eval", help="score against gold data (seed, polnear, speakers, quotes, "
                                     "plover, stories)")
    ev.add_argument("dataset", choices=("seed", "polnear", "speakers", "quotes", "plover",
                                        "stories"))
    ev.add_argument("path", nargs="?", help="gold file (seed, plover) or directory (polnear "
                                            "split, speakers-dev, quotes-dev)")
    ev.add_argument("--limit", type=int, help="score only the first N documents")
    ev.add_argument("--published", type=_iso_date,
                    help="publication date YYYY-MM-DD of the seed article (resolves its dates)")
    ev.add_argument("--folds", type=int,
                    help="plover: K-fold cross-validation, each fold scored by the events' "
                         "classifier trained without it (per fold and mean); stories: "
                         "K story folds, each scored under the settings chosen on the others")
    ev.add_argument("--nested", action="store_true",
                    help="plover --folds: the kin depth and fallback threshold chosen inside "
                         "each training fold (nested cross-validation; several minutes)")
    ev.add_argument("--events", choices=("shipped", "rules"), default="shipped",
                    help="plover: the shipped event reader (default) or the rules alone")
    ev.add_argument("--verbose", "-v", action="store_true",
                    help="stories: list each document's story and what joined it; "
                         "speakers, quotes: list each miss and wrong speaker")
    ev.add_argument("--polnear-dev", action="store_true",
                    help="stories: score on the PolNeAR dev grouping "
                         "(../shared/data/polnear/stories-dev.json)")
    _attribution_option(ev)
    ev.set_defaults(func=cmd_eval)

    tr = sub.add_parser("train", help="rebuild the attribution model from PolNeAR train, "
                                      "printing dev scores")
    tr.add_argument("--train", help="PolNeAR train split (default ../shared/data/polnear/train)")
    tr.add_argument("--dev", help="PolNeAR dev split (default ../shared/data/polnear/dev)")
    tr.add_argument("--out", help="model directory (default: the shipped model, replaced)")
    # The defaults below are train.tagger.Settings' (kept literal so --help needs no import).
    tr.add_argument("--epochs", type=int, default=3, help="passes over the training data (3)")
    tr.add_argument("--layers", type=int, default=4, help="MiniLM layers kept, of 6 (4)")
    tr.add_argument("--seed", type=int, default=0, help="random seed (0)")
    tr.add_argument("--threads", type=int, default=2, help="CPU threads (2)")
    tr.add_argument("--limit", type=int, help="use only the first N articles of each split")
    tr.set_defaults(func=cmd_train)

    _add_store_commands(sub)
    from onrecord.digest.cli import add_commands as add_digest_commands

    add_digest_commands(sub, DB_HELP)
    from onrecord.batch.cli import add_commands as add_batch_commands

    add_batch_commands(sub, DB_HELP)
    from onrecord.follow.cli import add_commands as add_follow_commands

    add_follow_commands(sub, DB_HELP)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("onrecord: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        from onrecord.store.base import StoreError  # imported late: --help needs no store

        if not isinstance(exc, StoreError):
            raise
        print(f"onrecord: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
