"""API schemas of capacity reporting and the board.

Input counts are strict ints (a string "5" or `true` is refused: a client that sends them has a bug worth
seeing) whose range and enums are stated in the OpenAPI document but checked by the service, which rejects
negatives with NEGATIVE_COUNT and the exact field path, the same answer the web form and the EDXL-HAVE import
get.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.renderers import JSONRenderer
from pydantic import StrictBool, StrictInt, WithJsonSchema

from jedel.capacity.models import BedType, EdStatus, FacilityOperation, OxygenStatus, SecurityStatus, Staffing
from jedel.capacity.operational import OperationalInput
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.report_rules import MAX_COUNT, REASON_MAX_LENGTH
from jedel.common.moments import ApiDatetime
from jedel.capacity.selectors.status_model import ReportFigures
from jedel.capacity.selectors.totals import AreaTotals, RegionBase, national_from, overdue_count


Count = Annotated[StrictInt, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_COUNT})]


def _enum(choices: list[str], description: str) -> Any:
    return WithJsonSchema({"type": "string", "enum": choices, "description": description})


class BedIn(Schema):
    bed_type: Annotated[str, _enum(list(BedType.values), "EDXL-HAVE bed type")]
    staffed: Count | None = None
    occupied: Count | None = None
    available: Count | None = Field(None, description="omit to derive staffed − occupied")
    surge_24h: Count | None = None


class ReportIn(Schema):
    """At least one figure (a bed type, a count, equipment, oxygen, or a non-open ED status) is required."""

    reported_at: ApiDatetime = Field(description="when the figures were true, with a UTC offset, from 2000 on")
    beds: list[BedIn] = Field(default_factory=list, max_length=50)
    ventilators_total: Count | None = None
    ventilators_in_use: Count | None = None
    oxygen_status: Annotated[str, _enum(list(OxygenStatus.values), "oxygen supply")] = "unknown"
    ct_operational: StrictBool | None = None
    xray_operational: StrictBool | None = None
    lab_tests_capacity_per_day: Count | None = None
    lab_tests_performed_per_day: Count | None = None
    ed_status: Annotated[str, _enum(list(EdStatus.values), "emergency department; diversion and closed need a "
                                                          "reason")] = "open"
    ed_status_reason: str = Field("", json_schema_extra={"maxLength": REASON_MAX_LENGTH})
    mci_immediate_per_hour: Count | None = None
    mci_delayed_per_hour: Count | None = None
    mci_minimal_per_hour: Count | None = None
    note: str = Field("", max_length=4000)
    # Operational status (EDXL-HAVE HospitalFacilityStatus / HospitalResourcesStatus); "" / null = not reported.
    facility_status: Annotated[str, _enum(["", *FacilityOperation.values], "can the building be used; "
                                                                         "empty = not reported")] = ""
    security_status: Annotated[str, _enum(["", *SecurityStatus.values], "security posture; empty = not "
                                                                       "reported")] = ""
    staffing: Annotated[str, _enum(["", *Staffing.values], "staffing; empty = not reported")] = ""
    admissions_24h: Count | None = None
    discharges_24h: Count | None = None
    deaths_24h: Count | None = None

    def to_input(self) -> ReportInput:
        """The shared ReportInput the service validates."""
        fields = self.model_dump(exclude={"beds"})
        return ReportInput(beds=tuple(BedInput(**b.model_dump()) for b in self.beds), **fields)


class ConfirmIn(Schema):
    """A "nothing changed" confirmation: the previous report's figures carried forward, confirmed at a time."""

    reported_at: ApiDatetime | None = Field(None, description="when the figures were confirmed, with a UTC "
                                                              "offset; default: now")


class ReportOut(ReportFigures):
    """One stored report: the status model's figures and operational status, with the facility and, on submit,
    whether it is current."""

    facility: str
    current: bool | None = Field(None, description="on submit: whether this report became the current status")
    facility_status: str = Field("", description="EDXL-HAVE FacilityStatus; empty = not reported")
    security_status: str = Field("", description="EDXL-HAVE SecurityStatus; empty = not reported")
    staffing: str = Field("", description="EDXL-HAVE Staffing; empty = not reported")
    admissions_24h: int | None = None
    discharges_24h: int | None = None
    deaths_24h: int | None = None


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


def report_out(r: ReportFigures, *, facility_code: str, current: bool | None = None,
               operational: OperationalInput | None = None) -> ReportOut:
    """Schema of one stored report (with its operational status, read apart: operational_by_report)."""
    return ReportOut(**dict(r), **asdict(operational or OperationalInput()), facility=facility_code,
                     current=current)


def totals_out(t: AreaTotals) -> AreaTotalsOut:
    """Schema of a region's or the country's totals."""
    return AreaTotalsOut(
        iso=t.iso, name=t.name, facilities=t.facilities, expected=t.expected, reporting=t.reporting, overdue=t.overdue,
        on_diversion=t.on_diversion, closed=t.closed, staffed=t.all_beds.staffed, occupied=t.all_beds.occupied,
        available=t.all_beds.available, occupancy_pct=t.occupancy_pct,
        beds={bt: BedTotalsOut(staffed=b.staffed, occupied=b.occupied, available=b.available,
                               occupancy_pct=b.occupancy_pct) for bt, b in t.beds_ordered()})


_ENCODER = JSONRenderer.encoder_class(**JSONRenderer.json_dumps_params)
JSON_CONTENT_TYPE = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


# --- The totals as JSON: TotalsOut dumped once per data change, the clock-dependent counts filled per request.
# (region dict, its inpatient clocks) for each region, then the national dict.
TotalsParts = tuple[list[tuple[dict[str, Any], tuple[tuple[datetime | None, int], ...]]], dict[str, Any]]


def totals_parts(base: list[RegionBase]) -> TotalsParts:
    """The clock-independent TotalsOut, as plain dicts."""
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
