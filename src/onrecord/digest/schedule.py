"""Send the briefing every day at a set time, once per day, across restarts.

Each day's send is claimed in the store (``digests_sent``) before the mail goes out
and marked sent after; a failed send releases the claim so the next check retries. A
scheduler restarted after the day's briefing went out (or while one was being sent)
finds the claim and does not send it again. Started after the hour on a day not yet
sent, it sends that day's briefing at once; days missed while it was down are skipped.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from onrecord.store.base import Store

Clock = Callable[[], dt.datetime]


def parse_time(value: str) -> dt.time:
    try:
        hh, mm = value.split(":")
        return dt.time(int(hh), int(mm))
    except ValueError as exc:
        raise ValueError(f"not a time of day (HH:MM): {value!r}") from exc


@dataclass
class Scheduler:
    store: Store
    at: dt.time
    send: Callable[[dt.date], tuple[str, list[str], Callable[[], None]]]
    # send(day) -> (subject, recipients, deliver); deliver() raises on failure
    now: Clock = field(default=dt.datetime.now)
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = print
    retry_seconds: float = 300.0
    max_sleep: float = 600.0  # wake up at least this often (clock changes, suspend)

    def due(self, now: dt.datetime) -> dt.date | None:
        """The day to send now, if any: today once the time has come and not yet claimed."""
        if now.time() < self.at:
            return None
        day = now.date()
        if any(r.day == day.isoformat() for r in self.store.digests_sent()):
            return None
        return day

    def next_wake(self, now: dt.datetime) -> float:
        target = dt.datetime.combine(now.date(), self.at, tzinfo=now.tzinfo)
        if now >= target:
            target += dt.timedelta(days=1)
        return min(max((target - now).total_seconds(), 1.0), self.max_sleep)

    def tick(self) -> bool:
        """Send the day's briefing if due; whether one was sent."""
        day = self.due(self.now())
        if day is None:
            return False
        subject, recipients, deliver = self.send(day)
        if not self.store.claim_digest(day.isoformat(), subject, recipients):
            return False  # another scheduler claimed it first
        try:
            deliver()
        except Exception as exc:
            self.store.finish_digest(day.isoformat(), sent=False)
            self.log(f"onrecord: briefing for {day} not sent ({type(exc).__name__}: {exc}); "
                     f"retrying in {self.retry_seconds:g} s")
            self.sleep(self.retry_seconds)
            return False
        self.store.finish_digest(day.isoformat(), sent=True)
        self.log(f"onrecord: briefing for {day} sent to {', '.join(recipients)}")
        return True

    def run(self, stop: Callable[[], bool] = lambda: False) -> None:
        """Check, send when due, sleep until the next send time; until ``stop()`` is true."""
        while not stop():
            self.tick()
            if stop():
                break
            self.sleep(self.next_wake(self.now()))
