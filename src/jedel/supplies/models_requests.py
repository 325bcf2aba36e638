"""Requests for supplies (with their approval) and the shipments that fulfil them, partly or wholly.

A request comes from a region or a facility, may be linked to an incident, and names the warehouse asked to
supply it. Approval sets the approved quantity of each line (0 = refused); shipments then move stock from the
supplying warehouse to the receiving one. A shipment is prepared, dispatched (stock leaves the source: ledger
entries "transfer out") and received once (stock enters the destination: "transfer in", with any discrepancy
between sent and received recorded per line).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jedel.common.models import VersionedModel


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
    FULFILLED = "fulfilled", _("Fulfilled")
    # The supplying warehouse will send no more: what was received stays, the rest is no longer on order.
    CLOSED = "closed", _("Closed short")
    CANCELLED = "cancelled", _("Cancelled")


class SupplyRequest(VersionedModel):
    """What a region or facility asks for, from which warehouse, by when, and why."""

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    # Incidents sit beside supplies on the ladder: the link is by table only, supplies imports nothing from them.
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    source = models.ForeignKey("supplies.Warehouse", on_delete=models.PROTECT, related_name="requests_to")
    destination = models.ForeignKey("supplies.Warehouse", on_delete=models.PROTECT, related_name="requests_from")
    status = models.CharField(max_length=18, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    needed_by = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    requested_by_label = models.CharField(max_length=200)
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(source=models.F("destination")),
                                              name="supplies_request_source_is_not_destination")]


class RequestLine(models.Model):
    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="+")
    quantity_requested = models.PositiveIntegerField()
    quantity_approved = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["request_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "item"], name="supplies_request_line_unique"),
                       models.CheckConstraint(condition=Q(quantity_requested__gt=0),
                                              name="supplies_request_line_positive")]


class ShipmentStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    DISPATCHED = "dispatched", _("Dispatched")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class Shipment(VersionedModel):
    request = models.ForeignKey(SupplyRequest, on_delete=models.PROTECT, related_name="shipments")
    status = models.CharField(max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.PREPARED)
    carrier = models.CharField(max_length=200, blank=True, help_text="vehicle, driver, waybill number")
    prepared_by_label = models.CharField(max_length=200)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by_label = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["request_id", "pk"]


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(RequestLine, on_delete=models.PROTECT, related_name="shipment_lines")
    # Batches are picked at dispatch, earliest expiry first; the ledger entries (reference "shipment:<id>") keep them.
    quantity_sent = models.PositiveIntegerField()
    quantity_received = models.PositiveIntegerField(null=True, blank=True)
    discrepancy_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["shipment_id", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity_sent__gt=0), name="supplies_shipment_line_positive")]
