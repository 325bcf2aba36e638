"""A panic alert's page through the notifications app: who is called, when it escalates, how it stops.

Levels (seconds from the press, settings JEDEL_PANIC_ESCALATION_S, default 30 and 60): the facility's security
(its security desk on duty and its security officers) at once; its management if nobody acknowledged after 30 s;
the regional level (regional security lead, regional coordinators, the region's desk) after 60 s — or at once
as well, where the facility's posture says so (`alert_region_at_once`). The
notifications worker escalates on its injected clock; acknowledging on the console stops the paging.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import DomainError
from jedel.notifications.models import Delivery, Desk, Notice, NoticeKind, Priority
from jedel.notifications.services.answers import delivery_answer, notice_taken_elsewhere
from jedel.notifications.services.sending import notice_send
from jedel.security.models import PanicAlert, SecurityPosture

DEFAULT_ESCALATION_S = (30, 60)   # to management, to the region (issue 10)
DEFAULT_REGION_ACK_S = 300        # how long the regional level has before the page is marked unanswered
OPEN_DELIVERY = ["queued", "held", "sent", "delivered", "read"]


def escalation_s() -> tuple[int, int]:
    """Seconds from the press to management and to the region (setting JEDEL_PANIC_ESCALATION_S)."""
    to_management, to_region = getattr(settings, "JEDEL_PANIC_ESCALATION_S", DEFAULT_ESCALATION_S)
    return int(to_management), int(to_region)


def panic_levels(facility_id: int, region_id: int) -> list[list[dict[str, Any]]]:
    """Facility security, then facility management, then the region (see the module docstring)."""
    security: list[dict[str, Any]] = [{"role": Role.SECURITY_OFFICER.value, "facility": facility_id}]
    desk = Desk.objects.filter(kind="security", facility_id=facility_id).values_list("pk", flat=True).first()
    if desk is not None:
        security.insert(0, {"desk": desk})
    region: list[dict[str, Any]] = [{"role": Role.SECURITY_OFFICER.value, "region": region_id},
                                    {"role": Role.REGIONAL_COORDINATOR.value, "region": region_id}]
    region_desk = Desk.objects.filter(kind="region_coordination", region_id=region_id).values_list(
        "pk", flat=True).first()
    if region_desk is not None:
        region.append({"desk": region_desk})
    # Configured per facility (posture): the region is told at once as well (its 60 s level then adds nobody new).
    at_once = SecurityPosture.objects.filter(facility_id=facility_id, alert_region_at_once=True).exists()
    return [security + region if at_once else security,
            [{"role": Role.FACILITY_MANAGER.value, "facility": facility_id}], region]


def page_send(alert: PanicAlert, now: datetime) -> Notice | None:
    """Page the alert's first level (inside the caller's transaction). None when nobody at all can be reached:
    the alert stands on the console regardless, flagged."""
    to_management, to_region = escalation_s()
    levels = panic_levels(alert.facility_id, alert.facility.region_id)
    sender = Principal(label=f"panic:{alert.raised_by_label}"[:200], role=Role.NATIONAL_COORDINATOR,
                       scope_level=ScopeLevel.NATIONAL)  # on the alarm's authority, as a fire alarm would
    title = _("PANIC: %(location)s, %(facility)s") % {"location": alert.location, "facility": alert.facility.name}
    body = _("Panic alert at %(location)s. Acknowledge it on the security console: %(url)s") % {
        "location": alert.location, "url": reverse("security:console", args=[alert.facility_id])}
    try:
        with transaction.atomic():
            result = notice_send(actor=sender, kind=NoticeKind.PANIC_ALERT, title=title, body=body,
                                 priority=Priority.EMERGENCY, levels=levels,
                                 ack_timeout_s=[to_management, to_region - to_management, DEFAULT_REGION_ACK_S],
                                 facility_id=alert.facility_id, dedupe_key=f"panic:{alert.pk}",
                                 data={"panic_alert": alert.pk, "location": alert.location}, now=now)
    except DomainError:
        return None
    return result.notice


def page_stop(alert: PanicAlert, actor: Principal, now: datetime) -> None:
    """The alert was acknowledged on the console: its page is acknowledged too, so nobody else is called.

    The acknowledger's own delivery is answered through the notifications service when they have one; someone
    acknowledging before being paged (a manager at the console in the first 30 s) has none, so the notice is
    closed by the notifications app's `notice_taken_elsewhere`: marked acknowledged, every open delivery
    cancelled with a log line.
    """
    if alert.notice_id is None:
        return
    mine = Delivery.objects.filter(notice_id=alert.notice_id, recipient_id=actor.user_id,
                                   state__in=OPEN_DELIVERY).values_list("pk", flat=True).first()
    if mine is not None and actor.user_id is not None:
        delivery_answer(actor=actor, delivery_id=mine, answer="acknowledged",
                        note=_("Acknowledged on the security console"), now=now)
        return
    notice_taken_elsewhere(notice_id=alert.notice_id, actor=actor, now=now,
                           detail=f"acknowledged on the security console by {actor.label}")
