"""Minimum (non-reducible) stock: when what is on hand falls below it, the warehouse's logisticians are told.

The check runs after the moving transaction commits (a rolled-back issue alerts nobody). The notice is stored
before it is sent (notifications' outbox); its dedupe key names the warehouse and item, so a warehouse that
stays below its minimum is not paged again for every further issue while the first notice is open.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jedel.accounts.services import SYSTEM
from jedel.common.errors import DomainError
from jedel.notifications.models import Priority
from jedel.notifications.services.sending import notice_send
from jedel.supplies.models import MinimumStock, StockBalance, Warehouse

log = logging.getLogger(__name__)


def low_stock_check_on_commit(warehouse_id: int, item_id: int) -> None:
    """Check the minimum once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: low_stock_check(warehouse_id, item_id))


def _levels(warehouse: Warehouse) -> list[list[dict[str, Any]]]:
    if warehouse.facility_id is not None:
        return [[{"role": "facility_manager", "facility": warehouse.facility_id},
                 {"role": "logistician", "region": warehouse.region_id}]]
    if warehouse.region_id is not None:
        return [[{"role": "logistician", "region": warehouse.region_id}],
                [{"role": "regional_coordinator", "region": warehouse.region_id}]]
    return [[{"role": "logistician"}], [{"role": "national_coordinator"}]]


def low_stock_check(warehouse_id: int, item_id: int) -> bool:
    """Send a low-stock notice if the item is below its minimum at the warehouse; True when one was sent."""
    minimum = (MinimumStock.objects.select_related("warehouse", "item")
               .filter(warehouse_id=warehouse_id, item_id=item_id).first())
    if minimum is None:
        return False
    today = timezone.localdate()
    usable = Q(batch__expires_on__isnull=True) | Q(batch__expires_on__gte=today)  # expired stock supplies nobody
    units = (StockBalance.objects.filter(usable, warehouse_id=warehouse_id, item_id=item_id)
             .aggregate(s=Sum("on_hand"))["s"])
    units = int(units or 0)
    if units >= minimum.min_units:
        return False
    wh, item = minimum.warehouse, minimum.item
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(item)s below minimum at %(warehouse)s: %(units)d on hand, minimum %(min)d") % {
            "item": item.name, "warehouse": wh.name, "units": units, "min": minimum.min_units}
    levels = _levels(wh)
    try:
        notice_send(actor=SYSTEM, kind="low_stock", priority=Priority.URGENT, title=title,
                    body=reverse("supplies:warehouse", args=[wh.pk]), levels=levels,
                    ack_timeout_s=[4 * 3600] * len(levels), region_id=wh.region_id, facility_id=wh.facility_id,
                    dedupe_key=f"low-stock:{wh.code}:{item.code}",
                    data={"warehouse": wh.pk, "item": item.code, "on_hand": units, "minimum": minimum.min_units})
    except DomainError as exc:  # nobody to tell: the warehouse page still shows the line in red
        log.warning("low-stock notice for %s/%s not sent: %s", wh.code, item.code, exc)
        return False
    return True
