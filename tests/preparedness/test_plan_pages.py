"""Plan pages: the whole plan edited in one form, completeness per component and overall, the evidence rule, bad
rows, stale versions, versions, the activation page (who may read it), the plans list and the board's surge."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from jedel.accounts.services import SYSTEM
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.services.reports import report_submit
from jedel.preparedness.models import EmergencyPlan, PlanItemState, PlanVersion
from tests.capacity.capacity_helpers import make_user

# Every item of the checklist is posted (the form always sends them all); these differ from "missing".
FORM = {
    "version": "0", "review_due_on": "2027-06-30", "note": "First version",
    "status:1.1": "done", "evidence:1.1": "Order No. 41 of 12.01.2026",
    "status:1.2": "in_progress",
    "status:5.1": "done", "evidence:5.1": "Surge capacity table, annex 3",
    "level-0-level": "1", "level-0-name": "Alert", "level-0-trigger": "MCI declared within 50 km",
    "level-1-level": "2", "level-1-name": "Partial activation", "level-1-trigger": "more than 10 red casualties",
    "role-0-role": "Incident commander", "role-0-name": "Chief physician A. Nurlanov", "role-0-phone": "+7 727 000 0001",
    "role-0-deputy": "Deputy chief physician S. Abenova", "role-0-deputy_phone": "+7 727 000 0002",
    "role-0-action_card": "1. Open the command centre.\n2. Call the region's coordinator.",
    "role-1-role": "Safety officer", "role-1-name": "Head of security B. Ospanov",
    "beds_2h": "25", "beds_24h": "60",
}
# Component 1 has 7 items: (1 + 0.5)/7 = 21.43 %; component 5 has 5 items: 1/5 = 20 %; the other seven 0.
# Overall = (1.5/7 + 1/5)/9 = 0.046032 → 5 % on the page (widthratio rounds).
EXPECTED_OVERALL = (1.5 / 7 + 0.2) / 9


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(hospitals):
    return _client(make_user("plan-page-mgr", "facility_manager", facility=hospitals["A"]))


def _save(client, facility, form, status=302):
    r = client.post(f"/preparedness/plans/{facility.pk}/save/", form)
    assert r.status_code == status, r.content.decode()[:2000]
    return r


def test_a_plan_written_through_the_page_is_scored_versioned_and_shown(manager, hospitals):
    page = manager.get(f"/preparedness/plans/{hospitals['A'].pk}/").content.decode()
    assert '<div class="kpi-value" id="plan-completeness">0 %</div>' in page
    _save(manager, hospitals["A"], FORM)
    plan = EmergencyPlan.objects.get(facility=hospitals["A"])
    assert plan.completeness == pytest.approx(EXPECTED_OVERALL, abs=1e-12)
    assert (plan.version, plan.surge) == (1, {"beds_2h": 25, "beds_24h": 60})
    assert [r["name"] for r in plan.command_roles] == ["Chief physician A. Nurlanov", "Head of security B. Ospanov"]
    assert [lv["name"] for lv in plan.activation_levels] == ["Alert", "Partial activation"]
    assert PlanItemState.objects.filter(plan=plan).count() == 52  # every checklist item: 7+6+6+6+5+5+7+4+6
    page = manager.get(f"/preparedness/plans/{hospitals['A'].pk}/").content.decode()
    assert '<div class="kpi-value" id="plan-completeness">5 %</div>' in page
    assert "1. Command and control</td><td data-label=\"Completeness\">21 %</td>" in page
    assert "5. Surge capacity</td><td data-label=\"Completeness\">20 %</td>" in page
    second = {**FORM, "version": "1", "status:1.2": "done", "evidence:1.2": "Room 104, two radios",
              "note": "Command centre ready"}
    _save(manager, hospitals["A"], second)
    assert list(PlanVersion.objects.values_list("number", "note")) == [(2, "Command centre ready"),
                                                                        (1, "First version")]
    old = manager.get(f"/preparedness/plans/{hospitals['A'].pk}/versions/1/").content.decode()
    assert '<strong id="version-completeness">5 %</strong>' in old
    # Version 2: component 1 is 2/7, component 5 1/5: (2/7 + 1/5)/9 = 0.05397 → 5 %.
    assert EmergencyPlan.objects.get().completeness == pytest.approx((2 / 7 + 0.2) / 9, abs=1e-12)


def test_done_without_evidence_is_refused_and_marked_and_nothing_written(manager, hospitals):
    r = _save(manager, hospitals["A"], {**FORM, "status:3.1": "done"}, status=422)
    page = r.content.decode()
    assert 'class="hsi-item has-error" id="item-3.1"' in page
    assert "An action marked done needs its evidence (a document, an order, a record)." in page
    assert 'name="evidence:1.1" rows="1" maxlength="4000">Order No. 41 of 12.01.2026</textarea>' in page  # kept
    assert 'name="review_due_on" value="2027-06-30" required>' in page and 'name="beds_2h" min="0" max="100000" value="25"' in page
    assert EmergencyPlan.objects.count() == PlanItemState.objects.count() == PlanVersion.objects.count() == 0


@pytest.mark.parametrize("field,value,marker", [
    ("role-1-name", "", 'id="role-1"'),           # a role without a person
    ("level-0-name", "", 'id="level-0"'),          # a level without a name
    ("beds_2h", "-3", "Enter a whole number from 0 to 100,000."),
    ("review_due_on", "31.06.2027", "Enter the date of the next review."),
])
def test_bad_rows_are_refused_with_the_field_marked(manager, hospitals, field, value, marker):
    r = _save(manager, hospitals["A"], {**FORM, field: value}, status=422)
    assert marker in r.content.decode()
    assert EmergencyPlan.objects.count() == 0


def test_a_stale_form_is_refused_and_the_newer_version_kept(manager, hospitals):
    _save(manager, hospitals["A"], FORM)
    _save(manager, hospitals["A"], {**FORM, "version": "1", "note": "Second"})
    r = manager.post(f"/preparedness/plans/{hospitals['A'].pk}/save/", {**FORM, "version": "1", "note": "Stale"},
                     follow=True)
    assert "Someone saved a newer version of this plan meanwhile; nothing of yours was saved." in r.content.decode()
    assert EmergencyPlan.objects.get().version == 2
    assert PlanVersion.objects.filter(note="Stale").count() == 0


def test_activation_page_is_for_the_hospitals_people_the_plan_for_preparedness_readers(manager, hospitals):
    _save(manager, hospitals["A"], FORM)
    medic = _client(make_user("plan-medic-a", "clinician", facility=hospitals["A"]))
    page = medic.get(f"/preparedness/plans/{hospitals['A'].pk}/activation/").content.decode()
    assert "<strong>Incident commander</strong>: Chief physician A. Nurlanov" in page
    assert '<a href="tel:+7 727 000 0002">+7 727 000 0002</a>' in page
    assert "1. Open the command centre.\n2. Call the region&#x27;s coordinator." in page
    assert page.index("Incident commander") < page.index("Safety officer")  # call-down order
    assert medic.get(f"/preparedness/plans/{hospitals['A'].pk}/").status_code == 403
    other = _client(make_user("plan-medic-b", "clinician", facility=hospitals["B"]))
    assert other.get(f"/preparedness/plans/{hospitals['A'].pk}/activation/").status_code == 403
    assert manager.get(f"/preparedness/plans/{hospitals['B'].pk}/activation/").status_code == 403


def test_a_viewer_reads_the_plan_without_a_form(manager, hospitals):
    _save(manager, hospitals["A"], FORM)
    page = _client(make_user("plan-viewer", "viewer")).get(f"/preparedness/plans/{hospitals['A'].pk}/")
    assert page.status_code == 200
    assert 'id="plan-form"' not in page.content.decode()
    assert 'id="plan-form"' in manager.get(f"/preparedness/plans/{hospitals['A'].pk}/").content.decode()


def test_plans_list_counts_each_standing_in_the_coordinators_region(manager, hospitals, kz):
    _save(manager, hospitals["A"], {**FORM, "review_due_on": "2026-01-31"})   # outdated (today is later)
    rc = _client(make_user("plan-rc75", "regional_coordinator", region=kz["KZ-75"]))
    page = rc.get("/preparedness/plans/").content.decode()
    assert 'id="plan-row-%d"' % hospitals["A"].pk in page and 'id="plan-row-%d"' % hospitals["B"].pk in page
    assert 'id="plan-row-%d"' % hospitals["C"].pk not in page  # Astana: not the coordinator's region
    assert '<div class="kpi-label">Review overdue</div><div class="kpi-value">1</div>' in page
    assert '<div class="kpi-label">No plan</div><div class="kpi-value">1</div>' in page
    only_b = rc.get(f"/preparedness/plans/?facility={hospitals['B'].pk}").content.decode()
    assert 'id="plan-row-%d"' % hospitals["A"].pk not in only_b


def test_surge_figures_from_the_capacity_board_are_shown_and_offered(manager, hospitals):
    at = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    report_submit(actor=SYSTEM, facility=hospitals["A"], source="web", now=at,
                  data=ReportInput(reported_at=at, beds=(BedInput("AdultICU", staffed=10, occupied=7, surge_24h=4),
                                                         BedInput("MedicalSurgical", staffed=120, occupied=100,
                                                                  surge_24h=30))))
    page = manager.get(f"/preparedness/plans/{hospitals['A'].pk}/").content.decode()
    # Vacant: (10 − 7) + (120 − 100) = 23; staffable within 24 h: 4 + 30 = 34 (offered as the 24 h figure).
    assert "vacant staffed beds 23 · beds that can be staffed within 24 h 34" in page
    assert 'name="beds_24h" min="0" max="100000" value="34"' in page
