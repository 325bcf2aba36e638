"""report_confirm (issue 17, "less data entry"): "nothing changed" in one tap is a new report carrying every figure of
the previous one forward, audited as a confirmation, on time for the overdue alarm; refused without a previous report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import NOW, make_facility, manager_of, report, token_of
from tests.capacity.edxl_helpers import AT

from jedel.accounts.models import AuditEvent
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.capacity.selectors.status import facility_status, status_rows
from jedel.capacity.services.reports import report_confirm, report_submit
from jedel.common.errors import Conflict, PermissionDenied, ValidationFailed

# ALA-001's report at 05:30 (tests/capacity/conftest.py), column by column.
FULL_FIGURES = {
    "ventilators_total": 10, "ventilators_in_use": 4, "oxygen_status": "limited", "ct_operational": True,
    "xray_operational": False, "lab_tests_capacity_per_day": 200, "lab_tests_performed_per_day": 150,
    "ed_status": "diversion", "ed_status_reason": "CT down until 14:00", "mci_immediate_per_hour": 4,
    "mci_delayed_per_hour": None, "mci_minimal_per_hour": 20, "note": "Generator on test run",
    "facility_status": "compromised", "security_status": "elevated", "staffing": "insufficient",
    "admissions_24h": 40, "discharges_24h": 35, "deaths_24h": 1,
}
FULL_BEDS = [("AdultICU", 12, 10, 2, 3), ("MedicalSurgical", None, None, 7, None), ("Burn", 4, 4, 0, None)]


def _counts() -> tuple[int, int, int]:
    return CapacityReport.objects.count(), BedCapacity.objects.count(), AuditEvent.objects.count()


def _beds(r: CapacityReport) -> list[tuple]:
    return [(b.bed_type, b.staffed, b.occupied, b.available, b.surge_24h) for b in r.beds.order_by("id")]


def test_a_confirmation_is_a_new_report_with_every_previous_figure(almaty):
    full, _bare = almaty
    confirmed = report_confirm(actor=manager_of(full), facility=full, source="web", now=NOW)
    stored = CapacityReport.objects.get(pk=confirmed.pk)
    assert {name: getattr(stored, name) for name in FULL_FIGURES} == FULL_FIGURES
    assert _beds(stored) == FULL_BEDS
    assert (stored.reported_at, stored.received_at, stored.source, stored.reporter) == (NOW, NOW, "web", "mgr-ALA-001")
    assert (stored.confirmed_unchanged, confirmed.became_current, confirmed.duplicate) == (True, True, False)
    assert FacilityStatus.objects.get(facility=full).report_id == stored.pk
    # The earlier report is untouched: history is the record.
    assert CapacityReport.objects.filter(facility=full).order_by("reported_at").first().confirmed_unchanged is False


def test_a_confirmation_is_audited_as_a_confirmation(almaty):
    full, _bare = almaty
    confirmed = report_confirm(actor=manager_of(full), facility=full, source="api", now=NOW)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id, event.actor_label) == (
        "confirm_capacity", "capacity_report", str(confirmed.pk), "mgr-ALA-001")
    assert event.changes == {"facility": "ALA-001", "reported_at": "2026-03-10T06:00:00+00:00", "source": "api",
                             "beds": 3, "current": True}


def test_an_ordinary_report_is_not_a_confirmation(almaty):
    _full, bare = almaty
    stored = report_submit(actor=manager_of(bare), facility=bare, source="web", now=NOW, data=report(NOW))
    assert stored.confirmed_unchanged is False
    assert AuditEvent.objects.latest("id").action == "report_capacity"


def test_without_a_previous_report_a_confirmation_is_refused_with_its_code(kz):
    hospital = make_facility(kz["KZ-75"], "ALA-NEW")
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        report_confirm(actor=manager_of(hospital), facility=hospital, source="web", now=NOW)
    assert exc.value.code.value == "nothing_to_confirm"
    assert exc.value.errors == [{"code": "nothing_to_confirm", "loc": [],
                                 "msg": "There is no earlier report to confirm: submit the figures first."}]
    assert _counts() == before


def test_a_confirmation_backdated_before_the_first_report_has_nothing_to_confirm(almaty):
    full, _bare = almaty
    with pytest.raises(ValidationFailed) as exc:
        report_confirm(actor=manager_of(full), facility=full, source="api", now=NOW, reported_at=AT - timedelta(hours=1))
    assert exc.value.code.value == "nothing_to_confirm"


def test_a_confirmation_in_the_future_is_refused_for_its_time_alone(almaty):
    full, _bare = almaty
    with pytest.raises(ValidationFailed) as exc:
        report_confirm(actor=manager_of(full), facility=full, source="api", now=NOW,
                       reported_at=NOW + timedelta(minutes=3))
    assert [(e["code"], e["loc"]) for e in exc.value.errors] == [("future_timestamp", ["reported_at"])]


def test_a_confirmation_resets_the_overdue_alarm(kz):
    hospital = make_facility(kz["KZ-75"], "ALA-LATE", interval=240)
    report_submit(actor=manager_of(hospital), facility=hospital, source="web", now=NOW - timedelta(minutes=300),
                  data=report(NOW - timedelta(minutes=300), bed_rows=(("AdultICU", 10, 6),)))
    before = facility_status(hospital, now=NOW)
    assert (before.overdue, before.minutes_ago) == (True, 300)
    assert [r.code for r in status_rows(now=NOW, overdue_only=True)] == ["ALA-LATE"]
    report_confirm(actor=manager_of(hospital), facility=hospital, source="web", now=NOW)
    after = facility_status(hospital, now=NOW + timedelta(minutes=240))
    assert (after.overdue, after.minutes_ago, after.reported_at) == (False, 240, NOW)
    assert (after.current.confirmed_unchanged, after.available_total) == (True, 4)
    assert status_rows(now=NOW, overdue_only=True) == []


def test_the_status_shows_confirmed_unchanged_until_new_figures_arrive(almaty):
    full, _bare = almaty
    report_confirm(actor=manager_of(full), facility=full, source="web", now=NOW)
    assert facility_status(full, now=NOW).current.confirmed_unchanged is True
    later = NOW + timedelta(minutes=10)
    report_submit(actor=manager_of(full), facility=full, source="web", now=later,
                  data=report(later, bed_rows=(("AdultICU", 12, 11),)))
    assert facility_status(full, now=later).current.confirmed_unchanged is False


def test_a_confirmation_is_refused_outside_the_permission_like_a_report(almaty):
    full, bare = almaty
    before = _counts()
    with pytest.raises(PermissionDenied) as exc:
        report_confirm(actor=manager_of(bare), facility=full, source="web", now=NOW)
    assert exc.value.code.value == "forbidden"
    with pytest.raises(PermissionDenied) as exc:
        report_confirm(actor=token_of(bare), facility=full, source="api", now=NOW)
    assert exc.value.code.value == "token_wrong_facility"
    assert CapacityReport.objects.count() == before[0]
    assert list(AuditEvent.objects.order_by("-id").values_list("action", "outcome")[:2]) == [
        ("confirm_capacity", "denied"), ("report_capacity", "denied")]


def test_an_inactive_facility_cannot_confirm(almaty):
    full, _bare = almaty
    full.active = False
    full.save(update_fields=["active"])
    with pytest.raises(Conflict) as exc:
        report_confirm(actor=manager_of(full), facility=full, source="web", now=NOW)
    assert exc.value.code.value == "inactive_facility"


def test_a_confirmation_retried_with_its_key_is_stored_once(almaty):
    full, _bare = almaty
    first = report_confirm(actor=manager_of(full), facility=full, source="api", now=NOW, idempotency_key="c-1")
    again = report_confirm(actor=manager_of(full), facility=full, source="api", now=NOW + timedelta(minutes=1),
                           idempotency_key="c-1")
    assert (again.pk, again.duplicate) == (first.pk, True)
    assert CapacityReport.objects.filter(facility=full, confirmed_unchanged=True).count() == 1
