"""FHIR search parameters: parsing with FHIR semantics and OperationOutcome errors.

Dates (`date=ge2026-03-10`): prefixes eq (default), ne is not supported, gt, lt, ge, le, sa, eb; a value is a
year, month, day or instant, and stands for its whole range (FHIR R4 search §3.1.1.5.4): `le2026-03-10`
includes the whole day. A value without a time zone is UTC. Several `date` parameters must all hold (AND).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

_DATE = re.compile(r"^(?P<prefix>eq|gt|lt|ge|le|sa|eb)?(?P<value>\d{4}(-\d{2}(-\d{2}(T.+)?)?)?)$")


class SearchError(Exception):
    """A search the server cannot answer: the OperationOutcome's status, code and text."""

    def __init__(self, text: str, *, status: int = 400, code: str = "invalid") -> None:
        super().__init__(text)
        self.text, self.status, self.code = text, status, code


def operation_outcome(text: str, code: str = "invalid", severity: str = "error") -> dict[str, object]:
    """An OperationOutcome with one issue."""
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": code, "diagnostics": text}]}


@dataclass(frozen=True)
class DateRange:
    """Conditions on an instant: `after <= t` etc., as Django lookups on a field name."""

    lookups: dict[str, datetime]


def _bounds(value: str) -> tuple[datetime, datetime]:
    """[start, end) of a FHIR date/dateTime value."""
    parts = value.split("-")
    try:
        if "T" in value:
            moment = parse_datetime(value)
            if moment is None:
                raise ValueError(value)
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            return moment, moment + timedelta(seconds=1)
        if len(parts) == 1:
            start = datetime(int(parts[0]), 1, 1, tzinfo=UTC)
            return start, start.replace(year=start.year + 1) if start.year < 9999 else datetime.max.replace(tzinfo=UTC)
        if len(parts) == 2:
            start = datetime(int(parts[0]), int(parts[1]), 1, tzinfo=UTC)
            nxt = (start + timedelta(days=32)).replace(day=1)
            return start, nxt
        start = datetime(int(parts[0]), int(parts[1]), int(parts[2]), tzinfo=UTC)
        return start, start + timedelta(days=1)
    except (ValueError, OverflowError):
        raise SearchError(_("date: %(v)r is not a FHIR date or dateTime") % {"v": value}) from None


def date_lookups(field: str, values: list[str]) -> dict[str, datetime]:
    """Django filter kwargs for every `date` value (AND), e.g. {"reported_at__gte": …}."""
    out: dict[str, datetime] = {}
    conditions: list[tuple[str, datetime]] = []
    for raw in values:
        match = _DATE.match(raw.strip())
        if match is None:
            raise SearchError(_("date: %(v)r is not a FHIR date search (e.g. ge2026-03-10)") % {"v": raw})
        start, end = _bounds(match["value"])
        prefix = match["prefix"] or "eq"
        if prefix == "eq":
            conditions += [("gte", start), ("lt", end)]
        elif prefix in ("ge",):
            conditions.append(("gte", start))
        elif prefix in ("gt", "sa"):
            conditions.append(("gte", end))
        elif prefix == "le":
            conditions.append(("lt", end))
        else:  # lt, eb
            conditions.append(("lt", start))
    for op, bound in conditions:
        key = f"{field}__{op}"
        # Two conditions of one kind: the stricter holds (AND).
        if key not in out or (op == "gte" and bound > out[key]) or (op == "lt" and bound < out[key]):
            out[key] = bound
    return out


def count_param(values: list[str], *, default: int = 50, maximum: int = 500) -> int:
    """`_count`: a page size 1..maximum (default when absent)."""
    if not values:
        return default
    try:
        n = int(values[-1])
    except ValueError:
        raise SearchError(_("_count must be a whole number")) from None
    if not 1 <= n <= maximum:
        raise SearchError(_("_count must be between 1 and %(max)d") % {"max": maximum})
    return n


def offset_param(values: list[str]) -> int:
    """`_offset` (the next-page links use it): 0 or more."""
    if not values:
        return 0
    try:
        n = int(values[-1])
    except ValueError:
        raise SearchError(_("_offset must be a whole number")) from None
    if n < 0:
        raise SearchError(_("_offset must be 0 or more"))
    return n


def token_param(value: str) -> tuple[str | None, str]:
    """A token search value `system|code` or `code` → (system or None, code)."""
    if "|" in value:
        system, _sep, code = value.partition("|")
        return system or None, code
    return None, value
