"""Timestamps accepted from outside (API bodies and query parameters): aware, and within the years Jedel handles.

Why a bound at all: Python's datetime stops at year 1 and 9999, so `0001-01-01T00:00:00+14:00` or
`9999-12-31T23:59:59-12:00` parse but cannot be converted to UTC (OverflowError at the first comparison or
database write). Jedel holds figures from 2000 onwards (nothing in the health system it serves is older) and
until 2100; anything outside is a typo or a probe, refused with 422 before any code touches it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, WithJsonSchema

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# The OpenAPI document states the range as a pattern on the year (JSON Schema has no date-time minimum), so
# generated clients and fuzzers keep to it. Offsets are required: a naive time is ambiguous across 5 zones.
_PATTERN = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE_PATTERN_IN_RANGE = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"


def _iso_text(pattern: str, message: Any) -> Any:
    """Refuse what pydantic's lax mode would otherwise read as a time: a number (`0`, `1700000000` is taken as
    Unix seconds), a bare date where a moment is needed. Only ISO 8601 text, as the document says."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if (isinstance(value, str) and not compiled.match(value.strip())) or isinstance(value, (int, float)):
            raise ValueError(str(message))
        return value

    return BeforeValidator(check)


def bounded_utc(value: datetime) -> datetime:
    """`value` in UTC, or ValueError naming the accepted range (pydantic reports it as a 422 field error)."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ValueError(_("Must be between %(start)s and %(end)s (UTC).") % {
            "start": EARLIEST.date().isoformat(), "end": LATEST.date().isoformat()})
    return utc


def bounded_date(value: date) -> date:
    """`value` if it lies in Jedel's years, or ValueError naming the range: a filter day at the calendar's end
    (`9999-12-31`) would overflow when its next midnight is computed."""
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError(_("Must be between %(start)s and %(end)s.") % {
            "start": EARLIEST.date().isoformat(), "end": LATEST.date().isoformat()})
    return value


_LOOSE_MOMENT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T"  # the year range is checked after parsing, with its own message
ApiDatetime = Annotated[
    AwareDatetime,
    _iso_text(_LOOSE_MOMENT, gettext_lazy("Expected an ISO 8601 date and time with a UTC offset.")),
    AfterValidator(bounded_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _PATTERN,
                    "description": "ISO 8601 with a UTC offset, between 2000-01-01 and 2100-01-01"})]

# A calendar day in query parameters (`since`, `until`): ISO `YYYY-MM-DD` only.
ApiDate = Annotated[
    date,
    _iso_text(_DATE_PATTERN, gettext_lazy("Expected an ISO 8601 date (YYYY-MM-DD).")),
    AfterValidator(bounded_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_PATTERN_IN_RANGE,
                    "description": "ISO 8601 calendar day, between 2000-01-01 and 2100-01-01"})]
