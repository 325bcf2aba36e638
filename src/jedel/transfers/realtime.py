"""The transfers stream: a transfer changed state, was routed or got transport; an asset changed status.

A transfer lies at two facilities, but an event is filed under one region and facility: it is published for the
sending side and, when named and different, again for the receiving side, so the staff of both hospitals and the
coordinators over both regions receive it (a national viewer receives both copies; clients apply them
idempotently). The event carries no diagnosis: the page re-reads what its viewer may see.
"""

from __future__ import annotations

from typing import Any

from jedel.common.realtime.publish import publish
from jedel.common.realtime.streams import register_stream
from jedel.facilities.models import Facility
from jedel.transfers.models import Transfer, TransportAsset
from jedel.transfers.permissions import VIEW_ASSETS, VIEW_TRANSFERS

STREAM = register_stream("transfers")


def transfer_changed_publish(transfer: Transfer, kind: str, *, left: Facility | None = None) -> None:
    """`kind`: transfer.requested / .accepted / .rejected / .routed / .arranged / .departed / .arrived /
    .cancelled / .expired / mission.<step> (at_patient, departed, …); inside the write's transaction.
    `left`: the destination a re-routing took the transfer away from; its side is told too, or its pages would
    list the transfer until their next re-read."""
    data: dict[str, Any] = {"transfer": transfer.pk, "state": transfer.state, "urgency": transfer.urgency,
                            "mode": transfer.mode, "version": transfer.version, "exercise": transfer.exercise}
    places = [(transfer.origin.region_id, transfer.origin_id)]
    if transfer.destination is not None and transfer.destination_id != transfer.origin_id:
        places.append((transfer.destination.region_id, transfer.destination_id))
    if left is not None and left.pk not in {facility_id for _, facility_id in places}:
        places.append((left.region_id, left.pk))
    for region_id, facility_id in places:
        publish(STREAM, kind, data, read_action=VIEW_TRANSFERS.name, region_id=region_id, facility_id=facility_id,
                exercise=transfer.exercise)


def asset_changed_publish(asset: TransportAsset) -> None:
    """An asset's status changed (inside the write's transaction); everyone may see assets."""
    publish(STREAM, "asset.status", {"asset": asset.pk, "call_sign": asset.call_sign, "status": asset.status},
            read_action=VIEW_ASSETS.name, region_id=asset.region_id)
