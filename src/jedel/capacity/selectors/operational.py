"""Reads of the operational status stored with reports (facility, security, staffing, 24-hour activity).

Apart from the status model (status_model.py) on purpose: these figures arrive only through EDXL-HAVE for
now, and the board's hot query need not carry them. One query for any number of reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from jedel.capacity.models import CapacityReport
from jedel.capacity.operational import OPERATIONAL_FIELDS, OperationalInput


def operational_by_report(report_ids: Iterable[int]) -> dict[int, OperationalInput]:
    """The operational status of each report id (reports that stated none map to an empty OperationalInput)."""
    rows = CapacityReport.objects.filter(pk__in=list(report_ids)).values("pk", *OPERATIONAL_FIELDS)
    return {r.pop("pk"): OperationalInput(**r) for r in rows}


def operational_get(report_id: int | None) -> OperationalInput | None:
    """One report's operational status; None without a report or when the report stated none of it."""
    if report_id is None:
        return None
    op = operational_by_report([report_id]).get(report_id)
    return op if op is not None and op != OperationalInput() else None
