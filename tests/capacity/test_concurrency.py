"""Concurrent capacity reports for one facility: the newest always ends up as the current status.

Meaningful on PostgreSQL only (run with DATABASE_URL / JEDEL_TEST_DATABASE_URL): pytest-django's SQLite test
database is an in-memory shared-cache database where a second writer fails with "table is locked" instead of
waiting, whereas the production SQLite file serialises writers with BEGIN IMMEDIATE + busy timeout.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from tests.capacity.capacity_helpers import NOW, make_facility, manager_of, report

from jedel.capacity.models import CapacityReport, FacilityStatus
from jedel.capacity.services.reports import report_submit

THREADS = 8
ROUNDS = 4


def _requires_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (set JEDEL_TEST_DATABASE_URL); SQLite's in-memory test "
                    "database cannot run concurrent writers")


def _race(facility, minutes_ago: list[int]) -> list[BaseException]:
    barrier = threading.Barrier(len(minutes_ago))
    errors: list[BaseException] = []

    def submit(m: int) -> None:
        try:
            barrier.wait(timeout=10)
            report_submit(actor=manager_of(facility), facility=facility, data=report(minutes_ago=m),
                          source="api", now=NOW)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(m,)) for m in minutes_ago]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.fixture
def slow_status_write(monkeypatch):
    """Widen the read-compare-write window so a missing lock would lose the newest report."""
    original = FacilityStatus.save

    def save(self, *args, **kwargs):
        time.sleep(0.02)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FacilityStatus, "save", save)


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_keep_the_newest_status(kz, slow_status_write):
    _requires_postgres()
    rng = random.Random(7)
    for round_ in range(ROUNDS):
        facility = make_facility(kz["KZ-75"], f"RACE-{round_}")
        minutes = list(range(1, THREADS + 1))
        rng.shuffle(minutes)
        assert _race(facility, minutes) == []
        status = FacilityStatus.objects.get(facility=facility)
        assert status.reported_at == NOW - timedelta(minutes=1)
        assert status.report.reported_at == status.reported_at
        assert CapacityReport.objects.filter(facility=facility).count() == THREADS


@pytest.mark.django_db(transaction=True)
def test_concurrent_newer_and_older_reports_after_a_first_one(kz, slow_status_write):
    _requires_postgres()
    facility = make_facility(kz["KZ-71"], "RACE-X")
    report_submit(actor=manager_of(facility), facility=facility, data=report(minutes_ago=30), source="web", now=NOW)
    # Half are backfills older than the current report, half are newer; the newest (2 min ago) must win.
    assert _race(facility, [60, 50, 40, 35, 20, 10, 5, 2]) == []
    assert FacilityStatus.objects.get(facility=facility).reported_at == NOW - timedelta(minutes=2)


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_never_restates_figures_a_concurrent_report_superseded(kz):
    """"Nothing changed" while a new report is being stored: the confirmation waits for it and carries *its*
    figures forward; read before that report committed, it would have made the older figures current again."""
    from jedel.capacity.services.reports import report_confirm

    _requires_postgres()
    facility = make_facility(kz["KZ-75"], "RACE-CONFIRM")
    manager = manager_of(facility)
    report_submit(actor=manager, facility=facility, data=report(minutes_ago=30, bed_rows=(("AdultICU", 10, 6),)),
                  source="api", now=NOW)
    holding, release, errors = threading.Event(), threading.Event(), []

    def new_figures() -> None:
        try:
            with transaction.atomic():
                report_submit(actor=manager, facility=facility, source="api", now=NOW,
                              data=report(minutes_ago=2, bed_rows=(("AdultICU", 10, 9),)))
                holding.set()
                release.wait(timeout=10)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    def confirm() -> None:
        try:
            report_confirm(actor=manager, facility=facility, source="web", now=NOW)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    writer, confirmer = threading.Thread(target=new_figures), threading.Thread(target=confirm)
    writer.start()
    assert holding.wait(timeout=10)
    confirmer.start()
    time.sleep(0.3)  # the confirmer is now waiting on the status row (or, without the lock, already read)
    release.set()
    writer.join(timeout=30)
    confirmer.join(timeout=30)
    assert errors == []
    status = FacilityStatus.objects.select_related("report").get(facility=facility)
    assert (status.report.confirmed_unchanged, status.reported_at) == (True, NOW)
    assert [(b.bed_type, b.staffed, b.occupied) for b in status.report.beds.all()] == [("AdultICU", 10, 9)]
