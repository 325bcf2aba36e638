"""Capacity reporting and the national status picture."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from jedel.accounts.policy import Action, Target
from jedel.accounts.services import require
from jedel.common import clock
from jedel.common.errors import NotFound
from jedel.capacity.models import BedType, ReportSource
from jedel.facilities.models import Capability, FacilityKind
from jedel.capacity.schemas import (
    JSON_CONTENT_TYPE,
    ReportIn,
    ReportOut,
    StatusOut,
    TotalsOut,
    report_out,
    status_json,
    status_out,
    status_parts,
    totals_json,
    totals_parts,
)
from jedel.capacity.selectors import status as selectors
from jedel.capacity.selectors import status_cache
from jedel.capacity.selectors import totals as capacity_totals
from jedel.capacity.services.reports import report_submit
from jedel.capacity.services.report_rules import MAX_COUNT
from jedel.geo.errors import GeoError
from jedel.geo.selectors import region_list

router = Router(tags=["capacity"])
HISTORY_DEFAULT = timedelta(hours=48)


@router.post("/facilities/{code}/reports", response={201: ReportOut})
def submit_report(request: HttpRequest, code: str, data: ReportIn) -> Any:
    facility = selectors.facility_by_code(code)
    report = report_submit(actor=request.auth, facility=facility, data=data.to_input(),  # type: ignore[attr-defined]
                           source=ReportSource.API)
    return Status(201, report_out(selectors.report_get(report.pk), facility_code=code,
                                  current=report.became_current))  # type: ignore[attr-defined]


@router.get("/facilities/{code}/status", response=StatusOut)
def get_facility_status(request: HttpRequest, code: str) -> Any:
    facility = selectors.facility_by_code(code)
    require(request.auth, Action.VIEW_FACILITY, Target(region_id=facility.region_id,  # type: ignore[attr-defined]
                                                       facility_id=facility.pk))
    return status_out(selectors.facility_status(facility, now=clock.utcnow()))


@router.get("/facilities/{code}/reports", response=list[ReportOut])
def list_facility_reports(request: HttpRequest, code: str, since: datetime | None = None,
                          until: datetime | None = None) -> Any:
    facility = selectors.facility_by_code(code)
    require(request.auth, Action.VIEW_FACILITY, Target(region_id=facility.region_id,  # type: ignore[attr-defined]
                                                       facility_id=facility.pk))
    until = until or clock.utcnow()
    history = selectors.facility_history(facility, since=since or until - HISTORY_DEFAULT, until=until)
    return [report_out(r, facility_code=code) for r in history]


@router.get("/status", response=list[StatusOut])
def list_status(request: HttpRequest, region: str | None = None, kind: FacilityKind | None = None,
                capability: Capability | None = None, bed_type: BedType | None = None,
                min_available: int | None = Query(None, ge=0, le=MAX_COUNT), overdue: bool = False) -> Any:
    # Serialised by hand (StatusOut stays in the decorator for the OpenAPI document): ninja passes an
    # HttpResponse through, and validating 1,000 StatusOut objects cost ~1 s per poll.
    require(request.auth, Action.VIEW_BOARD)  # type: ignore[attr-defined]
    query = selectors.StatusQuery(region_iso=region, kind=kind, capability=capability, bed_type=bed_type,
                                  min_available=min_available)
    parts = status_cache.cached("status", query,
                                lambda: status_parts(selectors.status_values_matching(query, detail=False)))
    return HttpResponse(status_json(parts, now=clock.utcnow(), overdue_only=overdue), content_type=JSON_CONTENT_TYPE)


@router.get("/status/regions", response=TotalsOut)
def get_status_totals(request: HttpRequest) -> Any:
    require(request.auth, Action.VIEW_BOARD)  # type: ignore[attr-defined]
    parts = status_cache.cached("totals", None, lambda: totals_parts(capacity_totals.region_totals_base()))
    return HttpResponse(totals_json(parts, now=clock.utcnow()), content_type=JSON_CONTENT_TYPE)


@router.get("/regions/{iso}/overdue", response=list[StatusOut])
def list_region_overdue(request: HttpRequest, iso: str) -> Any:
    region = region_list().defer("boundary").filter(iso_code=iso).first()
    if region is None:
        raise NotFound(GeoError.UNKNOWN_REGION, field="iso")
    require(request.auth, Action.VIEW_BOARD, Target(region_id=region.pk))  # type: ignore[attr-defined]
    return [status_out(r) for r in selectors.overdue_list(region.pk, clock.utcnow())]
