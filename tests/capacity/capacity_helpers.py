"""Small builders shared by the capacity tests: facilities, principals and report inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.facilities.models import Facility
from jedel.capacity.report_input import BedInput, ReportInput

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
NATIONAL = Principal(label="ncc", role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL)


def make_facility(region, code: str = "KZ-TEST-1", *, kind: str = "city_hospital", interval: int = 240,
                  **extra) -> Facility:
    """An active facility at the region's administrative centre."""
    names = {"name_en": f"Hospital {code}", "name_ru": f"Больница {code}", "name_kk": f"Аурухана {code}"}
    return Facility.objects.create(code=code, kind=kind, region=region, lat=region.admin_center_lat,
                                   lon=region.admin_center_lon, reporting_interval_min=interval,
                                   **(names | extra))


def manager_of(facility: Facility) -> Principal:
    """A facility manager scoped to `facility`."""
    return Principal(label=f"mgr-{facility.code}", role=Role.FACILITY_MANAGER, scope_level=ScopeLevel.FACILITY,
                     region_id=facility.region_id, facility_id=facility.pk)


def token_of(facility: Facility) -> Principal:
    """A facility API token principal."""
    return Principal(label=f"token:{facility.code}", role=None, scope_level=ScopeLevel.FACILITY,
                     region_id=facility.region_id, facility_id=facility.pk, is_token=True)


def beds(*rows: tuple) -> tuple[BedInput, ...]:
    """Bed rows from tuples (type, staffed, occupied[, available[, surge]])."""
    return tuple(BedInput(*row) for row in rows)


def report(at: datetime = NOW, *, minutes_ago: int = 0, bed_rows: tuple = (("AdultICU", 10, 6),),
           **fields) -> ReportInput:
    """A valid report at `at - minutes_ago`."""
    return ReportInput(reported_at=at - timedelta(minutes=minutes_ago), beds=beds(*bed_rows), **fields)


def make_user(username: str, role: str, *, region=None, facility=None, password: str | None = None):
    """A user whose scope follows the role (national / region / facility)."""
    from jedel.accounts.models import User

    scope = {"regional_coordinator": "region"}.get(role, "facility" if facility is not None else "national")
    user = User(username=username, role=role, scope_level=scope,
                scope_region=region if scope == "region" else None,
                scope_facility=facility if scope == "facility" else None)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # tests sign in with force_login; hashing costs ~0.3 s per user
    user.save()
    return user
