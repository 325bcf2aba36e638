"""API schemas of the catalogue, warehouses, stock, the ledger and forecasts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from jedel.common.ids import NO_NUL, RowId
from jedel.supplies.engines import Outlook
from jedel.supplies.models import Item, KitVersion, LedgerEntry, Warehouse

CategoryName = Literal["ppe", "medicine", "device", "hygiene", "kit", "other"]
UnitName = Literal["piece", "pair", "pack", "box", "bottle", "kit"]
WarehouseKindName = Literal["national", "regional", "hospital", "partner"]
Units = Annotated[int, Field(strict=True, ge=1, le=10**9)]
Lot = Annotated[str, Field(max_length=60, pattern=NO_NUL)]
Note = Annotated[str, Field(max_length=300, pattern=NO_NUL)]


class ItemOut(Schema):
    id: int
    code: str
    category: str
    name: str
    unit: str
    shelf_life_days: int | None
    units_per_patient_day: float | None
    pack_size: int

    @staticmethod
    def of(item: Item) -> ItemOut:
        return ItemOut(id=item.pk, code=item.code, category=item.category, name=item.name, unit=item.unit,
                       shelf_life_days=item.shelf_life_days, units_per_patient_day=item.units_per_patient_day,
                       pack_size=item.pack_size)


class ItemIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    category: CategoryName
    name_en: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    name_ru: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""
    name_kk: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""
    unit: UnitName = "piece"
    shelf_life_days: Annotated[int, Field(strict=True, ge=1, le=36500)] | None = None
    units_per_patient_day: Annotated[float, Field(strict=True, ge=0, le=10000)] | None = None
    pack_size: Annotated[int, Field(strict=True, ge=1, le=100000)] = 1


class KitComponentOut(Schema):
    item: str
    quantity: int


class KitVersionOut(Schema):
    id: int
    kit: str
    number: int
    approved_at: datetime
    approved_by: str
    note: str
    components: list[KitComponentOut]

    @staticmethod
    def of(v: KitVersion) -> KitVersionOut:
        return KitVersionOut(id=v.pk, kit=v.kit.code, number=v.number, approved_at=v.approved_at,
                             approved_by=v.approved_by_label, note=v.note,
                             components=[KitComponentOut(item=c.item.code, quantity=c.quantity)
                                         for c in v.components.all()])


class KitVersionIn(Schema):
    components: dict[Annotated[str, Field(min_length=1, max_length=40, pattern=NO_NUL)], Units] = Field(
        min_length=1, max_length=100)
    note: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""


class WarehouseOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    region: str | None
    facility: str | None
    partner: str
    lat: float
    lon: float

    @staticmethod
    def of(w: Warehouse) -> WarehouseOut:
        return WarehouseOut(id=w.pk, code=w.code, kind=w.kind, name=w.name,
                            region=w.region.iso_code if w.region_id else None,
                            facility=w.facility.code if w.facility_id else None, partner=w.partner, lat=w.lat,
                            lon=w.lon)


class WarehouseIn(Schema):
    code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    kind: WarehouseKindName
    name_en: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    name_ru: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""
    name_kk: Annotated[str, Field(max_length=200, pattern=NO_NUL)] = ""
    region: Annotated[str, Field(max_length=8, pattern=NO_NUL)] | None = None
    facility: Annotated[str, Field(max_length=40, pattern=NO_NUL)] | None = None
    partner: Annotated[str, Field(max_length=120, pattern=NO_NUL)] = ""
    lat: Annotated[float, Field(strict=True, ge=40, le=56)]
    lon: Annotated[float, Field(strict=True, ge=46, le=88)]


class StockOut(Schema):
    warehouse: int
    item: str
    on_hand: int
    expired: int
    expiring_soon: int
    min_units: int | None
    below_minimum: bool
    daily_use: float = Field(description="units per day, average over the window")
    window_days: int
    days_of_supply: float | None = Field(description="None: no use in the window (infinite)")
    reorder: str
    order_units: int

    @staticmethod
    def of(o: Outlook) -> StockOut:
        line = o.line
        return StockOut(warehouse=line.warehouse_id, item=line.item.code, on_hand=line.on_hand, expired=line.expired,
                        expiring_soon=line.expiring_soon, min_units=line.min_units,
                        below_minimum=line.below_minimum, daily_use=round(o.daily_use_units, 3),
                        window_days=line.window_days,
                        days_of_supply=None if o.days_of_supply == float("inf") else round(o.days_of_supply, 1),
                        reorder=o.reorder.reason.value.lower(), order_units=int(o.reorder.order_units))


class ReceiveIn(Schema):
    item: RowId
    quantity: Units
    lot: Lot = ""
    expires_on: date | None = None
    reference: Annotated[str, Field(max_length=60, pattern=NO_NUL)] = ""
    note: Note = ""


class IssueIn(Schema):
    item: RowId
    quantity: Units
    lot: Lot | None = None
    reference: Annotated[str, Field(max_length=60, pattern=NO_NUL)] = ""
    note: Note = ""


class AdjustIn(Schema):
    item: RowId
    delta: Annotated[int, Field(strict=True, ge=-10**9, le=10**9)]
    lot: Lot = ""
    expires_on: date | None = None
    note: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]


class WriteOffIn(Schema):
    item: RowId
    lot: Annotated[str, Field(min_length=1, max_length=60, pattern=NO_NUL)]


class KitAssemblyIn(Schema):
    kit_version: RowId
    count: Annotated[int, Field(strict=True, ge=1, le=100_000)] = Field(description="kits to assemble")
    lot: Lot = Field("", description="the kits' lot; made up from the version, day and expiry when empty")


class KitTakenOut(Schema):
    item: str
    lot: str
    quantity: int


class KitAssemblyOut(Schema):
    kit: str
    version: int
    count: int
    lot: str
    expires_on: date | None
    taken: list[KitTakenOut]


class MinimumIn(Schema):
    item: RowId
    min_units: Annotated[int, Field(strict=True, ge=0, le=10**9)]


class TakenOut(Schema):
    lot: str
    quantity: int


class EntryOut(Schema):
    id: int
    at: datetime
    kind: str
    item: str
    lot: str
    expires_on: date | None
    quantity: int
    reference: str
    note: str
    actor: str

    @staticmethod
    def of(e: LedgerEntry) -> EntryOut:
        return EntryOut(id=e.pk, at=e.at, kind=e.kind, item=e.item.code, lot=e.batch.lot,
                        expires_on=e.batch.expires_on, quantity=e.quantity, reference=e.reference, note=e.note,
                        actor=e.actor_label)


class CountImportOut(Schema):
    lines: int
    adjusted: int
    units_added: int
    units_removed: int
    dry_run: bool


class CensusIn(Schema):
    warehouse: RowId
    item: RowId
    census: list[Annotated[float, Field(strict=True, ge=0, le=1_000_000)]] = Field(min_length=1, max_length=365)
    units_per_patient_day: Annotated[float, Field(strict=True, ge=0, le=10000)] | None = None


class CensusOut(Schema):
    on_hand: int
    units_per_patient_day: float
    need_units: float
    run_out_day: int | None
