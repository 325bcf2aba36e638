"""API schemas of family reunification."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from jedel.incidents.services.reunification import SearchHit


class WhereaboutsOut(Schema):
    """Where the casualty is now: only for those entitled (permissions.LOCATE_CASUALTY)."""

    status: str
    destination: str | None
    destination_name: str | None
    vehicle: str
    eta: datetime | None
    since: datetime | None


class FoundOut(Schema):
    incident: int
    incident_title: str
    incident_region: str
    is_exercise: bool
    tag: str
    name: str
    age_band: str
    sex: str
    description: str
    registered_at: datetime
    location: WhereaboutsOut | None  # null: ask the incident's coordinators

    @staticmethod
    def of(hit: SearchHit) -> FoundOut:
        c = hit.casualty
        where = None
        if hit.located:
            where = WhereaboutsOut(status=c.status, destination=c.destination.code if c.destination else None,
                                   destination_name=c.destination.name if c.destination else None,
                                   vehicle=c.vehicle, eta=c.eta, since=getattr(c, "moved_at", None))
        return FoundOut(incident=c.incident_id, incident_title=c.incident.title,
                        incident_region=c.incident.region.iso_code, is_exercise=c.incident.is_exercise, tag=c.tag,
                        name=c.name, age_band=c.age_band, sex=c.sex, description=c.description,
                        registered_at=c.registered_at, location=where)
