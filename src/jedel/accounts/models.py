"""Users with a role and a scope, API tokens, and the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    FACILITY_MANAGER = "facility_manager", _("Facility manager")
    CLINICIAN = "clinician", _("Clinician")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    LOGISTICIAN = "logistician", _("Logistician")
    VIEWER = "viewer", _("Viewer")


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("One region")
    FACILITY = "facility", _("One facility")


class User(AbstractUser):
    """A person. What they may do is decided by `jedel.accounts.policy` from role + scope only."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.VIEWER)
    scope_level = models.CharField(max_length=16, choices=ScopeLevel.choices, default=ScopeLevel.NATIONAL)
    scope_region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # A string reference keeps accounts below facilities on the import ladder.
    scope_facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    preferred_language = models.CharField(max_length=2, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_scope_consistent",
                condition=(
                    Q(scope_level="national", scope_region__isnull=True, scope_facility__isnull=True)
                    | Q(scope_level="region", scope_region__isnull=False, scope_facility__isnull=True)
                    | Q(scope_level="facility", scope_facility__isnull=False)
                ),
            )
        ]


class ApiToken(models.Model):
    """A secret for machine clients (hospital information systems). Only its SHA-256 is stored."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens")
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(name="token_has_owner",
                                   condition=Q(user__isnull=False) | Q(facility__isnull=False)),
        ]


class AuditEvent(models.Model):
    """Who did what, when, to what, and whether it was allowed. Append-only."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        DENIED = "denied", _("Denied")

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, help_text="username or token name, kept if the user goes")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The facility the event concerns (a facility user's sign-in, a facility token): lets a facility-scoped
    # security officer read their own facility's account events, and the page filter by facility.
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OK)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["region", "-at"]), models.Index(fields=["facility", "-at"]),
                   models.Index(fields=["action", "-at"])]


class SignInThrottle(models.Model):
    """Failed sign-ins counted per (username, client address), and per client address (username "").

    Kept in the database, not the cache: every server process shares it and counts under a row lock (the
    local-memory cache is per process, so N workers would allow N times the limit), and a cache may evict
    the keys an attacker wants gone. See `jedel.accounts.signin`.
    """

    username = models.CharField(max_length=150, blank=True)
    client = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["username", "client"], name="sign_in_throttle_key")]
