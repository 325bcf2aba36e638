"""Capacity reporting and the national status picture."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from jedel.capacity.models import BedType, ReportSource
from jedel.capacity.schemas import (
    JSON_CONTENT_TYPE,
    ConfirmIn,
    ReportIn,
    ReportOut,
    TotalsOut,
    report_out,
    totals_json,
    totals_parts,
)
from jedel.capacity.selectors import status as selectors
from jedel.capacity.selectors.status_model import StatusRow, dumps_json, with_freshness
from jedel.capacity.selectors.totals import region_totals_cached
from jedel.capacity.services.report_rules import MAX_COUNT
from jedel.capacity.selectors.operational import operational_by_report
from jedel.capacity.services.reports import report_confirm, report_submit
from jedel.common import clock
from jedel.common.errors import NotFound
from jedel.common.moments import ApiDatetime
from jedel.facilities.models import Capability, FacilityKind
from jedel.geo.errors import GeoError
from jedel.geo.selectors import region_list

router = Router(tags=["capacity"])
HISTORY_DEFAULT = timedelta(hours=48)


def _json(data: object) -> HttpResponse:
    return HttpResponse(dumps_json(data), content_type=JSON_CONTENT_TYPE)


@router.post("/facilities/{code}/reports", response={201: ReportOut})
def submit_report(request: HttpRequest, code: str, data: ReportIn) -> Any:
    facility = selectors.facility_by_code(code)
    report = report_submit(actor=request.auth, facility=facility, data=data.to_input(),  # type: ignore[attr-defined]
                           source=ReportSource.API)
    return Status(201, _stored_out(report, code))


@router.post("/facilities/{code}/reports/confirm", response={201: ReportOut})
def confirm_report(request: HttpRequest, code: str, data: ConfirmIn) -> Any:
    """"Nothing changed": a new report carrying the previous figures forward (`{}` confirms them now); 422
    nothing_to_confirm without a previous report. On time for the overdue alarm; the same permission and
    Idempotency-Key as submitting a report."""
    facility = selectors.facility_by_code(code)
    report = report_confirm(actor=request.auth, facility=facility, source=ReportSource.API,  # type: ignore[attr-defined]
                            reported_at=data.reported_at)
    return Status(201, _stored_out(report, code))


def _stored_out(report: Any, code: str) -> ReportOut:
    return report_out(selectors.report_get(report.pk), facility_code=code, current=report.became_current,
                      operational=operational_by_report([report.pk]).get(report.pk))


@router.get("/facilities/{code}/status", response=StatusRow)
def get_facility_status(request: HttpRequest, code: str) -> Any:
    facility = selectors.facility_by_code(code)
    row = selectors.facility_status(facility, now=clock.utcnow(), viewer=request.auth)  # type: ignore[attr-defined]
    return _json(row.model_dump(mode="json"))


@router.get("/facilities/{code}/reports", response=list[ReportOut])
def list_facility_reports(request: HttpRequest, code: str, since: ApiDatetime | None = None,
                          until: ApiDatetime | None = None) -> Any:
    """Reports of one facility received in [since, until] (default: the last 48 hours)."""
    facility = selectors.facility_by_code(code)
    until = until or clock.utcnow()
    history = selectors.facility_history(facility, since=since or until - HISTORY_DEFAULT, until=until,
                                         viewer=request.auth)  # type: ignore[attr-defined]
    operational = operational_by_report(r.report_id for r in history)
    return [report_out(r, facility_code=code, operational=operational.get(r.report_id)) for r in history]


@router.get("/status", response=list[StatusRow])
def list_status(request: HttpRequest, region: str | None = None, kind: FacilityKind | None = None,
                capability: Capability | None = None, bed_type: BedType | None = None,
                min_available: int | None = Query(None, ge=0, le=MAX_COUNT), overdue: bool = False) -> Any:
    """Every active facility's current status; served from the status cache, freshness exact per request."""
    query = selectors.StatusQuery(region_iso=region, kind=kind, capability=capability, bed_type=bed_type,
                                  min_available=min_available)
    dumps = selectors.status_dumps(viewer=request.auth, query=query)  # type: ignore[attr-defined]
    now = clock.utcnow()
    rows = [with_freshness(d, now) for d in dumps]
    return _json([r for r in rows if r["overdue"]] if overdue else rows)


@router.get("/status/regions", response=TotalsOut)
def get_status_totals(request: HttpRequest) -> Any:
    base = region_totals_cached(viewer=request.auth)  # type: ignore[attr-defined]
    return HttpResponse(totals_json(totals_parts(base), now=clock.utcnow()), content_type=JSON_CONTENT_TYPE)


@router.get("/regions/{iso}/overdue", response=list[StatusRow])
def list_region_overdue(request: HttpRequest, iso: str) -> Any:
    region = region_list().defer("boundary").filter(iso_code=iso).first()
    if region is None:
        raise NotFound(GeoError.UNKNOWN_REGION, field="iso")
    rows = selectors.overdue_list(region.pk, clock.utcnow(), viewer=request.auth)  # type: ignore[attr-defined]
    return _json([r.model_dump(mode="json") for r in rows])
