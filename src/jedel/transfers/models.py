"""Inter-facility transfer requests, their history, transport assets (aircraft, road ambulances) and missions.

No patient name is stored: a transfer carries a clinical summary and the sending hospital's own reference, so the
national picture shows patients in motion without personal data.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jedel.common.models import VersionedModel


class TransferState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Declined")
    TRANSPORT_ARRANGED = "transport_arranged", _("Transport arranged")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_STATES = frozenset({"requested", "accepted", "rejected", "transport_arranged", "departed"})
WAITING_STATES = frozenset({"requested", "accepted", "rejected", "transport_arranged"})

# Allowed transitions (from -> to). A declined request goes back to "requested" when re-routed.
TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"accepted", "rejected", "cancelled", "expired", "requested"}),
    "rejected": frozenset({"requested", "cancelled", "expired"}),
    "accepted": frozenset({"transport_arranged", "cancelled", "expired"}),
    "transport_arranged": frozenset({"departed", "cancelled"}),
    "departed": frozenset({"arrived"}),
    "arrived": frozenset(),
    "cancelled": frozenset(),
    "expired": frozenset(),
}


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency (red)")
    URGENT = "urgent", _("Urgent (yellow)")
    PLANNED = "planned", _("Planned (green)")


class Need(models.TextChoices):
    """Transport needs: equipment or team the vehicle must carry."""

    VENTILATOR = "ventilator", _("Ventilator")
    INCUBATOR = "incubator", _("Transport incubator")
    INFUSION_PUMPS = "infusion_pumps", _("Infusion pumps")
    OXYGEN = "oxygen", _("Oxygen")
    SPECIALIST_TEAM = "specialist_team", _("Specialist team")


class AssetKind(models.TextChoices):
    HELICOPTER = "helicopter", _("Helicopter")
    FIXED_WING = "fixed_wing", _("Fixed-wing aircraft")
    ROAD = "road", _("Road ambulance")


class AssetStatus(models.TextChoices):
    AVAILABLE = "available", pgettext_lazy("transport asset", "Available")
    ON_MISSION = "on_mission", _("On mission")
    MAINTENANCE = "maintenance", _("Maintenance")
    WEATHER_GROUNDED = "weather_grounded", _("Weather-grounded")


class CrewType(models.TextChoices):
    PHYSICIAN = "physician", _("Physician-led")
    PARAMEDIC = "paramedic", _("Paramedic")
    NEONATAL = "neonatal", _("Neonatal team")
    CRITICAL_CARE = "critical_care", _("Critical-care team")


class TransportAsset(VersionedModel):
    """An aircraft of a contracted operator at an air base, or a road ambulance of an EMS station."""

    call_sign = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=12, choices=AssetKind.choices)
    operator = models.CharField(max_length=120, blank=True)
    base = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="transport_assets")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="transport_assets")
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.AVAILABLE)
    crew_type = models.CharField(max_length=16, choices=CrewType.choices, default=CrewType.PHYSICIAN)
    equipment = models.JSONField(default=list, blank=True, help_text="Need values the asset carries")
    night_capable = models.BooleanField(default=False)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "call_sign"]


class Transfer(VersionedModel):
    """A request to move one patient from `origin` to `destination` (None = NCCEM decides)."""

    reference = models.CharField(max_length=40, help_text="the sending hospital's own case number")
    origin = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="transfers_out")
    destination = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="transfers_in")
    casualty = models.ForeignKey("incidents.Casualty", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="transfers")
    state = models.CharField(max_length=20, choices=TransferState.choices, default=TransferState.REQUESTED)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    diagnosis = models.CharField(max_length=500)
    triage_category = models.CharField(max_length=12, blank=True)
    rpm = models.PositiveSmallIntegerField(null=True, blank=True)
    ventilated = models.BooleanField(default=False)
    oxygen = models.BooleanField(default=False)
    infusion_pumps = models.PositiveSmallIntegerField(default=0)
    capabilities = models.JSONField(default=list, blank=True, help_text="registry capabilities required")
    bed_type = models.CharField(max_length=32, help_text="HAvBED bed type needed (EDXL-HAVE name)")
    needs = models.JSONField(default=list, blank=True, help_text="transport needs (Need values)")
    requested_at = models.DateTimeField()
    requested_by_label = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    arranged_at = models.DateTimeField(null=True, blank=True)
    departed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=500, blank=True)
    mode = models.CharField(max_length=12, choices=AssetKind.choices, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    exercise = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "-requested_at"])]
        constraints = [models.CheckConstraint(condition=~Q(origin=models.F("destination")),
                                              name="transfer_not_to_itself")]


class TransferEvent(models.Model):
    """One step of a transfer: the state it went to, when and by whom."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    from_state = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=20)
    kind = models.CharField(max_length=32)
    actor_id = models.IntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Decline(models.Model):
    """A receiving facility declined a transfer (counted per facility in the statistics)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="declines")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="transfer_declines")
    at = models.DateTimeField()
    reason = models.CharField(max_length=500)
    by_label = models.CharField(max_length=200)


class MissionStep(models.TextChoices):
    DISPATCHED = "dispatched", _("Dispatched")
    AT_PATIENT = "at_patient", _("At the patient")
    DEPARTED = "departed", _("Departed with the patient")
    DELIVERED = "delivered", _("Delivered")
    BACK_AT_BASE = "back_at_base", _("Back at base")


MISSION_STEPS = [s.value for s in MissionStep]


class Mission(models.Model):
    """An asset's mission for one transfer; open until it is back at base (or the transfer is cancelled)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="missions")
    asset = models.ForeignKey(TransportAsset, on_delete=models.PROTECT, related_name="missions")
    step = models.CharField(max_length=16, choices=MissionStep.choices, default=MissionStep.DISPATCHED)
    dispatched_at = models.DateTimeField()
    at_patient_at = models.DateTimeField(null=True, blank=True)
    departed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    back_at_base_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    eta_at_patient = models.DateTimeField()
    eta_delivered = models.DateTimeField()
    dispatched_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-dispatched_at", "-pk"]
        constraints = [
            # One open mission per asset and per transfer: the database backs the row locks.
            models.UniqueConstraint(fields=["asset"], condition=Q(ended_at__isnull=True), name="mission_asset_open"),
            models.UniqueConstraint(fields=["transfer"], condition=Q(ended_at__isnull=True),
                                    name="mission_transfer_open"),
        ]
