"""Accepting and overriding destinations: places counted at once, refusal beyond capacity unless overridden with a
reason, full-for-category respected, the incoming-patient notice (no name) with its escalation, diversion, and
events for every affected region."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, PermissionDenied, ValidationFailed
from jedel.common.realtime.models import Event
from jedel.incidents.models import Assignment, Casualty, TimelineEntry
from jedel.incidents.services.distribution import assignment_accept, plan_accept, plan_current
from jedel.incidents.services.incoming import diversion_request, hospital_full_set
from jedel.notifications.models import Delivery, Notice
from jedel.notifications.services.worker import escalations_run
from tests.incidents.conftest import declare
from tests.incidents.distribution_helpers import SCENE, network, register_all  # noqa: F401


def _incident(network, **extra):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1], **extra)
    register_all(network, incident)
    return incident


def _remaining(plan, code):
    return {h["code"]: h["remaining"] for h in plan.hospitals}[code]


def _version(tag):
    return Casualty.objects.get(tag=tag).version


def test_accepting_the_plan_takes_the_places_at_once_for_the_next_plan(network):
    incident = _incident(network)
    nc = network["p"]["nc"]
    plan = plan_current(viewer=nc, incident_id=incident.pk)
    result = plan_accept(actor=nc, incident_id=incident.pk, plan_id=plan.pk)
    assert (len(result.accepted), result.refused) == (6, [])
    near = Casualty.objects.filter(destination__code="MCI-NEAR").values_list("category", flat=True)
    assert sorted(near) == sorted(p["category"] for p in plan.proposals if p["hospital"] == "MCI-NEAR")
    assert set(Casualty.objects.values_list("status", flat=True)) == {"awaiting_transport"}
    # Another coordinator's next plan sees the places taken (three reds took NEAR's, MID's and one of FAR's two).
    again = plan_current(viewer=network["p"]["rc75"], incident_id=incident.pk)
    assert again.proposals == []
    assert _remaining(again, "MCI-NEAR")["immediate"] == 0
    assert _remaining(again, "MCI-FAR")["immediate"] == 1
    assert TimelineEntry.objects.filter(kind="casualty_assigned").count() == 6


def test_beyond_capacity_is_refused_unless_overridden_with_a_reason(network):
    incident = _incident(network)
    nc = network["p"]["nc"]
    plan = plan_current(viewer=nc, incident_id=incident.pk)
    assignment_accept(actor=nc, incident_id=incident.pk, tag="R1", hospital="MCI-NEAR", version=_version("R1"),
                      plan_id=plan.pk, reason="closest for the first red")
    with pytest.raises(Conflict) as refused:
        assignment_accept(actor=nc, incident_id=incident.pk, tag="R2", hospital="MCI-NEAR", version=_version("R2"),
                          plan_id=plan.pk, reason="also near")
    assert refused.value.code.value == "hospital_capacity_exceeded"
    with pytest.raises(ValidationFailed) as no_reason:
        assignment_accept(actor=nc, incident_id=incident.pk, tag="R2", hospital="MCI-NEAR", version=_version("R2"),
                          plan_id=plan.pk, over_capacity=True)
    assert no_reason.value.code.value == "override_reason_required"
    forced = assignment_accept(actor=nc, incident_id=incident.pk, tag="R2", hospital="MCI-NEAR",
                               version=_version("R2"), plan_id=plan.pk, over_capacity=True,
                               reason="bleeding, cannot travel further")
    assert (forced.over_capacity, forced.override_reason) == (True, "bleeding, cannot travel further")
    entry = TimelineEntry.objects.filter(kind="casualty_assigned", casualty__tag="R2").get()
    assert (entry.data["over_capacity"], entry.data["reason"]) == (True, "bleeding, cannot travel further")
    audit = AuditEvent.objects.filter(action="assign_casualty", outcome="ok").order_by("pk").last()
    assert audit.changes["reason"] == "bleeding, cannot travel further"


def test_another_hospital_than_proposed_needs_a_reason(network):
    incident = _incident(network)
    nc = network["p"]["nc"]
    plan = plan_current(viewer=nc, incident_id=incident.pk)
    proposed = next(p["hospital"] for p in plan.proposals if p["tag"] == "G1")
    other = "MCI-FAR" if proposed != "MCI-FAR" else "MCI-NEAR"
    with pytest.raises(ValidationFailed) as refused:
        assignment_accept(actor=nc, incident_id=incident.pk, tag="G1", hospital=other, version=1, plan_id=plan.pk)
    assert refused.value.code.value == "override_reason_required"
    done = assignment_accept(actor=nc, incident_id=incident.pk, tag="G1", hospital=other, version=1,
                             plan_id=plan.pk, reason="family there")
    assert (done.facility.code, done.proposed_facility.code, done.override_reason) == (other, proposed, "family there")
    with pytest.raises(Conflict) as stale:
        assignment_accept(actor=nc, incident_id=incident.pk, tag="G1", hospital=proposed, version=1, plan_id=plan.pk)
    assert stale.value.code.value == "tracking_version_stale"


def test_a_hospital_full_for_a_category_gets_none_in_the_next_plan_and_refuses_assignment(network):
    incident = _incident(network)
    manager = network["mp"]["MCI-NEAR"]
    assert hospital_full_set(actor=manager, incident_id=incident.pk, hospital="MCI-NEAR", category="minimal",
                             full=True)
    assert not hospital_full_set(actor=manager, incident_id=incident.pk, hospital="MCI-NEAR", category="minimal",
                                 full=True)
    with pytest.raises(PermissionDenied):
        hospital_full_set(actor=manager, incident_id=incident.pk, hospital="MCI-FAR", category="minimal", full=True)
    plan = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    assert _remaining(plan, "MCI-NEAR") == {"immediate": 1, "delayed": 1, "minimal": 0, "expectant": 0}
    assert {h["code"]: h["full"] for h in plan.hospitals}["MCI-NEAR"] == ["minimal"]
    assert next(p["hospital"] for p in plan.proposals if p["tag"] == "G1") == "MCI-FAR"
    with pytest.raises(Conflict) as refused:
        assignment_accept(actor=network["p"]["nc"], incident_id=incident.pk, tag="G1", hospital="MCI-NEAR",
                          version=1, plan_id=plan.pk, reason="near")
    assert refused.value.code.value == "hospital_capacity_exceeded"
    hospital_full_set(actor=manager, incident_id=incident.pk, hospital="MCI-NEAR", category="minimal", full=False)
    assert _remaining(plan_current(viewer=network["p"]["nc"], incident_id=incident.pk), "MCI-NEAR")["minimal"] == 2


def test_the_hospital_gets_a_notice_without_the_name_which_escalates_until_acknowledged(network, settings):
    settings.JEDEL_INCOMING_ACK_TIMEOUT_S = 30
    incident = _incident(network, exercise=True)
    nc = network["p"]["nc"]
    now = utcnow()
    assignment = assignment_accept(actor=nc, incident_id=incident.pk, tag="R1", hospital="MCI-NEAR", version=1,
                                   reason="test", now=now)
    notice = Notice.objects.get(pk=assignment.notice_id)
    assert (notice.kind, notice.facility.code, notice.exercise, notice.priority) == (
        "incoming_patient", "MCI-NEAR", True, "emergency")
    assert notice.title.startswith("EXERCISE — Incoming patient R1: Immediate (red), ETA ")
    assert "Secret Name" not in notice.title + notice.body
    assert "Respiratory rate (breaths/min): 34" in notice.body and "START:" in notice.body
    assert notice.ack_timeout_s == [30, 30]  # the hospital's managers, then its clinicians (no admissions desk)
    assert list(notice.deliveries.values_list("recipient__username", flat=True)) == ["mgr-MCI-NEAR"]
    escalations_run(now + timedelta(seconds=29))
    notice.refresh_from_db()
    assert notice.level == 0
    escalations_run(now + timedelta(seconds=30))
    notice.refresh_from_db()
    assert notice.level == 1
    assert sorted(notice.deliveries.values_list("recipient__username", flat=True)) == ["ed-near", "mgr-MCI-NEAR"]
    assert TimelineEntry.objects.filter(kind="incoming_notified", casualty__tag="R1").count() == 1


def test_asking_for_diversion_frees_the_place_answers_the_notice_and_replans_the_casualty(network):
    incident = _incident(network)
    nc, manager = network["p"]["nc"], network["mp"]["MCI-NEAR"]
    assignment_accept(actor=nc, incident_id=incident.pk, tag="R1", hospital="MCI-NEAR", version=1, reason="test")
    assert _remaining(plan_current(viewer=nc, incident_id=incident.pk), "MCI-NEAR")["immediate"] == 0
    with pytest.raises(PermissionDenied):
        diversion_request(actor=network["mp"]["MCI-FAR"], incident_id=incident.pk, tag="R1")
    diverted = diversion_request(actor=manager, incident_id=incident.pk, tag="R1", note="CT down")
    assert diverted.diversion_note == "CT down"
    assert Delivery.objects.get(notice_id=diverted.notice_id, recipient__username="mgr-MCI-NEAR").state == \
        "acknowledged"
    plan = plan_current(viewer=nc, incident_id=incident.pk)
    assert _remaining(plan, "MCI-NEAR")["immediate"] == 1
    assert "R1" in [p["tag"] for p in plan.proposals]
    again = assignment_accept(actor=nc, incident_id=incident.pk, tag="R1", hospital="MCI-FAR", version=2,
                              reason="diverted by NEAR")
    assert Assignment.objects.filter(casualty__tag="R1").count() == 2
    assert Assignment.objects.get(casualty__tag="R1", ended_at__isnull=True).pk == again.pk


def test_events_reach_every_affected_region(network):
    incident = declare(network, regions=("KZ-75", "KZ-71"), scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("R1", "immediate")])
    events = Event.objects.filter(stream="incidents", kind="casualty.registered")
    assert sorted(events.values_list("region_id", flat=True)) == sorted([network["almaty"].pk, network["astana"].pk])
    from jedel.accounts.realtime import may_read

    rc71 = network["p"]["rc71"]
    readable = {e.region_id: may_read(rc71, e.read_action, e.region_id, e.facility_id) for e in events}
    assert readable == {network["almaty"].pk: False, network["astana"].pk: True}
