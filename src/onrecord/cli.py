"""The ``onrecord`` command line.

Exit status: 0 when every input was processed, 1 when any input failed (each failure
is one line on stderr naming the document), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from onrecord import __version__
from onrecord.ingest.batch import prepare_batch
from onrecord.ingest.fetch import Fetcher
from onrecord.ingest.sources import InputError, Source, iter_sources
from onrecord.record import Document

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
    return "\n".join(lines)


META_FIELDS = ("title", "authors", "site", "url", "language", "duplicate_of", "copy_group")


def _report(err: InputError) -> None:
    tqdm.write(f"onrecord: {err}", file=sys.stderr)


def _read_batch(inputs: list[str], fetcher: Fetcher, problems: list[InputError]) -> list[Source]:
    """Every input's documents, read before extraction since copies and templates need them all."""
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


def _records(sources: list[Source], published: str | None) -> Iterator[Document]:
    """Records in input order, each carrying the metadata ingestion found."""
    from onrecord.nlp.pipeline import extract_many

    def dated(src: Source) -> str | None:
        pub = src.meta.get("published")
        return published or (pub if isinstance(pub, str) else None)

    docs = extract_many((s.text, s.id, s.path, dated(s)) for s in sources)
    bar = tqdm(docs, total=len(sources), desc="extracting", unit="doc", leave=False,
               disable=not sys.stderr.isatty())
    for src, doc in zip(sources, bar, strict=True):
        yield doc.model_copy(update={k: src.meta[k] for k in META_FIELDS if src.meta.get(k)})


def summary(read: int, extracted: int, problems: list[InputError]) -> str:
    """The end-of-run line: documents read, extracted, skipped and failed, with reasons."""
    parts = [f"{read} documents read", f"{extracted} extracted"]
    for label, group in (("skipped", [p for p in problems if p.skipped]),
                         ("failed", [p for p in problems if not p.skipped])):
        reasons = Counter(p.kind for p in group)
        why = ", ".join(f"{kind}: {n}" for kind, n in reasons.most_common())
        parts.append(f"{len(group)} {label}" + (f" ({why})" if why else ""))
    return "onrecord: " + ", ".join(parts)


def cmd_extract(args: argparse.Namespace) -> int:
    problems: list[InputError] = []
    fetcher = Fetcher(allow_private=args.allow_private, timeout=args.timeout)
    try:
        sources = _read_batch(args.inputs, fetcher, problems)
    finally:
        fetcher.close()
    records = _records(sources, args.published)
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
                            allow_private=False, timeout=10.0)
    return cmd_extract(ns)


def cmd_eval(args: argparse.Namespace) -> int:
    if args.dataset == "seed":
        from onrecord.eval.seed import run_seed_eval

        return run_seed_eval(args.path, SHARED_DATA)
    from onrecord.eval.polnear import run_polnear_eval

    if not args.path:
        print("onrecord: eval polnear needs the PolNeAR split directory", file=sys.stderr)
        return EXIT_USAGE
    return run_polnear_eval(args.path, limit=args.limit)


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
    ex.set_defaults(func=cmd_extract)

    demo = sub.add_parser("demo", help="extract the example article and print the table")
    demo.set_defaults(func=cmd_demo)

    ev = sub.add_parser("eval", help="score against gold data (seed, polnear)")
    ev.add_argument("dataset", choices=("seed", "polnear"))
    ev.add_argument("path", nargs="?", help="gold file (seed) or split directory (polnear)")
    ev.add_argument("--limit", type=int, help="score only the first N documents")
    ev.set_defaults(func=cmd_eval)
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


if __name__ == "__main__":
    sys.exit(main())
