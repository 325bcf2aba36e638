"""Overdue capacity reports become notices through the notification worker, once per silence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.services import SYSTEM
from jedel.capacity.services.reports import report_submit
from jedel.notifications import periodic
from jedel.notifications.models import Desk, Notice
from jedel.notifications.services.worker import tick
from tests.capacity.capacity_helpers import NOW, make_facility, make_user, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital(kz):
    periodic.reset()
    yield make_facility(kz["KZ-75"], "ALA-OVD", interval=60)
    periodic.reset()


def test_silent_facility_reminds_its_manager_once_then_again_after_a_new_silence(hospital):
    manager = make_user("ovd-manager", "facility_manager", facility=hospital)
    report_submit(actor=SYSTEM, facility=hospital, data=report(NOW), source="api", now=NOW)
    assert tick(NOW + timedelta(minutes=59)).periodic == 0          # not yet overdue
    assert tick(NOW + timedelta(minutes=65)).periodic == 1          # the job runs every 5 minutes
    assert tick(NOW + timedelta(minutes=71)).periodic == 0          # still the same silence: collapsed
    notice = Notice.objects.get()
    assert (notice.kind, notice.priority, notice.title, notice.repeats) == \
        ("overdue_report", "routine", "ALA-OVD · Больница ALA-OVD", 1)
    assert [d.recipient for d in notice.deliveries.all()] == [manager]
    later = NOW + timedelta(minutes=80)
    report_submit(actor=SYSTEM, facility=hospital, data=report(later), source="api", now=later)
    assert tick(later + timedelta(minutes=61)).periodic == 1        # a new silence, a new notice
    assert Notice.objects.count() == 2


def test_no_manager_goes_to_the_region_desk(hospital, kz):
    coordinator = make_user("ovd-region", "regional_coordinator", region=kz["KZ-75"])
    desk = Desk.objects.create(kind="region_coordination", region=kz["KZ-75"])
    desk.shifts.create(user=coordinator, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=12))
    assert tick(NOW).periodic == 1  # never reported: overdue at once
    notice = Notice.objects.get()
    assert ([d.recipient for d in notice.deliveries.all()], notice.level) == ([coordinator], 1)
