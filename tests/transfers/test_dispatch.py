"""Dispatch options and ETAs against the core travel models (hand-computed), assignment rules, mission timeline.

One degree on the meridian = 111.19508 km. Helicopter (core default): 220 km/h block speed, route factor 1.05,
15 min dispatch: a 1° leg flies 111.19508 × 1.05 / 220 × 60 = 31.8422 min. Fixed-wing: 400 km/h, 45 min
dispatch: a 1° leg 17.5132 min. Road (rural): 1.3 min per km; 10 min preparation. Handover at the sender 20 min.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jedel.accounts.models import Role
from jedel.common.errors import Conflict, DomainError, PermissionDenied
from jedel.transfers.engines import dispatch_options
from jedel.transfers.models import TransportAsset
from jedel.transfers.services.dispatch import asset_status_set, mission_step, transfer_assign
from jedel.transfers.services.requests import transfer_accept, transfer_cancel
from jedel.transfers.selectors import asset_list
from tests.transfers.helpers import NATIONAL, NOW, asset, facility, regional, request, staff

pytestmark = pytest.mark.django_db


def _accepted(net, **kw):
    t = request(net["D"], net["H1"], **kw)
    return transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=NOW)


def _options(t, now=NOW):
    return {o.call_sign: (round(o.at_patient_min, 2), round(o.delivered_min, 2), o.reason)
            for o in dispatch_options(t, asset_list(viewer=NATIONAL), now=now)}


def test_etas_of_road_helicopter_and_fixed_wing(net):
    t = _accepted(net)
    station = facility(net["region"], "T-EMS", 50.0, kind="ambulance_station")  # at D
    facility(net["other"], "T-AF2", 51.1, kind="air_ambulance_base")  # airfield 0.1° north of H1
    asset("ROAD-1", "road", station)
    asset("HELI-1", "helicopter", net["AIR"])
    asset("PLANE-1", "fixed_wing", net["AIR"], night=True)
    got = _options(t)
    # Road: 10 + 0 km; delivered + 20 handover + 111.19508 × 1.3 = 144.5536.
    assert got["ROAD-1"] == (10.0, 174.55, "")
    # Helicopter: 15 + 31.8422 = 46.8422; + 20 + 31.8422 = 98.6845.
    assert got["HELI-1"] == (46.84, 98.68, "")
    # Fixed-wing: origin airfield = the base (1° south of D, nearer than T-AF2), destination airfield T-AF2.
    # At patient: 45 + 0 (flight base→base) + road 1° back north 144.5536 = 189.5536.
    # Delivered: + 20 + 144.5536 (road to the airfield) + flight 2.1° (36.7777) + road 0.1° (14.4554) = 405.34.
    assert got["PLANE-1"] == (189.55, 405.34, "")
    order = [o.call_sign for o in dispatch_options(t, asset_list(viewer=NATIONAL), now=NOW)]
    assert order == ["HELI-1", "ROAD-1", "PLANE-1"]


def test_day_only_helicopter_refused_at_night_night_capable_one_flies(net):
    t = _accepted(net)
    asset("HELI-DAY", "helicopter", net["AIR"])
    asset("HELI-NVG", "helicopter", net["AIR"], night=True)
    evening = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)  # 19:00 Almaty: 98.7 min ends after 20:00
    got = _options(t, now=evening)
    assert got["HELI-DAY"][2] == "night"
    assert got["HELI-NVG"] == (46.84, 98.68, "")


def test_helicopter_range_limit_per_leg(net):
    far = facility(net["region"], "T-FARBASE", 44.0, kind="air_ambulance_base")  # 6° = 667.2 km > 600 km range
    asset("HELI-FAR", "helicopter", far)
    assert _options(_accepted(net))["HELI-FAR"][2] == "out_of_range"


def test_status_equipment_and_other_regions_road_crews(net):
    t = _accepted(net)
    asset("HELI-MX", "helicopter", net["AIR"], status="maintenance")
    asset("HELI-WX", "helicopter", net["AIR"], status="weather_grounded")
    asset("HELI-BARE", "helicopter", net["AIR"], equipment=())
    asset("ROAD-AST", "road", facility(net["other"], "T-EMS2", 51.0, kind="ambulance_station"))
    got = _options(t)
    assert (got["HELI-MX"][2], got["HELI-WX"][2], got["HELI-BARE"][2]) == (
        "maintenance", "weather_grounded", "missing_equipment")
    assert "ROAD-AST" not in got  # road ambulances of the sending region only


def test_assign_arranges_transport_and_a_busy_asset_is_refused(net):
    heli = asset("HELI-1", "helicopter", net["AIR"])
    t = _accepted(net)
    m = transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW)
    assert abs((m.eta_delivered - NOW).total_seconds() / 60 - 98.6845) < 0.001  # as the options computed
    t.refresh_from_db()
    heli.refresh_from_db()
    assert (t.state, t.mode, t.arranged_at, heli.status) == ("transport_arranged", "helicopter", NOW, "on_mission")
    assert transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW).pk == m.pk  # idempotent
    other = request(net["D"], net["H2"])
    transfer_accept(actor=staff(net["H2"]), transfer_id=other.pk, now=NOW)
    with pytest.raises(Conflict) as exc:
        transfer_assign(actor=NATIONAL, transfer_id=other.pk, asset_id=heli.pk, now=NOW)
    assert exc.value.code.value == "transfer_asset_on_mission"
    second = asset("HELI-2", "helicopter", net["AIR"])
    with pytest.raises(Conflict) as exc:
        transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=second.pk, now=NOW)
    assert exc.value.code.value == "transfer_already_arranged"


def test_assign_only_after_acceptance_and_unavailable_or_unsuitable_assets_refused(net):
    heli = asset("HELI-1", "helicopter", net["AIR"])
    t = request(net["D"], net["H1"])
    with pytest.raises(Conflict) as exc:
        transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW)
    assert exc.value.code.value == "transfer_invalid_transition"
    transfer_accept(actor=staff(net["H1"]), transfer_id=t.pk, now=NOW)
    mx = asset("HELI-MX", "helicopter", net["AIR"], status="maintenance")
    with pytest.raises(Conflict) as exc:
        transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=mx.pk, now=NOW)
    assert exc.value.code.value == "transfer_asset_unavailable"
    bare = asset("HELI-BARE", "helicopter", net["AIR"], equipment=())
    with pytest.raises(DomainError) as exc:
        transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=bare.pk, now=NOW)
    assert exc.value.code.value == "transfer_asset_unsuitable"


def test_aircraft_are_nccem_s_road_crews_the_region_s(net):
    heli = asset("HELI-1", "helicopter", net["AIR"])
    road = asset("ROAD-1", "road", facility(net["region"], "T-EMS", 50.0, kind="ambulance_station"))
    t = _accepted(net)
    with pytest.raises(PermissionDenied):
        transfer_assign(actor=regional(net["region"]), transfer_id=t.pk, asset_id=heli.pk, now=NOW)
    with pytest.raises(PermissionDenied):
        transfer_assign(actor=staff(net["D"]), transfer_id=t.pk, asset_id=road.pk, now=NOW)
    m = transfer_assign(actor=regional(net["region"]), transfer_id=t.pk, asset_id=road.pk, now=NOW)
    assert m.asset.call_sign == "ROAD-1"


def test_mission_timeline_in_order_moves_the_transfer_and_frees_the_asset(net):
    heli = asset("HELI-1", "helicopter", net["AIR"])
    t = _accepted(net)
    transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW)
    with pytest.raises(Conflict) as exc:
        mission_step(actor=NATIONAL, transfer_id=t.pk, step="delivered", now=NOW)
    assert exc.value.code.value == "transfer_bad_mission_step"
    times = {}
    for i, step in enumerate(["at_patient", "departed", "delivered", "back_at_base"], start=1):
        times[step] = NOW + timedelta(minutes=30 * i)
        mission_step(actor=NATIONAL, transfer_id=t.pk, step=step, now=times[step])
        if step == "departed":
            with pytest.raises(PermissionDenied):  # the mission is the dispatcher's
                mission_step(actor=staff(net["H1"], Role.CLINICIAN), transfer_id=t.pk, step="delivered", now=NOW)
    again = mission_step(actor=NATIONAL, transfer_id=t.pk, step="back_at_base", now=NOW + timedelta(hours=9))
    assert again.back_at_base_at == times["back_at_base"]  # idempotent
    t.refresh_from_db()
    heli.refresh_from_db()
    assert (t.state, t.departed_at, t.arrived_at, heli.status) == (
        "arrived", times["departed"], times["delivered"], "available")
    assert [again.at_patient_at, again.departed_at, again.delivered_at] == [
        times["at_patient"], times["departed"], times["delivered"]]
    with pytest.raises(Conflict):
        transfer_cancel(actor=NATIONAL, transfer_id=t.pk, reason="late", now=NOW)


def test_cancel_frees_the_asset_and_asset_status_rules(net):
    heli = asset("HELI-1", "helicopter", net["AIR"])
    t = _accepted(net)
    transfer_assign(actor=NATIONAL, transfer_id=t.pk, asset_id=heli.pk, now=NOW)
    with pytest.raises(Conflict) as exc:
        asset_status_set(actor=NATIONAL, asset_id=heli.pk, status="maintenance")
    assert exc.value.code.value == "transfer_asset_on_mission"
    transfer_cancel(actor=staff(net["D"]), transfer_id=t.pk, reason="Died before departure", now=NOW)
    heli.refresh_from_db()
    assert heli.status == "available"
    with pytest.raises(PermissionDenied):
        asset_status_set(actor=regional(net["other"]), asset_id=heli.pk, status="weather_grounded")
    a = asset_status_set(actor=regional(net["region"]), asset_id=heli.pk, status="weather_grounded")
    assert TransportAsset.objects.get(pk=a.pk).status == "weather_grounded"
    with pytest.raises(Conflict):
        mission_step(actor=NATIONAL, transfer_id=t.pk, step="at_patient", now=NOW)


def test_mission_parameters_come_from_settings(net, settings):
    t = _accepted(net)
    asset("HELI-1", "helicopter", net["AIR"])
    settings.JEDEL_TRANSFER_MISSION = {"handover_min": 30.0, "day_end_hour": 12.0}
    # 11:00 Almaty + 108.68 min ends after 12:00: a day-only helicopter may not fly; handover 30 → +10 min.
    assert _options(t)["HELI-1"] == (46.84, 108.68, "night")
