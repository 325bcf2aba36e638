"""Builders of the transfers tests: a small network on one meridian, so distances are hand-computable.

On a meridian one degree of latitude is R·π/180 = 6371.0088 × 0.0174532925 = 111.19508 km (the core's mean
Earth radius), so every distance below is a multiple of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.accounts.services import SYSTEM
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from jedel.facilities.models import Facility
from jedel.transfers.models import TransportAsset
from jedel.transfers.services.requests import TransferInput, transfer_create

KM_PER_DEG = 111.19508
NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)  # 11:00 in Almaty (UTC+5): daylight
NATIONAL = Principal(label="nccem", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)


def facility(region, code: str, lat: float, lon: float = 70.0, *, kind: str = "city_hospital", **caps) -> Facility:
    return Facility.objects.create(code=code, kind=kind, region=region, lat=lat, lon=lon, name_en=f"Hospital {code}",
                                   name_ru=f"Больница {code}", name_kk=f"Аурухана {code}",
                                   **{f"has_{c}": True for c, on in caps.items() if on})


def beds(f: Facility, *rows: tuple, minutes_ago: int = 5, now: datetime = NOW) -> None:
    """A current capacity report of `f`: rows (bed type, staffed, occupied)."""
    report_submit(actor=SYSTEM, facility=f, source="api", now=now,
                  data=ReportInput(reported_at=now - timedelta(minutes=minutes_ago),
                                   beds=tuple(BedInput(*r) for r in rows)))


def staff(f: Facility, role: Role = Role.FACILITY_MANAGER, label: str = "") -> Principal:
    return Principal(label=label or f"{role.value}-{f.code}", role=role, scope_level=ScopeLevel.FACILITY,
                     region_id=f.region_id, facility_id=f.pk)


def regional(region) -> Principal:
    return Principal(label=f"rc-{region.iso_code}", role=Role.REGIONAL_COORDINATOR, scope_level=ScopeLevel.REGION,
                     region_id=region.pk)


def request(origin: Facility, dest: Facility | None = None, *, now: datetime = NOW, actor: Principal | None = None,
            **extra):
    data = TransferInput(**{"reference": "C-1", "origin": origin.code, "urgency": "emergency",
                            "diagnosis": "Severe head injury, GCS 7", "bed_type": "AdultICU",
                            "destination": dest.code if dest else None, "capabilities": ["neurosurgery"],
                            "ventilated": True, **extra})
    return transfer_create(actor=actor or staff(origin, Role.CLINICIAN), data=data, now=now)


def asset(call_sign: str, kind: str, base: Facility, *, equipment=("ventilator", "oxygen"), night: bool = False,
          status: str = "available") -> TransportAsset:
    return TransportAsset.objects.create(call_sign=call_sign, kind=kind, base=base, region=base.region,
                                         operator="Kazavia" if kind != "road" else "EMS", equipment=list(equipment),
                                         night_capable=night, status=status)
