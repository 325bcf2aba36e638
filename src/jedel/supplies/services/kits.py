"""Kit assembly: components leave the shelf and the same number of kits arrive on it, in one transaction.

A kit version's components are taken earliest expiry first (as any issue); the kits made get a lot of their own,
and when a component expires the kit expires with it: the kit lot's expiry date is the earliest expiry among
the lots taken (WHO/UNICEF kit practice: a kit is as old as its shortest-lived part). Too little of any component
refuses the whole assembly, naming the first one short; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, NotFound
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import EntryKind, Item, KitVersion, StockBalance, Warehouse
from jedel.supplies.services.ledger import batch_for, positive_units, put, take, warehouse_audit, warehouse_for

MAX_KITS = 100_000  # one assembly run; a larger figure is a typing error, not a plan


@dataclass(frozen=True)
class Assembled:
    """What one assembly took and made: the kits' lot and expiry, and the units taken per component lot."""

    kit_code: str
    version: int
    count: int
    lot: str
    expires_on: date | None
    taken: list[tuple[str, str, int]]  # (component code, lot, units)


def _version(kit_version_id: int) -> KitVersion:
    version = KitVersion.objects.select_related("kit").filter(pk=kit_version_id).first()
    if version is None:
        raise NotFound(SupplyError.KIT_VERSION_NOT_FOUND, field="kit_version")
    return version


def kit_assemble(*, actor: Principal | None, warehouse_id: int, kit_version_id: int, count: int, lot: str = "",
                 now: datetime | None = None) -> Assembled:
    """Assemble `count` kits of one version at a warehouse from the components on hand there; all or nothing."""
    warehouse = warehouse_for(actor, warehouse_id)
    assert actor is not None
    now = now or utcnow()
    version = _version(kit_version_id)
    positive_units(count, "count")
    if count > MAX_KITS:
        raise DomainError(SupplyError.INVALID, field="count")
    components = list(version.components.select_related("item").order_by("item__code"))
    if not components:
        raise DomainError(SupplyError.KIT_EMPTY, field="kit_version")
    reference = f"{version.kit.code}-v{version.number}"[:60]
    taken: list[tuple[str, str, int]] = []
    expiries: list[date] = []
    with transaction.atomic():
        for component in components:
            need = component.quantity * count
            try:
                with transaction.atomic():  # a short component's partial take is undone before it is counted
                    parts = take(warehouse, component.item, need, EntryKind.KIT_ASSEMBLY, actor_label=actor.label,
                                 now=now, reference=reference, note=f"{count} x {reference}")
            except DomainError as short:
                if short.code != SupplyError.INSUFFICIENT_STOCK:
                    raise
                raise DomainError(SupplyError.INSUFFICIENT_STOCK, field=f"components.{component.item.code}",
                                  status=409, detail=_short(warehouse, component.item, need, now)) from None
            taken += [(component.item.code, t.batch.lot, t.quantity) for t in parts]
            expiries += [t.batch.expires_on for t in parts if t.batch.expires_on is not None]
        expires_on = min(expiries) if expiries else None
        # A dated kit lot needs a number (batch_for): made up from the version, the day and the expiry when none
        # is given, so kits of one day with the same expiry share a lot and other expiries get their own.
        kit_lot = lot.strip()[:60] or (
            f"{reference}-{timezone.localdate(now):%Y%m%d}-E{expires_on:%Y%m%d}"[:60] if expires_on else "")
        batch = batch_for(version.kit, kit_lot, expires_on)
        put(warehouse, version.kit, batch, count, EntryKind.KIT_ASSEMBLY, actor_label=actor.label, now=now,
            reference=reference, note=f"{count} x {reference}")
        warehouse_audit(actor, "kit_assemble", warehouse, {"kit": reference, "count": count, "lot": kit_lot,
                                                           "expires_on": expires_on}, now)
    return Assembled(kit_code=version.kit.code, version=version.number, count=count, lot=kit_lot,
                     expires_on=expires_on, taken=taken)


def _short(warehouse: Warehouse, item: Item, need: int, now: datetime) -> str:
    today = timezone.localdate(now)
    usable = (StockBalance.objects.filter(warehouse=warehouse, item=item)
              .filter(Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=today))
              .aggregate(units=Sum("on_hand"))["units"] or 0)
    return _("Not enough %(item)s: %(need)s units needed, %(have)s usable on hand. Nothing was taken.") % {
        "item": item.code, "need": need, "have": usable}
