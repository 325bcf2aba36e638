"""Permission-matrix rows of the supplies app's catalogue, warehouses, stock, ledger, count imports and forecasts.

Callers as in test_permission_matrix: facility-scoped users are at A; the regional coordinator and the logistician
in KZ-75 (A, B). A warehouse "at" a target facility f is f's hospital store on every row here (the warehouse
resolves to f and f's region), so that the facility manager's rights at its own store are checked too; a new
warehouse is registered as f's store.
"""

from __future__ import annotations

from datetime import date

from jedel.accounts.services import SYSTEM
from tests.config.permission_rows_supplies_requests import _item, _store_of
from tests.config.permission_table import COORDINATORS, FACILITY_WRITE, PEOPLE, ROLES, Endpoint, _json

# Stock, the catalogue, warehouses, ledgers and forecasts hold no personal data: every person reads them, anywhere;
# facility tokens (systems, not people) read nothing of them.
STOCK_READ = PEOPLE
# The national catalogue (items, kit compositions): the national coordinator and national logisticians; the
# matrix's logistician is regional, so never.
CATALOGUE = {**{r: "NNN" for r in ROLES if r != "anonymous"}, "national_coordinator": "YYY", "logistician": "NNN"}
# Registering f's store and setting its minimum stock: coordinators and logisticians over f; not the facility's
# manager, although the store is its own.
WAREHOUSE_ADMIN = {**COORDINATORS, "logistician": "YYN"}
# Moving stock at f's store (receipts, issues, adjustments, write-offs, counts): coordinators and logisticians over
# f, and f's own manager.
STOREKEEPING = {**FACILITY_WRITE, "logistician": "YYN"}
EXPIRED = date(2020, 1, 31)


def _kit():
    from jedel.supplies.models import Item

    return Item.objects.get_or_create(code="pm-kit", defaults={"category": "kit", "unit": "kit",
                                                                "name_en": "Hygiene kit"})[0]


def _store(f) -> int:
    return _store_of(f).pk


def _stocked(f, **lot):
    """5 units of soap received at f's store (of `lot` when given); the soap's id."""
    from jedel.supplies.services.ledger import stock_receive

    stock_receive(actor=SYSTEM, warehouse_id=_store(f), item_id=_item().pk, quantity=5, **lot)
    return _item().pk


def _new_item_body(f, world):
    return _json({"code": f"pm-towel-{f.code.lower()}", "category": "hygiene", "name_en": "Towel"})(f, world)


def _kit_version_body(f, world):
    _item()
    return _json({"components": {"pm-soap": 2}, "note": "matrix"})(f, world)


def _warehouse_body(f, world):
    return _json({"code": f"pm-new-{f.code.lower()}", "kind": "hospital", "name_en": f"{f.code} second store",
                  "facility": f.code, "lat": f.lat, "lon": f.lon})(f, world)


def _issue_body(f, world):
    return _json({"item": _stocked(f), "quantity": 2})(f, world)


def _write_off_body(f, world):
    return _json({"item": _stocked(f, lot="PM-OLD", expires_on=EXPIRED), "lot": "PM-OLD"})(f, world)


def _assembly_body(f, world):
    """A kit of 2 soaps and 5 soaps at f's store: two kits can be made there."""
    from jedel.supplies.services.catalogue import kit_version_create

    version = kit_version_create(actor=SYSTEM, kit_id=_kit().pk, components={_item().pk: 2}, note="matrix")
    _stocked(f)
    return _json({"kit_version": version.pk, "count": 2})(f, world)


def _counts_body(f, world):
    return f"warehouse,item,lot,expires_on,counted\n{_store_of(f).code},{_item().code},,,3\n", "text/csv"


def _census_body(f, world):
    return _json({"warehouse": _store(f), "item": _stocked(f), "census": [10, 12],
                  "units_per_patient_day": 2})(f, world)


_W = "/api/supplies/warehouses"
SUPPLY_STOCK_ENDPOINTS = [
    Endpoint("list_supply_items", "get", lambda f: "/api/supplies/items", STOCK_READ, 200),
    Endpoint("create_supply_item", "post", lambda f: "/api/supplies/items", CATALOGUE, 201, _new_item_body),
    Endpoint("list_kit_versions", "get", lambda f: f"/api/supplies/kits/{_kit().pk}/versions", STOCK_READ, 200),
    Endpoint("create_kit_version", "post", lambda f: f"/api/supplies/kits/{_kit().pk}/versions", CATALOGUE, 201,
             _kit_version_body),
    Endpoint("list_warehouses", "get", lambda f: f"{_W}?region={f.region_id}", STOCK_READ, 200),
    Endpoint("create_warehouse", "post", lambda f: _W, WAREHOUSE_ADMIN, 201, _warehouse_body),
    Endpoint("list_stock", "get", lambda f: f"/api/supplies/stock?warehouse={_store(f)}", STOCK_READ, 200),
    Endpoint("list_ledger", "get", lambda f: f"{_W}/{_store(f)}/ledger", STOCK_READ, 200),
    Endpoint("receive_stock", "post", lambda f: f"{_W}/{_store(f)}/receipts", STOREKEEPING, 201,
             lambda f, world: _json({"item": _item().pk, "quantity": 5, "lot": "PM-1",
                                     "expires_on": "2031-05-31"})(f, world)),
    Endpoint("issue_stock", "post", lambda f: f"{_W}/{_store(f)}/issues", STOREKEEPING, 201, _issue_body),
    Endpoint("adjust_stock", "post", lambda f: f"{_W}/{_store(f)}/adjustments", STOREKEEPING, 201,
             lambda f, world: _json({"item": _item().pk, "delta": 3, "note": "found in the basement"})(f, world)),
    Endpoint("write_off_expired", "post", lambda f: f"{_W}/{_store(f)}/write-offs", STOREKEEPING, 201,
             _write_off_body),
    Endpoint("assemble_kits", "post", lambda f: f"{_W}/{_store(f)}/kit-assemblies", STOREKEEPING, 201,
             _assembly_body),
    Endpoint("set_minimum_stock", "put", lambda f: f"{_W}/{_store(f)}/minimums", WAREHOUSE_ADMIN, 200,
             lambda f, world: _json({"item": _item().pk, "min_units": 10})(f, world)),
    # A count file is checked line by line and every problem listed, the caller's right at each line's warehouse
    # among them: a refused caller is answered 422 (import_invalid at the line's warehouse), not 403.
    Endpoint("import_stock_counts", "post", lambda f: "/api/supplies/counts/import", STOREKEEPING, 200,
             _counts_body, refused=422),
    Endpoint("forecast_census", "post", lambda f: "/api/supplies/forecast/census", STOCK_READ, 200, _census_body),
]
