"""report_submit: every rule with its exact code and field path, nothing written on failure, the status pointer."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from tests.capacity.capacity_helpers import NOW, beds, make_facility, manager_of, report, token_of

from jedel.accounts.models import AuditEvent, Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import Conflict, PermissionDenied, ValidationFailed
from jedel.capacity.models import BedCapacity, CapacityReport, FacilityStatus
from jedel.capacity.report_input import ReportInput
from jedel.capacity.services.reports import report_submit


def _counts() -> tuple[int, int, int, int]:
    return (CapacityReport.objects.count(), BedCapacity.objects.count(), FacilityStatus.objects.count(),
            AuditEvent.objects.count())


def _paths(exc: ValidationFailed) -> list[tuple[str, str]]:
    return [(e["code"], ".".join(str(part) for part in e["loc"])) for e in exc.errors]


@pytest.fixture
def hospital(kz):
    return make_facility(kz["KZ-75"], "ALA-CH-1")


BAD_INPUTS = {
    "occupied_exceeds_staffed": (
        {"beds": beds(("AdultICU", 10, 6), ("MedicalSurgical", 50, 40), ("Burn", 5, 6))},
        [("occupied_exceeds_staffed", "beds.2.occupied")]),
    "available_exceeds_staffed_minus_occupied": (
        {"beds": beds(("AdultICU", 10, 6, 5))}, [("available_exceeds_staffed", "beds.0.available")]),
    "available_exceeds_staffed_without_occupied": (
        {"beds": beds(("AdultICU", 10, None, 11))}, [("available_exceeds_staffed", "beds.0.available")]),
    "negative_bed_count": ({"beds": beds(("AdultICU", 10, -1))}, [("negative_count", "beds.0.occupied")]),
    "negative_surge": ({"beds": beds(("AdultICU", 10, 1, None, -2))}, [("negative_count", "beds.0.surge_24h")]),
    "negative_ventilators": ({"ventilators_total": -1}, [("negative_count", "ventilators_total")]),
    "negative_mci": ({"mci_delayed_per_hour": -3}, [("negative_count", "mci_delayed_per_hour")]),
    "unknown_bed_type": ({"beds": beds(("Spaceship", 1, 0))}, [("unknown_bed_type", "beds.0.bed_type")]),
    "duplicate_bed_type": ({"beds": beds(("AdultICU", 10, 6), ("AdultICU", 4, 1))},
                           [("duplicate_bed_type", "beds.1.bed_type")]),
    "future_timestamp": ({"reported_at": NOW + timedelta(minutes=2, seconds=1)},
                         [("future_timestamp", "reported_at")]),
    "ventilators_in_use_exceed_total": ({"ventilators_total": 5, "ventilators_in_use": 6},
                                        [("ventilators_in_use_exceed_total", "ventilators_in_use")]),
    "lab_performed_exceeds_capacity": ({"lab_tests_capacity_per_day": 100, "lab_tests_performed_per_day": 101},
                                       [("lab_performed_exceeds_capacity", "lab_tests_performed_per_day")]),
    "bad_ed_status": ({"ed_status": "busy"}, [("bad_ed_status", "ed_status")]),
    "bad_oxygen_status": ({"oxygen_status": "plenty"}, [("bad_oxygen_status", "oxygen_status")]),
    "diversion_without_reason": ({"ed_status": "diversion", "ed_status_reason": "  "},
                                 [("required", "ed_status_reason")]),
    "closed_without_reason": ({"ed_status": "closed"}, [("required", "ed_status_reason")]),
    "reason_too_long": ({"ed_status": "closed", "ed_status_reason": "x" * 301}, [("bad_value", "ed_status_reason")]),
    "huge_count": ({"beds": beds(("AdultICU", 10**10, 1))}, [("bad_value", "beds.0.staffed")]),
    "huge_lab_count": ({"lab_tests_capacity_per_day": 2**40}, [("bad_value", "lab_tests_capacity_per_day")]),
    "nul_in_note": ({"note": "a\x00b"}, [("bad_value", "note")]),
    "available_not_derivable": ({"beds": beds(("AdultICU", 10, None))}, [("required", "beds.0.available")]),
    "several_at_once": (
        {"reported_at": NOW + timedelta(hours=1), "ventilators_total": 2, "ventilators_in_use": 3,
         "oxygen_status": "x", "beds": beds(("AdultICU", 10, 11), ("Nope", 1, 0), ("AdultICU", 3, 1, 3))},
        [("future_timestamp", "reported_at"), ("ventilators_in_use_exceed_total", "ventilators_in_use"),
         ("bad_oxygen_status", "oxygen_status"), ("occupied_exceeds_staffed", "beds.0.occupied"),
         ("unknown_bed_type", "beds.1.bed_type"), ("duplicate_bed_type", "beds.2.bed_type"),
         ("available_exceeds_staffed", "beds.2.available")]),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_rejected_with_code_and_path_and_nothing_is_written(hospital, case):
    changes, expected = BAD_INPUTS[case]
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        report_submit(actor=manager_of(hospital), facility=hospital, data=replace(report(), **changes),
                      source="web", now=NOW)
    assert _paths(info.value) == expected
    assert info.value.status == 422
    assert info.value.as_dict()["detail"][0]["code"] == expected[0][0]
    assert _counts() == before


def test_clock_skew_of_two_minutes_is_accepted(hospital):
    stored = report_submit(actor=manager_of(hospital), facility=hospital,
                           data=report(NOW + timedelta(minutes=2)), source="web", now=NOW)
    assert stored.reported_at == NOW + timedelta(minutes=2)


def test_ambulance_station_reports_no_beds(kz):
    station = make_facility(kz["KZ-75"], "ALA-AMB", kind="ambulance_station")
    before = _counts()
    with pytest.raises(ValidationFailed) as info:
        report_submit(actor=manager_of(station), facility=station, data=report(), source="api", now=NOW)
    assert _paths(info.value) == [("not_reporting_facility", "beds")]
    assert _counts() == before
    stored = report_submit(actor=manager_of(station), facility=station, data=report(bed_rows=(), oxygen_status="adequate"),
                           source="api", now=NOW)
    assert stored.beds.count() == 0


def test_available_is_derived_when_omitted_and_kept_when_given(hospital):
    stored = report_submit(actor=manager_of(hospital), facility=hospital, source="web", now=NOW,
                           data=report(bed_rows=(("AdultICU", 10, 6), ("MedicalSurgical", 40, 30, 8, 5))))
    got = {b.bed_type: (b.staffed, b.occupied, b.available, b.surge_24h) for b in stored.beds.all()}
    assert got == {"AdultICU": (10, 6, 4, None), "MedicalSurgical": (40, 30, 8, 5)}


def test_only_available_is_enough(hospital):
    stored = report_submit(actor=manager_of(hospital), facility=hospital, source="edxl", now=NOW,
                           data=report(bed_rows=(("AdultICU", None, None, 3),)))
    assert [(b.staffed, b.occupied, b.available) for b in stored.beds.all()] == [(None, None, 3)]


def test_first_report_creates_the_status_and_a_newer_one_moves_it(hospital):
    actor = manager_of(hospital)
    first = report_submit(actor=actor, facility=hospital, data=report(minutes_ago=30), source="web", now=NOW)
    assert FacilityStatus.objects.get(facility=hospital).report_id == first.pk
    newer = report_submit(actor=actor, facility=hospital, data=report(minutes_ago=5), source="web", now=NOW)
    status = FacilityStatus.objects.get(facility=hospital)
    assert (status.report_id, status.reported_at) == (newer.pk, NOW - timedelta(minutes=5))
    assert newer.became_current is True


def test_older_backfilled_report_is_history_but_not_current(hospital):
    actor = manager_of(hospital)
    current = report_submit(actor=actor, facility=hospital, data=report(minutes_ago=5), source="web", now=NOW)
    late = report_submit(actor=actor, facility=hospital, data=report(minutes_ago=120), source="edxl", now=NOW)
    assert late.became_current is False
    assert CapacityReport.objects.filter(facility=hospital).count() == 2
    assert FacilityStatus.objects.get(facility=hospital).report_id == current.pk
    event = AuditEvent.objects.get(object_type="capacity_report", object_id=str(late.pk))
    assert (event.outcome, event.changes["current"], event.region_id) == ("ok", False, hospital.region_id)


def test_same_time_resubmission_replaces_the_figures(hospital):
    actor = manager_of(hospital)
    report_submit(actor=actor, facility=hospital, data=report(minutes_ago=5), source="web", now=NOW)
    correction = report_submit(actor=actor, facility=hospital, data=report(minutes_ago=5), source="web", now=NOW)
    assert FacilityStatus.objects.get(facility=hospital).report_id == correction.pk


def test_write_is_audited_with_reporter_and_source(hospital):
    stored = report_submit(actor=token_of(hospital), facility=hospital, data=report(), source="api", now=NOW)
    assert (stored.reporter, stored.source, stored.received_at) == ("token:ALA-CH-1", "api", NOW)
    event = AuditEvent.objects.get(action="report_capacity", outcome="ok")
    assert (event.actor_label, event.object_id, event.at) == ("token:ALA-CH-1", str(stored.pk), NOW)


def test_token_for_another_facility_is_refused_and_the_attempt_audited(kz, hospital):
    other = make_facility(kz["KZ-75"], "ALA-CH-2")
    before = _counts()
    with pytest.raises(PermissionDenied) as info:
        report_submit(actor=token_of(other), facility=hospital, data=report(), source="api", now=NOW)
    assert (info.value.code.value, info.value.status) == ("token_wrong_facility", 403)
    reports, beds_, statuses, events = _counts()
    assert (reports, beds_, statuses, events) == (before[0], before[1], before[2], before[3] + 1)
    event = AuditEvent.objects.get()
    assert (event.outcome, event.actor_label, event.action, event.object_id, event.region_id) == (
        "denied", "token:ALA-CH-2", "report_capacity", "ALA-CH-1", hospital.region_id)
    assert event.changes == {"reason": "token_wrong_facility"}


@pytest.mark.parametrize("role, scope", [(Role.FACILITY_MANAGER, ScopeLevel.FACILITY),
                                         (Role.VIEWER, ScopeLevel.NATIONAL),
                                         (Role.REGIONAL_COORDINATOR, ScopeLevel.REGION)])
def test_users_outside_their_scope_are_refused_and_audited(kz, hospital, role, scope):
    elsewhere = make_facility(kz["KZ-71"], "AST-1")
    actor = Principal(label="someone", role=role, scope_level=scope, region_id=elsewhere.region_id,
                      facility_id=elsewhere.pk)
    with pytest.raises(PermissionDenied) as info:
        report_submit(actor=actor, facility=hospital, data=report(), source="web", now=NOW)
    assert info.value.code.value == "forbidden"
    assert list(AuditEvent.objects.values_list("outcome", "action", "object_id")) == [
        ("denied", "report_capacity", "ALA-CH-1")]
    assert CapacityReport.objects.count() == 0


def test_regional_coordinator_reports_for_a_facility_of_the_region(kz, hospital):
    actor = Principal(label="reg", role=Role.REGIONAL_COORDINATOR, scope_level=ScopeLevel.REGION,
                      region_id=hospital.region_id)
    assert report_submit(actor=actor, facility=hospital, data=report(), source="web", now=NOW).pk


def test_inactive_facility_cannot_report(hospital):
    hospital.active = False
    hospital.save()
    with pytest.raises(Conflict) as info:
        report_submit(actor=manager_of(hospital), facility=hospital, data=report(), source="web", now=NOW)
    assert info.value.code.value == "inactive_facility"
    assert CapacityReport.objects.count() == 0


def test_naive_time_is_taken_as_utc(hospital):
    naive = ReportInput(reported_at=NOW.replace(tzinfo=None) - timedelta(minutes=1), oxygen_status="adequate")
    stored = report_submit(actor=manager_of(hospital), facility=hospital, data=naive, source="demo", now=NOW)
    assert stored.reported_at == NOW - timedelta(minutes=1)


def test_the_status_change_is_stored_and_sent_to_boards_after_commit(hospital, monkeypatch, django_capture_on_commit_callbacks):
    sent = []

    class Layer:
        async def group_send(self, group, message):
            sent.append((group, message))

    monkeypatch.setattr("channels.layers.get_channel_layer", lambda: Layer())
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=manager_of(hospital), facility=hospital, data=report(), source="web", now=NOW)
        assert sent == []
    ((group, message),) = sent
    event = message["event"]
    assert (group, message["type"], event["stream"], event["kind"], event["seq"]) == (
        "realtime.capacity", "realtime.event", "capacity", "status.changed", 1)
    assert (event["data"]["marker"]["code"], event["read_action"], event["facility_id"]) == (
        "ALA-CH-1", "view_board", hospital.pk)


def test_a_failing_channel_layer_does_not_fail_the_report(hospital, monkeypatch, django_capture_on_commit_callbacks):
    def broken():
        raise ConnectionError("redis down")

    monkeypatch.setattr("channels.layers.get_channel_layer", broken)
    with django_capture_on_commit_callbacks(execute=True):
        stored = report_submit(actor=manager_of(hospital), facility=hospital, data=report(), source="web", now=NOW)
    assert CapacityReport.objects.filter(pk=stored.pk).exists()
