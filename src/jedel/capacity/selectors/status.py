"""Reads of the capacity picture: freshness, each facility's current status, history.

Every read goes through FacilityStatus (one row per facility pointing at its newest report), so the
board's hot query is a join plus one query for bed rows, whatever the length of the history; both fetch plain
values (status_values.py), not model instances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jedel.accounts.policy import Action, Principal
from jedel.accounts.services import require
from jedel.common.errors import NotFound
from jedel.capacity.models import BedType, CapacityReport
from jedel.facilities.models import Facility, FacilityKind
from jedel.capacity.selectors.status_values import (
    BED_TYPE_ORDER,
    FacilityValues,
    StatusQuery,
    status_values,
)

ICU_BED_TYPES = frozenset({BedType.ADULT_ICU.value, BedType.PEDIATRIC_ICU.value, BedType.NEONATAL_ICU.value})


def minutes_since(reported_at: datetime | None, now: datetime) -> int | None:
    """Whole minutes from `reported_at` to `now` (floored, never negative); None if never reported."""
    if reported_at is None:
        return None
    return max(0, int((now - reported_at).total_seconds() // 60))


def is_overdue(reported_at: datetime | None, interval_min: int, now: datetime) -> bool:
    """True when the report is older than the facility's interval; exactly `interval_min` is still on time."""
    if reported_at is None:
        return True
    return now - reported_at > timedelta(minutes=interval_min)


@dataclass(frozen=True)
class BedFigures:
    """One bed type: staffed, occupied and vacant staffed beds, and beds that could be staffed in 24 h."""

    staffed: int | None
    occupied: int | None
    available: int
    surge_24h: int | None = None


@dataclass(frozen=True)
class ReportFigures:
    """Everything one capacity report says, with its beds keyed by EDXL-HAVE bed type."""

    report_id: int
    reported_at: datetime
    received_at: datetime
    source: str
    reporter: str
    ed_status: str
    ed_status_reason: str
    oxygen_status: str
    ventilators_total: int | None
    ventilators_in_use: int | None
    ct_operational: bool | None
    xray_operational: bool | None
    lab_tests_capacity_per_day: int | None
    lab_tests_performed_per_day: int | None
    mci_immediate_per_hour: int | None
    mci_delayed_per_hour: int | None
    mci_minimal_per_hour: int | None
    note: str
    beds: dict[str, BedFigures] = field(default_factory=dict)

    @property
    def available_total(self) -> int:
        return sum(b.available for b in self.beds.values())


@dataclass(frozen=True)
class StatusRow:
    """A facility and its current report (None if it never reported), with freshness at `now`."""

    facility_id: int
    code: str
    name: str
    names: dict[str, str]
    kind: str
    kind_label: str
    region_id: int
    region_iso: str
    region_name: str
    lat: float
    lon: float
    capabilities: tuple[str, ...]
    synthetic: bool
    is_inpatient: bool
    reporting_interval_min: int
    report: ReportFigures | None
    minutes_ago: int | None
    overdue: bool

    @property
    def reported_at(self) -> datetime | None:
        return self.report.reported_at if self.report else None

    @property
    def ed_status(self) -> str | None:
        return self.report.ed_status if self.report else None

    @property
    def beds(self) -> dict[str, BedFigures]:
        return self.report.beds if self.report else {}

    @property
    def available_total(self) -> int:
        return self.report.available_total if self.report else 0

    @property
    def icu_available(self) -> int | None:
        icu = [b.available for t, b in self.beds.items() if t in ICU_BED_TYPES]
        return sum(icu) if icu else None

    @property
    def occupancy_pct(self) -> float | None:
        known = [b for b in self.beds.values() if b.staffed is not None and b.occupied is not None]
        staffed = sum(b.staffed or 0 for b in known)
        return round(100 * sum(b.occupied or 0 for b in known) / staffed, 1) if staffed else None

    @property
    def ventilators_free(self) -> int | None:
        r = self.report
        if r is None or r.ventilators_total is None:
            return None
        return r.ventilators_total - (r.ventilators_in_use or 0)

    @property
    def marker_status(self) -> str:
        """What the map colours: overdue wins over the (stale) ED status; "none" = not expected to report."""
        if self.overdue:
            return "overdue"
        return self.ed_status or "none"


def report_figures(report: CapacityReport) -> ReportFigures:
    """Freeze one report (its `beds` should be prefetched) into a ReportFigures."""
    beds = sorted(report.beds.all(), key=lambda b: BED_TYPE_ORDER.index(b.bed_type)
                  if b.bed_type in BED_TYPE_ORDER else len(BED_TYPE_ORDER))
    return ReportFigures(
        report_id=report.pk, reported_at=report.reported_at, received_at=report.received_at,
        source=report.source, reporter=report.reporter, ed_status=report.ed_status,
        ed_status_reason=report.ed_status_reason, oxygen_status=report.oxygen_status,
        ventilators_total=report.ventilators_total, ventilators_in_use=report.ventilators_in_use,
        ct_operational=report.ct_operational, xray_operational=report.xray_operational,
        lab_tests_capacity_per_day=report.lab_tests_capacity_per_day,
        lab_tests_performed_per_day=report.lab_tests_performed_per_day,
        mci_immediate_per_hour=report.mci_immediate_per_hour, mci_delayed_per_hour=report.mci_delayed_per_hour,
        mci_minimal_per_hour=report.mci_minimal_per_hour, note=report.note,
        beds={b.bed_type: BedFigures(staffed=b.staffed, occupied=b.occupied, available=b.available,
                                     surge_24h=b.surge_24h) for b in beds},
    )


def freshness(reported_at: datetime | None, interval_min: int, is_inpatient: bool,
              now: datetime) -> tuple[int | None, bool]:
    """(minutes_ago, overdue) of a facility's current report at `now`.

    Only inpatient facilities are expected to report capacity: an ambulance station or air base that never
    reports must not sit in every coordinator's overdue list for ever.
    """
    return minutes_since(reported_at, now), is_inpatient and is_overdue(reported_at, interval_min, now)


def _figures(v: FacilityValues) -> ReportFigures | None:
    if v.report is None or v.report_id is None or v.reported_at is None:
        return None
    return ReportFigures(report_id=v.report_id, reported_at=v.reported_at, **v.report,
                         beds={b.bed_type: BedFigures(staffed=b.staffed, occupied=b.occupied, available=b.available,
                                                      surge_24h=b.surge_24h) for b in v.beds})


def _kind_labels() -> dict[str, str]:
    # get_kind_display() per row re-hashes the choices; translate each label once per read instead.
    return {k: str(label) for k, label in FacilityKind.choices}


def _row(v: FacilityValues, now: datetime, kind_labels: dict[str, str]) -> StatusRow:
    is_inpatient = v.is_inpatient
    minutes_ago, overdue = freshness(v.reported_at, v.reporting_interval_min, is_inpatient, now)
    return StatusRow(
        facility_id=v.facility_id, code=v.code, name=v.name, names=v.names, kind=v.kind,
        kind_label=kind_labels.get(v.kind, v.kind), region_id=v.region_id, region_iso=v.region_iso,
        region_name=v.region_name, lat=v.lat, lon=v.lon, capabilities=v.capabilities, synthetic=v.synthetic,
        is_inpatient=is_inpatient, reporting_interval_min=v.reporting_interval_min, report=_figures(v),
        minutes_ago=minutes_ago, overdue=overdue)


def status_rows(*, now: datetime, region_iso: str | None = None, region_id: int | None = None,
                kind: str | None = None, capability: str | None = None, bed_type: str | None = None,
                min_available: int | None = None, overdue_only: bool = False) -> list[StatusRow]:
    """Current status of active facilities matching the filters (no permission check: internal use)."""
    query = StatusQuery(region_iso=region_iso, region_id=region_id, kind=kind, capability=capability,
                        bed_type=bed_type, min_available=min_available)
    labels = _kind_labels()
    rows = [_row(v, now, labels) for v in status_values_matching(query)]
    return [r for r in rows if r.overdue] if overdue_only else rows


def status_values_matching(query: StatusQuery, *, detail: bool = True) -> list[FacilityValues]:
    """`status_values` with the one filter SQL does not apply: total available beds without a bed type."""
    values = status_values(query, detail=detail)
    if query.min_available is not None and not query.bed_type:
        values = [v for v in values
                  if v.report is not None and sum(b.available for b in v.beds) >= query.min_available]
    return values


def current_status_list(*, viewer: Principal | None, now: datetime, region_iso: str | None = None,
                        kind: str | None = None, capability: str | None = None, bed_type: str | None = None,
                        min_available: int | None = None, overdue_only: bool = False) -> list[StatusRow]:
    """The board's table: every active facility's current status the viewer may see, filtered."""
    require(viewer, Action.VIEW_BOARD)
    return status_rows(now=now, region_iso=region_iso, kind=kind, capability=capability, bed_type=bed_type,
                       min_available=min_available, overdue_only=overdue_only)


def facility_by_code(code: str) -> Facility:
    """One facility by its registry code; NotFound (UNKNOWN_FACILITY) otherwise."""
    from jedel.facilities.errors import FacilityError

    facility = Facility.objects.select_related("region").filter(code=code).first()
    if facility is None:
        raise NotFound(FacilityError.UNKNOWN_FACILITY, field="code")
    return facility


def facility_status(facility: Facility, *, now: datetime) -> StatusRow:
    """One facility's current status (works for inactive facilities too)."""
    (values,) = status_values(StatusQuery(), detail=True, queryset=Facility.objects.filter(pk=facility.pk))
    return _row(values, now, _kind_labels())


def facility_history(facility: Facility, *, since: datetime, until: datetime) -> list[ReportFigures]:
    """Reports with `since <= reported_at <= until`, oldest first (backfilled reports included)."""
    reports = (CapacityReport.objects.filter(facility=facility, reported_at__gte=since, reported_at__lte=until)
               .prefetch_related("beds").order_by("reported_at", "id"))
    return [report_figures(r) for r in reports]


def report_get(report_id: int) -> ReportFigures:
    """One stored report by id."""
    return report_figures(CapacityReport.objects.prefetch_related("beds").get(pk=report_id))


def overdue_list(region_id: int, now: datetime) -> list[StatusRow]:
    """Overdue facilities of one region, the longest silent first (never-reported at the top)."""
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
