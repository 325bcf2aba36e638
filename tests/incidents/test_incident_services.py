"""Declaring, standing down and closing incidents: timeline, audit, notices, real-time events, roles, scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.models import AuditEvent
from jedel.common.errors import Conflict, DomainError, PermissionDenied
from jedel.common.realtime.models import Event
from jedel.incidents.models import IncidentRole, TimelineEntry
from jedel.incidents.selectors import incident_list
from jedel.incidents.services.incidents import incident_close, incident_role_assign, incident_stand_down
from jedel.notifications.models import Delivery, Notice
from tests.incidents.conftest import T0, declare


def kinds(incident):
    return list(TimelineEntry.objects.filter(incident=incident).order_by("at", "pk").values_list("kind", flat=True))


def test_declaring_records_notifies_the_regions_coordinators_and_publishes(world):
    incident = declare(world, regions=("KZ-75", "KZ-71"))
    assert (incident.status, incident.version, incident.region.iso_code) == ("active", 1, "KZ-75")
    assert sorted(incident.regions.values_list("iso_code", flat=True)) == ["KZ-71", "KZ-75"]
    assert kinds(incident) == ["declared", "notified", "notified", "notified"]  # the last: INC-H1 pre-alerted
    notices = Notice.objects.filter(kind="incident_declared").order_by("region__iso_code")
    assert [(n.region.iso_code, n.exercise, n.priority) for n in notices] == [("KZ-71", False, "emergency"),
                                                                             ("KZ-75", False, "emergency")]
    reached = {d.recipient.username for d in Delivery.objects.filter(notice__in=notices)}
    assert reached == {"inc-rc75", "inc-rc71"}
    # One event per affected region (the scene's first), so each region's coordinators receive it.
    events = Event.objects.filter(stream="incidents", kind="incident.declared").order_by("seq")
    assert [e.region_id for e in events] == [world["almaty"].pk, world["astana"].pk]
    assert {(e.data["incident"], e.read_action, e.exercise) for e in events} == {(incident.pk, "view_incident", False)}
    audit = AuditEvent.objects.get(action="declare_incident")
    assert (audit.object_id, audit.region.iso_code, audit.actor_label) == (str(incident.pk), "KZ-75", "inc-nc")


def test_an_exercise_notice_is_marked_and_the_event_flagged(world):
    incident = declare(world, exercise=True)
    notice = Notice.objects.get(kind="incident_declared")
    assert notice.exercise is True
    assert notice.title.startswith("EXERCISE — ")
    assert Event.objects.get(stream="incidents").exercise is True
    assert incident.is_exercise


def test_nobody_to_notify_is_on_the_timeline_and_the_declaration_stands(world):
    world["users"]["rc71"].delete()
    incident = declare(world, regions=("KZ-71",))
    assert kinds(incident) == ["declared", "not_notified", "notified"]  # the last: INC-H1, near the scene, pre-alerted
    assert TimelineEntry.objects.get(kind="not_notified").data == {"region": "KZ-71", "code": "no_recipients"}


def test_a_regional_coordinator_declares_only_within_their_region(world):
    declare(world, "rc75", regions=("KZ-75",))
    with pytest.raises(PermissionDenied):
        declare(world, "rc75", regions=("KZ-75", "KZ-71"))
    with pytest.raises(PermissionDenied):
        declare(world, "medic_h1")
    assert AuditEvent.objects.filter(action="declare_incident", outcome="denied").count() == 2


@pytest.mark.parametrize("regions, code", [((), "incident_needs_regions"), (("KZ-99",), "unknown_region")])
def test_bad_regions_are_refused_with_a_code(world, regions, code):
    with pytest.raises(DomainError) as caught:
        declare(world, regions=regions)
    assert caught.value.code.value == code and caught.value.status == 422


def test_exercises_are_never_listed_with_real_incidents(world):
    real = declare(world)
    drill = declare(world, exercise=True, title="Earthquake drill")
    viewer = world["p"]["viewer"]
    assert list(incident_list(viewer=viewer)) == [real]
    assert list(incident_list(viewer=viewer, exercise=True)) == [drill]


def test_stand_down_then_close_with_versions_and_refusals(world):
    incident = declare(world)
    nc = world["p"]["nc"]
    with pytest.raises(Conflict) as caught:
        incident_close(actor=nc, incident_id=incident.pk, version=1)
    assert caught.value.code.value == "incident_change_not_allowed"
    down = incident_stand_down(actor=nc, incident_id=incident.pk, version=1, now=T0 + timedelta(hours=5))
    assert (down.status, down.version, down.stood_down_at) == ("stood_down", 2, T0 + timedelta(hours=5))
    with pytest.raises(Conflict) as caught:
        incident_close(actor=nc, incident_id=incident.pk, version=1)
    assert caught.value.code.value == "tracking_version_stale"
    closed = incident_close(actor=nc, incident_id=incident.pk, version=2, now=T0 + timedelta(hours=9))
    assert (closed.status, closed.version) == ("closed", 3)
    with pytest.raises(Conflict) as caught:
        incident_stand_down(actor=nc, incident_id=incident.pk, version=3)
    assert caught.value.code.value == "incident_closed"
    assert kinds(incident)[-2:] == ["stood_down", "closed"]
    assert list(Event.objects.filter(stream="incidents").order_by("seq").values_list("kind", flat=True)) == [
        "incident.declared", "incident.stood_down", "incident.closed"]


def test_only_coordinators_over_the_incident_manage_it(world):
    incident = declare(world)
    with pytest.raises(PermissionDenied):
        incident_stand_down(actor=world["p"]["rc71"], incident_id=incident.pk, version=1)
    assert incident_stand_down(actor=world["p"]["rc75"], incident_id=incident.pk, version=1).status == "stood_down"


def test_a_new_commander_replaces_the_old_and_the_same_role_twice_is_one(world):
    incident = declare(world)
    nc = world["p"]["nc"]
    first = incident_role_assign(actor=nc, incident_id=incident.pk, role="commander", username="inc-rc75")
    again = incident_role_assign(actor=nc, incident_id=incident.pk, role="commander", username="inc-rc75")
    assert again.pk == first.pk
    incident_role_assign(actor=nc, incident_id=incident.pk, role="commander", username="inc-nc")
    active = IncidentRole.objects.filter(incident=incident, ended_at__isnull=True)
    assert [(r.role, r.user.username) for r in active] == [("commander", "inc-nc")]
    assert TimelineEntry.objects.filter(kind="role_assigned").last().data == {
        "role": "commander", "user": "inc-nc", "replaces": ["inc-rc75"]}
    with pytest.raises(DomainError) as caught:
        incident_role_assign(actor=nc, incident_id=incident.pk, role="hospital_liaison", username="nobody")
    assert caught.value.code.value == "unknown_user"
