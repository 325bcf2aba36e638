"""Two dispatchers at once (PostgreSQL only, like tests/capacity/test_concurrency.py): one aircraft for two requests,
and two aircraft for one request — one wins, the other gets 409; no aircraft flies two missions."""

from __future__ import annotations

import time

import pytest

from jedel.common.errors import Conflict
from jedel.transfers.models import Mission, Transfer, TransportAsset
from jedel.transfers.services import dispatch
from jedel.transfers.services.dispatch import transfer_assign
from jedel.transfers.services.requests import transfer_accept
from tests.common.races import race, require_postgres
from tests.transfers.helpers import NATIONAL, NOW, asset, request, staff

pytestmark = pytest.mark.postgres


@pytest.fixture
def slow_option(monkeypatch):
    """Widen the window between checking the asset and creating the mission (a missing lock would show)."""
    original = dispatch.asset_option

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(dispatch, "asset_option", slow)


def _accepted(net, dest):
    t = request(net["D"], net[dest])
    return transfer_accept(actor=staff(net[dest]), transfer_id=t.pk, now=NOW)


@pytest.mark.django_db(transaction=True)
def test_one_aircraft_for_two_requests_one_wins_one_gets_409(net, slow_option):
    require_postgres()
    heli = asset("HELI-1", "helicopter", net["AIR"])
    first, second = _accepted(net, "H1"), _accepted(net, "H2")
    results = race([lambda t=t: transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW)
                     for t in (first, second)])
    winners = [r for r in results if isinstance(r, Mission)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].code.value == "transfer_asset_on_mission"
    assert Mission.objects.filter(asset=heli).count() == 1
    assert sorted(Transfer.objects.values_list("state", flat=True)) == ["accepted", "transport_arranged"]
    assert TransportAsset.objects.get(pk=heli.pk).status == "on_mission"


@pytest.mark.django_db(transaction=True)
def test_two_aircraft_for_one_request_one_wins_one_gets_409(net, slow_option):
    require_postgres()
    a, b = asset("HELI-1", "helicopter", net["AIR"]), asset("HELI-2", "helicopter", net["AIR"])
    t = _accepted(net, "H1")
    results = race([lambda x=x: transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=x.pk, version=2, now=NOW)
                     for x in (a, b)])
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len([r for r in results if isinstance(r, Mission)]) == 1 and len(losers) == 1, results
    assert losers[0].code.value == "transfer_already_arranged"
    assert Mission.objects.count() == 1
    assert sorted(TransportAsset.objects.values_list("status", flat=True)) == ["available", "on_mission"]
