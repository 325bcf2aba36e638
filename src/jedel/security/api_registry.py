"""The violence registry over HTTP: incidents, their case status, evidence upload and download (logged)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Status, UploadedFile

from jedel.common.ids import RowIdParam
from jedel.security.api import router
from jedel.security.schemas_registry import EvidenceKindName, EvidenceOut, ViolenceIncidentIn, ViolenceIncidentOut, ViolenceIncidentPatchIn
from jedel.security.selectors_registry import incident_get, incident_list
from jedel.security.services.registry import evidence_add, evidence_open, incident_record, incident_update


@router.post("/security/incidents", response={201: ViolenceIncidentOut})
def record_violence_incident(request: HttpRequest, data: ViolenceIncidentIn) -> Any:
    incident = incident_record(actor=request.auth, facility_id=data.facility, data=data.as_input())  # type: ignore[attr-defined]
    return Status(201, ViolenceIncidentOut.of(incident, incident_get(request.auth, incident.pk)))  # type: ignore[attr-defined]


@router.get("/security/incidents", response=list[ViolenceIncidentOut])
def list_violence_incidents(request: HttpRequest, facility: RowIdParam | None = None) -> Any:
    return [ViolenceIncidentOut.of(i) for i in incident_list(request.auth, facility_id=facility)]  # type: ignore[attr-defined]


@router.get("/security/incidents/{incident_id}", response=ViolenceIncidentOut)
def get_violence_incident(request: HttpRequest, incident_id: RowIdParam) -> Any:
    view = incident_get(request.auth, incident_id)  # type: ignore[attr-defined]
    return ViolenceIncidentOut.of(view.incident, view)


@router.patch("/security/incidents/{incident_id}", response=ViolenceIncidentOut)
def update_violence_incident(request: HttpRequest, incident_id: RowIdParam, data: ViolenceIncidentPatchIn) -> Any:
    incident = incident_update(actor=request.auth, incident_id=incident_id, version=data.version,  # type: ignore[attr-defined]
                               changes=data.changes())
    return ViolenceIncidentOut.of(incident)


@router.post("/security/incidents/{incident_id}/evidence", response={201: EvidenceOut})
def upload_evidence(request: HttpRequest, incident_id: RowIdParam, kind: Form[EvidenceKindName],
                    sha256: Form[str], file: File[UploadedFile]) -> Any:
    """Multipart: `file`, `kind` and the SHA-256 the uploader computed; a different hash is refused (422)."""
    evidence = evidence_add(actor=request.auth, incident_id=incident_id, kind=kind,  # type: ignore[attr-defined]
                            filename=file.name or "file", content_type=file.content_type or "",
                            chunks=file.chunks(), declared_sha256=sha256)
    return Status(201, EvidenceOut.of(evidence))


@router.get("/security/evidence/{evidence_id}/download", response={200: None})
def download_evidence(request: HttpRequest, evidence_id: RowIdParam) -> Any:
    """The file itself, for the facility's security officer and manager and the regional security lead; logged."""
    evidence, path = evidence_open(viewer=request.auth, evidence_id=evidence_id)  # type: ignore[attr-defined]
    return FileResponse(path.open("rb"), as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)
