"""Permission-matrix rows of the supplies app's distributions, beneficiary feedback and kit proposals.

Callers as in test_permission_matrix: facility-scoped users are at A; the regional coordinator and the logistician
in KZ-75 (A, B). A distribution "at" a target facility is one in the facility's region, from that region's
warehouse, so A and B give the same answers (no role scoped to a facility may distribute).
"""

from __future__ import annotations

import itertools
from datetime import date

from jedel.accounts.services import SYSTEM
from tests.config.permission_table import COORDINATORS, PEOPLE, ROLES, Endpoint, _json

# Reads (no personal data; names are blanked, not refused): every person; facility tokens are systems: never.
SUPPLY_READ = PEOPLE
# Distributing (events, households, handouts, feedback) over the distribution's region: both coordinators and
# logisticians (the regional ones in KZ-75 only).
DISTRIBUTE = {**COORDINATORS, "logistician": "YYN"}
# Proposing a kit's next version: coordinators and logisticians wherever they work.
PROPOSE_KIT = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY",
               "regional_coordinator": "YYY", "logistician": "YYY"}
# Approving or rejecting it: national logisticians and the national coordinator only (the matrix's logistician is
# regional: never).
DECIDE_KIT = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY", "logistician": "NNN"}
_serial = itertools.count(1)


def _item(code, category="hygiene"):
    from jedel.supplies.models import Item

    return Item.objects.get_or_create(code=code, defaults={"category": category, "name_en": code,
                                                           "unit": "kit" if category == "kit" else "piece"})[0]


def _kit_version(code="pm-kit"):
    """Version 1 of a kit (soap x2), made on first use."""
    from django.utils import timezone

    from jedel.supplies.models import KitComponent, KitVersion

    kit = _item(code, "kit")
    version, made = KitVersion.objects.get_or_create(kit=kit, number=1, defaults={
        "approved_at": timezone.now(), "approved_by_label": "matrix"})
    if made:
        KitComponent.objects.create(version=version, item=_item("pm-soap"), quantity=2)
    return version


def _warehouse(f):
    from jedel.supplies.models import Warehouse

    iso = f.region.iso_code
    return Warehouse.objects.get_or_create(code=f"pm-{iso.lower()}", defaults={
        "kind": "regional", "region": f.region, "name_en": f"PM warehouse {iso}", "lat": f.lat, "lon": f.lon})[0]


def _distribution_at(f):
    from jedel.supplies.services.distributions import distribution_create

    return distribution_create(actor=SYSTEM, warehouse_id=_warehouse(f).pk, region_id=f.region_id,
                               place="PM school", on=date(2026, 4, 10))


def _stocked(f):
    from jedel.supplies.services.ledger import stock_receive

    stock_receive(actor=SYSTEM, warehouse_id=_warehouse(f).pk, item_id=_item("pm-soap").pk, quantity=5)
    return _item("pm-soap")


def _reviewable(f):
    """A fresh kit's version 1 with one form asking for diapers: a proposal would add them."""
    from jedel.supplies.services.feedback import feedback_record

    version = _kit_version(f"pm-kit-{next(_serial)}")
    feedback_record(actor=SYSTEM, distribution_id=_distribution_at(f).pk, kit_version_id=version.pk,
                    language="ru", answers={_item("pm-soap").pk: "useful", _item("pm-diapers").pk: "missing"})
    return version


def _proposal_at(f):
    from jedel.supplies.services.feedback import proposal_create

    return proposal_create(actor=SYSTEM, kit_version_id=_reviewable(f).pk)


def _distribution_body(f, world):
    return _json({"warehouse": _warehouse(f).pk, "region": f.region_id, "place": "PM school",
                  "on": "2026-04-10"})(f, world)


def _handout_body(f, world):
    return _json({"item": _stocked(f).pk, "quantity": 1})(f, world)


def _feedback_body(f, world):
    return _json({"kit_version": _kit_version().pk, "language": "kk",
                  "answers": {str(_item("pm-soap").pk): "useful"}})(f, world)


def _proposal_body(f, world):
    return _json({"kit_version": _reviewable(f).pk})(f, world)


_D = "/api/supplies/distributions"
SUPPLY_DISTRIBUTION_ENDPOINTS = [
    Endpoint("list_supply_distributions", "get", lambda f: f"{_D}?region={f.region_id}", SUPPLY_READ, 200),
    Endpoint("create_supply_distribution", "post", lambda f: _D, DISTRIBUTE, 201, _distribution_body),
    Endpoint("get_supply_distribution", "get", lambda f: f"{_D}/{_distribution_at(f).pk}", SUPPLY_READ, 200),
    Endpoint("close_supply_distribution", "post", lambda f: f"{_D}/{_distribution_at(f).pk}/close", DISTRIBUTE, 200),
    Endpoint("add_distribution_household", "post", lambda f: f"{_D}/{_distribution_at(f).pk}/households",
             DISTRIBUTE, 201, _json({"size": 4, "head_name": "Aigul N."})),
    Endpoint("list_distribution_households", "get", lambda f: f"{_D}/{_distribution_at(f).pk}/households",
             SUPPLY_READ, 200),
    Endpoint("record_distribution_handout", "post", lambda f: f"{_D}/{_distribution_at(f).pk}/handouts",
             DISTRIBUTE, 201, _handout_body),
    Endpoint("record_kit_feedback", "post", lambda f: f"{_D}/{_distribution_at(f).pk}/feedback", DISTRIBUTE, 201,
             _feedback_body),
    Endpoint("list_kit_feedback", "get", lambda f: f"{_D}/{_distribution_at(f).pk}/feedback", SUPPLY_READ, 200),
    Endpoint("get_kit_feedback_summary", "get", lambda f: f"/api/supplies/kit-versions/{_reviewable(f).pk}/feedback",
             SUPPLY_READ, 200),
    Endpoint("create_kit_proposal", "post", lambda f: "/api/supplies/kit-proposals", PROPOSE_KIT, 201,
             _proposal_body),
    Endpoint("list_kit_proposals", "get", lambda f: "/api/supplies/kit-proposals", SUPPLY_READ, 200),
    Endpoint("get_kit_proposal", "get", lambda f: f"/api/supplies/kit-proposals/{_proposal_at(f).pk}",
             SUPPLY_READ, 200),
    Endpoint("decide_kit_proposal", "post", lambda f: f"/api/supplies/kit-proposals/{_proposal_at(f).pk}/decide",
             DECIDE_KIT, 200, _json({"approve": True, "note": "matrix"})),
]
