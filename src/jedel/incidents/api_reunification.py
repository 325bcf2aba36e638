"""Family reunification search, tracking exports (FHIR R4, CSV) and tag sheets (PDF) over HTTP."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from jedel.common.ids import NO_NUL
from jedel.incidents.schemas import AgeBandName, IncidentId, SexName
from jedel.incidents.schemas_reunification import FoundOut
from jedel.incidents.services.exports import ExportFile, tag_sheet_print, tracking_export
from jedel.incidents.services.reunification import SearchQuery, casualty_search

router = Router(tags=["incidents"])


class SearchIn(Schema):
    name: str = Field("", max_length=200, pattern=NO_NUL, description="any spelling: case, ё/е, Cyrillic or Latin")
    description: str = Field("", max_length=200, pattern=NO_NUL)
    tag: str = Field("", max_length=32, pattern=r"^[A-Za-z0-9_.-]*$")
    age_band: AgeBandName | Literal[""] = ""
    sex: SexName | Literal[""] = ""
    exercise: bool = Field(False, description="search exercises instead of real incidents (never both)")


class TagSheetIn(Schema):
    prefix: str = Field("T", max_length=8, pattern=r"^[A-Za-z0-9]*$")
    start: int = Field(1, ge=1, le=99_999)
    count: int = Field(24, ge=1, le=480)
    reprint: bool = Field(False, description="the range replaces damaged or lost sheets (else a range printed "
                                             "before is refused: 409 tag_range_printed)")


def _file(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@router.get("/casualties/search", response=list[FoundOut])
def search_casualties(request: HttpRequest, query: Query[SearchIn]) -> Any:
    """Find casualties across incidents (family reunification); `location` is null unless the caller may see it.
    Audited."""
    hits = casualty_search(viewer=request.auth, query=SearchQuery(**query.dict()))  # type: ignore[attr-defined]
    return [FoundOut.of(h) for h in hits]


@router.get("/incidents/{incident_id}/export.fhir.json")
def export_incident_fhir(request: HttpRequest, incident_id: IncidentId) -> HttpResponse:
    """The incident's casualties as a FHIR R4 Bundle: Patient + Encounter with location history. Audited."""
    return _file(tracking_export(actor=request.auth, fmt="fhir", incident_ids=[incident_id]))  # type: ignore[attr-defined]


@router.get("/incidents/{incident_id}/export.csv")
def export_incident_csv(request: HttpRequest, incident_id: IncidentId) -> HttpResponse:
    """The incident's casualty tracking as CSV, one row per status or location change. Audited."""
    return _file(tracking_export(actor=request.auth, fmt="csv", incident_ids=[incident_id]))  # type: ignore[attr-defined]


@router.get("/incidents/{incident_id}/tags.pdf")
def print_incident_tags(request: HttpRequest, incident_id: IncidentId, query: Query[TagSheetIn]) -> HttpResponse:
    """A printable PDF of pre-numbered triage tags with QR codes (24 to an A4 page). Each range is printed once."""
    return _file(tag_sheet_print(actor=request.auth, incident_id=incident_id, prefix=query.prefix,  # type: ignore[attr-defined]
                                 start=query.start, count=query.count, reprint=query.reprint))
