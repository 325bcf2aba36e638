"""The transfers world: a district hospital D at 50°N 70°E and receiving hospitals north of it on the meridian."""

from __future__ import annotations

import pytest

from tests.transfers.helpers import beds, facility


@pytest.fixture
def net(kz):
    region, other = kz["KZ-35"], kz["KZ-71"]
    d = facility(region, "T-D", 50.0, kind="central_district")
    h1 = facility(other, "T-H1", 51.0, neurosurgery=True)            # 1° north: 111.195 km
    h2 = facility(other, "T-H2", 52.0, neurosurgery=True)            # 2° north
    h3 = facility(region, "T-H3", 50.5)                               # no neurosurgery
    h4 = facility(region, "T-H4", 50.2, neurosurgery=True)           # no free ICU bed
    base = facility(region, "T-AIR", 49.0, kind="air_ambulance_base")  # 1° south of D
    for f in (d, h3):
        beds(f, ("AdultICU", 10, 5))
    beds(h1, ("AdultICU", 10, 8))   # 2 vacant
    beds(h2, ("AdultICU", 10, 1))   # 9 vacant
    beds(h4, ("AdultICU", 6, 6), ("MedicalSurgical", 20, 10))  # ICU full
    return {"D": d, "H1": h1, "H2": h2, "H3": h3, "H4": h4, "AIR": base, "region": region, "other": other}


@pytest.fixture
def live_net(net):
    """The same network with its reports as of the real time (pages and servers read the board at the clock's now)."""
    from jedel.common.clock import utcnow

    now = utcnow()
    for key, rows in (("D", [("AdultICU", 10, 5)]), ("H3", [("AdultICU", 10, 5)]), ("H1", [("AdultICU", 10, 8)]),
                      ("H2", [("AdultICU", 10, 1)]), ("H4", [("AdultICU", 6, 6), ("MedicalSurgical", 20, 10)])):
        beds(net[key], *rows, now=now)
    return net
