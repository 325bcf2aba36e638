"""Carry forward: a partial report keeps the figures it does not mention from the facility's previous report.

Why: an EDXL-HAVE message (and a "nothing changed" confirmation, services/reports.report_confirm) states only
some figures; storing the rest as "not reported" would wipe bed types and resources the sender never meant
to change. The base is the facility's newest report at or before the new report's time, so a backfilled
message never borrows figures from its own future.

Units carried as a whole (never field by field, which could make contradictory figures):
- one bed type (staffed, occupied, available, surge): a bed type the report mentions replaces the stored one
  entirely, a bed type it does not mention is kept;
- the emergency department's status with its reason: a reopened department never inherits the old reason.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from jedel.capacity.models import CapacityReport
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.report_rules import as_utc
from jedel.facilities.models import Facility

# ReportInput fields that travel with another one (the key), never alone.
_TIED = {"ed_status_reason": "ed_status"}


@dataclass(frozen=True)
class Mentioned:
    """What a partial report states: names of ReportInput fields (its beds always count as
    stated, one bed type at a time). `Mentioned.everything()` (a complete report, as the web form and API send
    today) carries nothing forward; `Mentioned()` states no figure (a "nothing changed" confirmation).
    """

    fields: frozenset[str] = frozenset()
    complete: bool = False

    @classmethod
    def everything(cls) -> Mentioned:
        return cls(complete=True)


def report_base(facility: Facility, data: ReportInput) -> CapacityReport | None:
    """The report a partial report at `data.reported_at` continues: the newest at or before that time."""
    return (CapacityReport.objects.filter(facility=facility, reported_at__lte=as_utc(data.reported_at))
            .prefetch_related("beds").order_by("-reported_at", "-id").first())


def report_carry_forward(*, facility: Facility, data: ReportInput, mentioned: Mentioned) -> ReportInput:
    """`data` with every unmentioned figure (operational status included) taken from the base report, if any."""
    base = None if mentioned.complete else report_base(facility, data)
    if base is None:
        return data

    def kept(name: str) -> bool:
        return _TIED.get(name, name) not in mentioned.fields

    carried: dict[str, Any] = {f.name: getattr(base, f.name) for f in fields(data)
                               if f.name not in ("reported_at", "beds") and kept(f.name)}
    stated = {b.bed_type for b in data.beds}
    beds = data.beds + tuple(
        BedInput(bed_type=b.bed_type, staffed=b.staffed, occupied=b.occupied, available=b.available,
                 surge_24h=b.surge_24h)
        for b in sorted(base.beds.all(), key=lambda b: b.pk) if b.bed_type not in stated)
    return replace(data, beds=beds, **carried)
