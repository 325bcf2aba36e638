"""Reads of the live distribution: what counts against a hospital's places, what a plan distributes, the MCI board.

A hospital's places are shared by every incident of one kind (real incidents, or exercises: never mixed): a
casualty counts against its destination's receiving capacity from the moment it is assigned (awaiting transport
or in transport with a destination) until it arrives, unless the hospital asked for it to be diverted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.incidents.engines import PLAN_CATEGORIES, CasualtyStatus, PlanCasualty
from jedel.incidents.models import Assignment, Casualty, CollectionPoint, HospitalFull, Incident
from jedel.incidents.permissions import VIEW_INCIDENT

PENDING_STATUSES = (CasualtyStatus.AWAITING_TRANSPORT.value, CasualtyStatus.IN_TRANSPORT.value)
ARRIVED_STATUSES = (CasualtyStatus.ARRIVED.value, CasualtyStatus.ADMITTED.value,
                    CasualtyStatus.TREATED_RELEASED.value, CasualtyStatus.TRANSFERRED.value)
TO_SEND_STATUSES = (CasualtyStatus.AT_SCENE.value, CasualtyStatus.AWAITING_TRANSPORT.value,
                    CasualtyStatus.IN_TRANSPORT.value)


def _diverted() -> QuerySet[Assignment]:
    return Assignment.objects.filter(ended_at__isnull=True, diversion_requested_at__isnull=False).values("casualty_id")


def pending_rows(*, exercise: bool) -> QuerySet[Casualty]:
    """Casualties on their way to a hospital (assigned, not arrived, not diverted), of real incidents or exercises."""
    return (Casualty.objects.filter(status__in=PENDING_STATUSES, destination__isnull=False,
                                    incident__is_exercise=exercise, category__in=PLAN_CATEGORIES)
            .exclude(pk__in=_diverted()))


def pending_counts(*, exercise: bool, facility_id: int | None = None,
                   exclude_casualty: int | None = None) -> dict[str, dict[str, int]]:
    """{facility code: {category: casualties on their way}}."""
    rows = pending_rows(exercise=exercise)
    if facility_id is not None:
        rows = rows.filter(destination_id=facility_id)
    if exclude_casualty is not None:
        rows = rows.exclude(pk=exclude_casualty)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for (code, category), n in Counter(rows.values_list("destination__code", "category")).items():
        out[code][category] = n
    return dict(out)


def full_categories(incident: Incident) -> dict[str, set[str]]:
    """{facility code: categories it declared itself full for} in this incident."""
    out: dict[str, set[str]] = defaultdict(set)
    for code, category in HospitalFull.objects.filter(incident=incident, cleared_at__isnull=True).values_list(
            "facility__code", "category"):
        out[code].add(category)
    return dict(out)


def plan_casualties(incident: Incident) -> list[PlanCasualty]:
    """Who a plan distributes: triaged casualties still to be sent (never assigned, or diverted), by tag."""
    pending = pending_rows(exercise=incident.is_exercise).values("pk")
    rows = (Casualty.objects.filter(incident=incident, status__in=TO_SEND_STATUSES, category__in=PLAN_CATEGORIES)
            .exclude(pk__in=pending).order_by("tag").values_list("tag", "category", "version", "needs",
                                                                 "collection_point_id"))
    return [PlanCasualty(tag=t, category=c, version=v, needs=tuple(sorted(needs or ())),
                         site="scene" if point is None else str(point)) for t, c, v, needs, point in rows]


def plan_sites(incident: Incident) -> dict[str, tuple[float, float]]:
    """(lat, lon) of the incident's collection points by id as text: the origins a plan's casualties wait at."""
    return {str(pk): (lat, lon) for pk, lat, lon in
            CollectionPoint.objects.filter(incident=incident).values_list("pk", "lat", "lon")}


@dataclass
class HospitalLoad:
    """One hospital on the MCI board: incoming (on their way) and arrived casualties of this incident by category."""

    code: str
    name: str
    lat: float
    lon: float
    capacity: dict[str, int] = field(default_factory=dict)
    incoming: dict[str, int] = field(default_factory=dict)
    arrived: dict[str, int] = field(default_factory=dict)
    remaining: dict[str, int] = field(default_factory=dict)
    full: list[str] = field(default_factory=list)
    acknowledged: int = 0
    unacknowledged: int = 0
    diversions: int = 0


def incident_loads(incident: Incident) -> dict[str, HospitalLoad]:
    """Incoming and arrived casualties of the incident per destination, with the notices' answers."""
    loads: dict[str, HospitalLoad] = {}
    rows = (Casualty.objects.filter(incident=incident, destination__isnull=False, category__in=PLAN_CATEGORIES)
            .select_related("destination"))
    for c in rows:
        f = c.destination
        assert f is not None
        load = loads.setdefault(f.code, HospitalLoad(code=f.code, name=f.name, lat=f.lat, lon=f.lon))
        if c.status in PENDING_STATUSES:
            load.incoming[c.category] = load.incoming.get(c.category, 0) + 1
        elif c.status in ARRIVED_STATUSES:
            load.arrived[c.category] = load.arrived.get(c.category, 0) + 1
    for a in Assignment.objects.filter(incident=incident, ended_at__isnull=True).select_related("facility", "notice"):
        load = loads.get(a.facility.code)
        if load is None:
            continue
        if a.diversion_requested_at is not None:
            load.diversions += 1
        elif a.notice is not None and a.notice.status == "acknowledged":
            load.acknowledged += 1
        else:
            load.unacknowledged += 1
    return loads


def collection_point_list(*, viewer: Principal | None, incident: Incident) -> list[CollectionPoint]:
    require(viewer, VIEW_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    return list(CollectionPoint.objects.filter(incident=incident))


def current_assignments(incident: Incident, *, facility_id: int | None = None) -> QuerySet[Assignment]:
    """The assignments in force (the last decision per casualty), with their casualty and notice."""
    rows = Assignment.objects.filter(incident=incident, ended_at__isnull=True).select_related(
        "casualty", "facility", "notice", "notice__acknowledged_by")
    return rows.filter(facility_id=facility_id) if facility_id is not None else rows
