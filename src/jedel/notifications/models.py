"""Notices, their per-person deliveries with a full log, duty desks and rosters, and where people are reached.

A *notice* is one thing somebody must know (an incident declared, a patient on the way). It is stored first,
with the recipients resolved at that moment, as one *delivery* per person and channel; every change of a
delivery appends a *log* row, so the message page can say who got it, read it and acted, and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jedel.core.alerting import DeliveryState


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")


class NoticeKind(models.TextChoices):
    INCIDENT_DECLARED = "incident_declared", _("Incident declared")
    INCOMING_PATIENT = "incoming_patient", _("Incoming patient")
    TRANSFER_REQUEST = "transfer_request", _("Transfer request")
    PANIC_ALERT = "panic_alert", _("Panic alert")
    OVERDUE_REPORT = "overdue_report", _("Overdue capacity report")
    EXERCISE_INJECT = "exercise_inject", _("Exercise inject")
    PLAN_REVIEW_OVERDUE = "plan_review_overdue", _("Response plan review overdue")
    LOW_STOCK = "low_stock", _("Stock below minimum")
    SUPPLY_REQUEST = "supply_request", _("Supply request")
    SHIPMENT = "shipment", _("Shipment dispatched")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


DELIVERY_STATES = [
    (DeliveryState.QUEUED.value, _("queued")),
    (DeliveryState.HELD.value, _("held for digest")),
    (DeliveryState.SENT.value, _("sent")),
    (DeliveryState.DELIVERED.value, _("delivered")),
    (DeliveryState.READ.value, _("read")),
    (DeliveryState.ACKNOWLEDGED.value, _("acknowledged")),
    (DeliveryState.CANNOT_RESPOND.value, _("cannot respond")),
    (DeliveryState.FAILED.value, _("failed")),
    (DeliveryState.CANCELLED.value, _("cancelled: answered by someone else")),
]


class DeskKind(models.TextChoices):
    ADMISSIONS = "admissions", _("Admissions (emergency department)")
    SECURITY = "security", _("Security console")
    REGION_COORDINATION = "region_coordination", _("Regional coordinator desk")
    NCCEM_DUTY = "nccem_duty", _("NCCEM duty officer")


class Desk(models.Model):
    """A post that must be staffed around the clock: a hospital's admissions or security, a region's desk."""

    kind = models.CharField(max_length=32, choices=DeskKind.choices)
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="desks")
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="desks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "facility", "region"], name="desk_unique",
                                    nulls_distinct=False),
            models.CheckConstraint(name="desk_scope_matches_kind", condition=(
                Q(kind__in=["admissions", "security"], facility__isnull=False, region__isnull=True)
                | Q(kind="region_coordination", facility__isnull=True, region__isnull=False)
                | Q(kind="nccem_duty", facility__isnull=True, region__isnull=True))),
        ]

    def __str__(self) -> str:
        place = self.facility or self.region or "NCCEM"
        return f"{self.get_kind_display()} · {place}"


class Shift(models.Model):
    """One person on duty at a desk from `starts_at` to `ends_at` (UTC); `position` 0 is called first."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="shifts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=0, help_text="0 = first called, 1 = backup, …")

    class Meta:
        constraints = [models.CheckConstraint(name="shift_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at")))]
        indexes = [models.Index(fields=["desk", "starts_at", "ends_at"], name="shift_desk_time_idx")]


class Address(models.Model):
    """Where a person is reached outside the app. Exercise traffic goes only where `accepts_exercise`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    channel = models.CharField(max_length=16, choices=[c for c in Channel.choices if c[0] != Channel.IN_APP])
    value = models.CharField(max_length=200, help_text="e-mail address, phone in E.164, or Telegram chat id")
    accepts_exercise = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="address_one_per_channel")]


class Notice(models.Model):
    """One thing people must know, stored before anything is sent."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        UNANSWERED = "unanswered", _("Unanswered")

    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.URGENT)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    exercise = models.BooleanField(default=False)
    dedupe_key = models.CharField(max_length=200, blank=True,
                                  help_text="notices with one key collapse into the open one while it is open")
    repeats = models.PositiveIntegerField(default=0, help_text="how many duplicates were collapsed into it")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    sender_label = models.CharField(max_length=200)
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    facility = models.ForeignKey("facilities.Facility", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Recipients per level, resolved level by level: [{"desk": id} | {"user": id}, ...] per level.
    levels = models.JSONField(default=list)
    ack_timeout_s = models.JSONField(default=list, help_text="seconds to wait at each level")
    level = models.PositiveSmallIntegerField(default=0)
    level_started_at = models.DateTimeField()
    next_check_at = models.DateTimeField(null=True, blank=True, help_text="when escalation looks again; null when done")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], condition=Q(status="open") & ~Q(dedupe_key=""),
                                               name="notice_one_open_per_key")]
        indexes = [models.Index(fields=["next_check_at"], name="notice_next_check_idx"),
                   models.Index(fields=["-created_at"], name="notice_created_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}: {self.title}"


class Delivery(models.Model):
    """One notice to one person over one channel."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    address = models.CharField(max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(default=0)
    via_desk = models.ForeignKey(Desk, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=16, choices=DELIVERY_STATES,
                             default=DeliveryState.QUEUED.value)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="when the worker sends; null = not queued")
    last_error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True, help_text="acknowledged or declined")
    digest = models.ForeignKey("Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
                               help_text="the digest a held delivery waits for")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "recipient", "channel"], name="delivery_once")]
        indexes = [models.Index(fields=["next_attempt_at"], name="delivery_due_idx"),
                   models.Index(fields=["recipient", "-queued_at"], name="delivery_inbox_idx")]


class DeliveryLog(models.Model):
    """Append-only history of a delivery: every state it entered and every failed attempt."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    state = models.CharField(max_length=16)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Profile(models.Model):
    """A person's alerting settings. `real_only`: exercise traffic never reaches them, on any channel."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_profile")
    real_only = models.BooleanField(default=False)


class DigestRule(models.Model):
    """Immediate or a digest every N minutes, for one notice kind outside the app: per role, or per person.

    A person's rule wins over their role's. Whatever the rule, in-app delivery, EMERGENCY notices and any
    delivery whose silence would escalate to someone else are always immediate (`jedel.core.alerting.digest`).
    """

    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    role = models.CharField(max_length=32, blank=True, help_text="the role this rule is for (blank: a person's)")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="digest_rules")
    every_min = models.PositiveSmallIntegerField(null=True, blank=True, help_text="null = immediate")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "kind"], condition=Q(user__isnull=True), name="digest_rule_role"),
            models.UniqueConstraint(fields=["user", "kind"], condition=Q(user__isnull=False), name="digest_rule_user"),
            models.CheckConstraint(name="digest_rule_role_or_user", condition=(
                Q(user__isnull=True) & ~Q(role="")) | (Q(user__isnull=False) & Q(role=""))),
            models.CheckConstraint(name="digest_rule_period", condition=(
                Q(every_min__isnull=True) | Q(every_min__gte=5, every_min__lte=1440))),
        ]


class Digest(models.Model):
    """One combined message to one person over one channel, for the deliveries held until `due_at`.

    The worker claims it like a delivery (attempts, lease in `next_attempt_at`) and sends it with the key
    `jedel-digest-<id>`, the same across retries and restarts. Exercise and real traffic never share one.
    """

    class State(models.TextChoices):
        OPEN = "open", _("waiting for the end of the period")
        SENT = "sent", _("sent")
        EMPTY = "empty", _("nothing left to send")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    address = models.CharField(max_length=200)
    exercise = models.BooleanField(default=False)
    every_min = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="null once sent, empty or failed")
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "channel", "exercise", "due_at"],
                                               name="digest_one_per_period")]
        indexes = [models.Index(fields=["next_attempt_at"], name="digest_due_idx")]

    @property
    def key(self) -> str:
        return f"jedel-digest-{self.pk}"
