"""Reminders for plans whose review date has passed: the facility's managers first, then the region's desk.

Registered as a periodic job of the notification worker (apps.py), like capacity's overdue-report notices.
One open notice per plan and review date: the dedupe key names the date, so a plan is reminded once while it
stays overdue, and a review that sets a new date which then passes gives a new notice.

Kind "plan_review_overdue": people can set it to a digest per role, as they do for overdue capacity reports.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jedel.accounts.services import SYSTEM
from jedel.common.errors import DomainError
from jedel.notifications.models import Desk, Priority
from jedel.notifications.services.sending import notice_send
from jedel.preparedness.models import EmergencyPlan

EVERY_S = 3600


def plan_review_notices_send(now: datetime) -> int:
    """Send (or collapse into the open one) a routine notice for every active facility's overdue plan review."""
    today = timezone.localdate(now)
    desks = dict(Desk.objects.filter(kind="region_coordination").values_list("region_id", "pk"))
    sent = 0
    plans = (EmergencyPlan.objects.filter(review_due_on__lt=today, facility__active=True)
             .select_related("facility").order_by("review_due_on", "pk"))
    for plan in plans:
        f = plan.facility
        levels = [[{"role": "facility_manager", "facility": f.pk}]]
        if f.region_id in desks:
            levels.append([{"desk": desks[f.region_id]}])
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Emergency response plan review overdue (due %(date)s)") % {"date": plan.review_due_on}
        try:
            result = notice_send(actor=SYSTEM, kind="plan_review_overdue", priority=Priority.ROUTINE,
                                 title=f"{f.code} · {title}", body=reverse("preparedness:plan", args=[f.pk]),
                                 levels=levels, ack_timeout_s=[86400] * len(levels), facility_id=f.pk,
                                 region_id=f.region_id, dedupe_key=f"plan-review:{f.code}:{plan.review_due_on}",
                                 data={"plan_facility": f.pk, "review_due_on": plan.review_due_on.isoformat()},
                                 now=now)
        except DomainError:
            continue  # nobody to tell (no manager, no desk): the plans page still shows it as outdated
        sent += not result.collapsed
    return sent
