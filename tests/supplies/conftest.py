"""A small supplies world: the national warehouse, Almaty region's (KZ-19) and Aktobe region's (KZ-15)
warehouses, a hospital store in Aktobe, a few catalogue items with a hygiene kit v1, and the people."""

from __future__ import annotations

import pytest

from tests.capacity.capacity_helpers import make_facility, make_user
from tests.common.quiet_worker import _quiet_worker  # noqa: F401 - autouse fixture, found by pytest here


def p(user):
    """The user's Principal."""
    from jedel.accounts.policy import principal_for_user

    found = principal_for_user(user)
    assert found is not None
    return found


def logistician(username: str, region=None, facility=None):
    """A logistician: national (no region or facility), regional or at a hospital."""
    from jedel.accounts.models import User

    scope = "facility" if facility is not None else "region" if region is not None else "national"
    user = User(username=username, role="logistician", scope_level=scope, scope_region=region,
                scope_facility=facility)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def depot(kz):
    """Warehouses, items, kit v1 (soap x4, toothpaste x2, toothbrush x4, towel x2) and people; no stock yet."""
    from jedel.supplies.models import Item, KitComponent, KitVersion, Warehouse
    from django.utils import timezone

    almaty_region, aktobe = kz["KZ-19"], kz["KZ-15"]
    hospital = make_facility(aktobe, "SUP-H1")
    national = Warehouse.objects.create(code="nat-astana", kind="national", name_en="National reserve, Astana",
                                        lat=51.13, lon=71.43)
    almaty_wh = Warehouse.objects.create(code="reg-almaty", kind="regional", region=almaty_region,
                                         name_en="Almaty region warehouse, Konaev", lat=43.87, lon=77.07)
    aktobe_wh = Warehouse.objects.create(code="reg-aktobe", kind="regional", region=aktobe,
                                         name_en="Aktobe region warehouse", lat=50.28, lon=57.17)
    store = Warehouse.objects.create(code="store-h1", kind="hospital", region=aktobe, facility=hospital,
                                     name_en="SUP-H1 store", lat=50.29, lon=57.2)
    items = {code: Item.objects.create(code=code, category=cat, unit=unit, name_en=name, pack_size=pack,
                                       shelf_life_days=life, units_per_patient_day=rate)
             for code, cat, unit, name, pack, life, rate in [
                 ("mask-n95", "ppe", "piece", "Respirator N95", 20, 1825, 4.0),
                 ("gloves", "ppe", "pair", "Examination gloves", 50, 1825, 20.0),
                 ("soap", "hygiene", "piece", "Soap bar", 1, 1095, None),
                 ("toothpaste", "hygiene", "piece", "Toothpaste", 1, 730, None),
                 ("toothbrush", "hygiene", "piece", "Toothbrush", 1, None, None),
                 ("towel", "hygiene", "piece", "Towel", 1, None, None),
                 ("diapers", "hygiene", "pack", "Baby diapers", 1, None, None),
                 ("hygiene-kit", "kit", "kit", "Family hygiene kit", 1, None, None),
             ]}
    v1 = KitVersion.objects.create(kit=items["hygiene-kit"], number=1, approved_at=timezone.now(),
                                   approved_by_label="fixture")
    for code, qty in [("soap", 4), ("toothpaste", 2), ("toothbrush", 4), ("towel", 2)]:
        KitComponent.objects.create(version=v1, item=items[code], quantity=qty)
    people = {
        "national_log": logistician("log_national"),
        "almaty_log": logistician("log_almaty", region=almaty_region),
        "aktobe_log": logistician("log_aktobe", region=aktobe),
        "aktobe_coord": make_user("coord_aktobe", "regional_coordinator", region=aktobe),
        "manager_h1": make_user("manager_h1", "facility_manager", facility=hospital),
        "clinician_h1": make_user("clinician_h1", "clinician", facility=hospital),
        "national": make_user("national", "national_coordinator"),
        "viewer": make_user("viewer", "viewer"),
    }
    return {"national": national, "almaty": almaty_wh, "aktobe": aktobe_wh, "store": store, "hospital": hospital,
            "items": items, "kit_v1": v1, "people": people, "almaty_region": almaty_region, "aktobe_region": aktobe}
