"""Walk-in casualties over HTTP: register one (tag given on arrival), count them, turn counts into records, and
each hospital's walk-ins in an incident."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from jedel.incidents import selectors as reads
from jedel.incidents.schemas import CasualtyOut, IncidentId
from jedel.incidents.schemas_walkins import WalkInCountIn, WalkInCountOut, WalkInIn, WalkInRowOut
from jedel.incidents.selectors_walkins import counted_outstanding, walkin_summary
from jedel.incidents.services import walkins

router = Router(tags=["incidents"])


@router.get("/incidents/{incident_id}/walk-ins", response=list[WalkInRowOut])
def list_walkins(request: HttpRequest, incident_id: IncidentId) -> Any:
    """Each hospital's walk-ins in the incident, registered and only counted, by category (no personal data)."""
    viewer = request.auth  # type: ignore[attr-defined]
    incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    return [WalkInRowOut.of(row) for row in walkin_summary(viewer=viewer, incident=incident)]


@router.post("/incidents/{incident_id}/walk-ins", response={201: CasualtyOut})
def register_walkin(request: HttpRequest, incident_id: IncidentId, data: WalkInIn) -> Any:
    """A casualty who arrived by themselves: the tag is given now (W-<facility code>-<n>), arrived at the hospital."""
    casualty = walkins.walkin_register(actor=request.auth, incident_id=incident_id, category=data.category,  # type: ignore[attr-defined]
                                       hospital=data.hospital, age_band=data.age_band, sex=data.sex, name=data.name,
                                       description=data.description)
    return Status(201, CasualtyOut.of(casualty, created=True))


@router.post("/incidents/{incident_id}/walk-ins/counts", response={201: WalkInCountOut})
def count_walkins(request: HttpRequest, incident_id: IncidentId, data: WalkInCountIn) -> Any:
    """Count walk-ins without registering them ("+3 yellow"), when the hospital is overwhelmed."""
    row = walkins.walkin_count_add(actor=request.auth, incident_id=incident_id, category=data.category,  # type: ignore[attr-defined]
                                   count=data.count, hospital=data.hospital)
    left = counted_outstanding(incident=row.incident, facility_id=row.facility_id, category=row.category)
    return Status(201, WalkInCountOut.of(row, left))


@router.post("/incidents/{incident_id}/walk-ins/convert", response={201: list[CasualtyOut]})
def convert_walkins(request: HttpRequest, incident_id: IncidentId, data: WalkInCountIn) -> Any:
    """Turn counted walk-ins of a category into individual records (tags given now); more than counted: 409."""
    made = walkins.walkin_count_convert(actor=request.auth, incident_id=incident_id, category=data.category,  # type: ignore[attr-defined]
                                        count=data.count, hospital=data.hospital)
    return Status(201, [CasualtyOut.of(c, created=True) for c in made])
