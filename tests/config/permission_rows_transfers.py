"""Permission-matrix rows of the transfers app (requests, receiving, dispatch, assets, statistics)."""

from __future__ import annotations

import itertools

from jedel.accounts.services import SYSTEM
from tests.config.permission_table import COORDINATORS, FACILITY_WRITE, PEOPLE, ROLES, Endpoint, _json

# The sending side (a transfer from the target) and the receiving side (a transfer to the target): coordinators over
# the facility, and its own managers and clinicians.
HOSPITAL_SIDE = {**FACILITY_WRITE, "clinician": "YNN"}
# Reading one transfer from the target: those, and viewers (national scope in the matrix).
TRANSFER_READ = {**HOSPITAL_SIDE, "viewer": "YYY"}
# An accepted transfer from the target to another facility (C's goes to A): the receiving side sees it too, so
# A's staff and the Almaty coordinator see C's as well.
TRANSFER_READ_BOTH_ENDS = {**TRANSFER_READ, "regional_coordinator": "YYY", "facility_manager": "YNY",
                           "clinician": "YNY"}
# The list is filtered to the caller's own scope, whatever the target. Logisticians have no role on transfers.
TRANSFER_LIST = {**{r: "YYY" for r in ROLES if r != "anonymous"}, "security_officer": "NNN", "logistician": "NNN",
                 "token": "NNN"}
# Aggregated statistics, nationwide: coordinators, managers, viewers.
TRANSFER_STATS = {**TRANSFER_LIST, "clinician": "NNN"}
_serial = itertools.count(1)


def _other(f):
    from jedel.facilities.models import Facility

    return Facility.objects.get(code="PM-C" if f.code != "PM-C" else "PM-A")


def _transfer_from(f, *, to=None):
    from jedel.transfers.services.requests import TransferInput, transfer_create

    return transfer_create(actor=SYSTEM, data=TransferInput(
        reference=f"PM-{next(_serial)}", origin=f.code, urgency="urgent", diagnosis="Subdural haematoma",
        bed_type="AdultICU", destination=to.code if to else None))


def _transfer_to(f):
    return _transfer_from(_other(f), to=f)


def _accepted_from(f):
    from jedel.transfers.services.requests import transfer_accept

    t = _transfer_from(f, to=_other(f))
    return transfer_accept(actor=SYSTEM, transfer_id=t.pk)


def _road_asset(f):
    from jedel.transfers.models import TransportAsset

    return TransportAsset.objects.create(call_sign=f"PM-ROAD-{next(_serial)}", kind="road", base=f, region=f.region)


def _arranged_from(f):
    from jedel.transfers.services.dispatch import transfer_assign

    t = _accepted_from(f)
    transfer_assign(actor=SYSTEM, transfer_id=t.pk, asset_id=_road_asset(f).pk)
    return t


def _create_body(f, world):
    return _json({"reference": "PM-NEW", "origin": f.code, "urgency": "urgent", "diagnosis": "Burns 40 %",
                  "bed_type": "Burn", "capabilities": ["burns"]})(f, world)


def _route_body(f, world):
    return _json({"destination": _other(f).code})(f, world)


def _assign_body(f, world):
    return _json({"asset": _road_asset(f).pk})(f, world)


TRANSFER_ENDPOINTS = [
    Endpoint("create_transfer", "post", lambda f: "/api/transfers", HOSPITAL_SIDE, 201, _create_body),
    Endpoint("list_transfers", "get", lambda f: "/api/transfers?open=true", TRANSFER_LIST, 200),
    Endpoint("get_transfer_stats", "get", lambda f: "/api/transfers/stats", TRANSFER_STATS, 200),
    Endpoint("export_transfer_stats_csv", "get", lambda f: "/api/transfers/stats.csv", TRANSFER_STATS, 200),
    Endpoint("get_transfer", "get", lambda f: f"/api/transfers/{_transfer_from(f).pk}", TRANSFER_READ, 200),
    Endpoint("export_transfer_fhir", "get", lambda f: f"/api/transfers/{_transfer_from(f).pk}/fhir", TRANSFER_READ,
             200),
    Endpoint("rank_transfer_destinations", "get", lambda f: f"/api/transfers/{_transfer_from(f).pk}/destinations",
             TRANSFER_READ, 200),
    Endpoint("list_dispatch_options", "get", lambda f: f"/api/transfers/{_accepted_from(f).pk}/dispatch-options",
             TRANSFER_READ_BOTH_ENDS, 200),
    Endpoint("route_transfer", "post", lambda f: f"/api/transfers/{_transfer_from(f).pk}/route", COORDINATORS, 200,
             _route_body),
    Endpoint("accept_transfer", "post", lambda f: f"/api/transfers/{_transfer_to(f).pk}/accept", HOSPITAL_SIDE, 200,
             _json({})),
    Endpoint("decline_transfer", "post", lambda f: f"/api/transfers/{_transfer_to(f).pk}/decline", HOSPITAL_SIDE, 200,
             _json({"reason": "No bed"})),
    Endpoint("cancel_transfer", "post", lambda f: f"/api/transfers/{_transfer_from(f).pk}/cancel", HOSPITAL_SIDE, 200,
             _json({"reason": "Improved"})),
    Endpoint("assign_transfer_asset", "post", lambda f: f"/api/transfers/{_accepted_from(f).pk}/assign", COORDINATORS,
             200, _assign_body),
    Endpoint("record_mission_step", "post", lambda f: f"/api/transfers/{_arranged_from(f).pk}/mission", COORDINATORS,
             200, _json({"step": "at_patient"})),
    Endpoint("list_transport_assets", "get", lambda f: "/api/transport-assets", PEOPLE, 200),
    Endpoint("set_transport_asset_status", "post", lambda f: f"/api/transport-assets/{_road_asset(f).pk}/status",
             COORDINATORS, 200, _json({"status": "maintenance"})),
]


def _new_road_body(f, world):
    # A fresh call sign per request: the call sign is unique.
    return _json({"call_sign": f"PM-NEW-{next(_serial)}", "kind": "road", "base": f.code, "crew_type": "paramedic",
                  "equipment": ["oxygen"]})(f, world)


def _patch_road_body(f, world):
    return _json({"version": 1, "operator": "EMS station 1"})(f, world)


# Road ambulances of the target's region: coordinators over it (aircraft, national only, in tests/transfers).
TRANSFER_ENDPOINTS += [
    Endpoint("create_transport_asset", "post", lambda f: "/api/transport-assets", COORDINATORS, 201,
             _new_road_body),
    Endpoint("update_transport_asset", "patch", lambda f: f"/api/transport-assets/{_road_asset(f).pk}",
             COORDINATORS, 200, _patch_road_body),
]
