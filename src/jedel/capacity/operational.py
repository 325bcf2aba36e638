"""Operational status of a facility, reported beside its capacity figures: whether the building operates
(FacilityStatus), its security posture, staffing and the last 24 hours' admissions, discharges and deaths.

The vocabulary is EDXL-HAVE 1.0's (HospitalFacilityStatus, HospitalResourcesStatus). Kept apart from
ReportInput so the EDXL-HAVE import can carry it before the web form and the API offer it; every value is
optional ("" / None = not reported) and checked here, then stored on the report by the capacity service.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from jedel.capacity.errors import CapacityError
from jedel.common.errors import ErrorCode
from jedel.capacity.models import FacilityOperation, SecurityStatus, Staffing
from jedel.facilities.errors import FacilityError

MAX_COUNT = 1_000_000  # the same ceiling as every other count of a report (report_rules.MAX_COUNT)
CHOICES = {"facility_status": FacilityOperation, "security_status": SecurityStatus, "staffing": Staffing}
ACTIVITY_FIELDS = ("admissions_24h", "discharges_24h", "deaths_24h")


@dataclass(frozen=True)
class OperationalInput:
    """What a facility says about its operation at one moment; "" / None = not reported."""

    facility_status: str = ""
    security_status: str = ""
    staffing: str = ""
    admissions_24h: int | None = None
    discharges_24h: int | None = None
    deaths_24h: int | None = None


OPERATIONAL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(OperationalInput))


def _error(code: ErrorCode, name: str) -> dict[str, Any]:
    return {"code": code.value, "loc": [name], "msg": code.message}


def operational_errors(data: OperationalInput) -> list[dict[str, Any]]:
    """Rule violations as `{"code", "loc", "msg"}` dicts, with the paths of the capacity rules' errors."""
    errors = []
    for name, choices in CHOICES.items():
        value = getattr(data, name)
        if value and value not in choices.values:
            errors.append(_error(FacilityError.BAD_VALUE, name))
    for name in ACTIVITY_FIELDS:
        value = getattr(data, name)
        if value is not None and value < 0:
            errors.append(_error(CapacityError.NEGATIVE_COUNT, name))
        elif value is not None and value > MAX_COUNT:
            errors.append(_error(FacilityError.BAD_VALUE, name))
    return errors
