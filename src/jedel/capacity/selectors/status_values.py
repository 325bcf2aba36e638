"""Current status read as plain values: one query for the facilities with their current report, one for beds.

Why: building Facility, CapacityReport and BedCapacity instances for 1,000 facilities cost ~250 ms per board
poll; plain rows from `.values()` cost a fraction of that, and carry only the columns a reader needs (never the
region boundary). Every current-status reader (board, API, totals, interop) goes through `status_values`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils.translation import get_language

from jedel.capacity.models import BedCapacity, BedType
from jedel.facilities.models import Capability, Facility
from jedel.facilities.models import INPATIENT_KINDS

# Board order of bed types: critical care first, as coordinators read it.
BED_TYPE_ORDER: tuple[str, ...] = tuple(bt.value for bt in BedType)
_BED_RANK = {bt: i for i, bt in enumerate(BED_TYPE_ORDER)}

_FACILITY_FIELDS = ("id", "code", "name_en", "name_kk", "name_ru", "kind", "region_id", "region__iso_code",
                    "region__name_en", "region__name_kk", "region__name_ru", "lat", "lon", "synthetic",
                    "reporting_interval_min", *(f"has_{c}" for c in Capability.values))
_FIRST_CAPABILITY = len(_FACILITY_FIELDS) - len(Capability.values)
# The figures a current-status reader shows; `detail` adds what only a full report view needs.
FIGURE_FIELDS = ("ed_status", "ed_status_reason", "oxygen_status", "ventilators_total", "ventilators_in_use",
                 "ct_operational", "xray_operational", "lab_tests_capacity_per_day", "lab_tests_performed_per_day",
                 "mci_immediate_per_hour", "mci_delayed_per_hour", "mci_minimal_per_hour")
_DETAIL_FIELDS = ("received_at", "source", "reporter", "note")
_REPORT = "status__report__"


@dataclass(frozen=True)
class StatusQuery:
    """Filters of the current-status list that depend on the data only (never on the clock or the viewer)."""

    region_iso: str | None = None
    region_id: int | None = None
    kind: str | None = None
    capability: str | None = None
    bed_type: str | None = None
    min_available: int | None = None

    def __post_init__(self) -> None:
        # Enum members (FacilityKind, Capability, BedType) and their values must give the same cache key.
        for name in ("kind", "capability", "bed_type"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, str(getattr(value, "value", value)))


class BedValues(NamedTuple):
    """One bed row of a current report (a NamedTuple: 9,000 of them are built per cold read)."""

    bed_type: str
    staffed: int | None
    occupied: int | None
    available: int
    surge_24h: int | None


class FacilityValues(NamedTuple):
    """One facility and its current report as plain values; `report` is None if it never reported."""

    facility_id: int
    code: str
    name: str
    names: dict[str, str]
    kind: str
    region_id: int
    region_iso: str
    region_name: str
    lat: float
    lon: float
    capabilities: tuple[str, ...]
    synthetic: bool
    reporting_interval_min: int
    report_id: int | None
    reported_at: datetime | None
    report: dict[str, Any] | None  # FIGURE_FIELDS (+ detail fields when asked for)
    beds: tuple[BedValues, ...]

    @property
    def is_inpatient(self) -> bool:
        """Inpatient facilities are the ones expected to report capacity."""
        return self.kind in INPATIENT_KINDS


def pick_name(lang: str, en: str, kk: str, ru: str) -> str:
    """The name in `lang` (two-letter), falling back to English: TrilingualNameModel.name without an instance."""
    return {"en": en, "kk": kk, "ru": ru}.get(lang, "") or en


def filtered_facilities(query: StatusQuery, *, active_only: bool = True) -> QuerySet[Facility] | None:
    """Facilities matching the data filters (None when nothing can match, e.g. an unknown capability)."""
    qs = Facility.objects.filter(active=True) if active_only else Facility.objects.all()
    if query.region_iso:
        qs = qs.filter(region__iso_code=query.region_iso)
    if query.region_id is not None:
        qs = qs.filter(region_id=query.region_id)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.capability:
        if query.capability not in Capability.values:
            return None
        qs = qs.filter(**{f"has_{query.capability}": True})
    if query.bed_type:
        # Same filter() call, so both conditions apply to the same bed row.
        bed_filter: dict[str, Any] = {"status__report__beds__bed_type": query.bed_type}
        if query.min_available is not None:
            bed_filter["status__report__beds__available__gte"] = query.min_available
        qs = qs.filter(**bed_filter)
    return qs


def status_values(query: StatusQuery, *, detail: bool = False, queryset: QuerySet[Facility] | None = None,
                  ) -> list[FacilityValues]:
    """Active facilities matching `query` with their current report and beds, in registry order (2 queries).

    `queryset` replaces the filtered active facilities (e.g. one facility, active or not).
    """
    qs = queryset if queryset is not None else filtered_facilities(query)
    if qs is None:
        return []
    report_fields = FIGURE_FIELDS + _DETAIL_FIELDS if detail else FIGURE_FIELDS
    columns = (*_FACILITY_FIELDS, "status__report", f"{_REPORT}reported_at", *(_REPORT + f for f in report_fields))
    rows = list(qs.values_list(*columns))
    at_report = len(_FACILITY_FIELDS)
    beds = _beds_by_report(qs) if any(r[at_report] is not None for r in rows) else {}
    lang = (get_language() or "en")[:2]
    caps = tuple(enumerate(Capability.values, start=_FIRST_CAPABILITY))
    out = []
    for r in rows:
        report_id = r[at_report]
        report = dict(zip(report_fields, r[at_report + 2:], strict=True)) if report_id is not None else None
        out.append(FacilityValues(
            facility_id=r[0], code=r[1], name=pick_name(lang, r[2], r[3], r[4]),
            names={"en": r[2], "kk": r[3], "ru": r[4]}, kind=r[5], region_id=r[6], region_iso=r[7],
            region_name=pick_name(lang, r[8], r[9], r[10]), lat=r[11], lon=r[12], synthetic=r[13],
            reporting_interval_min=r[14], capabilities=tuple(c for i, c in caps if r[i]),
            report_id=report_id, reported_at=r[at_report + 1], report=report, beds=beds.get(report_id, ())))
    return out


def _beds_by_report(facilities: QuerySet[Facility]) -> dict[int, tuple[BedValues, ...]]:
    # A subquery rather than a list of ids: SQLite limits bound parameters, and the facility filter is cheap.
    current = facilities.order_by().values("status__report")
    rows = (BedCapacity.objects.filter(report__in=current).order_by("report_id", "id")
            .values_list("report_id", "bed_type", "staffed", "occupied", "available", "surge_24h"))
    grouped: dict[int, list[BedValues]] = {}
    for report_id, *bed in rows:
        grouped.setdefault(report_id, []).append(BedValues._make(bed))
    rank, last = _BED_RANK.get, len(BED_TYPE_ORDER)
    return {report_id: tuple(sorted(beds, key=lambda b: rank(b.bed_type, last)))
            for report_id, beds in grouped.items()}
