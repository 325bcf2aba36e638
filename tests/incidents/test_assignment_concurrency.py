"""Two coordinators assigning at once (PostgreSQL only, like test_concurrency.py): one casualty, one version — one
wins and the other gets 409; two casualties for a hospital's last place — one is sent, the other refused for
capacity. Nothing is overwritten and no place is given twice."""

from __future__ import annotations

import time

import pytest

from jedel.common.errors import Conflict
from jedel.incidents.models import Assignment, Casualty, TimelineEntry
from jedel.incidents.services.distribution import assignment_accept
from tests.incidents.conftest import declare
from tests.incidents.distribution_helpers import SCENE, network, register_all  # noqa: F401
from tests.common.races import race, require_postgres

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_assigning_one_casualty_one_wins_one_gets_409(network, slow_location_write):
    require_postgres()
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, [("R1", "immediate")])
    jobs = [("nc", "MCI-NEAR"), ("rc75", "MCI-FAR")]
    results = race([lambda w=w, h=h: assignment_accept(actor=network["p"][w], incident_id=incident.pk, tag="R1",
                                                        hospital=h, version=1, reason="race")
                     for w, h in jobs])
    winners = [r for r in results if isinstance(r, Assignment)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].code.value == "tracking_version_stale"
    stored = Casualty.objects.get(tag="R1")
    assert (stored.destination_id, stored.version) == (winners[0].facility_id, 2)
    assert Assignment.objects.count() == 1
    assert TimelineEntry.objects.filter(kind="casualty_assigned").count() == 1


@pytest.fixture
def slow_after_capacity_check(monkeypatch):
    """Widen the window between counting a hospital's places and taking one (the travel time comes next)."""
    from jedel.incidents.services import distribution

    original = distribution.travel_minutes_compute

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(distribution, "travel_minutes_compute", slow)


@pytest.mark.django_db(transaction=True)
def test_two_casualties_for_the_last_place_one_is_sent_one_is_refused(network, slow_after_capacity_check):
    require_postgres()
    # Two incidents at once (one incident's assignments already queue on its row): MCI-NEAR has 1 immediate place.
    first = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    second = declare(network, title="Second scene", scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, first, [("R1", "immediate")])
    register_all(network, second, [("R2", "immediate")])
    results = race([lambda i=i, t=t, w=w: assignment_accept(actor=network["p"][w], incident_id=i.pk, tag=t,
                                                             hospital="MCI-NEAR", version=1, reason="race")
                     for i, t, w in ((first, "R1", "nc"), (second, "R2", "rc75"))])
    winners = [r for r in results if isinstance(r, Assignment)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].code.value == "hospital_capacity_exceeded"
    assert Casualty.objects.filter(destination__code="MCI-NEAR").count() == 1
