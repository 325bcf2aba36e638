"""Validation of one capacity report: every broken rule collected, with its field path, before any write.

Field paths follow the ReportInput shape: "reported_at", "ventilators_in_use", "beds.2.occupied"; `loc` is the
same path as a list (list indexes as ints, like pydantic), so API clients and the web form can point at the
culprit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from jedel.capacity.errors import CapacityError
from jedel.common.errors import ErrorCode
from jedel.common.moments import EARLIEST
from jedel.facilities.errors import FacilityError
from jedel.capacity.models import BedType, EdStatus, OxygenStatus
from jedel.capacity.operational import ACTIVITY_FIELDS, CHOICES, operational_errors
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



def _count_range() -> str:
    return _("Must be a whole number between 0 and %(max)s.") % {"max": MAX_COUNT}


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
        # The message states the range, so whoever reads it knows what to send instead.
        if value is not None and value < 0:
            errors.append(_error(CapacityError.NEGATIVE_COUNT, *prefix, name, msg=_count_range()))
        elif value is not None and value > MAX_COUNT:
            errors.append(_error(FacilityError.BAD_VALUE, *prefix, name, msg=_count_range()))
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


def is_empty(data: ReportInput) -> bool:
    """True when the report says nothing beyond the form's defaults: no beds, counts, equipment or oxygen state,
    operational status, and an open emergency department. Such a report must not reset the reporting clock.

    A report of the operational status alone (evacuating, lockdown, staffing) says something: it counts."""
    return (not data.beds and data.oxygen_status == "unknown" and data.ed_status == EdStatus.OPEN.value
            and data.ct_operational is None and data.xray_operational is None
            and all(getattr(data, name) is None for name in REPORT_COUNT_FIELDS + ACTIVITY_FIELDS)
            and not any(getattr(data, name) for name in CHOICES))


def report_errors(*, facility: Facility, data: ReportInput, now: datetime) -> list[dict[str, Any]]:
    """All rule violations of `data` for `facility` at `now`, as `{"code", "loc", "msg"}` dicts."""
    errors: list[dict[str, Any]] = []
    if is_empty(data):
        # "required" with no field: the figures as a whole are missing (the message says which will do).
        errors.append(_error(FacilityError.REQUIRED, msg=_(
            "The report has no figures: give at least one bed count, ventilators, equipment, oxygen, laboratory "
            "or MCI capacity, the operational status, or a changed emergency-department status.")))
    try:
        moment: datetime | None = as_utc(data.reported_at)
    except OverflowError:  # year 1 or 9999 with an offset: not a time Python can even convert to UTC
        moment = None
    if moment is None or moment < EARLIEST:
        errors.append(_error(FacilityError.BAD_VALUE, "reported_at", msg=_(
            "The report time must be on or after %(start)s.") % {"start": EARLIEST.date().isoformat()}))
    elif moment > now + CLOCK_SKEW:
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
        errors.append(_error(FacilityError.BAD_VALUE, "ed_status_reason",
                             msg=_("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}))
    # PostgreSQL refuses NUL characters in text; say so instead of failing at the write.
    errors += [_error(FacilityError.BAD_VALUE, name) for name in ("ed_status_reason", "note")
               if "\x00" in getattr(data, name)]
    if data.oxygen_status not in OxygenStatus.values:
        errors.append(_error(CapacityError.BAD_OXYGEN_STATUS, "oxygen_status"))
    errors += operational_errors(data)
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
