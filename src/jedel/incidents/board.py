"""What the MCI board shows: counts, each receiving hospital's incoming and arrived casualties against its places,
the scene and collection points. No personal data: everyone who may see the incident may see the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jedel.accounts.policy import Principal
from jedel.incidents.selectors_distribution import (
    HospitalLoad,
    collection_point_list,
    full_categories,
    incident_loads,
)
from jedel.incidents.engines import live_receiving_hospitals
from jedel.incidents.models import CollectionPoint, Incident
from jedel.incidents.selectors import CasualtyCounts, casualty_counts
from jedel.incidents.services.distribution import places_taken, remaining_places


@dataclass
class Board:
    incident: Incident
    counts: CasualtyCounts
    hospitals: list[HospitalLoad]
    collection_points: list[CollectionPoint]


def board_compute(*, viewer: Principal | None, incident: Incident, now: datetime) -> Board:
    """The board as of `now`: every receiving hospital of the affected regions on the live board, and every
    hospital the incident's casualties are heading to or reached (by code)."""
    counts = casualty_counts(viewer=viewer, incident=incident)  # checks view_incident
    points = collection_point_list(viewer=viewer, incident=incident)
    live = live_receiving_hospitals(now=now, region_isos=list(incident.regions.values_list("iso_code", flat=True)))
    full = full_categories(incident)
    remaining = remaining_places(live, places_taken(incident=incident, now=now), full)
    loads = incident_loads(incident)
    for h in live:
        load = loads.setdefault(h.code, HospitalLoad(code=h.code, name=h.name, lat=h.lat, lon=h.lon))
        load.capacity, load.remaining = dict(h.capacity), remaining[h.code]
    for code, load in loads.items():
        load.full = sorted(full.get(code, set()))
    ordered = sorted(loads.values(), key=lambda h: (-sum(h.incoming.values()) - sum(h.arrived.values()), h.code))
    return Board(incident=incident, counts=counts, hospitals=ordered, collection_points=points)
