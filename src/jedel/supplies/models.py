"""Catalogue (items, versioned kit compositions), warehouses, batches and the stock ledger.

Stock on hand is never edited: every movement is an immutable `LedgerEntry`, and `StockBalance` is the running
sum of a (warehouse, item, batch)'s entries, written only in the same transaction as the entry that changes it
(services/ledger.py). A check constraint keeps it at or above zero, so two concurrent issues cannot both take
the last units: the second one's conditional update finds too little and is refused. Requests and shipments are
in models_requests.py, distributions and feedback in models_distribution.py.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jedel.common.models import TrilingualNameModel, VersionedModel


class Category(models.TextChoices):
    PPE = "ppe", _("Personal protective equipment")
    MEDICINE = "medicine", _("Medicines")
    DEVICE = "device", _("Medical devices")
    HYGIENE = "hygiene", _("Hygiene items")
    KIT = "kit", _("Kits")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    PAIR = "pair", _("pair")
    PACK = "pack", _("pack")
    BOX = "box", _("box")
    BOTTLE = "bottle", _("bottle")
    KIT = "kit", _("kit")


class Item(TrilingualNameModel):
    """Something stocked and counted in whole units (a mask, a pack of tablets, a ventilator, a hygiene kit)."""

    code = models.SlugField(max_length=40, unique=True)
    category = models.CharField(max_length=12, choices=Category.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PIECE)
    shelf_life_days = models.PositiveIntegerField(null=True, blank=True, help_text="None: does not expire")
    # Per patient-day use for the census forecast (CDC burn-rate method); None where it is not consumed per patient.
    units_per_patient_day = models.FloatField(null=True, blank=True)
    pack_size = models.PositiveIntegerField(default=1, help_text="orders are rounded up to whole packs")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "code"]


class KitVersion(models.Model):
    """One approved composition of a kit item; a new version never changes an older one."""

    kit = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="kit_versions")
    number = models.PositiveIntegerField()
    approved_at = models.DateTimeField()
    approved_by_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kit_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["kit", "number"], name="supplies_kit_version_unique")]

    def __str__(self) -> str:
        return f"{self.kit.code} v{self.number}"


class KitComponent(models.Model):
    version = models.ForeignKey(KitVersion, on_delete=models.CASCADE, related_name="components")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["version_id", "item__code"]
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="supplies_kit_component_unique"),
                       models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_kit_component_positive")]


class WarehouseKind(models.TextChoices):
    NATIONAL = "national", _("National warehouse")
    REGIONAL = "regional", _("Regional warehouse")
    HOSPITAL = "hospital", _("Hospital store")
    PARTNER = "partner", _("Partner warehouse")


class Warehouse(TrilingualNameModel):
    """A place that holds stock. Its permission target: its region (None for a national one) and its facility."""

    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=WarehouseKind.choices)
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="stores")
    partner = models.CharField(max_length=120, blank=True, help_text="the organisation running a partner warehouse")
    lat = models.FloatField()
    lon = models.FloatField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="national") | Q(region__isnull=False),
                                   name="supplies_warehouse_region_unless_national"),
            models.CheckConstraint(condition=~Q(kind="hospital") | Q(facility__isnull=False),
                                   name="supplies_hospital_store_has_facility"),
        ]


class Batch(models.Model):
    """A lot of an item with its expiry date (None: does not expire). Issues take the earliest expiry first.

    Stock received without a lot number goes to the item's batch with lot "" (one per item), so every entry and
    balance names a batch and the balance's uniqueness needs no NULL handling.
    """

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="batches")
    lot = models.CharField(max_length=60)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["item_id", "expires_on", "lot"]
        constraints = [models.UniqueConstraint(fields=["item", "lot"], name="supplies_batch_lot_unique")]

    def __str__(self) -> str:
        return self.lot


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ADJUSTMENT = "adjustment", _("Adjustment")
    EXPIRY = "expiry", _("Expiry write-off")
    DISTRIBUTION = "distribution", _("Distribution to people")
    KIT_ASSEMBLY = "kit_assembly", _("Kit assembly")


class _AppendOnly(models.QuerySet["LedgerEntry"]):
    """Bulk update and delete are refused too: a ledger is corrected by a new entry, never by editing one."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError("ledger entries are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("ledger entries are immutable")


class LedgerEntry(models.Model):
    """One movement of stock, signed (+ in, − out), never changed or deleted once written."""

    objects = _AppendOnly.as_manager()

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=EntryKind.choices)
    quantity = models.BigIntegerField(help_text="units of the item; positive in, negative out")
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200)
    reference = models.CharField(max_length=60, blank=True, help_text="shipment:12, request:5, distribution:3, …")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["warehouse", "item", "at"], name="supplies_entry_wh_item_at"),
                   models.Index(fields=["reference"], name="supplies_entry_reference"),
                   # One item's use across every warehouse (days of supply by item): without it a popular item's
                   # whole history is read; covering and partial, it is an index-only scan (bench/supplies_stock.py).
                   models.Index(fields=["item", "at"], include=["warehouse", "quantity"],
                                condition=Q(kind__in=["issue", "distribution"]), name="supplies_entry_use_item_at")]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="supplies_entry_nonzero")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("ledger entries are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("ledger entries are immutable")


class StockBalance(models.Model):
    """The running sum of a warehouse's entries for one item and batch; never below zero."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    on_hand = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["warehouse_id", "item_id", "batch_id"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item", "batch"], name="supplies_balance_unique"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="supplies_balance_not_negative"),
        ]
        indexes = [models.Index(fields=["item", "warehouse"], name="supplies_balance_item_wh")]


class MinimumStock(VersionedModel):
    """The non-reducible stock of an item at a warehouse: below it, the warehouse's logisticians are told."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="minimums")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    min_units = models.PositiveIntegerField()

    class Meta:
        ordering = ["warehouse_id", "item_id"]
        constraints = [models.UniqueConstraint(fields=["warehouse", "item"], name="supplies_minimum_unique")]


# Registering the other model modules with the app.
from jedel.supplies.models_requests import RequestLine, Shipment, ShipmentLine, SupplyRequest  # noqa: E402,F401
from jedel.supplies.models_distribution import (  # noqa: E402,F401
    DistributionEvent, FeedbackAnswer, FeedbackForm, Handout, Household, KitProposal)
