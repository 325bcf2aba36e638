"""Facility registry endpoints: list, read, create, update, deactivate, referrals, import and export.

The export routes are declared before `/facilities/{code}` so "export.csv" is never taken for a code.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from jedel.common.pagination import BoundedPageNumberPagination
from jedel.common.errors import DomainError
from jedel.facilities.errors import FacilityError
from jedel.facilities.io import decode, facilities_import_text, unwrap_json_body
from jedel.facilities.io.csv_format import facilities_export_csv
from jedel.facilities.io.fhir_bundle import facilities_export_fhir_chunks
from jedel.facilities.schemas import (
    FacilityIn,
    FacilityOut,
    FacilityPatch,
    ImportOut,
    NetworkOut,
    ReferralIn,
    ReferralOut,
)
from jedel.facilities import selectors
from jedel.facilities.services import registry as services

router = Router(tags=["registry"])


@router.get("/facilities", response=list[FacilityOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def list_facilities(request: HttpRequest, region: str | None = None, kind: str | None = None,
                    capability: str | None = None, q: str | None = None, active: bool = True) -> Any:
    """Facilities, paginated; filter by region (ISO code), kind, capability, q (code or name), active."""
    return selectors.facility_list(viewer=request.auth, region_iso=region, kind=kind,  # type: ignore[attr-defined]
                                   capability=capability, search=q, active=active)


def _export(request: HttpRequest, region: str | None) -> list[Any]:
    return selectors.facility_export_list(viewer=request.auth, region_iso=region)  # type: ignore[attr-defined]


@router.get("/facilities/export.csv")
def export_facilities_csv(request: HttpRequest, region: str | None = None) -> HttpResponse:
    """Active facilities (optionally one region) in the documented Jedel CSV format."""
    response = HttpResponse(facilities_export_csv(_export(request, region)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jedel-facilities.csv"'
    return response


@router.get("/facilities/export.fhir.json")
def export_facilities_fhir(request: HttpRequest, region: str | None = None) -> StreamingHttpResponse:
    """Active facilities (optionally one region) as a FHIR R4 Bundle of Organization + Location."""
    # Streamed one facility at a time (the national file is ~5 MB); the permission check and the read happen
    # before the first byte, so a refusal is still a plain 403.
    facilities = _export(request, region)
    chunks = (c.encode() for c in facilities_export_fhir_chunks(facilities))
    response = StreamingHttpResponse(chunks, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jedel-facilities.fhir.json"'
    return response


_IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}},
    "application/fhir+json": {"schema": {"type": "object"}},
    "application/json": {"schema": {"type": "object", "properties": {
        "format": {"type": "string", "enum": ["csv", "fhir"]}, "text": {"type": "string"}}}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
}}}


def _upload(request: HttpRequest) -> tuple[str, str | None, str]:
    # A multipart body can be read only once, through request.FILES; any other body is read as text.
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(FacilityError.REQUIRED, field="file",
                              detail=_("upload the file as form field 'file'"))
        return decode(upload.read()), None, upload.name or ""
    text, fmt = unwrap_json_body(decode(request.body))
    return text, fmt, ""


@router.post("/facilities/import", response=ImportOut, openapi_extra=_IMPORT_BODY)
def import_facilities(request: HttpRequest, dry_run: bool = False) -> Any:
    """CSV or FHIR Bundle: multipart field `file`, a raw body, or JSON {"format", "text"}; all or nothing."""
    text, fmt, filename = _upload(request)
    actor = request.auth  # type: ignore[attr-defined]
    used, result = facilities_import_text(text, actor=actor, filename=filename, fmt=fmt, dry_run=dry_run)
    return ImportOut(format=used, created=result.created, updated=result.updated, unchanged=result.unchanged,
                     dry_run=result.dry_run)


@router.post("/facilities", response={201: FacilityOut})
def create_facility(request: HttpRequest, payload: FacilityIn) -> Any:
    """Register a facility (needs create_facility in its region)."""
    facility = services.facility_create(actor=request.auth, spec=payload.to_spec())  # type: ignore[attr-defined]
    return Status(201, selectors.facility_get(facility.code))


@router.get("/facilities/{code}", response=FacilityOut)
def get_facility(request: HttpRequest, code: str) -> Any:
    """One facility by code."""
    return selectors.facility_get(code, viewer=request.auth)  # type: ignore[attr-defined]


@router.patch("/facilities/{code}", response=FacilityOut)
def update_facility(request: HttpRequest, code: str, payload: FacilityPatch) -> Any:
    """Change some fields; send the `version` you read (a stale one is a 409 stale_version)."""
    services.facility_update(actor=request.auth, code=code, version=payload.version,  # type: ignore[attr-defined]
                             changes=payload.changes())
    return selectors.facility_get(code)


@router.post("/facilities/{code}/deactivate", response=FacilityOut)
def deactivate_facility(request: HttpRequest, code: str) -> Any:
    """Take a facility off the live registry (kept for history)."""
    services.facility_deactivate(actor=request.auth, code=code)  # type: ignore[attr-defined]
    return selectors.facility_get(code)


@router.get("/facilities/{code}/referrals", response=list[ReferralOut])
def list_facility_referrals(request: HttpRequest, code: str) -> Any:
    """Referral links from (out) and to (in) the facility."""
    facility, links = selectors.facility_referrals(code, viewer=request.auth)  # type: ignore[attr-defined]
    return [ReferralOut(source=link.source.code, target=link.target.code, specialty=link.specialty,
                        direction="out" if link.source_id == facility.pk else "in") for link in links]


@router.post("/facilities/{code}/referrals", response={201: ReferralOut})
def set_referral(request: HttpRequest, code: str, payload: ReferralIn) -> Any:
    """Refer `specialty` patients from this facility to `target` (idempotent)."""
    services.referral_link_set(actor=request.auth, source_code=code,  # type: ignore[attr-defined]
                               target_code=payload.target, specialty=payload.specialty)
    return Status(201, ReferralOut(source=code, target=payload.target, specialty=payload.specialty,
                                   direction="out"))


@router.delete("/facilities/{code}/referrals/{target}/{specialty}", response={204: None})
def remove_referral(request: HttpRequest, code: str, target: str, specialty: str) -> Any:
    """Remove one referral link."""
    services.referral_link_remove(actor=request.auth, source_code=code, target_code=target,  # type: ignore[attr-defined]
                                  specialty=specialty)
    return Status(204, None)


@router.get("/referral-network", response=NetworkOut)
def get_referral_network(request: HttpRequest, region: str | None = None) -> Any:
    """The referral graph: links touching the region (all when omitted) and the facilities they join."""
    return selectors.referral_network(region, viewer=request.auth)  # type: ignore[attr-defined]
