"""The capacity stream: one stored event per change of a facility's current status.

The event carries the facility's map marker (the status model's own dump, cut to MAP_FIELDS), so an open
board redraws that facility at once without fetching anything; the tables and region totals are refreshed
on the board's next tick only when something changed. Everyone who may read the board may read the event.
"""

from __future__ import annotations

from jedel.capacity.permissions import VIEW_BOARD
from jedel.capacity.selectors.status_model import MAP_FIELDS, StatusRow
from jedel.common.realtime.publish import publish
from jedel.common.realtime.streams import register_stream

# Registered when the capacity app loads (AppConfig.ready imports this module) in every process.
STREAM = register_stream("capacity")
STATUS_CHANGED = "status.changed"


def status_changed_publish(row: StatusRow) -> None:
    """Announce `row` as the facility's new current status; call inside the transaction that made it so."""
    dump = row.model_dump(mode="json")
    publish(STREAM, STATUS_CHANGED, {"region": row.region, "marker": {k: dump[k] for k in MAP_FIELDS}},
            read_action=VIEW_BOARD.name, region_id=row.region_id, facility_id=row.facility_id)
