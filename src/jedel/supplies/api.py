"""API of the supplies app: catalogue, warehouses, stock and the ledger, count imports, forecasts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from jedel.common.errors import DomainError
from jedel.common.ids import RowIdParam
from jedel.facilities.io import decode
from jedel.supplies import engines, selectors
from jedel.supplies.errors import SupplyError
from jedel.supplies.schemas import (AdjustIn, CensusIn, CensusOut, CountImportOut, EntryOut, IssueIn, ItemIn, ItemOut,
                                    KitAssemblyIn, KitAssemblyOut, KitTakenOut, KitVersionIn, KitVersionOut,
                                    MinimumIn, ReceiveIn, StockOut, TakenOut, WarehouseIn, WarehouseOut, WriteOffIn)
from jedel.supplies.services import catalogue, kits, ledger, stock_import

router = Router(tags=["supplies"])


@router.get("/supplies/items", response=list[ItemOut])
def list_supply_items(request: HttpRequest, category: str | None = None) -> Any:
    return [ItemOut.of(i) for i in selectors.items(request.auth, category=category)]  # type: ignore[attr-defined]


@router.post("/supplies/items", response={201: ItemOut})
def create_supply_item(request: HttpRequest, data: ItemIn) -> Any:
    item = catalogue.item_create(actor=request.auth, spec=catalogue.ItemSpec(**data.dict()))  # type: ignore[attr-defined]
    return Status(201, ItemOut.of(item))


@router.get("/supplies/kits/{kit_id}/versions", response=list[KitVersionOut])
def list_kit_versions(request: HttpRequest, kit_id: RowIdParam) -> Any:
    return [KitVersionOut.of(v) for v in selectors.kit_versions(request.auth, kit_id)]  # type: ignore[attr-defined]


@router.post("/supplies/kits/{kit_id}/versions", response={201: KitVersionOut})
def create_kit_version(request: HttpRequest, kit_id: RowIdParam, data: KitVersionIn) -> Any:
    """A new composition, by item code; the catalogue's keepers only (proposals from feedback go elsewhere)."""
    version = catalogue.kit_version_create_by_codes(actor=request.auth, kit_id=kit_id,  # type: ignore[attr-defined]
                                                    components=data.components, note=data.note)
    return Status(201, KitVersionOut.of(version))


@router.get("/supplies/warehouses", response=list[WarehouseOut])
def list_warehouses(request: HttpRequest, region: RowIdParam | None = None, kind: str | None = None) -> Any:
    return [WarehouseOut.of(w) for w in selectors.warehouses(request.auth, region_id=region, kind=kind)]  # type: ignore[attr-defined]


@router.post("/supplies/warehouses", response={201: WarehouseOut})
def create_warehouse(request: HttpRequest, data: WarehouseIn) -> Any:
    spec = catalogue.warehouse_spec(**data.dict())
    warehouse = catalogue.warehouse_create(actor=request.auth, spec=spec)  # type: ignore[attr-defined]
    return Status(201, WarehouseOut.of(warehouse))


@router.get("/supplies/stock", response=list[StockOut])
def list_stock(request: HttpRequest, warehouse: RowIdParam | None = None, item: RowIdParam | None = None) -> Any:
    """Stock on hand, days of supply and reorder advice per warehouse and item (one warehouse or one item)."""
    outlooks = engines.outlooks(request.auth, warehouse_id=warehouse, item_id=item, now=timezone.now())  # type: ignore[attr-defined]
    return [StockOut.of(o) for o in outlooks]


@router.get("/supplies/warehouses/{warehouse_id}/ledger", response=list[EntryOut])
def list_ledger(request: HttpRequest, warehouse_id: RowIdParam, item: RowIdParam | None = None,
                limit: int = 200) -> Any:
    entries = selectors.ledger(request.auth, warehouse_id, item_id=item, limit=max(1, min(limit, 1000)))  # type: ignore[attr-defined]
    return [EntryOut.of(e) for e in entries]


@router.post("/supplies/warehouses/{warehouse_id}/receipts", response={201: EntryOut})
def receive_stock(request: HttpRequest, warehouse_id: RowIdParam, data: ReceiveIn) -> Any:
    entry = ledger.stock_receive(actor=request.auth, warehouse_id=warehouse_id, item_id=data.item,  # type: ignore[attr-defined]
                                 quantity=data.quantity, lot=data.lot, expires_on=data.expires_on,
                                 reference=data.reference, note=data.note)
    return Status(201, EntryOut.of(entry))


@router.post("/supplies/warehouses/{warehouse_id}/issues", response={201: list[TakenOut]})
def issue_stock(request: HttpRequest, warehouse_id: RowIdParam, data: IssueIn) -> Any:
    """Issue for use; without a lot, the earliest expiry first. Too little on hand: 409, nothing issued."""
    taken = ledger.stock_issue(actor=request.auth, warehouse_id=warehouse_id, item_id=data.item,  # type: ignore[attr-defined]
                               quantity=data.quantity, lot=data.lot, reference=data.reference, note=data.note)
    return Status(201, [TakenOut(lot=t.batch.lot, quantity=t.quantity) for t in taken])


@router.post("/supplies/warehouses/{warehouse_id}/adjustments", response={201: None})
def adjust_stock(request: HttpRequest, warehouse_id: RowIdParam, data: AdjustIn) -> Any:
    ledger.stock_adjust(actor=request.auth, warehouse_id=warehouse_id, item_id=data.item, delta=data.delta,  # type: ignore[attr-defined]
                        lot=data.lot, expires_on=data.expires_on, note=data.note)
    return Status(201, None)


@router.post("/supplies/warehouses/{warehouse_id}/write-offs", response={201: dict[str, int]})
def write_off_expired(request: HttpRequest, warehouse_id: RowIdParam, data: WriteOffIn) -> Any:
    units = ledger.expiry_write_off(actor=request.auth, warehouse_id=warehouse_id, item_id=data.item, lot=data.lot)  # type: ignore[attr-defined]
    return Status(201, {"units": units})


@router.post("/supplies/warehouses/{warehouse_id}/kit-assemblies", response={201: KitAssemblyOut})
def assemble_kits(request: HttpRequest, warehouse_id: RowIdParam, data: KitAssemblyIn) -> Any:
    """Kits from the components on hand, earliest expiry first; any component short: 409, nothing taken."""
    made = kits.kit_assemble(actor=request.auth, warehouse_id=warehouse_id, kit_version_id=data.kit_version,  # type: ignore[attr-defined]
                             count=data.count, lot=data.lot)
    return Status(201, KitAssemblyOut(kit=made.kit_code, version=made.version, count=made.count, lot=made.lot,
                                      expires_on=made.expires_on,
                                      taken=[KitTakenOut(item=i, lot=lot, quantity=q) for i, lot, q in made.taken]))


@router.put("/supplies/warehouses/{warehouse_id}/minimums", response={200: None})
def set_minimum_stock(request: HttpRequest, warehouse_id: RowIdParam, data: MinimumIn) -> Any:
    catalogue.minimum_set(actor=request.auth, warehouse_id=warehouse_id, item_id=data.item,  # type: ignore[attr-defined]
                          min_units=data.min_units)
    return Status(200, None)


_COUNTS_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
}}}


@router.post("/supplies/counts/import", response=CountImportOut, openapi_extra=_COUNTS_BODY)
def import_stock_counts(request: HttpRequest, dry_run: bool = False) -> Any:
    """CSV (warehouse,item,lot,expires_on,counted) as the body or multipart field `file`; all or nothing."""
    # A multipart body can be read only once, through request.FILES; any other body is read as text.
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(SupplyError.IMPORT_INVALID, field="file")
        text = decode(upload.read())
    else:
        text = decode(request.body)
    result = stock_import.stock_counts_import(text, actor=request.auth, dry_run=dry_run)  # type: ignore[attr-defined]
    return CountImportOut(lines=result.lines, adjusted=result.adjusted, units_added=result.units_added,
                          units_removed=result.units_removed, dry_run=dry_run)


@router.post("/supplies/forecast/census", response=CensusOut)
def forecast_census(request: HttpRequest, data: CensusIn) -> Any:
    """Need over a census forecast (patients per day) and the day stock runs out (0 = today; None: it lasts)."""
    f = selectors.census_input(request.auth, data.warehouse, data.item, data.units_per_patient_day)  # type: ignore[attr-defined]
    result = engines.census_forecast(f.on_hand, data.census, f.units_per_patient_day)
    return CensusOut(on_hand=f.on_hand, units_per_patient_day=f.units_per_patient_day,
                     need_units=round(result.need_units, 2), run_out_day=result.run_out_day)
