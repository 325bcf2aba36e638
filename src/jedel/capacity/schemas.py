"""API schemas of capacity reporting and the board.

Input counts are plain ints on purpose: the service rejects negatives with NEGATIVE_COUNT and the exact field
path, the same answer the web form and the EDXL-HAVE import get.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from ninja.renderers import JSONRenderer
from pydantic import AwareDatetime

from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.selectors.status import BedFigures, ReportFigures, StatusRow, freshness
from jedel.capacity.selectors.totals import AreaTotals, RegionBase, national_from, overdue_count
from jedel.capacity.selectors.status_values import FacilityValues


class BedIn(Schema):
    bed_type: str = Field(description="EDXL-HAVE bed type, e.g. AdultICU, MedicalSurgical")
    staffed: int | None = None
    occupied: int | None = None
    available: int | None = Field(None, description="omit to derive staffed − occupied")
    surge_24h: int | None = None


class ReportIn(Schema):
    reported_at: AwareDatetime = Field(description="when the figures were true, with a UTC offset")
    beds: list[BedIn] = Field(default_factory=list, max_length=50)
    ventilators_total: int | None = None
    ventilators_in_use: int | None = None
    oxygen_status: str = "unknown"
    ct_operational: bool | None = None
    xray_operational: bool | None = None
    lab_tests_capacity_per_day: int | None = None
    lab_tests_performed_per_day: int | None = None
    ed_status: str = "open"
    ed_status_reason: str = ""
    mci_immediate_per_hour: int | None = None
    mci_delayed_per_hour: int | None = None
    mci_minimal_per_hour: int | None = None
    note: str = Field("", max_length=4000)

    def to_input(self) -> ReportInput:
        """The shared ReportInput the service validates."""
        fields = self.model_dump(exclude={"beds"})
        return ReportInput(beds=tuple(BedInput(**b.model_dump()) for b in self.beds), **fields)


class BedOut(Schema):
    staffed: int | None
    occupied: int | None
    available: int
    surge_24h: int | None


class FiguresOut(Schema):
    """The figures of one report (also the current status of a facility)."""

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
    beds: dict[str, BedOut]


class ReportOut(FiguresOut):
    id: int
    facility: str
    reported_at: datetime
    received_at: datetime
    source: str
    reporter: str
    note: str
    current: bool | None = Field(None, description="on submit: whether this report became the current status")


class StatusOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    kind: str
    region: str
    lat: float
    lon: float
    capabilities: list[str]
    synthetic: bool
    reporting_interval_min: int
    reported_at: datetime | None
    minutes_ago: int | None
    overdue: bool
    current: FiguresOut | None


class BedTotalsOut(Schema):
    staffed: int
    occupied: int
    available: int
    occupancy_pct: float | None


class AreaTotalsOut(Schema):
    iso: str
    name: str
    facilities: int
    expected: int = Field(description="inpatient facilities, which must report capacity")
    reporting: int
    overdue: int
    on_diversion: int
    closed: int
    staffed: int
    occupied: int
    available: int
    occupancy_pct: float | None
    beds: dict[str, BedTotalsOut]


class TotalsOut(Schema):
    regions: list[AreaTotalsOut]
    national: AreaTotalsOut


def _beds(beds: dict[str, BedFigures]) -> dict[str, BedOut]:
    return {t: BedOut(staffed=b.staffed, occupied=b.occupied, available=b.available, surge_24h=b.surge_24h)
            for t, b in beds.items()}


def _figures(r: ReportFigures) -> dict[str, object]:
    names = FiguresOut.model_fields.keys() - {"beds"}
    return {**{n: getattr(r, n) for n in names}, "beds": _beds(r.beds)}


def report_out(r: ReportFigures, *, facility_code: str, current: bool | None = None) -> ReportOut:
    """Schema of one stored report."""
    return ReportOut(id=r.report_id, facility=facility_code, reported_at=r.reported_at, received_at=r.received_at,
                     source=r.source, reporter=r.reporter, note=r.note, current=current, **_figures(r))


def status_out(row: StatusRow) -> StatusOut:
    """Schema of one facility's current status."""
    return StatusOut(code=row.code, name=row.name, names=row.names, kind=row.kind, region=row.region_iso,
                     lat=row.lat, lon=row.lon, capabilities=list(row.capabilities), synthetic=row.synthetic,
                     reporting_interval_min=row.reporting_interval_min, reported_at=row.reported_at,
                     minutes_ago=row.minutes_ago, overdue=row.overdue,
                     current=FiguresOut(**_figures(row.report)) if row.report else None)


def totals_out(t: AreaTotals) -> AreaTotalsOut:
    """Schema of a region's or the country's totals."""
    return AreaTotalsOut(
        iso=t.iso, name=t.name, facilities=t.facilities, expected=t.expected, reporting=t.reporting, overdue=t.overdue,
        on_diversion=t.on_diversion, closed=t.closed, staffed=t.all_beds.staffed, occupied=t.all_beds.occupied,
        available=t.all_beds.available, occupancy_pct=t.occupancy_pct,
        beds={bt: BedTotalsOut(staffed=b.staffed, occupied=b.occupied, available=b.available,
                               occupancy_pct=b.occupancy_pct) for bt, b in t.beds_ordered()})


# --- The current-status list as JSON without pydantic -------------------------------------------------------
# Validating 1,000 StatusOut objects cost ~1 s per poll (build + ninja's re-validation). The fast path builds
# the same dicts by hand and encodes them with ninja's own renderer settings; tests/facilities/
# test_status_fast_json.py holds it byte for byte to StatusOut, so the contract cannot drift.

_ENCODER = JSONRenderer.encoder_class(**JSONRenderer.json_dumps_params)
JSON_CONTENT_TYPE = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"
_FIGURES = tuple(k for k in FiguresOut.model_fields if k != "beds")


# One facility's StatusOut JSON split around the clock-dependent fields, so it can be cached:
# (head, reported_at, reporting_interval_min, is_inpatient, current) where head is '{"code": ..., "reported_at":
# ...' (the object without its closing brace) and current is the JSON of `current`. A plain tuple, not a
# NamedTuple: the cache unpickles 1,000 of them per poll, four times faster as tuples.
StatusPart = tuple[str, datetime | None, int, bool, str]


def _current(v: FacilityValues) -> dict[str, Any] | None:
    if v.report is None:
        return None
    return {**{n: v.report[n] for n in _FIGURES},
            "beds": {b.bed_type: {"staffed": b.staffed, "occupied": b.occupied, "available": b.available,
                                  "surge_24h": b.surge_24h} for b in v.beds}}


def _head(v: FacilityValues) -> dict[str, Any]:
    # StatusOut's fields before the clock-dependent ones, in its order (the JSON order).
    return {"code": v.code, "name": v.name, "names": v.names, "kind": v.kind, "region": v.region_iso,
            "lat": v.lat, "lon": v.lon, "capabilities": list(v.capabilities), "synthetic": v.synthetic,
            "reporting_interval_min": v.reporting_interval_min, "reported_at": v.reported_at}


def status_dict(v: FacilityValues, *, now: datetime) -> dict[str, Any]:
    """StatusOut as a plain dict (the shape the fast JSON encodes), for tests and one-off callers."""
    minutes_ago, overdue = freshness(v.reported_at, v.reporting_interval_min, v.is_inpatient, now)
    return {**_head(v), "minutes_ago": minutes_ago, "overdue": overdue, "current": _current(v)}


def status_parts(values: list[FacilityValues]) -> list[StatusPart]:
    """The clock-independent JSON of each facility's status (what the status cache holds)."""
    encode = _ENCODER.encode
    return [(encode(_head(v))[:-1], v.reported_at, v.reporting_interval_min, v.is_inpatient, encode(_current(v)))
            for v in values]


def status_json(parts: list[StatusPart], *, now: datetime, overdue_only: bool = False) -> bytes:
    """The JSON array of StatusOut at `now`: minutes_ago and overdue computed exactly, per request."""
    items = []
    for head, reported_at, interval_min, is_inpatient, current in parts:
        minutes_ago, overdue = freshness(reported_at, interval_min, is_inpatient, now)
        if overdue_only and not overdue:
            continue
        items.append(f'{head}, "minutes_ago": {"null" if minutes_ago is None else minutes_ago}, '
                     f'"overdue": {"true" if overdue else "false"}, "current": {current}}}')
    return ("[" + ", ".join(items) + "]").encode(JSONRenderer.charset)


# --- The totals as JSON: TotalsOut dumped once per data change, the clock-dependent counts filled per request.
# (region dict, its inpatient clocks) for each region, then the national dict.
TotalsParts = tuple[list[tuple[dict[str, Any], tuple[tuple[datetime | None, int], ...]]], dict[str, Any]]


def totals_parts(base: list[RegionBase]) -> TotalsParts:
    """The clock-independent TotalsOut, as plain dicts (what the status cache holds)."""
    regions = [(totals_out(b.totals).model_dump(), b.clocks) for b in base]
    return regions, totals_out(national_from([b.totals for b in base])).model_dump()


def totals_json(parts: TotalsParts, *, now: datetime) -> bytes:
    """TotalsOut JSON at `now`: `overdue` and `reporting` of each region and of the country counted exactly."""
    regions, national = parts
    out = []
    for area, clocks in regions:
        overdue = overdue_count(clocks, now)
        out.append({**area, "overdue": overdue, "reporting": area["expected"] - overdue})
    overdue = sum(a["overdue"] for a in out)
    country = {**national, "overdue": overdue, "reporting": national["expected"] - overdue}
    return _ENCODER.encode({"regions": out, "national": country}).encode(JSONRenderer.charset)
