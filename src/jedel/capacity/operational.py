"""Operational status of a facility, reported beside its capacity figures: whether the building operates
(FacilityStatus), its security posture, staffing and the last 24 hours' admissions, discharges and deaths.

The vocabulary is EDXL-HAVE 1.0's (HospitalFacilityStatus, HospitalResourcesStatus). The values are fields of
every report (ReportInput: web form, API, EDXL-HAVE import); `OperationalInput` is the same group read back
from a stored report for the pages and exporters. Every value is optional ("" / None = not reported) and
checked here, by the report rules (services/report_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext as _

from jedel.capacity.errors import CapacityError
from jedel.common.errors import ErrorCode
from jedel.capacity.models import FacilityOperation, SecurityStatus, Staffing
from jedel.capacity.report_input import ReportInput
from jedel.facilities.errors import FacilityError

MAX_COUNT = 1_000_000  # the same ceiling as every other count of a report (report_rules.MAX_COUNT)
CHOICES = {"facility_status": FacilityOperation, "security_status": SecurityStatus, "staffing": Staffing}
ACTIVITY_FIELDS = ("admissions_24h", "discharges_24h", "deaths_24h")


@dataclass(frozen=True)
class OperationalInput:
    """What a stored report says about the facility's operation; "" / None = not reported."""

    facility_status: str = ""
    security_status: str = ""
    staffing: str = ""
    admissions_24h: int | None = None
    discharges_24h: int | None = None
    deaths_24h: int | None = None


OPERATIONAL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(OperationalInput))


def _error(code: ErrorCode, name: str, msg: str | None = None) -> dict[str, Any]:
    return {"code": code.value, "loc": [name], "msg": msg or code.message}


def operational_errors(data: OperationalInput | ReportInput) -> list[dict[str, Any]]:
    """Rule violations as `{"code", "loc", "msg"}` dicts, with the paths of the capacity rules' errors (the
    report rules call this for every report: the operational fields are ReportInput's too)."""
    errors = []
    for name, choices in CHOICES.items():
        value = getattr(data, name)
        if value and value not in choices.values:
            errors.append(_error(FacilityError.BAD_VALUE, name))
    for name in ACTIVITY_FIELDS:
        value = getattr(data, name)
        # The message states the range (as the report rules' counts do), so the sender knows what to send.
        count_range = _("Must be a whole number between 0 and %(max)s.") % {"max": MAX_COUNT}
        if value is not None and value < 0:
            errors.append(_error(CapacityError.NEGATIVE_COUNT, name, count_range))
        elif value is not None and value > MAX_COUNT:
            errors.append(_error(FacilityError.BAD_VALUE, name, count_range))
    return errors
