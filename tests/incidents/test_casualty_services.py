"""Casualties: idempotent registration by tag, triage history, moves by the state machine, versions, scope."""

from __future__ import annotations

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.errors import Conflict, DomainError, PermissionDenied
from jedel.common.realtime.models import Event
from jedel.incidents.engines import triage_compute
from jedel.incidents.models import Casualty, CasualtyLocation, TimelineEntry, TriageAssessment
from jedel.incidents.selectors import casualty_counts, casualty_list
from jedel.incidents.services.casualties import casualty_move, casualty_register, casualty_triage
from jedel.incidents.services.incidents import incident_role_assign, incident_stand_down
from tests.incidents.conftest import GREEN, RED, T0, declare, start


@pytest.fixture
def incident(world):
    return declare(world)


def register(world, incident, tag="A-001", who="nc", **kw):
    return casualty_register(actor=world["p"][who], incident_id=incident.pk, tag=tag, now=T0, **kw)


def test_registering_a_tag_twice_returns_the_first_casualty(world, incident):
    first, created = register(world, incident, " a-001 ", name="Aigerim", triage=start(RED))
    again, created_again = register(world, incident, "A-001", name="Someone else", triage=start(GREEN))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and (again.tag, again.name, again.category) == ("A-001", "Aigerim", "immediate")
    assert Casualty.objects.count() == 1 and TriageAssessment.objects.count() == 1
    assert TimelineEntry.objects.filter(kind="casualty_registered").count() == 1
    assert AuditEvent.objects.filter(action="register_casualty").count() == 1


def test_the_same_tag_in_another_incident_is_another_casualty(world, incident):
    other = declare(world, title="Second")
    assert register(world, incident)[1] and register(world, other)[1]


def test_registration_stores_the_triage_the_rule_and_the_first_location(world, incident):
    casualty, _ = register(world, incident, triage=start(RED), age_band="adult", sex="female")
    assert (casualty.category, casualty.triage_method, casualty.status) == ("immediate", "start", "at_scene")
    assert casualty.triage_rule == "START: not walking → breathing → RR 34/min > 30 → IMMEDIATE"
    assessment = TriageAssessment.objects.get()
    assert (assessment.requested_method, assessment.findings) == ("start", RED)
    assert list(CasualtyLocation.objects.values_list("from_status", "status")) == [("", "at_scene")]
    event = Event.objects.get(kind="casualty.registered")
    assert event.data["tag"] == "A-001" and "name" not in event.data and event.read_action == "view_casualties"


def test_triage_that_lacks_findings_is_refused_naming_them(world, incident):
    with pytest.raises(DomainError) as caught:
        register(world, incident, triage=start({"can_walk": False}))
    assert caught.value.code.value == "triage_incomplete" and caught.value.status == 422
    assert [e["loc"] for e in caught.value.errors] == [["findings", "breathing"]]
    assert Casualty.objects.count() == 0


def test_retriage_keeps_the_history_and_moves_the_version(world, incident):
    casualty, _ = register(world, incident, triage=start(GREEN))
    updated, _ = casualty_triage(actor=world["p"]["nc"], incident_id=incident.pk, tag="A-001",
                                 outcome=triage_compute("salt", {"breathing": True, "obeys_commands": False, "purposeful_movement": False,
                                                                 "likely_to_survive_given_resources": True}),
                                 version=1, now=T0)
    assert (updated.category, updated.triage_method, updated.version) == ("immediate", "salt", 2)
    assert list(TriageAssessment.objects.order_by("pk").values_list("category", flat=True)) == ["minimal", "immediate"]
    with pytest.raises(Conflict) as caught:
        casualty_triage(actor=world["p"]["nc"], incident_id=incident.pk, tag="A-001", outcome=start(RED), version=1)
    assert caught.value.code.value == "tracking_version_stale"


def test_a_casualty_goes_from_the_scene_to_admission(world, incident):
    register(world, incident, triage=start(RED))
    nc = world["p"]["nc"]
    steps = [("awaiting_transport", {}), ("in_transport", {"destination_code": "INC-H1", "vehicle": "103-ALA-17"}),
             ("arrived", {}), ("admitted", {})]
    for version, (status, extra) in enumerate(steps, start=1):
        casualty = casualty_move(actor=nc, incident_id=incident.pk, tag="A-001", status=status, version=version,
                                 now=T0, **extra)
    assert (casualty.status, casualty.version, casualty.destination.code, casualty.vehicle) == (
        "admitted", 5, "INC-H1", "103-ALA-17")
    assert list(CasualtyLocation.objects.order_by("pk").values_list("from_status", "status")) == [
        ("", "at_scene"), ("at_scene", "awaiting_transport"), ("awaiting_transport", "in_transport"),
        ("in_transport", "arrived"), ("arrived", "admitted")]
    with pytest.raises(Conflict) as caught:
        casualty_move(actor=nc, incident_id=incident.pk, tag="A-001", status="deceased", version=5)
    assert caught.value.code.value == "casualty_status_final"


@pytest.mark.parametrize("status, extra, code, http", [
    ("arrived", {}, "casualty_move_not_allowed", 409),
    ("at_scene", {}, "casualty_status_unchanged", 409),
    ("in_transport", {}, "destination_required", 422),
    ("in_transport", {"destination_code": "NOPE"}, "unknown_facility", 422),
])
def test_refused_moves_carry_their_code_and_change_nothing(world, incident, status, extra, code, http):
    register(world, incident)
    with pytest.raises(DomainError) as caught:
        casualty_move(actor=world["p"]["nc"], incident_id=incident.pk, tag="A-001", status=status, version=1, **extra)
    assert (caught.value.code.value, caught.value.status) == (code, http)
    assert Casualty.objects.get().version == 1 and CasualtyLocation.objects.count() == 1


def test_a_stale_version_is_409_and_never_overwrites(world, incident):
    register(world, incident)
    nc = world["p"]["nc"]
    casualty_move(actor=nc, incident_id=incident.pk, tag="A-001", status="awaiting_transport", version=1)
    with pytest.raises(Conflict) as caught:
        casualty_move(actor=nc, incident_id=incident.pk, tag="A-001", status="deceased", version=1)
    assert (caught.value.code.value, caught.value.status) == ("tracking_version_stale", 409)
    assert Casualty.objects.get().status == "awaiting_transport"


def test_a_stood_down_incident_takes_no_new_casualty_but_moves_the_old_ones(world, incident):
    register(world, incident)
    incident_stand_down(actor=world["p"]["nc"], incident_id=incident.pk, version=1)
    with pytest.raises(Conflict) as caught:
        register(world, incident, "A-002")
    assert caught.value.code.value == "incident_stood_down"
    assert register(world, incident, "A-001")[1] is False  # a known tag is still answered
    moved = casualty_move(actor=world["p"]["nc"], incident_id=incident.pk, tag="A-001", status="deceased", version=1)
    assert moved.status == "deceased"


def test_scope_liaison_brings_a_hospital_in_and_a_destination_sees_its_own(world, incident):
    medic, manager_h2 = world["p"]["medic_h1"], world["p"]["manager_h2"]
    with pytest.raises(PermissionDenied):
        register(world, incident, who="medic_h1")
    incident_role_assign(actor=world["p"]["nc"], incident_id=incident.pk, role="hospital_liaison",
                         username="inc-medic-h1")
    register(world, incident, "A-001", who="medic_h1", name="Serik")
    register(world, incident, "A-002", who="medic_h1")
    casualty_move(actor=medic, incident_id=incident.pk, tag="A-002", status="in_transport", version=1,
                  destination_code="INC-H2")
    assert [c.tag for c in casualty_list(viewer=medic, incident=incident)] == ["A-001", "A-002"]
    # Astana's hospital is not in the incident: it sees only the casualty on its way to it, and may mark arrival.
    assert [c.tag for c in casualty_list(viewer=manager_h2, incident=incident)] == ["A-002"]
    casualty_move(actor=manager_h2, incident_id=incident.pk, tag="A-002", status="arrived", version=2)
    with pytest.raises(PermissionDenied):
        casualty_move(actor=manager_h2, incident_id=incident.pk, tag="A-001", status="deceased", version=1)
    with pytest.raises(PermissionDenied):
        casualty_list(viewer=world["p"]["viewer"], incident=incident)
    counts = casualty_counts(viewer=world["p"]["viewer"], incident=incident)  # counts hold no personal data
    assert (counts.total, counts.by_status) == (2, {"at_scene": 1, "arrived": 1})


def test_a_liaisons_hospital_receives_the_casualty_events_and_no_other_region_does(world, incident):
    """A facility-scoped reader gets only events filed under its facility: the liaison's hospital gets its own copy,
    filed under the scene's region, so the coordinator of an unaffected region still receives nothing."""
    from jedel.accounts.realtime import may_read

    incident_role_assign(actor=world["p"]["nc"], incident_id=incident.pk, role="hospital_liaison",
                         username="inc-medic-h1")
    register(world, incident, "L-001")
    events = Event.objects.filter(kind="casualty.registered")
    readers = {who: any(may_read(world["p"][who], e.read_action, e.region_id, e.facility_id) for e in events)
               for who in ("medic_h1", "manager_h2", "rc75", "rc71", "nc")}
    assert readers == {"medic_h1": True, "manager_h2": False, "rc75": True, "rc71": False, "nc": True}
