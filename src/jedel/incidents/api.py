"""Incidents and casualty tracking over HTTP (JSON; the CAP alert as XML)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from jedel.common import clock
from jedel.common.errors import ValidationFailed
from jedel.incidents import selectors as reads
from jedel.incidents.cap import incident_cap
from jedel.incidents.engines import TriageInputError, TriageOutcome, triage_compute
from jedel.incidents.errors import IncidentError
from jedel.incidents.schemas import (
    CasualtyAssessmentOut,
    CasualtyIn,
    CasualtyOut,
    CasualtyPageOut,
    CountsOut,
    IncidentId,
    IncidentIn,
    IncidentOut,
    IncidentPageOut,
    LocationOut,
    MoveIn,
    RoleIn,
    RoleOut,
    TagPath,
    TimelineOut,
    TriageCasualtyIn,
    TriageIn,
    VersionIn,
)
from jedel.incidents.services import casualties, incidents

router = Router(tags=["incidents"])


def outcome_of(triage: TriageIn | None) -> TriageOutcome | None:
    """Run the chosen core triage method on the findings sent (422 invalid_findings when they contradict)."""
    if triage is None:
        return None
    try:
        return triage_compute(triage.method, triage.findings.model_dump(exclude_none=True))
    except TriageInputError as exc:
        raise ValidationFailed(IncidentError.INVALID_FINDINGS, [
            {"loc": ["body", "findings", exc.path], "msg": exc.reason}]) from None


@router.get("/incidents", response=list[IncidentOut])
def list_incidents(request: HttpRequest, exercise: bool = False,
                   status: Literal["active", "stood_down", "closed"] | None = None) -> Any:
    """Real incidents, newest first; `exercise=true` lists exercises instead (never both together)."""
    return [IncidentOut.of(i) for i in reads.incident_list(viewer=request.auth, exercise=exercise,  # type: ignore[attr-defined]
                                                           status=status)]


@router.post("/incidents", response={201: IncidentOut})
def declare_incident(request: HttpRequest, data: IncidentIn) -> Any:
    incident = incidents.incident_declare(actor=request.auth, title=data.title, kind=data.kind,  # type: ignore[attr-defined]
                                          scene_lat=data.scene_lat, scene_lon=data.scene_lon, region_isos=data.regions,
                                          estimated_casualties=data.estimated_casualties,
                                          response_level=data.response_level, is_exercise=data.is_exercise,
                                          description=data.description)
    return Status(201, IncidentOut.of(incident))


@router.get("/incidents/{incident_id}", response=IncidentPageOut)
def get_incident(request: HttpRequest, incident_id: IncidentId) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    return IncidentPageOut(incident=IncidentOut.of(incident),
                           roles=[RoleOut.of(r) for r in reads.role_list(viewer=viewer, incident=incident)],
                           counts=CountsOut.of(reads.casualty_counts(viewer=viewer, incident=incident)))


@router.post("/incidents/{incident_id}/stand-down", response=IncidentOut)
def stand_down_incident(request: HttpRequest, incident_id: IncidentId, data: VersionIn) -> Any:
    return IncidentOut.of(incidents.incident_stand_down(actor=request.auth, incident_id=incident_id,  # type: ignore[attr-defined]
                                                        version=data.version))


@router.post("/incidents/{incident_id}/close", response=IncidentOut)
def close_incident(request: HttpRequest, incident_id: IncidentId, data: VersionIn) -> Any:
    return IncidentOut.of(incidents.incident_close(actor=request.auth, incident_id=incident_id,  # type: ignore[attr-defined]
                                                   version=data.version))


@router.post("/incidents/{incident_id}/roles", response={201: RoleOut})
def assign_incident_role(request: HttpRequest, incident_id: IncidentId, data: RoleIn) -> Any:
    role = incidents.incident_role_assign(actor=request.auth, incident_id=incident_id, role=data.role,  # type: ignore[attr-defined]
                                          username=data.username)
    return Status(201, RoleOut.of(role))


@router.get("/incidents/{incident_id}/timeline", response=list[TimelineOut])
def list_incident_timeline(request: HttpRequest, incident_id: IncidentId) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    entries = reads.timeline_list(viewer=viewer, incident=incident)
    tags = {e.casualty_id: e.data.get("tag", "") for e in entries if e.casualty_id}
    return [TimelineOut.of(e, tags) for e in entries]


@router.get("/incidents/{incident_id}/cap.xml")
def export_incident_cap(request: HttpRequest, incident_id: IncidentId) -> HttpResponse:
    """The CAP 1.2 alert for the incident (status Exercise for an exercise)."""
    incident = reads.incident_get(viewer=request.auth, incident_id=incident_id)  # type: ignore[attr-defined]
    response = HttpResponse(incident_cap(incident, now=clock.utcnow()), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}-cap.xml"'
    return response


@router.get("/incidents/{incident_id}/casualties", response=list[CasualtyOut])
def list_casualties(request: HttpRequest, incident_id: IncidentId) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    return [CasualtyOut.of(c) for c in reads.casualty_list(viewer=viewer, incident=incident)]


@router.post("/incidents/{incident_id}/casualties", response={200: CasualtyOut, 201: CasualtyOut})
def register_casualty(request: HttpRequest, incident_id: IncidentId, data: CasualtyIn) -> Any:
    """Register by tag: 201 when new, 200 with the casualty already registered under that tag (nothing changed)."""
    casualty, created = casualties.casualty_register(
        actor=request.auth, incident_id=incident_id, tag=data.tag, age_band=data.age_band, sex=data.sex,  # type: ignore[attr-defined]
        name=data.name, description=data.description, triage=outcome_of(data.triage), lat=data.lat, lon=data.lon,
        needs=data.needs, collection_point=data.collection_point)
    return Status(201 if created else 200, CasualtyOut.of(casualty, created=created))


@router.get("/incidents/{incident_id}/casualties/{tag}", response=CasualtyPageOut)
def get_casualty(request: HttpRequest, incident_id: IncidentId, tag: TagPath) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    casualty = reads.casualty_get(viewer=viewer, incident=incident, tag=tag.upper())
    return CasualtyPageOut(casualty=CasualtyOut.of(casualty),
                           assessments=[CasualtyAssessmentOut.of(a) for a in casualty.assessments.all()],
                           locations=[LocationOut.of(row) for row in casualty.locations.select_related("destination")])


@router.post("/incidents/{incident_id}/casualties/{tag}/triage", response=CasualtyOut)
def triage_casualty(request: HttpRequest, incident_id: IncidentId, tag: TagPath, data: TriageCasualtyIn) -> Any:
    outcome = outcome_of(data)
    assert outcome is not None
    casualty, _ = casualties.casualty_triage(actor=request.auth, incident_id=incident_id, tag=tag,  # type: ignore[attr-defined]
                                             outcome=outcome, version=data.version, needs=data.needs,
                                             collection_point=data.collection_point)
    return CasualtyOut.of(casualty)


@router.post("/incidents/{incident_id}/casualties/{tag}/move", response=CasualtyOut)
def move_casualty(request: HttpRequest, incident_id: IncidentId, tag: TagPath, data: MoveIn) -> Any:
    casualty = casualties.casualty_move(actor=request.auth, incident_id=incident_id, tag=tag, status=data.status,  # type: ignore[attr-defined]
                                        version=data.version, destination_code=data.destination, vehicle=data.vehicle,
                                        eta=data.eta, lat=data.lat, lon=data.lon, note=data.note)
    return CasualtyOut.of(casualty)
