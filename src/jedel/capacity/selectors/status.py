"""Reads of the capacity picture: each facility's current status, history, the overdue list.

Every read goes through FacilityStatus (one row per facility pointing at its newest report), so the
board's hot query is a join plus one query for bed rows, whatever the length of the history; both fetch plain
values (status_values.py) into the one status model (status_model.py).

Permission: a read for a person passes `viewer` and is checked here (VIEW_BOARD for the national picture,
VIEW_FACILITY for one facility's page and history); internal callers (exporters, engines) that already
decided pass none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.capacity.models import CapacityReport
from jedel.capacity.permissions import REPORT_CAPACITY, VIEW_BOARD
from jedel.capacity.selectors import status_cache
from jedel.capacity.selectors.status_model import (
    ICU_BED_TYPES,
    BedFigures,
    ReportFigures,
    StatusRow,
    freshness,
    is_overdue,
    minutes_since,
)
from jedel.capacity.selectors.status_values import BED_TYPE_ORDER, StatusQuery, status_values
from jedel.common.errors import NotFound
from jedel.facilities.models import Facility
from jedel.facilities.permissions import VIEW_FACILITY

__all__ = ["ICU_BED_TYPES", "BedFigures", "ReportFigures", "StatusQuery", "StatusRow", "freshness", "is_overdue",
           "minutes_since", "current_status_list", "facility_by_code", "facility_for_reporting", "facility_history", "facility_status",
           "overdue_list", "report_figures", "report_get", "status_dumps", "status_rows"]


def report_figures(report: CapacityReport) -> ReportFigures:
    """One stored report (its `beds` should be prefetched) as the status model's ReportFigures."""
    beds = sorted(report.beds.all(), key=lambda b: BED_TYPE_ORDER.index(b.bed_type)
                  if b.bed_type in BED_TYPE_ORDER else len(BED_TYPE_ORDER))
    return ReportFigures.model_validate({
        **{n: getattr(report, n) for n in ReportFigures.model_fields if n not in {"report_id", "beds"}},
        "report_id": report.pk,
        "beds": {b.bed_type: BedFigures(staffed=b.staffed, occupied=b.occupied, available=b.available,
                                        surge_24h=b.surge_24h) for b in beds},
    })


def status_rows(*, now: datetime, region_iso: str | None = None, region_id: int | None = None,
                kind: str | None = None, capability: str | None = None, bed_type: str | None = None,
                min_available: int | None = None, overdue_only: bool = False,
                detail: bool = False) -> list[StatusRow]:
    """Current status of active facilities matching the filters at `now` (no permission check: internal use).

    `detail` adds each report's receipt time, source, reporter and note (exports need them, the board not).
    """
    query = StatusQuery(region_iso=region_iso, region_id=region_id, kind=kind, capability=capability,
                        bed_type=bed_type, min_available=min_available)
    rows = [r.at(now) for r in status_values_matching(query, detail=detail)]
    return [r for r in rows if r.overdue] if overdue_only else rows


def status_values_matching(query: StatusQuery, *, detail: bool = False) -> list[StatusRow]:
    """`status_values` with the one filter SQL does not apply: total available beds without a bed type."""
    rows = status_values(query, detail=detail)
    if query.min_available is not None and not query.bed_type:
        rows = [r for r in rows if r.current is not None and r.current.available_total >= query.min_available]
    return rows


def current_status_list(*, viewer: Principal | None, now: datetime, region_iso: str | None = None,
                        kind: str | None = None, capability: str | None = None, bed_type: str | None = None,
                        min_available: int | None = None, overdue_only: bool = False) -> list[StatusRow]:
    """The board's table: every active facility's current status the viewer may see, filtered."""
    require(viewer, VIEW_BOARD)
    return status_rows(now=now, region_iso=region_iso, kind=kind, capability=capability, bed_type=bed_type,
                       min_available=min_available, overdue_only=overdue_only)


def status_dumps(*, viewer: Principal | None, query: StatusQuery) -> list[dict[str, Any]]:
    """Clock-free JSON-mode dumps of the matching statuses, from the status cache (`with_freshness` per use)."""
    require(viewer, VIEW_BOARD)
    return status_cache.current_dumps(query)


def facility_by_code(code: str) -> Facility:
    """One facility by its registry code; NotFound (UNKNOWN_FACILITY) otherwise."""
    from jedel.facilities.errors import FacilityError

    facility = None if "\x00" in code else Facility.objects.select_related("region").filter(code=code).first()
    if facility is None:
        raise NotFound(FacilityError.UNKNOWN_FACILITY, field="code")
    return facility


def facility_status(facility: Facility, *, now: datetime, viewer: Principal | None = None) -> StatusRow:
    """One facility's current status (works for inactive facilities too)."""
    if viewer is not None:
        require(viewer, VIEW_FACILITY, facility)
    (row,) = status_values(StatusQuery(), detail=True, queryset=Facility.objects.filter(pk=facility.pk))
    return row.at(now)


def facility_for_reporting(facility: Facility, *, now: datetime, viewer: Principal | None) -> StatusRow:
    """The current status that prefills a facility's report form, for someone allowed to report for it."""
    require(viewer, REPORT_CAPACITY, facility, object_type="facility", object_id=facility.code)
    return facility_status(facility, now=now)


def facility_history(facility: Facility, *, since: datetime, until: datetime,
                     viewer: Principal | None = None) -> list[ReportFigures]:
    """Reports with `since <= reported_at <= until`, oldest first (backfilled reports included)."""
    if viewer is not None:
        require(viewer, VIEW_FACILITY, facility)
    reports = (CapacityReport.objects.filter(facility=facility, reported_at__gte=since, reported_at__lte=until)
               .prefetch_related("beds").order_by("reported_at", "id"))
    return [report_figures(r) for r in reports]


def report_get(report_id: int) -> ReportFigures:
    """One stored report by id."""
    return report_figures(CapacityReport.objects.prefetch_related("beds").get(pk=report_id))


def overdue_list(region_id: int, now: datetime, *, viewer: Principal | None = None) -> list[StatusRow]:
    """Overdue facilities of one region, the longest silent first (never-reported at the top)."""
    if viewer is not None:
        require(viewer, VIEW_BOARD, Target(region_id=region_id))
    rows = status_rows(now=now, region_id=region_id, overdue_only=True)
    return sorted(rows, key=lambda r: (r.minutes_ago is not None, -(r.minutes_ago or 0), r.code))


_TOTALS = frozenset({"AreaTotals", "BedTotals", "region_totals", "national_totals"})


def __getattr__(name: str) -> object:
    # Totals live in totals.py (file size); served from here lazily so either module can be
    # imported first without a circular-import failure.
    if name in _TOTALS:
        from jedel.capacity.selectors import totals

        return getattr(totals, name)
    raise AttributeError(name)
