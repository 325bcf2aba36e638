"""Bridge to `jedel.core` for transfers: receiving facilities ranked from the live capacity board, and the dispatch
options (road, helicopter, fixed-wing) with their ETAs from the core travel models.

Ranking (issue 9 item 2): the live hospitals come through the engine seam (`capacity.engines.live_hospitals`: on
the board, reporting on time, admitting inpatients); a candidate must have every required capability and at
least one vacant staffed bed of the needed HAvBED type in its current report; candidates beyond
`max_distance_km` are out of range. Order: road travel time from the sending hospital (rural roads, the core road
model), then more vacant beds first, then facility code. Facilities that declined this transfer are left out.
When nothing is feasible the reason says which filter emptied the list, in that order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from jedel.capacity.engines import REGISTRY_CAPABILITIES, live_hospitals
from jedel.core.travel import FIXED_WING, HELICOPTER, RoadClass, haversine_km, road_time_min
from jedel.core.travel.missions import (
    MissionEta,
    MissionParameters,
    fixed_wing_mission_min,
    helicopter_mission_min,
    road_mission_min,
    with_daylight,
)
from jedel.facilities.models import Facility
from jedel.transfers.models import AssetKind, Transfer, TransportAsset
from jedel.transfers.selectors import airfields, busy_asset_ids, live_beds

DEFAULT_MAX_DISTANCE_KM = 2500.0  # about the country's width (Aktau-Ust-Kamenogorsk): the whole country in range
AIRCRAFT = {AssetKind.HELICOPTER.value: HELICOPTER, AssetKind.FIXED_WING.value: FIXED_WING}


def mission_parameters() -> MissionParameters:
    """Preparation, handover and the daylight window (setting JEDEL_TRANSFER_MISSION: a dict of
    `MissionParameters` fields; the documented defaults otherwise)."""
    return MissionParameters(**getattr(settings, "JEDEL_TRANSFER_MISSION", {}))


def max_distance_km() -> float:
    """Range within which a destination is proposed (setting JEDEL_TRANSFER_MAX_KM)."""
    return float(getattr(settings, "JEDEL_TRANSFER_MAX_KM", DEFAULT_MAX_DISTANCE_KM))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(haversine_km(lat1, lon1, lat2, lon2))


@dataclass(frozen=True)
class Destination:
    code: str
    name: str
    lat: float
    lon: float
    distance_km: float
    travel_min: float
    beds_available: int


@dataclass
class Ranking:
    destinations: list[Destination] = field(default_factory=list)
    reason_code: str = ""  # "" when some destination is feasible
    reason: str = ""


def destinations_rank(transfer: Transfer, *, now: datetime, max_km: float | None = None) -> Ranking:
    """The feasible receiving facilities for `transfer`, best first, or the reason there is none."""
    limit = max_distance_km() if max_km is None else max_km
    origin = transfer.origin
    declined = set(transfer.declines.values_list("facility__code", flat=True))
    hospitals = [h for h in live_hospitals(now=now) if h.hospital_id != origin.code
                 and h.hospital_id not in declined]
    if not hospitals:
        return Ranking(reason_code="no_live_hospital", reason=_("No other hospital is reporting on the board."))
    needed = {REGISTRY_CAPABILITIES[c] for c in transfer.capabilities}
    capable = [h for h in hospitals if needed <= h.capabilities]
    if not capable:
        return Ranking(reason_code="no_capability", reason=_(
            "No hospital on the board has every required capability: %(caps)s.") % {
            "caps": ", ".join(transfer.capabilities)})
    beds = live_beds(now=now)
    with_beds = [(h, beds.get(h.hospital_id, {}).get(transfer.bed_type, 0)) for h in capable]
    with_beds = [(h, n) for h, n in with_beds if n > 0]
    if not with_beds:
        return Ranking(reason_code="no_beds", reason=_(
            "%(n)d hospitals have the capabilities, but none has a vacant bed of the type %(bed)s.") % {
            "n": len(capable), "bed": transfer.bed_type})
    out = []
    for h, n in with_beds:
        d = _km(origin.lat, origin.lon, h.lat_deg, h.lon_deg)
        if d <= limit:
            out.append(Destination(code=h.hospital_id, name=h.name, lat=h.lat_deg, lon=h.lon_deg, distance_km=d,
                                   travel_min=float(road_time_min(d, RoadClass.RURAL)), beds_available=n))
    if not out:
        return Ranking(reason_code="out_of_range", reason=_(
            "The hospitals with the capabilities and a vacant bed are all farther than %(km)d km.") % {
            "km": int(limit)})
    out.sort(key=lambda d: (d.travel_min, -d.beds_available, d.code))
    return Ranking(destinations=out)


@dataclass(frozen=True)
class DispatchOption:
    asset_id: int
    call_sign: str
    kind: str
    base: str
    at_patient_min: float
    delivered_min: float
    reason: str  # "" = feasible; else on_mission / maintenance / weather_grounded / missing_equipment /
    #              out_of_range / night

    @property
    def feasible(self) -> bool:
        return self.reason == ""


def _nearest(lat: float, lon: float, fields: list[Facility]) -> Facility:
    return min(fields, key=lambda f: (_km(lat, lon, f.lat, f.lon), f.code))


def mission_eta(asset: TransportAsset, origin: Facility, dest: Facility, *, start_hour_local: float,
                params: MissionParameters | None = None) -> MissionEta:
    """The asset's minutes to the patient and to delivery (with the daylight limit for day-only aircraft)."""
    base = asset.base
    if asset.kind == AssetKind.ROAD:
        return road_mission_min(base_to_origin_km=_km(base.lat, base.lon, origin.lat, origin.lon),
                                origin_to_dest_km=_km(origin.lat, origin.lon, dest.lat, dest.lon), params=params)
    aircraft = AIRCRAFT[asset.kind]
    if asset.kind == AssetKind.HELICOPTER:
        eta = helicopter_mission_min(base_to_origin_km=_km(base.lat, base.lon, origin.lat, origin.lon),
                                     origin_to_dest_km=_km(origin.lat, origin.lon, dest.lat, dest.lon),
                                     aircraft=aircraft, params=params)
    else:
        fields = airfields() or [base]
        a1, a2 = _nearest(origin.lat, origin.lon, fields), _nearest(dest.lat, dest.lon, fields)
        eta = fixed_wing_mission_min(
            base_to_origin_airfield_km=_km(base.lat, base.lon, a1.lat, a1.lon),
            origin_airfield_to_origin_km=_km(a1.lat, a1.lon, origin.lat, origin.lon),
            origin_airfield_to_dest_airfield_km=_km(a1.lat, a1.lon, a2.lat, a2.lon),
            dest_airfield_to_dest_km=_km(a2.lat, a2.lon, dest.lat, dest.lon), aircraft=aircraft, params=params)
    return with_daylight(eta, start_hour_local=start_hour_local, night_capable=asset.night_capable, params=params)


def local_hour(now: datetime) -> float:
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.hour + local.minute / 60.0


def asset_option(asset: TransportAsset, transfer: Transfer, *, now: datetime, busy: set[int] | None = None,
                 params: MissionParameters | None = None) -> DispatchOption:
    """One asset as an option for `transfer` (whose destination is named), feasible or with its reason."""
    assert transfer.destination is not None
    busy = busy_asset_ids() if busy is None else busy
    params = params or mission_parameters()
    eta = mission_eta(asset, transfer.origin, transfer.destination, start_hour_local=local_hour(now), params=params)
    reason = eta.reason
    if asset.pk in busy or asset.status == "on_mission":
        reason = "on_mission"
    elif asset.status != "available":
        reason = asset.status
    elif not set(transfer.needs) <= set(asset.equipment):
        reason = "missing_equipment"
    return DispatchOption(asset_id=asset.pk, call_sign=asset.call_sign, kind=asset.kind, base=asset.base.name,
                          at_patient_min=eta.at_patient_min, delivered_min=eta.delivered_min, reason=reason)


def dispatch_options(transfer: Transfer, assets: list[TransportAsset], *, now: datetime,
                     params: MissionParameters | None = None) -> list[DispatchOption]:
    """Every aircraft, and the road ambulances of the sending region, as options: feasible ones first by delivery
    time (fastest first), then the others with their reason."""
    busy = busy_asset_ids()
    candidates = [a for a in assets if a.kind != AssetKind.ROAD or a.region_id == transfer.origin.region_id]
    options = [asset_option(a, transfer, now=now, busy=busy, params=params) for a in candidates]
    return sorted(options, key=lambda o: (not o.feasible, o.delivered_min if math.isfinite(o.delivered_min)
                                          else math.inf, o.call_sign))
