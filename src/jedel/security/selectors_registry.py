"""Reads of the violence registry. Names of victims and perpetrators only for the facility's security officer,
its manager and the regional security lead; everyone else entitled to the registry reads it without them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import Principal, allowed
from jedel.accounts.services import require
from jedel.common.errors import NotFound, PermissionDenied
from jedel.accounts.errors import AccountError
from jedel.security.errors import SecurityError
from jedel.security.models_registry import Evidence, EvidenceAccess, FollowUpTask, Perpetrator, Victim, ViolenceIncident
from jedel.security.permissions import VIEW_SECURITY, VIEW_VIOLENCE_PERSONAL
from jedel.security.selectors import scoped_facilities


def personal_allowed(viewer: Principal | None, incident: ViolenceIncident) -> bool:
    """The facility's security officer or manager, or a security officer over its region; never national scope
    (the Ministry reads anonymised aggregates)."""
    return (viewer is not None and viewer.scope_level != ScopeLevel.NATIONAL
            and allowed(viewer, VIEW_VIOLENCE_PERSONAL, incident))


def require_personal(viewer: Principal | None, incident: ViolenceIncident, *, object_type: str,
                     object_id: int) -> Principal:
    """`require` for personal data, with the national-scope exclusion (audited like any refusal)."""
    require(viewer, VIEW_VIOLENCE_PERSONAL, incident, object_type=object_type, object_id=object_id)
    assert viewer is not None
    if viewer.scope_level == ScopeLevel.NATIONAL:
        raise PermissionDenied(AccountError.FORBIDDEN)
    return viewer


def incident_list(viewer: Principal | None, *, facility_id: int | None = None, region_id: int | None = None,
                  since: datetime | None = None, until: datetime | None = None, limit: int = 200) -> list[ViolenceIncident]:
    """Incidents within the viewer's reach (no personal data on these rows), newest first."""
    facilities = scoped_facilities(viewer, facility_id=facility_id, region_id=region_id)
    rows = ViolenceIncident.objects.filter(facility__in=facilities).select_related("facility")
    if since is not None:
        rows = rows.filter(occurred_at__gte=since)
    if until is not None:
        rows = rows.filter(occurred_at__lt=until)
    return list(rows.order_by("-occurred_at", "-pk")[:limit])


@dataclass(frozen=True)
class IncidentView:
    incident: ViolenceIncident
    personal: bool                     # names shown (victims', perpetrators') and evidence files openable
    victims: list[Victim]              # names blanked when not `personal`
    perpetrators: list[Perpetrator]
    tasks: list[FollowUpTask]
    evidence: list[Evidence]
    accesses: list[EvidenceAccess]     # the evidence log, for those who may open the files


def incident_get(viewer: Principal | None, incident_id: int) -> IncidentView:
    incident = ViolenceIncident.objects.select_related("facility", "facility__region").filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(SecurityError.INCIDENT_NOT_FOUND)
    require(viewer, VIEW_SECURITY, incident, object_type="violence_incident", object_id=incident.pk)
    personal = personal_allowed(viewer, incident)
    victims = list(incident.victims.order_by("pk"))
    perpetrators = list(incident.perpetrators.order_by("pk"))
    if not personal:
        for person in (*victims, *perpetrators):
            person.name = ""
    accesses = list(EvidenceAccess.objects.filter(evidence__incident=incident).order_by("at", "pk")) if personal else []
    return IncidentView(incident, personal, victims, perpetrators, list(incident.tasks.order_by("pk")),
                        list(incident.evidence.order_by("uploaded_at", "pk")), accesses)
