"""The incidents stream: an incident declared, stood down or closed (anyone who may see incidents), casualty
changes (only those who may see the casualties; the event carries the tag, status and category, no name), and the
live distribution's news (a new plan, a hospital full for a category).

An incident spans regions, but an event is filed under one region (and one facility): each event is therefore
published once per affected region, the scene's first, so a coordinator of any affected region receives it. A
viewer entitled to several of them (national scope) receives the copies; they carry the same data and clients
apply them idempotently (the MCI board redraws once per burst).
"""

from __future__ import annotations

from typing import Any

from jedel.common.realtime.publish import publish
from jedel.common.realtime.streams import register_stream
from jedel.incidents.models import Casualty, Incident, IncidentRole
from jedel.incidents.permissions import VIEW_CASUALTIES, VIEW_INCIDENT

STREAM = register_stream("incidents")


def _regions(incident: Incident) -> list[int]:
    others = sorted(r for r in incident.regions.values_list("pk", flat=True) if r != incident.region_id)
    return [incident.region_id, *others]


def incident_publish(incident: Incident, kind: str, data: dict[str, Any], *, read_action: str,
                     facility_id: int | None = None) -> None:
    """One event per affected region; inside the write's transaction."""
    for region_id in _regions(incident):
        publish(STREAM, kind, data, read_action=read_action, region_id=region_id, facility_id=facility_id,
                exercise=incident.is_exercise)


def incident_summary(incident: Incident) -> dict[str, Any]:
    return {"incident": incident.pk, "title": incident.title, "kind": incident.kind, "status": incident.status,
            "exercise": incident.is_exercise, "lat": incident.scene_lat, "lon": incident.scene_lon,
            "version": incident.version}


def incident_changed_publish(incident: Incident, kind: str) -> None:
    """`kind`: incident.declared / incident.stood_down / incident.closed; inside the write's transaction."""
    incident_publish(incident, kind, incident_summary(incident), read_action=VIEW_INCIDENT.name)


def _liaison_facilities(incident: Incident) -> list[int]:
    """Hospitals brought into the incident by a liaison's role (see permissions.incident_target)."""
    return sorted(set(IncidentRole.objects.filter(incident=incident, ended_at__isnull=True,
                                                  user__scope_facility__isnull=False)
                      .values_list("user__scope_facility_id", flat=True)))


def casualty_changed_publish(casualty: Casualty, kind: str) -> None:
    """`kind`: casualty.registered / .triaged / .moved / .assigned / .diversion; inside the write's transaction.

    A liaison's hospital may see the incident's casualties, but a facility-scoped reader receives only events
    filed under its facility: each such hospital gets its own copy, filed under the scene's region (never under
    the hospital's own region, whose coordinator is not in the incident unless the region is affected).
    """
    incident = casualty.incident
    data = {"incident": incident.pk, "casualty": casualty.pk, "tag": casualty.tag, "status": casualty.status,
            "category": casualty.category, "destination": casualty.destination_id, "version": casualty.version,
            "exercise": incident.is_exercise}
    incident_publish(incident, kind, data, read_action=VIEW_CASUALTIES.name, facility_id=casualty.destination_id)
    for facility_id in _liaison_facilities(incident):
        if facility_id != casualty.destination_id:
            publish(STREAM, kind, data, read_action=VIEW_CASUALTIES.name, region_id=incident.region_id,
                    facility_id=facility_id, exercise=incident.is_exercise)


def distribution_changed_publish(incident: Incident, kind: str, data: dict[str, Any]) -> None:
    """`kind`: plan.ready (a new plan exists) / hospital.full (a hospital full, or taking again, for a category).
    No personal data: everyone who may see the incident is told, so boards re-read."""
    incident_publish(incident, kind, {"incident": incident.pk, "exercise": incident.is_exercise, **data},
                     read_action=VIEW_INCIDENT.name)
