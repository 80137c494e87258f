"""Extraction workers: one dying fails its document alone; they all go when the parent dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from spacy.language import Language

from onrecord.ingest.base import Source
from onrecord.record import Document
from onrecord.store import loader

SRC = Path(__file__).resolve().parents[1] / "src"
TEXTS = [f"The mayor said on Monday that bridge {n} would reopen in the spring." for n in range(5)]


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the fault")
def test_a_dying_worker_fails_its_document_and_the_batch_goes_on(
        nlp: Language, monkeypatch: pytest.MonkeyPatch):
    real = loader._record

    def killer(item: loader.Item, nlp: object | None = None) -> Document:
        if "KILL" in item[0]:
            os._exit(137)  # as the kernel's out-of-memory killer would end it
        return real(item, nlp)

    monkeypatch.setattr(loader, "_record", killer)
    texts = TEXTS[:2] + ["KILL this worker."] + TEXTS[2:]
    sources = [Source(id=f"d{n}", text=t) for n, t in enumerate(texts)]
    out = list(loader.extracted(sources, jobs=2))
    assert [s.id for s, _ in out] == [s.id for s in sources]
    assert out[2][1] == loader.WORKER_DIED
    assert all(isinstance(doc, Document) for n, (_, doc) in enumerate(out) if n != 2)


PARENT = textwrap.dedent("""
    import os, sys, time
    from onrecord.ingest.base import Source
    from onrecord.nlp import model
    from onrecord.store import loader

    model.load = lambda *a, **k: None  # the workers wait, they need no model

    def busy(item, nlp=None):
        print(os.getpid(), flush=True)
        time.sleep(120)

    loader._record = busy
    for _ in loader.extracted([Source(id=str(n), text="x") for n in range(2)], jobs=2):
        pass
""")


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers, POSIX signals")
def test_workers_exit_when_the_parent_is_killed():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              env=env, text=True)
    try:
        assert parent.stdout is not None
        workers = {int(parent.stdout.readline()) for _ in range(2)}
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while workers and time.monotonic() < deadline:
            workers = {pid for pid in workers if _alive(pid)}
            time.sleep(0.2)
        assert not workers, "workers outlived their parent"
    finally:
        parent.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running (an exited orphan not yet reaped, a zombie, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_document_over_its_time_budget_fails_with_a_clear_reason(
        nlp: Language, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(loader, "budget_seconds", lambda chars: 0.01)
    text = " ".join(TEXTS * 20)
    ((_, outcome),) = loader.extracted([Source(id="long", text=text)], nlp=nlp)
    assert outcome == "extraction failed (OverBudget: over its time budget of 0.01 s)"
    monkeypatch.undo()
    ((_, doc),) = loader.extracted([Source(id="long", text=text)], nlp=nlp)
    assert isinstance(doc, Document)
