"""Requests still open past their urgency's deadline (emergency 6 h, urgent 24 h) expire on the notification
worker's periodic tick, registered by the transfers app at start-up; nothing else changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jedel.notifications import periodic
from jedel.transfers.models import Transfer
from jedel.transfers.services.dispatch import transfer_assign
from jedel.transfers.services.requests import transfer_accept
from tests.transfers.helpers import NATIONAL, NOW, asset, request, staff

pytestmark = pytest.mark.django_db


def test_the_periodic_runner_expires_overdue_requests_only(net):
    overdue = request(net["D"], net["H1"], reference="E-1")                      # emergency: due NOW + 6 h
    still_open = request(net["D"], net["H1"], reference="U-1", urgency="urgent")  # due NOW + 24 h
    moving = request(net["D"], net["H1"], reference="E-2")                       # transport arranged: never expires
    transfer_accept(actor=staff(net["H1"]), transfer_id=moving.pk, now=NOW + timedelta(minutes=5))
    transfer_assign(actor=NATIONAL, transfer_id=moving.pk, asset_id=asset("HELI-9", "helicopter", net["AIR"]).pk,
                    now=NOW + timedelta(minutes=10))
    periodic.reset()
    periodic.run_due(NOW + timedelta(hours=5, minutes=59))
    assert Transfer.objects.get(pk=overdue.pk).state == "requested"
    periodic.reset()
    periodic.run_due(NOW + timedelta(hours=6, minutes=1))
    states = {t.reference: (t.state, t.closed_at) for t in Transfer.objects.all()}
    assert states == {"E-1": ("expired", NOW + timedelta(hours=6, minutes=1)), "U-1": ("requested", None),
                      "E-2": ("transport_arranged", None)}
    assert still_open.version == Transfer.objects.get(pk=still_open.pk).version
    periodic.reset()
