"""Overdue plan reviews are reminded through the notifications app (once per plan and review date); an incident's
page links each receiving hospital to its plan's activation page and the affected regions to their plans."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from jedel.accounts.policy import principal_for_user
from jedel.accounts.services import SYSTEM
from jedel.incidents.models import Casualty
from jedel.incidents.services.casualties import casualty_register
from jedel.incidents.services.incidents import incident_declare
from jedel.notifications import periodic
from jedel.notifications.models import Delivery, Notice
from jedel.preparedness.engines import plan_save
from jedel.preparedness.review_notices import plan_review_notices_send
from jedel.preparedness.services.plans import PlanInput, PlanItemInput
from tests.capacity.capacity_helpers import make_user

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # 11:00 in Almaty, 3 December 2026


def _plan(facility, review: date) -> None:
    plan_save(actor=SYSTEM, facility_id=facility.pk, version=0,
              data=PlanInput(review_due_on=review, items=[PlanItemInput("1.2", "in_progress")]))


def test_an_overdue_review_is_reminded_once_to_the_facility_manager(hospitals):
    manager = make_user("plan-rem-mgr", "facility_manager", facility=hospitals["A"])
    make_user("plan-rem-mgr-b", "facility_manager", facility=hospitals["B"])
    _plan(hospitals["A"], date(2026, 12, 2))   # due yesterday: overdue
    _plan(hospitals["B"], date(2026, 12, 3))   # due today: not yet overdue
    assert plan_review_notices_send(NOW) == 1
    notice = Notice.objects.get()
    assert (notice.kind, notice.priority, notice.facility_id) == ("plan_review_overdue", "routine", hospitals["A"].pk)
    assert notice.title == "PR-A · Emergency response plan review overdue (due 2026-12-02)"
    assert notice.body == f"/preparedness/plans/{hospitals['A'].pk}/"
    assert list(Delivery.objects.values_list("recipient_id", flat=True)) == [manager.pk]
    assert plan_review_notices_send(NOW) == 0          # still open: collapsed, nobody paged again
    assert Notice.objects.get().repeats == 1


def test_the_reminder_runs_as_a_periodic_job_of_the_notification_worker(hospitals):
    make_user("plan-rem-mgr2", "facility_manager", facility=hospitals["A"])
    _plan(hospitals["A"], date(2026, 1, 31))
    periodic.reset()
    periodic.run_due(NOW)
    assert Notice.objects.filter(dedupe_key="plan-review:PR-A:2026-01-31").count() == 1


def test_nobody_to_tell_is_skipped_without_error(hospitals):
    _plan(hospitals["C"], date(2026, 1, 31))   # Astana: no manager, no desk
    assert plan_review_notices_send(NOW) == 0
    assert Notice.objects.count() == 0


@pytest.mark.django_db
def test_the_incident_page_links_receiving_hospitals_to_their_plans_activation(hospitals, kz):
    national = make_user("plan-inc-nc", "national_coordinator")
    actor = principal_for_user(national)
    incident = incident_declare(actor=actor, title="Bus crash", kind="transport", scene_lat=43.2, scene_lon=76.8,
                                region_isos=["KZ-75"], response_level="regional", now=NOW)
    casualty, _ = casualty_register(actor=actor, incident_id=incident.pk, tag="A-001", now=NOW)
    Casualty.objects.filter(pk=casualty.pk).update(destination=hospitals["A"])
    client = Client()
    client.force_login(national)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f'<a href="/preparedness/plans/{hospitals["A"].pk}/activation/">response plan</a>' in page
    assert f'href="/preparedness/plans/?region={kz["KZ-75"].pk}&amp;">Hospital response plans</a>' in page
