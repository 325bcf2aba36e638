"""`jedel demo`'s transfers: synthetic aircraft and road ambulances at the demo bases, three finished and three open
transfers through the services, created once however often the demo runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jedel.demo.network import demo_network_generate
from jedel.demo.transfers import demo_transfers_create
from jedel.transfers.models import Mission, Transfer, TransportAsset

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # 11:00 in Almaty


def test_demo_transfers_are_labelled_and_made_once(kz):
    demo_network_generate(seed=2026, now=NOW, regions=["KZ-75", "KZ-71"])
    line = demo_transfers_create(now=NOW)
    # KZ-71: NCCEM base (2 planes, 1 helicopter) + station (2 road); KZ-75: base (1 helicopter) + station (2 road).
    assert TransportAsset.objects.filter(synthetic=True).count() == 8
    states = dict(Transfer.objects.values_list("reference", "state"))
    assert states == {"DEMO-TR-001": "arrived", "DEMO-TR-002": "arrived", "DEMO-TR-003": "arrived",
                      "DEMO-TR-004": "requested", "DEMO-TR-005": "accepted", "DEMO-TR-006": "departed"}
    modes = dict(Transfer.objects.exclude(mode="").values_list("reference", "mode"))
    assert modes == {"DEMO-TR-001": "helicopter", "DEMO-TR-002": "fixed_wing", "DEMO-TR-003": "road",
                     "DEMO-TR-006": "helicopter"}
    assert Transfer.objects.get(reference="DEMO-TR-002").declines.count() == 1
    assert Mission.objects.filter(ended_at__isnull=True).count() == 1  # the patient in motion
    assert line.startswith("Transfers: 8 synthetic transport assets (8 created), 6 demo transfers created")
    again = demo_transfers_create(now=NOW)
    assert "(0 created), 0 demo transfers created (6 in all" in again
    assert Transfer.objects.count() == 6
