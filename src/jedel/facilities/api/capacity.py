"""Capacity reporting and the national status picture."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from jedel.accounts.policy import Action, Target
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import NotFound
from jedel.facilities.models import BedType, Capability, FacilityKind, ReportSource
from jedel.facilities.schemas.capacity import (
    ReportIn,
    ReportOut,
    StatusOut,
    TotalsOut,
    report_out,
    status_out,
    totals_out,
)
from jedel.facilities.selectors import capacity as selectors
from jedel.facilities.services.capacity import report_submit
from jedel.facilities.services.capacity_rules import MAX_COUNT
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
    return status_out(selectors.facility_status(facility, now=utcnow()))


@router.get("/facilities/{code}/reports", response=list[ReportOut])
def list_facility_reports(request: HttpRequest, code: str, since: datetime | None = None,
                          until: datetime | None = None) -> Any:
    facility = selectors.facility_by_code(code)
    require(request.auth, Action.VIEW_FACILITY, Target(region_id=facility.region_id,  # type: ignore[attr-defined]
                                                       facility_id=facility.pk))
    until = until or utcnow()
    history = selectors.facility_history(facility, since=since or until - HISTORY_DEFAULT, until=until)
    return [report_out(r, facility_code=code) for r in history]


@router.get("/status", response=list[StatusOut])
def list_status(request: HttpRequest, region: str | None = None, kind: FacilityKind | None = None,
                capability: Capability | None = None, bed_type: BedType | None = None,
                min_available: int | None = Query(None, ge=0, le=MAX_COUNT), overdue: bool = False) -> Any:
    rows = selectors.current_status_list(
        viewer=request.auth, now=utcnow(), region_iso=region, kind=kind, capability=capability,  # type: ignore[attr-defined]
        bed_type=bed_type, min_available=min_available, overdue_only=overdue)
    return [status_out(r) for r in rows]


@router.get("/status/regions", response=TotalsOut)
def get_status_totals(request: HttpRequest) -> Any:
    require(request.auth, Action.VIEW_BOARD)  # type: ignore[attr-defined]
    regions = selectors.region_totals(utcnow())
    national = selectors.national_totals(utcnow(), regions=regions)
    return TotalsOut(regions=[totals_out(t) for t in regions], national=totals_out(national))


@router.get("/regions/{iso}/overdue", response=list[StatusOut])
def list_region_overdue(request: HttpRequest, iso: str) -> Any:
    region = region_list().defer("boundary").filter(iso_code=iso).first()
    if region is None:
        raise NotFound(GeoError.UNKNOWN_REGION, field="iso")
    require(request.auth, Action.VIEW_BOARD, Target(region_id=region.pk))  # type: ignore[attr-defined]
    return [status_out(r) for r in selectors.overdue_list(region.pk, utcnow())]
