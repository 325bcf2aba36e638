"""Interop endpoints: EDXL-HAVE 1.0 export/import and FHIR R4 (SANER-style) MeasureReport export."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from jedel.capacity.interop.edxl_have import edxl_have_export
from jedel.capacity.interop.edxl_have_import import edxl_have_import
from jedel.capacity.interop.saner import saner_export

router = Router(tags=["interop"])

_XML_RESPONSE = {"responses": {200: {"description": "EDXL-HAVE 1.0 HospitalStatus",
                                     "content": {"application/xml": {"schema": {"type": "string"}}}}}}
_XML_BODY = {"requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}}


class EdxlImportOut(Schema):
    imported: int
    facilities: list[str]
    report_ids: list[int]
    ignored: list[str]


@router.get("/export/edxl-have.xml", openapi_extra=_XML_RESPONSE)
def export_edxl_have(request: HttpRequest, region: str | None = None) -> HttpResponse:
    """Current status as an OASIS EDXL-HAVE 1.0 HospitalStatus document (optionally one region)."""
    body = edxl_have_export(actor=request.auth, region_iso=region)  # type: ignore[attr-defined]
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@router.get("/export/saner.json", response=dict[str, Any])
def export_saner(request: HttpRequest, region: str | None = None,
                 scope: Literal["facility", "region"] = "facility") -> HttpResponse:
    """FHIR R4 Bundle of SANER-style bed-capacity MeasureReports, one per facility or per region."""
    bundle = saner_export(actor=request.auth, region_iso=region, scope=scope)  # type: ignore[attr-defined]
    return HttpResponse(json.dumps(bundle, ensure_ascii=False), content_type="application/fhir+json; charset=utf-8")


@router.post("/import/edxl-have", response={200: EdxlImportOut}, openapi_extra=_XML_BODY)
def import_edxl_have(request: HttpRequest) -> Any:
    """Store an EDXL-HAVE 1.0 status message (bare or in EDXL-DE 1.0), all or nothing; 422 lists errors."""
    try:
        body = request.body
    except RequestDataTooBig:
        raise HttpError(413, _("The message is larger than the server accepts.")) from None
    result = edxl_have_import(actor=request.auth, data=body)  # type: ignore[attr-defined]
    return EdxlImportOut(imported=len(result.reports), report_ids=[r.pk for r in result.reports],
                         facilities=[r.facility.code for r in result.reports], ignored=list(result.ignored))

