"""The national catalogue (items, kit versions), warehouses and their minimum stock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max

from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Category, Item, KitComponent, KitVersion, MinimumStock, Unit, Warehouse, WarehouseKind
from jedel.supplies.permissions import MANAGE_CATALOGUE, MANAGE_WAREHOUSE
from jedel.supplies.services.ledger import warehouse_for


@dataclass(frozen=True)
class ItemSpec:
    code: str
    category: str
    name_en: str
    name_ru: str = ""
    name_kk: str = ""
    unit: str = Unit.PIECE
    shelf_life_days: int | None = None
    units_per_patient_day: float | None = None
    pack_size: int = 1


def item_create(*, actor: Principal | None, spec: ItemSpec, now: datetime | None = None) -> Item:
    require(actor, MANAGE_CATALOGUE, object_type="item")
    assert actor is not None
    if spec.category not in Category.values:
        raise DomainError(SupplyError.INVALID, field="category")
    if spec.unit not in Unit.values:
        raise DomainError(SupplyError.INVALID, field="unit")
    if spec.pack_size < 1 or (spec.units_per_patient_day is not None and spec.units_per_patient_day < 0):
        raise DomainError(SupplyError.INVALID, field="pack_size" if spec.pack_size < 1 else "units_per_patient_day")
    try:
        with transaction.atomic():
            item = Item.objects.create(**spec.__dict__)
            audit_record(actor=actor, action=MANAGE_CATALOGUE.name, object_type="item", object_id=item.pk,
                         now=now, changes={"code": item.code, "category": item.category})
    except IntegrityError:
        raise Conflict(SupplyError.ITEM_EXISTS, field="code") from None
    return item


def kit_version_create(*, actor: Principal | None, kit_id: int, components: Mapping[int, int], note: str = "",
                       now: datetime | None = None, _checked: bool = False) -> KitVersion:
    """A kit's next version (number = last + 1) with `components` (item id -> units per kit).

    `_checked`: the caller (an approved proposal) has already required the decision permission.
    """
    if not _checked:
        require(actor, MANAGE_CATALOGUE, object_type="kit")
    assert actor is not None
    kit = Item.objects.filter(pk=kit_id).first()
    if kit is None:
        raise NotFound(SupplyError.ITEM_NOT_FOUND, field="kit")
    if kit.category != Category.KIT:
        raise DomainError(SupplyError.NOT_A_KIT, field="kit")
    if not components:
        raise DomainError(SupplyError.KIT_EMPTY, field="components")
    known = set(Item.objects.filter(pk__in=list(components), active=True).exclude(category=Category.KIT)
                .values_list("pk", flat=True))
    for item_id, units in components.items():
        if item_id not in known:
            raise DomainError(SupplyError.ITEM_NOT_FOUND, field=f"components.{item_id}")
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise DomainError(SupplyError.NOT_POSITIVE, field=f"components.{item_id}")
    now = now or utcnow()
    with transaction.atomic():
        # Lock the kit so two approvals cannot both take the same next number.
        Item.objects.select_for_update().filter(pk=kit.pk).first()
        number = (KitVersion.objects.filter(kit=kit).aggregate(n=Max("number"))["n"] or 0) + 1
        version = KitVersion.objects.create(kit=kit, number=number, approved_at=now,
                                            approved_by_label=actor.label[:200], note=note[:2000])
        KitComponent.objects.bulk_create([KitComponent(version=version, item_id=i, quantity=q)
                                          for i, q in sorted(components.items())])
        audit_record(actor=actor, action="kit_version_create", object_type="kit_version", object_id=version.pk,
                     now=now, changes={"kit": kit.code, "number": number,
                                       "components": {str(i): q for i, q in sorted(components.items())}})
    return version


def kit_version_create_by_codes(*, actor: Principal | None, kit_id: int, components: Mapping[str, int],
                                note: str = "", now: datetime | None = None) -> KitVersion:
    """kit_version_create with components named by item code; an unknown code is named in the error."""
    require(actor, MANAGE_CATALOGUE, object_type="kit")
    ids = dict(Item.objects.filter(code__in=list(components), active=True).values_list("code", "pk"))
    for code in components:
        if code not in ids:
            raise DomainError(SupplyError.ITEM_NOT_FOUND, field=f"components.{code}")
    return kit_version_create(actor=actor, kit_id=kit_id, components={ids[c]: q for c, q in components.items()},
                              note=note, now=now, _checked=True)


@dataclass(frozen=True)
class WarehouseSpec:
    code: str
    kind: str
    name_en: str
    lat: float
    lon: float
    name_ru: str = ""
    name_kk: str = ""
    region_id: int | None = None
    facility_id: int | None = None
    partner: str = ""


def warehouse_create(*, actor: Principal | None, spec: WarehouseSpec, now: datetime | None = None) -> Warehouse:
    require(actor, MANAGE_WAREHOUSE, Target(region_id=spec.region_id, facility_id=spec.facility_id),
            object_type="warehouse")
    assert actor is not None
    if spec.kind not in WarehouseKind.values:
        raise DomainError(SupplyError.INVALID, field="kind")
    if spec.kind != WarehouseKind.NATIONAL and spec.region_id is None:
        raise DomainError(SupplyError.INVALID, field="region")
    if spec.kind == WarehouseKind.HOSPITAL and spec.facility_id is None:
        raise DomainError(SupplyError.INVALID, field="facility")
    if not (40.0 <= spec.lat <= 56.0 and 46.0 <= spec.lon <= 88.0):  # Kazakhstan's bounding box
        raise DomainError(SupplyError.INVALID, field="lat")
    try:
        with transaction.atomic():
            warehouse = Warehouse.objects.create(**spec.__dict__)
            audit_record(actor=actor, action=MANAGE_WAREHOUSE.name, object_type="warehouse", object_id=warehouse.pk,
                         region_id=warehouse.region_id, facility_id=warehouse.facility_id, now=now,
                         changes={"code": warehouse.code, "kind": warehouse.kind})
    except IntegrityError:
        raise Conflict(SupplyError.WAREHOUSE_EXISTS, field="code") from None
    return warehouse


def minimum_set(*, actor: Principal | None, warehouse_id: int, item_id: int, min_units: int,
                now: datetime | None = None) -> MinimumStock | None:
    """Set (or, with 0, remove) the minimum stock of an item at a warehouse; checked at once."""
    from jedel.supplies.services.ledger import item_get
    from jedel.supplies.services.low_stock import low_stock_check_on_commit

    warehouse = warehouse_for(actor, warehouse_id, MANAGE_WAREHOUSE)
    assert actor is not None
    item = item_get(item_id)
    if isinstance(min_units, bool) or not isinstance(min_units, int) or min_units < 0:
        raise DomainError(SupplyError.INVALID, field="min_units")
    with transaction.atomic():
        if min_units == 0:
            MinimumStock.objects.filter(warehouse=warehouse, item=item).delete()
            minimum = None
        else:
            minimum, _ = MinimumStock.objects.update_or_create(warehouse=warehouse, item=item,
                                                               defaults={"min_units": min_units})
            low_stock_check_on_commit(warehouse.pk, item.pk)
        audit_record(actor=actor, action=MANAGE_WAREHOUSE.name, object_type="minimum_stock",
                     object_id=f"{warehouse.pk}:{item.pk}", region_id=warehouse.region_id,
                     facility_id=warehouse.facility_id, now=now, changes={"item": item.code, "min_units": min_units})
    return minimum


def warehouse_spec(*, region: str | None, facility: str | None, **fields: object) -> WarehouseSpec:
    """A WarehouseSpec from codes as the API and forms give them (region ISO code, facility code)."""
    from jedel.facilities.models import Facility
    from jedel.geo.models import Region

    region_id = facility_id = None
    if region:
        region_id = Region.objects.filter(iso_code=region.upper()).values_list("pk", flat=True).first()
        if region_id is None:
            raise DomainError(SupplyError.INVALID, field="region")
    if facility:
        found = Facility.objects.filter(code=facility).values_list("pk", "region_id").first()
        if found is None:
            raise DomainError(SupplyError.INVALID, field="facility")
        facility_id, facility_region = found
        if region_id is not None and region_id != facility_region:
            raise DomainError(SupplyError.INVALID, field="facility")
        region_id = facility_region
    return WarehouseSpec(region_id=region_id, facility_id=facility_id, **fields)  # type: ignore[arg-type]
