"""Two regions (Almaty city KZ-75, Astana KZ-71), a hospital in each, and people with each kind of scope."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jedel.accounts.policy import principal_for_user
from jedel.incidents.engines import triage_compute
from jedel.incidents.services.incidents import incident_declare
from tests.capacity.capacity_helpers import make_facility, make_user

T0 = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
# START, published case: not walking, breathing, RR 34/min > 30 → IMMEDIATE (Benson et al. 1996).
RED = {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}
GREEN = {"can_walk": True}


def principal(user):
    found = principal_for_user(user)
    assert found is not None
    return found


@pytest.fixture
def world(kz):
    almaty, astana = kz["KZ-75"], kz["KZ-71"]
    h1, h2 = make_facility(almaty, "INC-H1"), make_facility(astana, "INC-H2")
    users = {
        "nc": make_user("inc-nc", "national_coordinator"),
        "rc75": make_user("inc-rc75", "regional_coordinator", region=almaty),
        "rc71": make_user("inc-rc71", "regional_coordinator", region=astana),
        "medic_h1": make_user("inc-medic-h1", "clinician", facility=h1),
        "manager_h2": make_user("inc-manager-h2", "facility_manager", facility=h2),
        "viewer": make_user("inc-viewer", "viewer"),
    }
    return {"almaty": almaty, "astana": astana, "h1": h1, "h2": h2, "users": users,
            "p": {k: principal(u) for k, u in users.items()}}


def declare(world, who="nc", *, regions=("KZ-75",), exercise=False, now=T0, **extra):
    fields = {"title": "Bus crash on the Almaty–Bishkek road", "kind": "transport", "scene_lat": 43.2,
              "scene_lon": 76.8, "estimated_casualties": 25, "response_level": "regional"} | extra
    return incident_declare(actor=world["p"][who], region_isos=list(regions), is_exercise=exercise, now=now, **fields)


def start(findings):
    return triage_compute("start", findings)


@pytest.fixture
def slow_location_write(monkeypatch):
    """Widen the window between a writer's read and its write (each location row takes 50 ms more), so a missing
    row lock would let two concurrent writers through."""
    import time

    from jedel.incidents.models import CasualtyLocation

    original = CasualtyLocation.save

    def save(self, *args, **kwargs):
        time.sleep(0.05)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CasualtyLocation, "save", save)
