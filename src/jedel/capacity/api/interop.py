"""Interop endpoints: EDXL-HAVE 1.0 export/import and FHIR R4 (SANER-style) MeasureReport export."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from jedel.capacity.interop.edxl_have import edxl_have_export
from jedel.capacity.interop.edxl_have_import import edxl_have_import
from jedel.capacity.interop.saner import saner_export_chunks

router = Router(tags=["interop"])

_XML_RESPONSE = {"responses": {200: {"description": "EDXL-HAVE 1.0 HospitalStatus",
                                     "content": {"application/xml": {"schema": {"type": "string"}}}}}}
_XML_BODY = {"requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}}


class EdxlImportOut(Schema):
    imported: int
    facilities: list[str]
    report_ids: list[int]
    ignored: list[str]
    already_imported: list[str] = Field(description="facilities whose statement in this message was stored "
                                                    "before (a re-imported message): nothing new stored")
    skipped: list[str] = Field(description="dialect=sahana: hospitals Jedel does not know, not imported")


@router.get("/export/edxl-have.xml", openapi_extra=_XML_RESPONSE)
def export_edxl_have(request: HttpRequest, region: str | None = None,
                     dialect: Literal["standard", "sahana"] = "standard",
                     lang: Literal["en", "ru", "kk"] | None = None) -> HttpResponse:
    """Current status as an OASIS EDXL-HAVE 1.0 HospitalStatus document (optionally one region).

    `dialect=sahana` writes what Sahana Eden's importer reads (not schema-valid); `lang` picks the one
    organisation name per hospital (default: the request's language)."""
    body = edxl_have_export(actor=request.auth, region_iso=region, dialect=dialect,  # type: ignore[attr-defined]
                            lang=lang or (get_language() or "en")[:2])
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@router.get("/export/saner.json", response=dict[str, Any])
def export_saner(request: HttpRequest, region: str | None = None,
                 scope: Literal["facility", "region"] = "facility") -> StreamingHttpResponse:
    """FHIR R4 Bundle of SANER-style bed-capacity MeasureReports, one per facility or per region."""
    # Streamed one MeasureReport at a time (the national bundle is ~5 MB); checks and reads come first.
    chunks = saner_export_chunks(actor=request.auth, region_iso=region, scope=scope)  # type: ignore[attr-defined]
    return StreamingHttpResponse(chunks, content_type="application/fhir+json; charset=utf-8")


@router.post("/import/edxl-have", response={200: EdxlImportOut}, openapi_extra=_XML_BODY)
def import_edxl_have(request: HttpRequest, dialect: Literal["standard", "sahana"] = "standard",
                     strict: bool = False) -> Any:
    """Store an EDXL-HAVE 1.0 status message (bare or in EDXL-DE 1.0), all or nothing; 422 lists errors.

    `dialect=sahana` also reads what Sahana Eden's exporter writes and skips unknown hospitals (listed in
    `skipped`) unless `strict`. Re-importing a message stores nothing new (`already_imported`)."""
    try:
        body = request.body
    except RequestDataTooBig:
        raise HttpError(413, _("The message is larger than the server accepts.")) from None
    result = edxl_have_import(actor=request.auth, data=body, dialect=dialect, strict=strict)  # type: ignore[attr-defined]
    return EdxlImportOut(imported=len(result.reports), report_ids=[r.pk for r in result.reports],
                         facilities=[r.facility.code for r in result.reports], ignored=list(result.ignored),
                         already_imported=[r.facility.code for r in result.duplicates], skipped=list(result.skipped))

