"""Readiness by region: plans complete / outdated / missing, trained staff and overdue remediation, worked by hand;
the drill-down page of one region lists its facilities."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from jedel.accounts.services import SYSTEM
from jedel.preparedness.engines import hsi_rate, plan_save
from jedel.preparedness.models import Certificate, Course, InstrumentItem, Participant, TrainingSession
from jedel.preparedness.services.assessments import RatingInput, assessment_create
from jedel.preparedness.services.plans import PlanInput, PlanItemInput
from jedel.preparedness.services.remediation import remediation_generate
from tests.capacity.capacity_helpers import make_user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _certified(facility, names, expires):
    course = Course.objects.get_or_create(code="MCM", defaults={"title": "MCM", "kind": "course",
                                                                "competency": "mcm"})[0]
    s = TrainingSession.objects.create(course=course, region_id=facility.region_id, facility=facility,
                                       starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 2), created_by="t")
    for n, name in enumerate(names):
        p = Participant.objects.create(session=s, name=name, facility=facility, region_id=facility.region_id)
        Certificate.objects.create(participant=p, number=f"{facility.code}-{n}", issued_on=date(2025, 3, 2),
                                   expires_on=expires)


@pytest.fixture
def world(hospitals, instruments):
    a, b = hospitals["A"], hospitals["B"]
    codes = InstrumentItem.objects.filter(instrument=instruments["herp_checklist"]).values_list("code", flat=True)
    every = [PlanItemInput(c, "done", "Order 1") for c in codes]
    plan_save(actor=SYSTEM, facility_id=a.pk, version=0, data=PlanInput(review_due_on=date(2099, 6, 30), items=every))
    plan_save(actor=SYSTEM, facility_id=b.pk, version=0, data=PlanInput(review_due_on=date(2026, 1, 31), items=[]))
    _certified(a, ["A. One", "B. Two", "a.  one"], date(2099, 1, 1))   # 2 people (A. One twice)
    _certified(b, ["C. Three"], date(2025, 12, 31))                    # expired
    assessment = assessment_create(actor=SYSTEM, facility_id=a.pk, assessed_on=date(2025, 11, 2), evaluators=["E"])
    hsi_rate(actor=SYSTEM, assessment_id=assessment.pk, ratings=[RatingInput("2", "low"), RatingInput("4", "low")])
    remediation_generate(actor=SYSTEM, assessment_id=assessment.pk, owner="PM", due_on=date(2026, 1, 1))
    return hospitals


def test_readiness_counts_plans_training_and_overdue_remediation_per_region(world, kz):
    national = _client(make_user("rd-ncc", "national_coordinator"))
    rows = {r["iso_code"]: r for r in national.get("/api/preparedness/readiness").json()}
    almaty, astana = rows["KZ-75"], rows["KZ-71"]
    assert {k: almaty[k] for k in ("facilities", "plans", "plans_complete", "plans_overdue", "plans_missing",
                                   "trained", "open_tasks", "overdue_tasks")} == {
        "facilities": 2, "plans": 2, "plans_complete": 1, "plans_overdue": 1, "plans_missing": 0, "trained": 2,
        "open_tasks": 2, "overdue_tasks": 2}
    assert (astana["facilities"], astana["plans_missing"], astana["trained"]) == (1, 1, 0)
    page = national.get("/preparedness/").content.decode()
    assert '<a href="/preparedness/regions/KZ-75/">' in page
    assert '<td data-label="Trained staff">2</td>' in page


def test_region_drill_down_lists_its_facilities_in_scope(world, kz):
    rc = _client(make_user("rd-rc75", "regional_coordinator", region=kz["KZ-75"]))
    page = rc.get("/preparedness/regions/KZ-75/").content.decode()
    a, b, c = world["A"], world["B"], world["C"]
    assert f'id="facility-{a.pk}"' in page and f'id="facility-{b.pk}"' in page and f'id="facility-{c.pk}"' not in page
    row_a = page[page.index(f'id="facility-{a.pk}"'):page.index(f'id="facility-{b.pk}"')]
    assert '<span class="plan-standing plan-complete">Complete</span>' in row_a
    assert '<td data-label="Trained staff">2</td>' in row_a
    assert '<td data-label="Overdue remediation" class="warn-text">2 / 2</td>' in row_a
    assert "Review overdue" in page[page.index(f'id="facility-{b.pk}"'):]
    assert rc.get("/preparedness/regions/KZ-71/").status_code == 403
    assert rc.get("/preparedness/regions/KZ-99/").status_code == 404
    manager = _client(make_user("rd-mgr", "facility_manager", facility=a))
    own = manager.get("/preparedness/regions/KZ-75/").content.decode()
    assert f'id="facility-{a.pk}"' in own and f'id="facility-{b.pk}"' not in own
