"""Reads of the incidents app; each checks the policy for its viewer (reads are decided here, writes in services)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from jedel.accounts.policy import Principal, allowed
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.incidents.errors import IncidentError
from jedel.incidents.models import Casualty, Incident, IncidentRole, TimelineEntry
from jedel.incidents.permissions import VIEW_CASUALTIES, VIEW_INCIDENT


def incident_list(*, viewer: Principal | None, exercise: bool = False, status: str | None = None) -> QuerySet[Incident]:
    """Real incidents, or (`exercise=True`) exercises only: the two are never listed together."""
    require(viewer, VIEW_INCIDENT, object_type="incident")
    rows = Incident.objects.filter(is_exercise=exercise).select_related("region").prefetch_related("regions")
    return rows.filter(status=status) if status else rows


def incident_get(*, viewer: Principal | None, incident_id: int) -> Incident:
    require(viewer, VIEW_INCIDENT, object_type="incident", object_id=incident_id)
    incident = Incident.objects.select_related("region").filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(IncidentError.NOT_FOUND, field="incident_id")
    return incident


def timeline_list(*, viewer: Principal | None, incident: Incident) -> list[TimelineEntry]:
    """The timeline; entries about a casualty show only to those who may see the casualties."""
    require(viewer, VIEW_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    rows = TimelineEntry.objects.filter(incident=incident).order_by("at", "pk")
    if viewer is None or not allowed(viewer, VIEW_CASUALTIES, incident):
        rows = rows.filter(casualty__isnull=True)
    return list(rows)


def role_list(*, viewer: Principal | None, incident: Incident) -> list[IncidentRole]:
    """The roles held now."""
    require(viewer, VIEW_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    return list(IncidentRole.objects.filter(incident=incident, ended_at__isnull=True).select_related("user")
                .order_by("role", "assigned_at"))


def casualty_list(*, viewer: Principal | None, incident: Incident) -> QuerySet[Casualty]:
    """The incident's casualties for those in it; for staff of a receiving facility, those on their way to it."""
    rows = Casualty.objects.filter(incident=incident).select_related("destination").order_by("tag")
    if viewer is not None and allowed(viewer, VIEW_CASUALTIES, incident):
        return rows
    if viewer is not None and not viewer.is_token and viewer.role in VIEW_CASUALTIES.roles \
            and viewer.facility_id is not None:
        return rows.filter(destination_id=viewer.facility_id)
    require(viewer, VIEW_CASUALTIES, incident, object_type="incident", object_id=incident.pk)
    return rows  # pragma: no cover  (require raised)


def casualty_get(*, viewer: Principal | None, incident: Incident, tag: str) -> Casualty:
    casualty = Casualty.objects.select_related("incident", "destination").filter(incident=incident, tag=tag).first()
    if casualty is None:
        require(viewer, VIEW_CASUALTIES, incident, object_type="incident", object_id=incident.pk)
        raise NotFound(IncidentError.CASUALTY_NOT_FOUND, field="tag")
    require(viewer, VIEW_CASUALTIES, casualty, object_type="casualty", object_id=casualty.pk)
    return casualty


@dataclass
class CasualtyCounts:
    """How many casualties by triage category ("" = not triaged yet) and by status, and in all."""

    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)


def casualty_counts(*, viewer: Principal | None, incident: Incident) -> CasualtyCounts:
    """Counts carry no personal data: everyone who may see the incident may see them."""
    require(viewer, VIEW_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    rows = list(Casualty.objects.filter(incident=incident).values_list("category", "status"))
    return CasualtyCounts(total=len(rows), by_category=dict(Counter(c for c, _ in rows)),
                          by_status=dict(Counter(s for _, s in rows)))
