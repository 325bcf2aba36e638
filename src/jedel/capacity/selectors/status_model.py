"""The one typed model of a facility's capacity status, from the database to JSON, the map and the templates.

`StatusRow` (with its `ReportFigures` and `BedFigures`) is what the selectors build, what templates and the
EDXL-HAVE/SANER exporters read, what `GET /api/status` serialises (pydantic, no hand-written JSON), what the
map draws (a field subset of the same dump) and what the real-time event of a report carries. Derived figures
(ICU available, occupancy, free ventilators, the map's marker status) are computed fields of the model, so
every reader sees the same numbers.

Freshness (`minutes_ago`, `overdue`) depends on the clock, the rest only on the data. The status cache keeps
each row's clock-free dump and `with_freshness()` fills the two clock fields per request, so a cached picture
is exact to the second without rebuilding the models.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, computed_field

ICU_BED_TYPES = frozenset({"AdultICU", "PediatricICU", "NeonatalICU"})
_FROZEN = ConfigDict(frozen=True)


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


def freshness(reported_at: datetime | None, interval_min: int, is_inpatient: bool,
              now: datetime) -> tuple[int | None, bool]:
    """(minutes_ago, overdue) of a facility's current report at `now`.

    Only inpatient facilities are expected to report capacity: an ambulance station or air base that never
    reports must not sit in every coordinator's overdue list for ever.
    """
    return minutes_since(reported_at, now), is_inpatient and is_overdue(reported_at, interval_min, now)


def marker_status(overdue: bool, ed_status: str | None) -> str:
    """What the map colours: overdue wins over the (stale) ED status; "none" = not expected to report."""
    return "overdue" if overdue else (ed_status or "none")


class BedFigures(BaseModel):
    """One HAvBED bed type: staffed, occupied and vacant staffed beds, beds that could be staffed in 24 h."""

    model_config = _FROZEN
    staffed: int | None
    occupied: int | None
    available: int
    surge_24h: int | None = None


class ReportFigures(BaseModel):
    """Everything one capacity report says, with its beds keyed by EDXL-HAVE bed type (board order).

    `received_at`, `source`, `reporter` and `note` are filled where a full report is shown (a facility's page,
    its history); the board's list leaves them empty.
    """

    model_config = _FROZEN
    report_id: int
    reported_at: datetime
    received_at: datetime | None = None
    source: str = ""
    reporter: str = ""
    note: str = ""
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
    beds: dict[str, BedFigures]
    # True for a "nothing changed" confirmation: the figures are the previous report's, confirmed at reported_at.
    confirmed_unchanged: bool = False

    @property
    def available_total(self) -> int:
        return sum(b.available for b in self.beds.values())


# The figures of a report that the board, the API and the exporters show (the report's own columns).
FIGURE_FIELDS: tuple[str, ...] = tuple(
    n for n in ReportFigures.model_fields if n not in {"report_id", "reported_at", "received_at", "source",
                                                       "reporter", "note", "beds"})
DETAIL_FIELDS: tuple[str, ...] = ("received_at", "source", "reporter", "note")


class StatusRow(BaseModel):
    """A facility and its current report (`current` is None if it never reported), fresh at some `now`."""

    model_config = _FROZEN
    facility_id: int
    code: str
    name: str
    names: dict[str, str]
    kind: str
    kind_label: str
    region: str
    region_id: int
    region_name: str
    lat: float
    lon: float
    capabilities: list[str]
    synthetic: bool
    is_inpatient: bool
    reporting_interval_min: int
    reported_at: datetime | None
    minutes_ago: int | None
    overdue: bool
    current: ReportFigures | None

    @property
    def ed_status(self) -> str | None:
        return self.current.ed_status if self.current else None

    @property
    def beds(self) -> dict[str, BedFigures]:
        return self.current.beds if self.current else {}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def available_total(self) -> int | None:
        """Vacant staffed beds of every type (None when no bed is reported)."""
        return self.current.available_total if self.current and self.current.beds else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def icu_available(self) -> int | None:
        icu = [b.available for t, b in self.beds.items() if t in ICU_BED_TYPES]
        return sum(icu) if icu else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def occupancy_pct(self) -> float | None:
        known = [b for b in self.beds.values() if b.staffed is not None and b.occupied is not None]
        staffed = sum(b.staffed or 0 for b in known)
        return round(100 * sum(b.occupied or 0 for b in known) / staffed, 1) if staffed else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ventilators_free(self) -> int | None:
        r = self.current
        if r is None or r.ventilators_total is None:
            return None
        return r.ventilators_total - (r.ventilators_in_use or 0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def marker_status(self) -> str:
        return marker_status(self.overdue, self.ed_status)

    def at(self, now: datetime) -> StatusRow:
        """This status with its freshness computed at `now`."""
        minutes_ago, overdue = freshness(self.reported_at, self.reporting_interval_min, self.is_inpatient, now)
        return self.model_copy(update={"minutes_ago": minutes_ago, "overdue": overdue})


# What the board's map draws of each facility: a subset of the same dump, so the numbers cannot differ.
MAP_FIELDS = frozenset({"code", "name", "lat", "lon", "kind_label", "is_inpatient", "synthetic", "minutes_ago",
                        "marker_status", "available_total", "icu_available", "occupancy_pct"})


def with_freshness(dump: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A cached clock-free `StatusRow.model_dump(mode="json")` with `minutes_ago`, `overdue` and `marker_status`
    at `now` (the JSON-mode dump is what the cache holds: plain values unpickle fast)."""
    reported_at = dump["reported_at"] and datetime.fromisoformat(dump["reported_at"])
    minutes_ago, overdue = freshness(reported_at, dump["reporting_interval_min"], dump["is_inpatient"], now)
    ed_status = dump["current"]["ed_status"] if dump["current"] else None
    return {**dump, "minutes_ago": minutes_ago, "overdue": overdue,
            "marker_status": marker_status(overdue, ed_status)}


def dumps_json(items: object) -> bytes:
    """JSON text of JSON-mode model dumps (`model_dump(mode="json")`), as compact UTF-8.

    orjson: the status list is ~1 KB per facility and the standard library's encoder took ~16 ms of a ~65 ms
    poll for 855 facilities."""
    return orjson.dumps(items)
