"""Walk-in casualties (issue 17 item 4): tags given on arrival, category chosen at the door, counts and their
conversion into records, who may do it, and the places walk-ins take in the live distribution."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, PermissionDenied
from jedel.incidents.board import board_compute
from jedel.incidents.models import Casualty, CasualtyLocation, TimelineEntry, TriageAssessment, WalkIn, WalkInCount
from jedel.incidents.selectors_walkins import counted_outstanding, walkin_load, walkin_summary
from jedel.incidents.services.casualties import casualty_register
from jedel.incidents.services.distribution import assignment_accept, plan_current
from jedel.incidents.services.incidents import incident_stand_down
from jedel.incidents.services.walkins import walkin_count_add, walkin_count_convert, walkin_register
from jedel.incidents.timeline_text import timeline_text
from tests.incidents.conftest import T0, declare, principal, start
from tests.incidents.distribution_helpers import FINDINGS, network  # noqa: F401


def test_walk_ins_get_the_hospitals_own_series_of_tags_and_have_arrived(world):
    incident = declare(world)
    medic = world["p"]["medic_h1"]  # a clinician of INC-H1: no hospital named, their own
    tags = [walkin_register(actor=medic, incident_id=incident.pk, category=c, now=T0 + timedelta(minutes=i)).tag
            for i, c in enumerate(["immediate", "minimal", "dead"])]
    assert tags == ["W-INC-H1-1", "W-INC-H1-2", "W-INC-H1-3"]
    # Another hospital's series starts at 1; a tag typed by hand earlier is skipped, never reused.
    casualty_register(actor=world["p"]["nc"], incident_id=incident.pk, tag="w-inc-h2-1")
    other = walkin_register(actor=world["p"]["nc"], incident_id=incident.pk, category="delayed", hospital="INC-H2",
                            age_band="adult", sex="female", now=T0)
    assert other.tag == "W-INC-H2-2"
    first = Casualty.objects.get(incident=incident, tag="W-INC-H1-1")
    assert (first.status, first.destination.code, first.category, first.triage_method, first.version) == (
        "arrived", "INC-H1", "immediate", "direct", 1)
    assert (other.age_band, other.sex, other.destination.code) == ("adult", "female", "INC-H2")
    assert list(CasualtyLocation.objects.filter(casualty=first).values_list("status", "destination__code")) == [
        ("arrived", "INC-H1")]
    assert TriageAssessment.objects.get(casualty=first).category == "immediate"
    assert list(WalkIn.objects.filter(incident=incident).order_by("facility__code", "number").values_list(
        "facility__code", "number")) == [("INC-H1", 1), ("INC-H1", 2), ("INC-H1", 3), ("INC-H2", 2)]
    entry = TimelineEntry.objects.get(incident=incident, casualty=first)
    assert (entry.kind, entry.actor_label, entry.data["walk_in"], entry.data["hospital"]) == (
        "casualty_registered", "inc-medic-h1", True, "INC-H1")
    assert timeline_text(entry) == "Walk-in W-INC-H1-1 arrived at INC-H1 (Immediate (red))."
    assert AuditEvent.objects.filter(action="register_walkin", outcome="ok").count() == 4


def test_who_may_register_walk_ins(world):
    incident = declare(world)  # in Almaty city (KZ-75); INC-H1 is there, INC-H2 in Astana
    p = world["p"]
    walkin_register(actor=p["rc75"], incident_id=incident.pk, category="delayed", hospital="INC-H1")
    walkin_register(actor=p["manager_h2"], incident_id=incident.pk, category="delayed")  # own hospital, elsewhere
    for who, hospital in [("manager_h2", "INC-H1"), ("medic_h1", "INC-H2"), ("rc71", "INC-H2"), ("viewer", "INC-H1")]:
        with pytest.raises(PermissionDenied):
            walkin_register(actor=p[who], incident_id=incident.pk, category="delayed", hospital=hospital)
        with pytest.raises(PermissionDenied):
            walkin_count_add(actor=p[who], incident_id=incident.pk, category="delayed", count=1, hospital=hospital)
    assert AuditEvent.objects.filter(action="register_walkin", outcome="denied").count() == 8


@pytest.mark.parametrize("kwargs, code, status", [
    ({"category": "grey"}, "walkin_unknown_category", 422),
    ({"category": "expectant"}, "walkin_unknown_category", 422),
    ({"category": "immediate", "hospital": "NOPE"}, "unknown_facility", 422),
    ({"category": "immediate", "age_band": "ancient"}, "invalid_incident", 422),
])
def test_bad_input_is_refused_with_a_code(world, kwargs, code, status):
    incident = declare(world)
    with pytest.raises(DomainError) as caught:
        walkin_register(actor=world["p"]["medic_h1"], incident_id=incident.pk, **kwargs)
    assert (caught.value.code.value, caught.value.status) == (code, status)
    assert not WalkIn.objects.exists()


def test_a_coordinator_must_name_the_hospital_and_the_incident_must_exist(world):
    incident = declare(world)
    with pytest.raises(DomainError) as caught:
        walkin_register(actor=world["p"]["nc"], incident_id=incident.pk, category="minimal")
    assert (caught.value.code.value, caught.value.status) == ("walkin_hospital_required", 422)
    with pytest.raises(DomainError) as caught:
        walkin_register(actor=world["p"]["nc"], incident_id=incident.pk + 99, category="minimal", hospital="INC-H1")
    assert (caught.value.code.value, caught.value.status) == ("incident_not_found", 404)


def test_counting_converting_and_the_summary(world):
    incident = declare(world)
    medic = world["p"]["medic_h1"]
    walkin_count_add(actor=medic, incident_id=incident.pk, category="delayed", count=3, now=T0)
    walkin_count_add(actor=medic, incident_id=incident.pk, category="delayed", count=1, now=T0 + timedelta(minutes=1))
    walkin_count_add(actor=medic, incident_id=incident.pk, category="immediate", count=2, now=T0)
    walkin_register(actor=medic, incident_id=incident.pk, category="immediate", now=T0)
    h1 = world["h1"].pk
    assert counted_outstanding(incident=incident, facility_id=h1, category="delayed") == 4
    made = walkin_count_convert(actor=medic, incident_id=incident.pk, category="delayed", count=3,
                                now=T0 + timedelta(minutes=30))
    assert [c.tag for c in made] == ["W-INC-H1-2", "W-INC-H1-3", "W-INC-H1-4"]
    assert {(c.status, c.category) for c in made} == {("arrived", "delayed")}
    assert counted_outstanding(incident=incident, facility_id=h1, category="delayed") == 1
    with pytest.raises(Conflict) as caught:
        walkin_count_convert(actor=medic, incident_id=incident.pk, category="delayed", count=2)
    assert (caught.value.code.value, caught.value.status) == ("walkin_not_enough_counted", 409)
    assert list(WalkInCount.objects.filter(incident=incident).order_by("pk").values_list(
        "category", "kind", "delta", "actor_label")) == [
        ("delayed", "counted", 3, "inc-medic-h1"), ("delayed", "counted", 1, "inc-medic-h1"),
        ("immediate", "counted", 2, "inc-medic-h1"), ("delayed", "converted", -3, "inc-medic-h1")]
    [row] = walkin_summary(viewer=world["p"]["viewer"], incident=incident)
    assert (row.code, row.individual, row.counted, row.total) == (
        "INC-H1", {"immediate": 1, "delayed": 3}, {"delayed": 1, "immediate": 2}, {"delayed": 4, "immediate": 3})
    entry = TimelineEntry.objects.filter(incident=incident, data__walk_in_count=3).get()
    assert timeline_text(entry) == "INC-H1 counted 3 walk-ins: Delayed (yellow)."


def test_stood_down_no_new_walk_ins_but_counts_still_become_records(world):
    incident = declare(world)
    medic = world["p"]["medic_h1"]
    walkin_count_add(actor=medic, incident_id=incident.pk, category="minimal", count=2)
    incident_stand_down(actor=world["p"]["nc"], incident_id=incident.pk, version=1)
    for call in (lambda: walkin_register(actor=medic, incident_id=incident.pk, category="minimal"),
                 lambda: walkin_count_add(actor=medic, incident_id=incident.pk, category="minimal", count=1)):
        with pytest.raises(Conflict) as caught:
            call()
        assert caught.value.code.value == "incident_stood_down"
    assert len(walkin_count_convert(actor=medic, incident_id=incident.pk, category="minimal", count=2)) == 2


def test_walk_ins_take_places_for_an_hour_from_arrival_and_exercises_apart(world):
    incident, drill = declare(world), declare(world, exercise=True)
    medic = world["p"]["medic_h1"]
    walkin_register(actor=medic, incident_id=incident.pk, category="immediate", now=T0)
    walkin_register(actor=medic, incident_id=incident.pk, category="dead", now=T0)  # takes no receiving place
    walkin_count_add(actor=medic, incident_id=incident.pk, category="delayed", count=3, now=T0 + timedelta(minutes=10))
    walkin_count_add(actor=medic, incident_id=drill.pk, category="minimal", count=5, now=T0)
    at = {m: walkin_load(exercise=False, now=T0 + timedelta(minutes=m)) for m in (30, 60, 65, 70)}
    assert at[30] == {"INC-H1": {"immediate": 1, "delayed": 3}}
    assert at[60] == {"INC-H1": {"delayed": 3}}  # the window is (now − 60 min, now]
    assert at[65] == {"INC-H1": {"delayed": 3}}
    assert at[70] == {}
    assert walkin_load(exercise=True, now=T0 + timedelta(minutes=30)) == {"INC-H1": {"minimal": 5}}
    # Converting counted ones into records moves them, it does not add to them.
    walkin_count_convert(actor=medic, incident_id=incident.pk, category="delayed", count=2,
                         now=T0 + timedelta(minutes=20))
    assert walkin_load(exercise=False, now=T0 + timedelta(minutes=30)) == {"INC-H1": {"immediate": 1, "delayed": 3}}


@pytest.mark.parametrize("how", ["registered", "counted"])
def test_a_walk_in_changes_the_next_distribution_plan(network, how):
    """One red casualty at the scene goes to MCI-NEAR (the nearest place for red); a red walk-in at MCI-NEAR takes
    its only red place (capacity 1 per hour, distribution_helpers.HOSPITALS), so the next plan sends the casualty
    to MCI-MID, the next nearest, and sending it to MCI-NEAR anyway is refused."""
    incident = declare(network)
    casualty, _ = casualty_register(actor=network["p"]["nc"], incident_id=incident.pk, tag="R1",
                                    triage=start(FINDINGS["immediate"]))
    before = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    assert [(p["tag"], p["hospital"]) for p in before.proposals] == [("R1", "MCI-NEAR")]
    assert {h["code"]: h["remaining"]["immediate"] for h in before.hospitals} == {
        "MCI-NEAR": 1, "MCI-MID": 1, "MCI-FAR": 2}
    ed = principal(network["clinician"])  # a clinician of MCI-NEAR
    if how == "registered":
        walkin_register(actor=ed, incident_id=incident.pk, category="immediate", now=utcnow())
    else:
        walkin_count_add(actor=ed, incident_id=incident.pk, category="immediate", count=1, now=utcnow())
    after = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    assert after.pk != before.pk
    assert [(p["tag"], p["hospital"]) for p in after.proposals] == [("R1", "MCI-MID")]
    assert {h["code"]: h["remaining"]["immediate"] for h in after.hospitals} == {
        "MCI-NEAR": 0, "MCI-MID": 1, "MCI-FAR": 2}
    with pytest.raises(Conflict) as caught:
        assignment_accept(actor=network["p"]["nc"], incident_id=incident.pk, tag="R1", hospital="MCI-NEAR",
                          version=casualty.version, reason="closest")
    assert caught.value.code.value == "hospital_capacity_exceeded"
    board = board_compute(viewer=network["p"]["viewer"], incident=incident, now=utcnow())
    assert {h.code: h.remaining["immediate"] for h in board.hospitals if h.remaining} == {
        "MCI-NEAR": 0, "MCI-MID": 1, "MCI-FAR": 2}
