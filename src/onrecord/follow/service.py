"""``onrecord run``: following, the daily briefing and the web app in one long-running process.

Three threads share one store: the follower's cycles, the briefing scheduler and the
web server (uvicorn). SIGTERM or SIGINT sets one stop event: the follower finishes the
item it is storing or abandons it between steps, the scheduler and server return, and
the process exits. A follower still inside one item after ``STOP_GRACE`` seconds (a
long extraction, a slow fetch) is abandoned: every record is written in one
transaction, so the store never holds half of one, and the item stays pending for the
next start.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import NoReturn

from onrecord.digest.config import Settings
from onrecord.follow.config import RunSettings
from onrecord.follow.poll import CycleReport, Follower
from onrecord.store.base import Store

log = logging.getLogger("onrecord.run")
STOP_GRACE = 3.0  # seconds after SIGTERM before an unfinished item is abandoned


def cycle_hook(store: Store, settings: Settings) -> Callable[[CycleReport], int]:
    """What follows each cycle: new documents placed in stories, then watches matched
    and their mail sent."""

    def after(report: CycleReport) -> int:
        from onrecord.follow.watches import deliver

        if report.stored:
            from onrecord.stories.store import update_stories

            update_stories(store, settings.cluster)
        return deliver(store, settings.smtp, settings.base_url)

    return after


def _briefing(store: Store, settings: Settings, at: dt.time,
              stop: threading.Event) -> Callable[[], None]:
    from onrecord.digest import mail
    from onrecord.digest.build import build_briefing
    from onrecord.digest.schedule import Scheduler

    smtp = settings.smtp

    def prepare(day: dt.date) -> tuple[str, list[str], Callable[[], None]]:
        b = build_briefing(store, day, settings.top, settings.weights, settings.cluster,
                           settings.base_url)
        msg = mail.message(b, smtp.sender, smtp.recipients)
        return b.subject, smtp.recipients, lambda: mail.send(msg, smtp)

    def pause(seconds: float) -> None:  # a stop wakes the scheduler at once
        stop.wait(seconds)

    sched = Scheduler(store, at, prepare, sleep=pause,
                      log=lambda m: log.info(m.removeprefix("onrecord: "),
                                             extra={"fields": {"event": "briefing"}}))
    return lambda: sched.run(stop=stop.is_set)


def _loop(name: str, body: Callable[[], None], stop: threading.Event,
          retry: float = 60.0) -> Callable[[], None]:
    """``body`` run until stop, restarted (after ``retry`` s) when it raises."""

    def target() -> None:
        while not stop.is_set():
            try:
                body()
                return
            except Exception as exc:  # noqa: BLE001  (logged; the service goes on)
                log.exception("%s failed: %s", name, exc,
                              extra={"fields": {"event": "error", "part": name}})
                stop.wait(retry)

    return target


def run(cfg: RunSettings, settings: Settings) -> NoReturn:
    """Serve until SIGTERM/SIGINT, then exit the process (0, or 1 if a part failed)."""
    import uvicorn

    from onrecord.store import open_store
    from onrecord.web.app import create_app

    store = open_store(cfg.db, readonly=False)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name,
                 extra={"fields": {"event": "stopping"}})
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    def pause(seconds: float) -> None:  # backoff between retries, cut short by a stop
        stop.wait(seconds)

    follower = Follower(store, cfg.sources, cfg.follow, after_store=cycle_hook(store, settings),
                        sleep=pause, stop=stop)
    server = uvicorn.Server(uvicorn.Config(create_app(store, token=cfg.token), host=cfg.host,
                                           port=cfg.port, log_config=None, lifespan="off"))
    parts = {"follow": _loop("follow", follower.run, stop), "web": server.run}
    if cfg.briefing_at and settings.smtp.recipients:
        parts["briefing"] = _loop("briefing", _briefing(store, settings, cfg.briefing_at, stop),
                                  stop)
    elif cfg.briefing_at:
        log.warning("no briefing: set [smtp] to = [...] to send it",
                    extra={"fields": {"event": "briefing_off"}})
    threads = [threading.Thread(target=t, name=n, daemon=True) for n, t in parts.items()]
    for t in threads:
        t.start()
    log.info("running: %d sources every %gs, web at http://%s:%d/, briefing %s", len(cfg.sources),
             cfg.follow.every, cfg.host, cfg.port,
             cfg.briefing_at.strftime("%H:%M") if "briefing" in parts and cfg.briefing_at
             else "off",
             extra={"fields": {"event": "start", "db": store.path, "sources": len(cfg.sources),
                               "pid": os.getpid()}})
    status = 0
    while not stop.wait(0.5):
        if not all(t.is_alive() for t in threads):  # the web server could not start
            log.error("%s stopped unexpectedly", [t.name for t in threads if not t.is_alive()],
                      extra={"fields": {"event": "error"}})
            status = 1
            stop.set()
    server.should_exit = True
    deadline = time.monotonic() + STOP_GRACE
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    alive = [t.name for t in threads if t.is_alive()]
    log.info("stopped%s", f" (abandoned the current item of: {', '.join(alive)})" if alive
             else "", extra={"fields": {"event": "stopped", "abandoned": alive}})
    if not alive:
        store.close()
    # Leave without the interpreter's teardown: it cannot join a thread inside C code
    # (parsing, a socket), and freeing the loaded models took seconds of a stop. Nothing
    # is left to finish: every record is committed or never begun, the logs are flushed.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
