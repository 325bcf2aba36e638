"""Current status read as plain values: one query for the facilities with their current report, one for beds.

Why: building Facility, CapacityReport and BedCapacity instances for 1,000 facilities cost ~250 ms per board
poll; plain rows from `.values()` cost a fraction of that, and carry only the columns a reader needs (never the
region boundary). Every current-status reader (board, API, totals, interop) goes through `status_values`,
which returns the one status model (status_model.StatusRow).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from jedel.capacity.models import BedCapacity, BedType
from jedel.capacity.selectors.status_model import DETAIL_FIELDS, FIGURE_FIELDS, BedFigures, ReportFigures, StatusRow
from jedel.facilities.models import INPATIENT_KINDS, Capability, Facility, FacilityKind

# Board order of bed types: critical care first, as coordinators read it.
BED_TYPE_ORDER: tuple[str, ...] = tuple(bt.value for bt in BedType)
_BED_RANK = {bt: i for i, bt in enumerate(BED_TYPE_ORDER)}

_FACILITY_FIELDS = ("id", "code", "name_en", "name_kk", "name_ru", "kind", "region_id", "region__iso_code",
                    "region__name_en", "region__name_kk", "region__name_ru", "lat", "lon", "synthetic",
                    "reporting_interval_min", *(f"has_{c}" for c in Capability.values))
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
                  ) -> list[StatusRow]:
    """Active facilities matching `query` with their current report and beds, in registry order (2 queries).

    The rows are clock-free (`minutes_ago` None, `overdue` False): `StatusRow.at(now)` adds freshness.
    `queryset` replaces the filtered active facilities (e.g. one facility, active or not).
    """
    qs = queryset if queryset is not None else filtered_facilities(query)
    if qs is None:
        return []
    report_fields = FIGURE_FIELDS + DETAIL_FIELDS if detail else FIGURE_FIELDS
    rows = list(qs.values(*_FACILITY_FIELDS, "status__report", f"{_REPORT}reported_at",
                          *(_REPORT + f for f in report_fields)))
    beds = _beds_by_report(qs) if any(r["status__report"] is not None for r in rows) else {}
    lang = (get_language() or "en")[:2]
    kind_labels = {k: str(label) for k, label in FacilityKind.choices}  # translated once per read, not per row
    return [_row(r, report_fields, beds, lang, kind_labels) for r in rows]


def _row(r: dict[str, Any], report_fields: tuple[str, ...], beds: dict[int, dict[str, BedFigures]], lang: str,
         kind_labels: dict[str, str]) -> StatusRow:
    # model_construct: the values come straight from the database's constraints, validating them again per
    # poll would cost more than the query.
    report_id = r["status__report"]
    figures: dict[str, Any] = {"received_at": None, "source": "", "reporter": "", "note": ""}
    figures.update((f, r[_REPORT + f]) for f in report_fields)
    current = None if report_id is None else ReportFigures.model_construct(
        report_id=report_id, reported_at=r[f"{_REPORT}reported_at"], beds=beds.get(report_id, {}), **figures)
    return StatusRow.model_construct(
        facility_id=r["id"], code=r["code"], name=pick_name(lang, r["name_en"], r["name_kk"], r["name_ru"]),
        names={"en": r["name_en"], "kk": r["name_kk"], "ru": r["name_ru"]}, kind=r["kind"],
        kind_label=kind_labels.get(r["kind"], r["kind"]), region=r["region__iso_code"], region_id=r["region_id"],
        region_name=pick_name(lang, r["region__name_en"], r["region__name_kk"], r["region__name_ru"]),
        lat=r["lat"], lon=r["lon"], capabilities=[c for c in Capability.values if r[f"has_{c}"]],
        synthetic=r["synthetic"], is_inpatient=r["kind"] in INPATIENT_KINDS,
        reporting_interval_min=r["reporting_interval_min"], reported_at=current.reported_at if current else None,
        minutes_ago=None, overdue=False, current=current)


def _beds_by_report(facilities: QuerySet[Facility]) -> dict[int, dict[str, BedFigures]]:
    # A subquery rather than a list of ids: SQLite limits bound parameters, and the facility filter is cheap.
    current = facilities.order_by().values("status__report")
    rows = (BedCapacity.objects.filter(report__in=current).order_by("report_id", "id")
            .values("report_id", "bed_type", "staffed", "occupied", "available", "surge_24h"))
    grouped: dict[int, list[dict[str, Any]]] = {}
    for bed in rows:
        grouped.setdefault(bed.pop("report_id"), []).append(bed)
    rank, last = _BED_RANK.get, len(BED_TYPE_ORDER)
    return {report_id: {b["bed_type"]: BedFigures.model_construct(
                staffed=b["staffed"], occupied=b["occupied"], available=b["available"], surge_24h=b["surge_24h"])
            for b in sorted(beds, key=lambda b: rank(b["bed_type"], last))}
            for report_id, beds in grouped.items()}
