"""Permission-matrix rows of the preparedness app (Hospital Safety Index, plans, readiness)."""

from __future__ import annotations

import json

from jedel.accounts.services import SYSTEM
from tests.config.permission_table import FACILITY_WRITE, PEOPLE, Endpoint, _json

# Preparedness (HSI assessments expose where a hospital would fail): coordinators over the facility and its own
# manager write; those and viewers (national scope here) read; clinicians, security officers and tokens do not.
PREP_READ = {**FACILITY_WRITE, "viewer": "YYY"}
# Readiness is read within the caller's own scope, whatever the target.
PREP_SCOPE = {**{r: "YYY" for r in ("national_coordinator", "regional_coordinator", "facility_manager", "viewer")},
              "clinician": "NNN", "security_officer": "NNN", "token": "NNN"}


def _prep_instruments():
    from jedel.cli.preparedness import SHIPPED
    from jedel.preparedness.models import Instrument
    from jedel.preparedness.services.instruments import instruments_load

    if not Instrument.objects.exists():
        instruments_load([(p.name, p.read_text(encoding="utf-8")) for p in sorted(SHIPPED.glob("*.json"))])
    return Instrument.objects.get(kind="hsi")


def _prep_assessment_at(f):
    """An HSI assessment of `f` with item 2 rated low (instruments loaded on first use)."""
    from datetime import date

    from jedel.preparedness.engines import hsi_rate
    from jedel.preparedness.services.assessments import RatingInput, assessment_create

    _prep_instruments()
    a = assessment_create(actor=SYSTEM, facility_id=f.pk, assessed_on=date(2026, 11, 2), evaluators=["PM"])
    hsi_rate(actor=SYSTEM, assessment_id=a.pk, ratings=[RatingInput("2", "low")])
    return a


def _prep_task_at(f):
    from datetime import date

    from jedel.preparedness.services.remediation import remediation_generate

    a = _prep_assessment_at(f)
    return remediation_generate(actor=SYSTEM, assessment_id=a.pk, owner="PM", due_on=date(2027, 1, 1))[0]


def _prep_plan_at(f):
    """A saved emergency response plan of `f`: its facility id."""
    from datetime import date

    from jedel.preparedness.engines import plan_save
    from jedel.preparedness.services.plans import PlanInput, PlanItemInput

    _prep_instruments()
    plan_save(actor=SYSTEM, facility_id=f.pk, version=0,
              data=PlanInput(review_due_on=date(2027, 6, 30), items=[PlanItemInput("1.2", "in_progress")]))
    return f.pk


def _prep_plan_body(f, world):
    _prep_instruments()
    return json.dumps({"version": 0, "review_due_on": "2027-06-30",
                       "items": [{"item": "1.1", "status": "done", "evidence": "Order 41"}]}), "application/json"


def _prep_create_body(f, world):
    _prep_instruments()
    return json.dumps({"facility": f.pk, "assessed_on": "2026-11-02", "evaluators": ["PM"]}), "application/json"


PREPAREDNESS_ENDPOINTS = [
    Endpoint("list_instruments", "get", lambda f: "/api/preparedness/instruments", PEOPLE, 200),
    Endpoint("get_instrument", "get", lambda f: f"/api/preparedness/instruments/{_prep_instruments().pk}", PEOPLE, 200),
    Endpoint("create_hsi_assessment", "post", lambda f: "/api/preparedness/hsi", FACILITY_WRITE, 201,
             _prep_create_body),
    Endpoint("list_hsi_assessments", "get", lambda f: f"/api/preparedness/hsi?facility={f.pk}", PREP_READ, 200),
    Endpoint("get_hsi_assessment", "get", lambda f: f"/api/preparedness/hsi/{_prep_assessment_at(f).pk}", PREP_READ,
             200),
    Endpoint("rate_hsi_items", "post", lambda f: f"/api/preparedness/hsi/{_prep_assessment_at(f).pk}/ratings",
             FACILITY_WRITE, 200, _json({"ratings": [{"item": "4", "level": "high"}]})),
    Endpoint("compare_hsi_assessments", "get", lambda f: "/api/preparedness/hsi/{}/compare/{}".format(
        _prep_assessment_at(f).pk, _prep_assessment_at(f).pk), PREP_READ, 200),
    Endpoint("generate_remediation", "post", lambda f: f"/api/preparedness/hsi/{_prep_assessment_at(f).pk}/remediation",
             FACILITY_WRITE, 201, _json({"owner": "PM", "due_on": "2027-01-01"})),
    Endpoint("list_remediation_tasks", "get", lambda f: f"/api/preparedness/remediation?facility={f.pk}", PREP_READ,
             200),
    Endpoint("update_remediation_task", "patch", lambda f: f"/api/preparedness/remediation/{_prep_task_at(f).pk}",
             FACILITY_WRITE, 200, _json({"status": "done"})),
    Endpoint("get_readiness", "get", lambda f: "/api/preparedness/readiness", PREP_SCOPE, 200),
    Endpoint("get_plan", "get", lambda f: f"/api/preparedness/plans/{_prep_plan_at(f)}", PREP_READ, 200),
    Endpoint("save_plan", "put", lambda f: f"/api/preparedness/plans/{f.pk}", FACILITY_WRITE, 200, _prep_plan_body),
    Endpoint("list_plan_versions", "get", lambda f: f"/api/preparedness/plans/{_prep_plan_at(f)}/versions", PREP_READ,
             200),
]
