"""A receiving hospital in Almaty with an admissions desk (two people), the region's desk, the NCCEM duty desk."""

from __future__ import annotations

import pytest

from jedel.notifications.adapters import memory_reset
from tests.capacity.capacity_helpers import make_facility, make_user
from tests.notifications.notify_helpers import desk_with


@pytest.fixture(autouse=True)
def _no_periodic_jobs(monkeypatch):
    """The worker's periodic jobs (overdue reminders) are tested on their own, not in every tick here."""
    from jedel.notifications import periodic

    monkeypatch.setattr(periodic, "_JOBS", {})


@pytest.fixture(autouse=True)
def _memory_channels(settings):
    settings.JEDEL_NOTIFY_SMS = "memory"
    settings.JEDEL_NOTIFY_EMAIL = "memory"
    settings.JEDEL_NOTIFY_TELEGRAM = "off"
    memory_reset()
    yield
    memory_reset()


@pytest.fixture
def net(kz):
    almaty = kz["KZ-75"]
    hospital = make_facility(almaty, "KZ-ALA-H1")
    people = {name: make_user(name, role, facility=hospital if role != "regional_coordinator" else None,
                              region=almaty if role == "regional_coordinator" else None)
              for name, role in [("ed_nurse", "clinician"), ("ed_doctor", "clinician"),
                                 ("region_desk", "regional_coordinator")]}
    people["duty"] = make_user("nccem_duty", "national_coordinator")
    people["sender"] = make_user("dispatcher", "regional_coordinator", region=almaty)
    desks = {
        "admissions": desk_with("admissions", [people["ed_nurse"], people["ed_doctor"]], facility=hospital),
        "region": desk_with("region_coordination", [people["region_desk"]], region=almaty),
        "nccem": desk_with("nccem_duty", [people["duty"]]),
    }
    return {"region": almaty, "hospital": hospital, "people": people, "desks": desks}
