"""Capacity reports (append-only) and the pointer to each facility's current status.

Bed vocabulary: HAvBED (US AHRQ Hospital Available Beds for Emergencies and Disasters, 2005) as encoded in
OASIS EDXL-HAVE 1.0 BedType; the stored values are the EDXL-HAVE enumeration names.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jedel.facilities.models import Facility


class BedType(models.TextChoices):
    ADULT_ICU = "AdultICU", _("Adult ICU")
    PEDIATRIC_ICU = "PediatricICU", _("Paediatric ICU")
    NEONATAL_ICU = "NeonatalICU", _("Neonatal ICU")
    MEDICAL_SURGICAL = "MedicalSurgical", _("Medical/surgical")
    PEDIATRICS = "Pediatrics", _("Paediatric")
    BURN = "Burn", _("Burn")
    PSYCHIATRIC = "AdultPsychiatric", _("Psychiatric")
    NEGATIVE_PRESSURE = "NegativeFlowIsolation", _("Negative-pressure isolation")
    OPERATING_ROOMS = "OperatingRooms", _("Operating rooms")


class EdStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DIVERSION = "diversion", _("On diversion")
    CLOSED = "closed", _("Closed")


class OxygenStatus(models.TextChoices):
    ADEQUATE = "adequate", _("Adequate")
    LIMITED = "limited", _("Limited")
    CRITICAL = "critical", _("Critical")
    UNKNOWN = "unknown", _("Unknown")


class FacilityOperation(models.TextChoices):
    """EDXL-HAVE 1.0 HospitalFacilityStatus/FacilityStatus: can the building be used at all."""

    NORMAL = "normal", _("Normal operations")
    COMPROMISED = "compromised", _("Compromised")
    EVACUATING = "evacuating", _("Evacuating")
    CLOSED = "closed", _("Closed")


class SecurityStatus(models.TextChoices):
    """EDXL-HAVE 1.0 HospitalFacilityStatus/SecurityStatus (Sahana Eden adds "closed"; so does Jedel)."""

    NORMAL = "normal", _("Normal")
    ELEVATED = "elevated", _("Elevated")
    RESTRICTED_ACCESS = "restricted_access", _("Restricted access")
    LOCKDOWN = "lockdown", _("Lockdown")
    QUARANTINE = "quarantine", _("Quarantine")
    CLOSED = "closed", _("Closed")


class Staffing(models.TextChoices):
    """EDXL-HAVE 1.0 HospitalResourcesStatus/Staffing."""

    ADEQUATE = "adequate", _("Adequate")
    INSUFFICIENT = "insufficient", _("Insufficient")


class ReportSource(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    EDXL = "edxl", _("EDXL-HAVE import")
    DEMO = "demo", _("Synthetic demo")


class CapacityReport(models.Model):
    """What one facility reported at `reported_at`. Never updated or deleted: history is the record."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="reports")
    reported_at = models.DateTimeField(help_text="when the figures were true (UTC)")
    received_at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=ReportSource.choices)
    reporter = models.CharField(max_length=200)
    ventilators_total = models.PositiveIntegerField(null=True, blank=True)
    ventilators_in_use = models.PositiveIntegerField(null=True, blank=True)
    oxygen_status = models.CharField(max_length=10, choices=OxygenStatus.choices, default=OxygenStatus.UNKNOWN)
    ct_operational = models.BooleanField(null=True, blank=True)
    xray_operational = models.BooleanField(null=True, blank=True)
    lab_tests_capacity_per_day = models.PositiveIntegerField(null=True, blank=True)
    lab_tests_performed_per_day = models.PositiveIntegerField(null=True, blank=True)
    ed_status = models.CharField(max_length=10, choices=EdStatus.choices, default=EdStatus.OPEN)
    ed_status_reason = models.CharField(max_length=300, blank=True)
    mci_immediate_per_hour = models.PositiveIntegerField(null=True, blank=True)
    mci_delayed_per_hour = models.PositiveIntegerField(null=True, blank=True)
    mci_minimal_per_hour = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    # Operational status (EDXL-HAVE HospitalFacilityStatus / HospitalResourcesStatus); "" / None = not reported.
    facility_status = models.CharField(max_length=12, choices=FacilityOperation.choices, blank=True)
    security_status = models.CharField(max_length=20, choices=SecurityStatus.choices, blank=True)
    staffing = models.CharField(max_length=12, choices=Staffing.choices, blank=True)
    admissions_24h = models.PositiveIntegerField(null=True, blank=True)
    discharges_24h = models.PositiveIntegerField(null=True, blank=True)
    deaths_24h = models.PositiveIntegerField(null=True, blank=True)
    # Set when the sender can be retried (an EDXL-HAVE hospital's content, later an Idempotency-Key): a second
    # submission with the same key for the same facility returns the stored report instead of a new one.
    idempotency_key = models.CharField(max_length=200, blank=True)
    # A "nothing changed" confirmation: the figures are the previous report's, carried forward (services/reports.py).
    confirmed_unchanged = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["facility", "-reported_at"], name="report_facility_latest")]
        constraints = [
            models.UniqueConstraint(fields=["facility", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="report_idempotency_key_unique"),
            models.CheckConstraint(name="report_vent_in_use_le_total",
                                   condition=Q(ventilators_in_use__isnull=True) | Q(ventilators_total__isnull=True)
                                   | Q(ventilators_in_use__lte=F("ventilators_total"))),
            models.CheckConstraint(name="report_lab_performed_le_capacity",
                                   condition=Q(lab_tests_performed_per_day__isnull=True)
                                   | Q(lab_tests_capacity_per_day__isnull=True)
                                   | Q(lab_tests_performed_per_day__lte=F("lab_tests_capacity_per_day"))),
        ]


class BedCapacity(models.Model):
    """One bed type within a report. `available` = staffed beds that are vacant now (HAvBED)."""

    report = models.ForeignKey(CapacityReport, on_delete=models.CASCADE, related_name="beds")
    bed_type = models.CharField(max_length=32, choices=BedType.choices)
    staffed = models.PositiveIntegerField(null=True, blank=True)
    occupied = models.PositiveIntegerField(null=True, blank=True)
    available = models.PositiveIntegerField()
    surge_24h = models.PositiveIntegerField(null=True, blank=True,
                                            help_text="additional beds that can be staffed within 24 hours")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "bed_type"], name="bed_unique_per_report"),
            models.CheckConstraint(name="bed_occupied_le_staffed",
                                   condition=Q(occupied__isnull=True) | Q(staffed__isnull=True)
                                   | Q(occupied__lte=F("staffed"))),
        ]


class FacilityStatus(models.Model):
    """Pointer to the newest report per facility, kept in the report's transaction.

    Why: "latest report per facility" over millions of rows is the board's hot query; a one-row-per-facility
    table turns it into a join (see bench/current_status.py for the measured difference).
    """

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, primary_key=True, related_name="status")
    report = models.ForeignKey(CapacityReport, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
