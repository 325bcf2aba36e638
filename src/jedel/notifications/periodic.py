"""Periodic jobs of higher apps, run by the notification worker's tick.

The notifications app sits low on the import ladder, so it cannot call, say, the capacity app's overdue check;
instead an app registers a job here at start-up (in its AppConfig.ready) and the worker runs it when due. A job
takes `now` and returns how many notices it sent; it must be idempotent (dedupe keys), because two workers may
both run it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    run: Callable[[datetime], int]
    every: timedelta
    last: datetime | None = None


_JOBS: dict[str, Job] = {}


def register(name: str, run: Callable[[datetime], int], *, every_s: int) -> None:
    """Run `run(now)` at most every `every_s` seconds in each worker (idempotent registration)."""
    _JOBS.setdefault(name, Job(name, run, timedelta(seconds=every_s)))


def run_due(now: datetime) -> int:
    """Run the jobs whose time has come; a failing job is logged and does not stop the others."""
    sent = 0
    for job in _JOBS.values():
        if job.last is not None and now - job.last < job.every:
            continue
        job.last = now
        try:
            sent += job.run(now)
        except Exception:
            log.exception("periodic job %s failed", job.name)
    return sent


def reset() -> None:
    """Forget when jobs last ran (tests)."""
    for job in _JOBS.values():
        job.last = None
