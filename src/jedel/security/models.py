"""Panic buttons and their alerts, console heartbeats, refused presses, and each facility's security posture.

The violence-incident registry (incidents, victims, perpetrators, evidence) is in models_registry.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jedel.common.models import VersionedModel


class PanicButton(models.Model):
    """A fixed or wearable button at one place of a facility. Only the SHA-256 of its device secret is stored."""

    facility = models.ForeignKey("facilities.Facility", on_delete=models.CASCADE, related_name="panic_buttons")
    location = models.CharField(max_length=120, help_text="where it is: ER triage desk, ward 3, …")
    token_prefix = models.CharField(max_length=12, help_text="first characters of the secret, to recognise it")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by_label = models.CharField(max_length=200)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    presses = models.PositiveIntegerField(default=0, help_text="every accepted press, duplicates included")
    last_press_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["facility_id", "location", "pk"]

    def __str__(self) -> str:
        return f"{self.location} ({self.token_prefix}…)"


class AlertState(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class AlertOutcome(models.TextChoices):
    FALSE_ALARM = "false_alarm", _("False alarm")
    DE_ESCALATED = "de_escalated", _("De-escalated")
    POLICE_CALLED = "police_called", _("Police called")
    INCIDENT_RECORDED = "incident_recorded", _("Incident recorded")


class AlertSource(models.TextChoices):
    DEVICE = "device", _("Panic button")
    STAFF_PAGE = "staff_page", _("Panic page")


class PanicAlert(models.Model):
    """One alarm, stored before anything is pushed; repeated presses of one device within seconds count here."""

    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="panic_alerts")
    button = models.ForeignKey(PanicButton, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    location = models.CharField(max_length=120)
    source = models.CharField(max_length=16, choices=AlertSource.choices)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    raised_by_label = models.CharField(max_length=200)
    pressed_at = models.DateTimeField()
    last_press_at = models.DateTimeField()
    presses = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=AlertState.choices, default=AlertState.OPEN)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by_label = models.CharField(max_length=200, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_label = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=24, choices=AlertOutcome.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    incident = models.ForeignKey("security.ViolenceIncident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="alerts")
    # The page that escalates it (notifications app): facility security, then management, then the region. It is
    # sent right after the alert commits; `paged_at` null = not yet (a sweep pages any the server died before).
    paged_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey("notifications.Notice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ["-pressed_at", "-pk"]
        indexes = [models.Index(fields=["facility", "state"], name="panic_alert_open_idx"),
                   models.Index(fields=["button", "-last_press_at"], name="panic_alert_button_idx")]
        constraints = [
            models.CheckConstraint(name="panic_alert_outcome_when_resolved", condition=(
                Q(state="resolved", resolved_at__isnull=False) & ~Q(outcome=""))
                | (~Q(state="resolved") & Q(outcome=""))),
            models.CheckConstraint(name="panic_alert_incident_when_recorded", condition=(
                ~Q(outcome="incident_recorded") | Q(incident__isnull=False))),
        ]

    def __str__(self) -> str:
        return f"panic #{self.pk} {self.location} ({self.state})"


class PanicDenial(models.Model):
    """A press refused for its credentials (unknown, revoked or missing token): logged, no alert."""

    class Reason(models.TextChoices):
        MISSING = "missing", _("no token")
        UNKNOWN = "unknown", _("unknown token")
        REVOKED = "revoked", _("revoked token")

    at = models.DateTimeField(db_index=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    token_prefix = models.CharField(max_length=12, blank=True)
    button = models.ForeignKey(PanicButton, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    remote_addr = models.CharField(max_length=64, blank=True)


class ConsoleHeartbeat(models.Model):
    """The last sign of life of one person's security console page of one facility."""

    facility = models.ForeignKey("facilities.Facility", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["facility", "user"], name="console_heartbeat_once")]
        indexes = [models.Index(fields=["facility", "-last_seen_at"], name="console_heartbeat_idx")]


class SecurityPosture(VersionedModel):
    """What a facility has against violence (issue 10, item 3). Panic buttons are counted from PanicButton."""

    facility = models.OneToOneField("facilities.Facility", on_delete=models.CASCADE, related_name="security_posture")
    post_24_7 = models.BooleanField(default=False, help_text="a security post staffed around the clock")
    cctv_cameras = models.PositiveIntegerField(default=0)
    er_cctv_covered = models.BooleanField(default=False, help_text="the emergency department is covered by CCTV")
    body_cameras = models.PositiveIntegerField(default=0)
    staff_count = models.PositiveIntegerField(null=True, blank=True, help_text="for rates per 100 staff")
    last_audit_on = models.DateField(null=True, blank=True)
    audit_findings = models.TextField(blank=True)
    # Some regions want their police liaison / coordinator told of every alarm at once, not after 60 s.
    alert_region_at_once = models.BooleanField(default=False)
    updated_by_label = models.CharField(max_length=200, blank=True)


# The registry's models live in their own module; importing them here registers them with the app.
from jedel.security.models_registry import (  # noqa: E402,F401
    Evidence, EvidenceAccess, FollowUpTask, Perpetrator, Victim, ViolenceIncident,
)


class ComplianceSnapshot(models.Model):
    """One day's compliance of a region's mandated facilities, kept for the trend (taken daily by the worker)."""

    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    on_date = models.DateField()
    mandated = models.PositiveIntegerField()
    compliant = models.PositiveIntegerField()
    gaps = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "on_date"], name="compliance_snapshot_daily")]
