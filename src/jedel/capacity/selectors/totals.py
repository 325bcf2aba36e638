"""Capacity totals per region and for the whole country, from each facility's current report."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from collections.abc import Mapping
from typing import Any, NamedTuple

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.capacity.permissions import VIEW_BOARD
from jedel.capacity.selectors import status_cache
from jedel.capacity.selectors.status_model import BedFigures, StatusRow, freshness
from jedel.capacity.selectors.status_values import BED_TYPE_ORDER, StatusQuery, status_values


@dataclass
class BedTotals:
    """Summed figures of one bed type; occupancy only over beds reported with both staffed and occupied."""

    staffed: int = 0
    occupied: int = 0
    available: int = 0
    _occ_occupied: int = 0
    _occ_staffed: int = 0

    def add(self, b: BedFigures | Mapping[str, Any]) -> None:
        """Count one facility's figures of this bed type (the model, or its JSON-mode dump)."""
        staffed, occupied, available = (
            (b["staffed"], b["occupied"], b["available"]) if isinstance(b, Mapping) else (b.staffed, b.occupied, b.available))
        self.staffed += staffed or 0
        self.occupied += occupied or 0
        self.available += available
        if staffed is not None and occupied is not None:
            self._occ_staffed += staffed
            self._occ_occupied += occupied

    def merge(self, other: BedTotals) -> None:
        """Add another area's totals of this bed type."""
        self.staffed += other.staffed
        self.occupied += other.occupied
        self.available += other.available
        self._occ_staffed += other._occ_staffed
        self._occ_occupied += other._occ_occupied

    @property
    def occupancy_pct(self) -> float | None:
        return round(100 * self._occ_occupied / self._occ_staffed, 1) if self._occ_staffed else None


@dataclass
class AreaTotals:
    """Totals of a region (iso/name set) or of the whole country (iso empty).

    Beds sum each facility's *current* report, overdue or not: dropping a late hospital's beds would make the
    total swing with reporting discipline; `overdue` says how much of the figure is stale.
    """

    iso: str = ""
    name: str = ""
    facilities: int = 0
    expected: int = 0  # inpatient facilities, the ones that must report
    reporting: int = 0
    overdue: int = 0
    on_diversion: int = 0
    closed: int = 0
    all_beds: BedTotals = field(default_factory=BedTotals)
    beds: dict[str, BedTotals] = field(default_factory=dict)

    def add(self, row: StatusRow) -> None:
        """Count one facility's current status (fresh at some `now`)."""
        self.add_clock_free(row)
        self.overdue += row.overdue
        self.reporting += row.is_inpatient and not row.overdue

    def add_clock_free(self, row: StatusRow) -> None:
        """Count one facility's current report, except `overdue`/`reporting` (they depend on the clock)."""
        self._count(row.is_inpatient, row.ed_status, row.beds)

    def add_dump(self, dump: Mapping[str, Any]) -> None:
        """`add_clock_free` of a cached JSON-mode dump of the status model."""
        current = dump["current"]
        self._count(dump["is_inpatient"], current["ed_status"] if current else None,
                    current["beds"] if current else {})

    def _count(self, is_inpatient: bool, ed_status: str | None,
               beds: Mapping[str, BedFigures] | Mapping[str, Mapping[str, Any]]) -> None:
        self.facilities += 1
        self.expected += is_inpatient
        self.on_diversion += ed_status == "diversion"
        self.closed += ed_status == "closed"
        for bed_type, figures in beds.items():
            self.beds.setdefault(bed_type, BedTotals()).add(figures)
            self.all_beds.add(figures)

    def merge(self, other: AreaTotals) -> None:
        """Add another area's totals (regions into the nation)."""
        for name in ("facilities", "expected", "reporting", "overdue", "on_diversion", "closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.all_beds.merge(other.all_beds)
        for bed_type, totals in other.beds.items():
            self.beds.setdefault(bed_type, BedTotals()).merge(totals)

    @property
    def occupancy_pct(self) -> float | None:
        return self.all_beds.occupancy_pct

    def beds_ordered(self) -> list[tuple[str, BedTotals]]:
        """Bed types in board order (critical care first), only those reported."""
        return [(bt, self.beds[bt]) for bt in BED_TYPE_ORDER if bt in self.beds]


class RegionBase(NamedTuple):
    """A region's totals without the clock: `overdue`/`reporting` are left at 0, and `clocks` holds
    (reported_at, reporting_interval_min) of each inpatient facility so `region_totals_at` can count them."""

    totals: AreaTotals
    clocks: tuple[tuple[datetime | None, int], ...]


def region_totals_base() -> list[RegionBase]:
    """The clock-independent part of `region_totals` (cacheable until the data change); 3 queries."""
    from jedel.geo.selectors import region_list

    by_iso = {r.iso_code: AreaTotals(iso=r.iso_code, name=r.name) for r in region_list().defer("boundary")}
    clocks: dict[str, list[tuple[datetime | None, int]]] = {}
    for row in status_values(StatusQuery()):
        by_iso.setdefault(row.region, AreaTotals(iso=row.region, name=row.region_name)).add_clock_free(row)
        if row.is_inpatient:
            clocks.setdefault(row.region, []).append((row.reported_at, row.reporting_interval_min))
    return [RegionBase(t, tuple(clocks.get(iso, ()))) for iso, t in by_iso.items()]


def region_totals_cached(*, viewer: Principal | None) -> list[RegionBase]:
    """`region_totals_base` for a person, summed from the per-facility status cache (complete it with
    `region_totals_at`): after one report only that facility is re-read."""
    require(viewer, VIEW_BOARD)
    from jedel.geo.selectors import region_list

    by_iso = {r.iso_code: AreaTotals(iso=r.iso_code, name=r.name) for r in region_list().defer("boundary")}
    clocks: dict[str, list[tuple[datetime | None, int]]] = {}
    for d in status_cache.current_dumps(StatusQuery()):
        by_iso.setdefault(d["region"], AreaTotals(iso=d["region"], name=d["region_name"])).add_dump(d)
        if d["is_inpatient"]:
            reported_at = datetime.fromisoformat(d["reported_at"]) if d["reported_at"] else None
            clocks.setdefault(d["region"], []).append((reported_at, d["reporting_interval_min"]))
    return [RegionBase(t, tuple(clocks.get(iso, ()))) for iso, t in by_iso.items()]


def overdue_count(clocks: tuple[tuple[datetime | None, int], ...], now: datetime) -> int:
    """How many of these inpatient facilities (reported_at, interval) are overdue at `now`."""
    return sum(freshness(reported_at, interval, True, now)[1] for reported_at, interval in clocks)


def region_totals_at(base: list[RegionBase], now: datetime) -> list[AreaTotals]:
    """Complete the base with who is overdue at `now` (new objects: a cached base is never modified)."""
    out = []
    for totals, clocks in base:
        overdue = overdue_count(clocks, now)
        out.append(replace(totals, overdue=overdue, reporting=totals.expected - overdue))
    return out


def region_totals(now: datetime) -> list[AreaTotals]:
    """Totals for each of the 20 first-level units (units without facilities included, all zero)."""
    return region_totals_at(region_totals_base(), now)


def national_from(regions: list[AreaTotals]) -> AreaTotals:
    """Country totals: the sum of the regions' totals."""
    total = AreaTotals()
    for region in regions:
        total.merge(region)
    return total


def national_totals(now: datetime, *, regions: list[AreaTotals] | None = None) -> AreaTotals:
    """Country totals; pass the `region_totals` already computed to avoid reading twice."""
    return national_from(regions if regions is not None else region_totals(now))
