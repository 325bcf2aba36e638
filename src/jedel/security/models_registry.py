"""The violence-against-health-workers registry: incidents, victims, perpetrators, follow-up, evidence.

Names of victims and perpetrators are personal data: only the facility's security officer, its manager and the
regional security lead read them (see permissions.py); everyone else sees the incident without them.
Evidence files are stored content-addressed under their SHA-256, never replaced; every read is logged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jedel.common.models import VersionedModel


class ViolenceKind(models.TextChoices):
    PHYSICAL = "physical", _("Physical assault")
    VERBAL = "verbal", _("Verbal abuse")
    THREAT = "threat", _("Threat")
    SEXUAL = "sexual", _("Sexual harassment or assault")
    PROPERTY = "property", _("Property damage")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CRITICAL = "critical", _("Critical (life-threatening)")


class CriminalCase(models.TextChoices):
    NONE = "none", _("No criminal case")
    OPENED = "opened", _("Criminal case opened")
    REFUSED = "refused", _("Case refused")
    IN_COURT = "in_court", _("In court")
    CONVICTED = "convicted", _("Convicted")
    CLOSED = "closed", _("Closed")


class StaffRole(models.TextChoices):
    NURSE = "nurse", _("Nurse")
    DOCTOR = "doctor", _("Doctor")
    PARAMEDIC = "paramedic", _("Paramedic")
    SECURITY = "security", _("Security staff")
    OTHER = "other", _("Other staff")


class PerpetratorKind(models.TextChoices):
    PATIENT = "patient", _("Patient")
    RELATIVE = "relative", _("Relative")
    VISITOR = "visitor", _("Visitor")
    OTHER = "other", _("Other")


class ViolenceIncident(VersionedModel):
    """One attack on health workers at a facility."""

    facility = models.ForeignKey("facilities.Facility", on_delete=models.PROTECT, related_name="violence_incidents")
    occurred_at = models.DateTimeField()
    department = models.CharField(max_length=100)
    location = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=16, choices=ViolenceKind.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    summary = models.TextField(blank=True, help_text="what happened, without names")
    police_notified = models.BooleanField(default=False)
    police_case_number = models.CharField(max_length=64, blank=True)
    criminal_case = models.CharField(max_length=16, choices=CriminalCase.choices, default=CriminalCase.NONE)
    measures_taken = models.TextField(blank=True)
    recorded_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["facility", "-occurred_at"], name="violence_facility_idx")]


class Victim(models.Model):
    incident = models.ForeignKey(ViolenceIncident, on_delete=models.CASCADE, related_name="victims")
    name = models.CharField(max_length=200, help_text="personal data")
    staff_role = models.CharField(max_length=16, choices=StaffRole.choices)
    injuries = models.CharField(max_length=500, blank=True)
    sick_leave_days = models.PositiveIntegerField(null=True, blank=True)


class Perpetrator(models.Model):
    incident = models.ForeignKey(ViolenceIncident, on_delete=models.CASCADE, related_name="perpetrators")
    name = models.CharField(max_length=200, blank=True, help_text="personal data")
    kind = models.CharField(max_length=16, choices=PerpetratorKind.choices)
    detained = models.BooleanField(default=False)
    mental_health_referral = models.BooleanField(default=False)


class FollowUpTask(models.Model):
    incident = models.ForeignKey(ViolenceIncident, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)


class EvidenceKind(models.TextChoices):
    BODY_CAMERA = "body_camera", _("Body-camera export")
    CCTV = "cctv", _("CCTV export")
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class Evidence(models.Model):
    """A file attached to an incident. Rows are never updated: a corrected file is a new piece of evidence."""

    incident = models.ForeignKey(ViolenceIncident, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_by_label = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["incident", "sha256"], name="evidence_once_per_incident")]


class EvidenceAccess(models.Model):
    """Every view or download of a piece of evidence (append-only)."""

    class Kind(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded")

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="accesses")
    at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    user_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["at", "pk"]
