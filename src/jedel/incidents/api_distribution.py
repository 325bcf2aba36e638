"""The live distribution and the MCI board over HTTP: the current plan, accepting or overriding a destination,
a receiving hospital full for a category or asking for a diversion, collection points, the board's figures."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Status

from jedel.common import clock
from jedel.incidents import selectors as reads
from jedel.incidents.board import board_compute
from jedel.incidents.schemas import CountsOut, IncidentId, TagPath
from jedel.incidents.schemas_distribution import (
    CasualtyAssignIn,
    CasualtyAssignmentOut,
    IncidentBoardOut,
    CollectionPointIn,
    CollectionPointOut,
    DiversionIn,
    HospitalFullIn,
    HospitalFullOut,
    HospitalLoadOut,
    IncidentPlanOut,
)
from jedel.incidents.services import distribution, incoming

router = Router(tags=["incidents"])
CodePath = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[^\x00/]+$")]


@router.get("/incidents/{incident_id}/plan", response=IncidentPlanOut)
def get_distribution_plan(request: HttpRequest, incident_id: IncidentId) -> Any:
    """The proposed destination of every casualty still to be sent, from the live board (recomputed now)."""
    return IncidentPlanOut.of(distribution.plan_current(viewer=request.auth, incident_id=incident_id))  # type: ignore[attr-defined]


@router.post("/incidents/{incident_id}/casualties/{tag}/assign", response=CasualtyAssignmentOut)
def assign_casualty(request: HttpRequest, incident_id: IncidentId, tag: TagPath, data: CasualtyAssignIn) -> Any:
    """Accept the plan's destination (name the plan), or override it with a reason; the hospital is notified."""
    assignment = distribution.assignment_accept(
        actor=request.auth, incident_id=incident_id, tag=tag, hospital=data.hospital, version=data.version,  # type: ignore[attr-defined]
        plan_id=data.plan, reason=data.reason, over_capacity=data.over_capacity)
    return CasualtyAssignmentOut.of(assignment)


@router.post("/incidents/{incident_id}/hospitals/{code}/full", response=HospitalFullOut)
def declare_hospital_full(request: HttpRequest, incident_id: IncidentId, code: CodePath, data: HospitalFullIn) -> Any:
    """The hospital is full for a category in this incident (`full: false` lifts it); the next plan respects it."""
    changed = incoming.hospital_full_set(actor=request.auth, incident_id=incident_id, hospital=code,  # type: ignore[attr-defined]
                                         category=data.category, full=data.full)
    return HospitalFullOut(hospital=code, category=data.category, full=data.full, changed=changed)


@router.post("/incidents/{incident_id}/casualties/{tag}/diversion", response=CasualtyAssignmentOut)
def request_diversion(request: HttpRequest, incident_id: IncidentId, tag: TagPath, data: DiversionIn) -> Any:
    """The receiving hospital asks for the casualty to go elsewhere; its place is freed and it is planned again."""
    assignment = incoming.diversion_request(actor=request.auth, incident_id=incident_id, tag=tag,  # type: ignore[attr-defined]
                                            note=data.note)
    return CasualtyAssignmentOut.of(assignment)


@router.post("/incidents/{incident_id}/collection-points", response={201: CollectionPointOut})
def add_collection_point(request: HttpRequest, incident_id: IncidentId, data: CollectionPointIn) -> Any:
    point = incoming.collection_point_add(actor=request.auth, incident_id=incident_id, name=data.name,  # type: ignore[attr-defined]
                                          lat=data.lat, lon=data.lon)
    return Status(201, CollectionPointOut.of(point))


@router.get("/incidents/{incident_id}/board", response=IncidentBoardOut)
def get_incident_board(request: HttpRequest, incident_id: IncidentId) -> Any:
    """Counts, each receiving hospital's incoming and arrived casualties against its places, collection points."""
    viewer = request.auth  # type: ignore[attr-defined]
    incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    board = board_compute(viewer=viewer, incident=incident, now=clock.utcnow())
    return IncidentBoardOut(incident=incident.pk, exercise=incident.is_exercise, status=incident.status,
                    scene_lat=incident.scene_lat, scene_lon=incident.scene_lon, counts=CountsOut.of(board.counts),
                    hospitals=[HospitalLoadOut.of(h) for h in board.hospitals],
                    collection_points=[CollectionPointOut.of(p) for p in board.collection_points])
