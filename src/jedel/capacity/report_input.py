"""The shape of one capacity report before it is stored: shared by the web form, the API, EDXL-HAVE
import and the demo generator, so every path is validated by the same service (services/reports.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class BedInput:
    """One HAvBED bed type (value of `BedType`). `available` may be omitted when staffed and occupied are
    given (then available = staffed − occupied)."""

    bed_type: str
    staffed: int | None = None
    occupied: int | None = None
    available: int | None = None
    surge_24h: int | None = None


@dataclass(frozen=True)
class ReportInput:
    """Everything a facility reports at one moment. None = not reported."""

    reported_at: datetime
    beds: tuple[BedInput, ...] = field(default_factory=tuple)
    ventilators_total: int | None = None
    ventilators_in_use: int | None = None
    oxygen_status: str = "unknown"
    ct_operational: bool | None = None
    xray_operational: bool | None = None
    lab_tests_capacity_per_day: int | None = None
    lab_tests_performed_per_day: int | None = None
    ed_status: str = "open"
    ed_status_reason: str = ""
    mci_immediate_per_hour: int | None = None
    mci_delayed_per_hour: int | None = None
    mci_minimal_per_hour: int | None = None
    note: str = ""
    # Operational status (EDXL-HAVE HospitalFacilityStatus / HospitalResourcesStatus: operational.py checks it);
    # "" / None = not reported.
    facility_status: str = ""
    security_status: str = ""
    staffing: str = ""
    admissions_24h: int | None = None
    discharges_24h: int | None = None
    deaths_24h: int | None = None
