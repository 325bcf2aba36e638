"""A small receiving network around a scene in Almaty city (KZ-75), with live MCI capacity on the board."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.accounts.services import SYSTEM
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from jedel.common.clock import utcnow
from jedel.facilities.models import Facility
from jedel.incidents.services.casualties import casualty_register
from tests.capacity.capacity_helpers import make_facility, make_user
from tests.incidents.conftest import principal, start

SCENE = (43.20, 76.80)
# code: (lat, lon, immediate, delayed, minimal per hour)
HOSPITALS = {
    "MCI-NEAR": (43.22, 76.82, 1, 1, 2),
    "MCI-MID": (43.30, 76.90, 1, 1, 0),
    "MCI-FAR": (43.45, 77.10, 2, 2, 5),
}
# START findings (Benson et al. 1996): RR 34/min → immediate; walks → minimal; RR 20, pulse, obeys → delayed.
FINDINGS = {
    "immediate": {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34},
    "delayed": {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 20,
                "peripheral_pulse_palpable": True, "obeys_commands": True},
    "minimal": {"can_walk": True},
}
CASUALTIES = [("R1", "immediate"), ("R2", "immediate"), ("R3", "immediate"), ("Y1", "delayed"), ("Y2", "delayed"),
              ("G1", "minimal")]


def capacity_report(facility, immediate, delayed, minimal):
    report_submit(actor=SYSTEM, facility=facility, source="api", now=utcnow(),
                  data=ReportInput(reported_at=utcnow() - timedelta(minutes=5), beds=(BedInput("AdultICU", 10, 5),),
                                   mci_immediate_per_hour=immediate, mci_delayed_per_hour=delayed,
                                   mci_minimal_per_hour=minimal))


@pytest.fixture
def network(world):
    almaty = world["almaty"]
    facilities = {}
    for code, (lat, lon, i, d, m) in HOSPITALS.items():
        facilities[code] = make_facility(almaty, code)
        Facility.objects.filter(pk=facilities[code].pk).update(lat=lat, lon=lon)
        facilities[code].refresh_from_db()
        capacity_report(facilities[code], i, d, m)
    managers = {code: make_user(f"mgr-{code}", "facility_manager", facility=f) for code, f in facilities.items()}
    clinician = make_user("ed-near", "clinician", facility=facilities["MCI-NEAR"])
    return {**world, "facilities": facilities, "managers": managers, "clinician": clinician,
            "mp": {code: principal(u) for code, u in managers.items()}}


def register_all(network, incident, casualties=CASUALTIES):
    for tag, category in casualties:
        casualty, _ = casualty_register(actor=network["p"]["nc"], incident_id=incident.pk, tag=tag,
                                        age_band="adult", name="Secret Name", triage=start(FINDINGS[category]))
        assert casualty.category == category
