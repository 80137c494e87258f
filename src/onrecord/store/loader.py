"""Extract sources and store them: parallel extraction, one writer, one transaction per document.

Texts already in the store are skipped before extraction, so a run stopped by a crash
or Ctrl-C is resumed by running it again: what was committed stays, once.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from onrecord.budget import seconds_for as budget_seconds
from onrecord.budget import time_budget
from onrecord.ingest.base import Source
from onrecord.record import Document
from onrecord.store.base import AddResult, Store, StoreError
from onrecord.workers import exit_with_parent

# Record fields that ingestion may know before extraction (``published`` is passed to extract).
META_FIELDS = ("title", "authors", "site", "url", "language", "duplicate_of", "copy_group",
               "published_source", "updated")

WORKER_DIED = "extraction failed (its worker process died: out of memory or killed)"
Item = tuple[str, str, str | None, str | None, dict[str, object]]  # text, id, path, date, meta


@dataclass
class IngestReport:
    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # "<document>: <reason>"

    def count(self, result: AddResult) -> None:
        if result.status == "added":
            self.added += 1
        elif result.status == "new_version":
            self.new_versions += 1
        else:
            self.unchanged += 1


def _record(item: Item, nlp: object | None = None) -> Document:
    from onrecord.nlp.pipeline import extract

    text, doc_id, path, published, meta = item
    with time_budget(budget_seconds(len(text))):
        doc = extract(text, doc_id, path, published, nlp=nlp)  # type: ignore[arg-type]
    return doc.model_copy(update={k: meta[k] for k in META_FIELDS if meta.get(k)})


def _worker_init() -> None:
    """Each worker ignores Ctrl-C (the parent stops the pool), exits if the parent dies,
    and loads the model once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()
    from onrecord.nlp import model

    model.load()


def _work(item: Item) -> Document | str:
    try:
        return _record(item)
    except Exception as exc:  # one bad document must not stop the batch
        return f"extraction failed ({type(exc).__name__}: {exc})"


def _item(src: Source, published: str | None) -> Item:
    pub = src.meta.get("published")
    date = published or (pub if isinstance(pub, str) else None)
    meta = dict(src.meta)
    if published:  # the caller, not the page, dated it
        meta.pop("published_source", None)
    return (src.text, src.id, src.path, date, meta)


def extracted(sources: list[Source], jobs: int = 1, published: str | None = None,
              nlp: object | None = None) -> Iterator[tuple[Source, Document | str]]:
    """Each source with its record (or a one-line failure reason), in input order."""
    if jobs <= 1 or len(sources) <= 1:
        for src in sources:
            try:
                yield src, _record(_item(src, published), nlp)
            except Exception as exc:
                yield src, f"extraction failed ({type(exc).__name__}: {exc})"
        return
    yield from _in_pool(sources, [_item(s, published) for s in sources], min(jobs, len(sources)))


def _in_pool(sources: list[Source], items: list[Item],
             jobs: int) -> Iterator[tuple[Source, Document | str]]:
    """Extraction on ``jobs`` processes, results in input order. A worker that dies (out
    of memory, killed) breaks the pool: the documents then in flight are retried one at
    a time in a new pool, and one that breaks a pool alone fails."""
    todo, suspects = deque(range(len(items))), deque[int]()
    flying: dict[int, Future[Document | str]] = {}
    results: dict[int, Document | str] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
    try:
        for i in range(len(items)):
            while i not in results:
                if suspects and not flying:
                    n = suspects.popleft()
                    flying[n] = pool.submit(_work, items[n])
                while not suspects and todo and len(flying) < 2 * jobs:
                    n = todo.popleft()
                    flying[n] = pool.submit(_work, items[n])
                wait(flying.values(), return_when=FIRST_COMPLETED)
                broken = _collect(flying, results)
                if len(broken) == 1:
                    results[broken[0]] = WORKER_DIED
                suspects.extend(sorted(broken) if len(broken) > 1 else [])
                if broken:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
            yield sources[i], results.pop(i)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _collect(flying: dict[int, Future[Document | str]],
             results: dict[int, Document | str]) -> list[int]:
    """Move finished work from ``flying`` to ``results``; the items lost to a broken pool
    (all of those still in flight once one is lost)."""
    done = [n for n, f in flying.items() if f.done()]
    if any(isinstance(flying[n].exception(), BrokenProcessPool) for n in done):
        done = list(flying)  # the rest fail with it at once
    broken = []
    for n in done:
        future = flying.pop(n)
        exc = future.exception()
        if isinstance(exc, BrokenProcessPool):
            broken.append(n)
        elif exc is not None:
            results[n] = f"extraction failed ({type(exc).__name__}: {exc})"
        else:
            results[n] = future.result()
    return broken


def ingest(store: Store, sources: list[Source], jobs: int = 1, published: str | None = None,
           nlp: object | None = None,
           on_result: Callable[[Source, AddResult | str], None] | None = None) -> IngestReport:
    """Store every source's record; texts already stored are not extracted again."""
    report = IngestReport()
    todo: list[Source] = []
    seen: set[str] = set()
    for src in sources:
        if src.text in seen or store.has_text(src.text):
            report.unchanged += 1
        else:
            seen.add(src.text)
            todo.append(src)
    for src, doc in extracted(todo, jobs, published, nlp):
        outcome: AddResult | str
        if isinstance(doc, str):
            outcome = doc
        else:
            try:
                outcome = store.add(doc)
            except StoreError:
                raise  # the store itself is unusable (locked, read-only): stop the batch
            except Exception as exc:
                outcome = f"cannot store ({type(exc).__name__}: {exc})"
        if isinstance(outcome, str):
            report.failed.append(f"{src.label}: {outcome}")
        else:
            report.count(outcome)
        if on_result:
            on_result(src, outcome)
    if report.added or report.new_versions:
        store.optimize()
    return report
