"""Concurrent writers for the PostgreSQL tests: jobs in threads released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection


def require_postgres() -> None:
    """Skip (with the reason shown) unless the test database is PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set JEDEL_TEST_DATABASE_URL or DATABASE_URL); SQLite's "
                    "in-memory test database cannot run them")


def race(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; each result is the job's return value or its exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer is still waiting after 60 s"
    return results
