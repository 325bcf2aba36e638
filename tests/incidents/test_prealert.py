"""Declaring an incident pre-alerts every hospital within the radius of the scene (issue 17 item 4), each once.

Distances are checked against a haversine written here (Sinnott 1984, mean Earth radius 6371.0088 km), not the
one under test; the expected set is also written out by hand from the table below.
"""

from __future__ import annotations

import math

import pytest

from jedel.facilities.models import Facility
from jedel.incidents.models import TimelineEntry
from jedel.incidents.services.prealert import prealert_send
from jedel.incidents.timeline_text import timeline_text
from jedel.notifications.models import Delivery, Notice
from tests.capacity.capacity_helpers import make_facility, make_user
from tests.incidents.conftest import T0, declare

SCENE = (43.2, 76.8)  # conftest.declare's scene
R_KM = 6371.0088
# code: (region, kind, lat, lon, staffed, active). Along the scene's meridian one degree is R·π/180 = 111.195 km:
# 0.44° north = 48.93 km, 0.46° north = 51.15 km, 0.40° south = 44.48 km. Along its parallel 0.60° east is
# 48.63 km and 0.63° east 51.07 km (cos 43.2° = 0.7290; the great circle is a little shorter than the parallel).
PLACES = {
    "P-N49": ("KZ-75", "city_hospital", 43.64, 76.80, True, True),
    "P-N51": ("KZ-75", "city_hospital", 43.66, 76.80, True, True),
    "P-S44": ("KZ-19", "central_district", 42.80, 76.80, True, True),  # another region, still near: alerted
    "P-E49": ("KZ-19", "trauma", 43.20, 77.40, False, True),  # near, but nobody to reach there
    "P-E51": ("KZ-19", "trauma", 43.20, 77.43, True, True),
    "P-POLY": ("KZ-75", "polyclinic", 43.21, 76.81, True, True),  # not a hospital
    "P-SHUT": ("KZ-75", "city_hospital", 43.21, 76.81, True, False),  # inactive
}
# The world's INC-H1 stands at Almaty city's administrative centre (~8 km away); INC-H2 is in Astana.
WITHIN_50 = {"INC-H1", "P-N49", "P-S44", "P-E49"}


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(a))


@pytest.fixture
def places(world, kz):
    made = {}
    for code, (iso, kind, lat, lon, staffed, active) in PLACES.items():
        f = make_facility(kz[iso], code, kind=kind)
        Facility.objects.filter(pk=f.pk).update(lat=lat, lon=lon, active=active)
        if staffed:
            make_user(f"mgr-{code}", "facility_manager", facility=f)
        made[code] = f
    return made


def test_the_expected_set_is_what_an_independent_haversine_says(places):
    assert round(haversine_km(*SCENE, 43.64, 76.80), 2) == 48.93
    assert round(haversine_km(*SCENE, 43.20, 77.43), 2) == 51.07
    hospitals = Facility.objects.filter(active=True).exclude(kind="polyclinic")
    near = {f.code for f in hospitals if haversine_km(*SCENE, f.lat, f.lon) <= 50}
    assert near == WITHIN_50


def test_declaring_pre_alerts_every_hospital_within_50_km_once(world, places):
    incident = declare(world)
    notices = Notice.objects.filter(data__prealert=incident.pk)
    assert {n.facility.code for n in notices} == WITHIN_50 - {"P-E49"}
    assert {n.kind for n in notices} == {"incoming_patient"}
    assert all(n.exercise is False and n.title == f"Pre-alert: {incident.title}" for n in notices)
    n49 = notices.get(facility__code="P-N49")
    assert (n49.data["distance_km"], n49.dedupe_key) == (48.9, f"prealert:{incident.pk}:{places['P-N49'].pk}")
    assert set(Delivery.objects.filter(notice=n49).values_list("recipient__username", flat=True)) == {"mgr-P-N49"}
    entry = TimelineEntry.objects.get(incident=incident, data__prealert=True)
    assert entry.kind == "notified"
    assert set(entry.data["notices"]) == WITHIN_50 - {"P-E49"}
    assert entry.data["unreachable"] == {"P-E49": "no_recipients"}
    assert entry.data["radius_km"] == 50.0
    assert timeline_text(entry).startswith("Hospitals within 50 km pre-alerted: ")
    # Again (a repeat, or a later widening): nobody is alerted twice and nothing more is recorded.
    again = prealert_send(actor=world["p"]["nc"], incident=incident, now=T0)
    assert (again.notices, again.unreachable) == ({}, {})
    assert Notice.objects.filter(data__prealert=incident.pk).count() == 3
    assert TimelineEntry.objects.filter(incident=incident, data__prealert=True).count() == 1


def test_an_exercise_sends_exercise_pre_alerts(world, places):
    incident = declare(world, exercise=True)
    notices = Notice.objects.filter(data__prealert=incident.pk)
    assert notices.count() == 3
    assert all(n.exercise and n.title == f"EXERCISE — Pre-alert: {incident.title}" for n in notices)


def test_the_radius_is_a_setting(world, places, settings):
    settings.JEDEL_PREALERT_RADIUS_KM = 45
    incident = declare(world)
    # 45 km: INC-H1 (~8 km) and P-S44 (44.48 km); P-N49 (48.93) and P-E49 (48.63) are now too far.
    assert {n.facility.code for n in Notice.objects.filter(data__prealert=incident.pk)} == {"INC-H1", "P-S44"}
    assert {f.code for f in Facility.objects.filter(active=True).exclude(kind="polyclinic")
            if haversine_km(*SCENE, f.lat, f.lon) <= 45} == {"INC-H1", "P-S44"}


def test_no_hospital_near_no_entry(world, settings):
    settings.JEDEL_PREALERT_RADIUS_KM = 1
    incident = declare(world)
    assert not Notice.objects.filter(data__prealert=incident.pk).exists()
    assert not TimelineEntry.objects.filter(incident=incident, data__prealert=True).exists()
