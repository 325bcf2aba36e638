"""Validation of one capacity report: every broken rule collected, with its field path, before any write.

Field paths follow the ReportInput shape: "reported_at", "ventilators_in_use", "beds.2.occupied"; `loc` is the
same path as a list (list indexes as ints, like pydantic), so API clients and the web form can point at the
culprit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from jedel.capacity.errors import CapacityError
from jedel.common.errors import ErrorCode
from jedel.facilities.errors import FacilityError
from jedel.capacity.models import BedType, EdStatus, OxygenStatus
from jedel.facilities.models import Facility
from jedel.capacity.report_input import BedInput, ReportInput

# Hospital clocks drift and NTP is not a given on every network: tolerate this much "future".
CLOCK_SKEW = timedelta(minutes=2)
REASON_MAX_LENGTH = 300  # CapacityReport.ed_status_reason
# Far above any real figure (the largest hospitals have a few thousand beds) and far below the 32-bit column.
MAX_COUNT = 1_000_000
REPORT_COUNT_FIELDS = ("ventilators_total", "ventilators_in_use", "lab_tests_capacity_per_day",
                       "lab_tests_performed_per_day", "mci_immediate_per_hour", "mci_delayed_per_hour",
                       "mci_minimal_per_hour")
BED_COUNT_FIELDS = ("staffed", "occupied", "available", "surge_24h")
STATUSES_NEEDING_REASON = frozenset({EdStatus.DIVERSION.value, EdStatus.CLOSED.value})


def _error(code: ErrorCode, *loc: str | int, msg: str | None = None) -> dict[str, Any]:
    return {"code": code.value, "loc": list(loc), "msg": msg or code.message}


def as_utc(moment: datetime) -> datetime:
    """Aware UTC datetime; a naive one is taken as UTC (the API refuses naive times before this point)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _negative(obj: object, names: tuple[str, ...], *prefix: str | int) -> list[dict[str, Any]]:
    """NEGATIVE_COUNT for counts below zero, BAD_VALUE for absurdly large ones (they would overflow the column)."""
    errors = []
    for name in names:
        value = getattr(obj, name)
        if value is not None and value < 0:
            errors.append(_error(CapacityError.NEGATIVE_COUNT, *prefix, name))
        elif value is not None and value > MAX_COUNT:
            errors.append(_error(FacilityError.BAD_VALUE, *prefix, name))
    return errors


def _bed_errors(i: int, bed: BedInput, seen: set[str]) -> list[dict[str, Any]]:
    errors = []
    if bed.bed_type not in BedType.values:
        errors.append(_error(CapacityError.UNKNOWN_BED_TYPE, "beds", i, "bed_type"))
    elif bed.bed_type in seen:
        errors.append(_error(CapacityError.DUPLICATE_BED_TYPE, "beds", i, "bed_type"))
    seen.add(bed.bed_type)
    negatives = _negative(bed, BED_COUNT_FIELDS, "beds", i)
    if negatives:
        return errors + negatives  # relations between negative numbers say nothing more
    staffed, occupied, available = bed.staffed, bed.occupied, bed.available
    if staffed is not None and occupied is not None and occupied > staffed:
        errors.append(_error(CapacityError.OCCUPIED_EXCEEDS_STAFFED, "beds", i, "occupied"))
    elif staffed is not None and available is not None and available > staffed - (occupied or 0):
        errors.append(_error(CapacityError.AVAILABLE_EXCEEDS_STAFFED, "beds", i, "available"))
    if available is None and (staffed is None or occupied is None):
        # Available beds are the figure the board is for: give it, or staffed and occupied to derive it.
        errors.append(_error(FacilityError.REQUIRED, "beds", i, "available"))
    return errors


def report_errors(*, facility: Facility, data: ReportInput, now: datetime) -> list[dict[str, Any]]:
    """All rule violations of `data` for `facility` at `now`, as `{"code", "loc", "msg"}` dicts."""
    errors: list[dict[str, Any]] = []
    if as_utc(data.reported_at) > now + CLOCK_SKEW:
        errors.append(_error(CapacityError.FUTURE_TIMESTAMP, "reported_at"))
    errors += _negative(data, REPORT_COUNT_FIELDS)
    vt, vu = data.ventilators_total, data.ventilators_in_use
    if vt is not None and vu is not None and 0 <= vt < vu:
        errors.append(_error(CapacityError.VENTILATORS_IN_USE_EXCEED_TOTAL, "ventilators_in_use"))
    cap, done = data.lab_tests_capacity_per_day, data.lab_tests_performed_per_day
    if cap is not None and done is not None and 0 <= cap < done:
        errors.append(_error(CapacityError.LAB_PERFORMED_EXCEEDS_CAPACITY, "lab_tests_performed_per_day"))
    if data.ed_status not in EdStatus.values:
        errors.append(_error(CapacityError.BAD_ED_STATUS, "ed_status"))
    elif data.ed_status in STATUSES_NEEDING_REASON and not data.ed_status_reason.strip():
        # Ambulance dispatch must know why a hospital turns patients away, and until when.
        errors.append(_error(FacilityError.REQUIRED, "ed_status_reason"))
    if len(data.ed_status_reason) > REASON_MAX_LENGTH:
        errors.append(_error(FacilityError.BAD_VALUE, "ed_status_reason"))
    # PostgreSQL refuses NUL characters in text; say so instead of failing at the write.
    errors += [_error(FacilityError.BAD_VALUE, name) for name in ("ed_status_reason", "note")
               if "\x00" in getattr(data, name)]
    if data.oxygen_status not in OxygenStatus.values:
        errors.append(_error(CapacityError.BAD_OXYGEN_STATUS, "oxygen_status"))
    if data.beds and not facility.is_inpatient:
        errors.append(_error(CapacityError.NOT_REPORTING_FACILITY, "beds"))
        return errors
    seen: set[str] = set()
    for i, bed in enumerate(data.beds):
        errors += _bed_errors(i, bed, seen)
    return errors


def with_derived_available(data: ReportInput) -> ReportInput:
    """Fill each omitted `available` as staffed − occupied (call only on validated input)."""
    beds = tuple(b if b.available is not None else replace(b, available=(b.staffed or 0) - (b.occupied or 0))
                 for b in data.beds)
    return replace(data, beds=beds, reported_at=as_utc(data.reported_at))
