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
              "clinician": "NNN", "security_officer": "NNN", "logistician": "NNN", "token": "NNN"}


def _prep_instruments():
    from jedel.cli.preparedness import SHIPPED
    from jedel.preparedness.models import Instrument
    from jedel.preparedness.services.instruments import instruments_load

    if not Instrument.objects.exists():
        instruments_load([(p.name, p.read_text(encoding="utf-8")) for p in sorted(SHIPPED.glob("*.json"))])
    return Instrument.objects.get(kind="hsi", current=True)


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


# Training registry, reserve, regional coordinators (issue 13, part 3).
# The course catalogue: read by every person, written by the national coordinator only.
NATIONAL_ONLY = {**{r: "NNN" for r in PEOPLE}, "national_coordinator": "YYY"}
# A region's coordinators asked for by region (A's and B's region is KZ-75, C's KZ-71): coordinators over the region
# and national viewers; a facility's people read their own region's list only without naming a region.
COORD_READ = {**{r: "NNN" for r in PEOPLE}, "national_coordinator": "YYY", "regional_coordinator": "YYN",
              "viewer": "YYY"}
COORD_WRITE = {**{r: "NNN" for r in PEOPLE}, "national_coordinator": "YYY", "regional_coordinator": "YYN"}


def _course():
    from jedel.preparedness.models import Course

    return Course.objects.get_or_create(code="PM-MCM", defaults={"title": "MCM", "kind": "course",
                                                                  "competency": "mcm"})[0]


def _session_at(f):
    """A training session held at `f` with one participant (made on first use)."""
    from datetime import date

    from jedel.preparedness.models import Participant, TrainingSession

    session = TrainingSession.objects.filter(facility=f).first()
    if session is None:
        session = TrainingSession.objects.create(course=_course(), region_id=f.region_id, facility=f,
                                                 starts_on=date(2026, 3, 10), ends_on=date(2026, 3, 12),
                                                 created_by="pm")
        Participant.objects.create(session=session, name="P. Person", facility=f, region_id=f.region_id)
    return session


def _member_at(f):
    from jedel.preparedness.models import ReserveMember

    return ReserveMember.objects.create(facility=f, region_id=f.region_id, name="R. Person", profession="Nurse",
                                        competencies=["triage"])


def _session_body(f, world):
    return json.dumps({"course": _course().pk, "facility": f.pk, "starts_on": "2026-03-10", "ends_on": "2026-03-12",
                       "participants": [{"name": "P. Person"}]}), "application/json"


def _certificates_body(f, world):
    person = _session_at(f).participants.first()
    return json.dumps({"certificates": [{"participant": person.pk, "number": "C-1", "issued_on": "2026-03-12",
                                         "expires_on": "2029-03-12"}]}), "application/json"


def _course_body(f, world):
    return json.dumps({"code": f"NEW-{f.code}", "title": "Triage", "kind": "course", "competency": "triage"}), \
        "application/json"


def _json_facility(body):
    return lambda f, world: (json.dumps({**body, "facility": f.pk}), "application/json")


TRAINING_ENDPOINTS = [
    Endpoint("list_courses", "get", lambda f: "/api/preparedness/courses", PEOPLE, 200),
    Endpoint("create_course", "post", lambda f: "/api/preparedness/courses", NATIONAL_ONLY, 201, _course_body),
    Endpoint("create_training_session", "post", lambda f: "/api/preparedness/training/sessions", FACILITY_WRITE, 201,
             _session_body),
    Endpoint("list_training_sessions", "get", lambda f: f"/api/preparedness/training/sessions?facility={f.pk}",
             PREP_READ, 200),
    Endpoint("issue_certificates", "post",
             lambda f: f"/api/preparedness/training/sessions/{_session_at(f).pk}/certificates", FACILITY_WRITE, 201,
             _certificates_body),
    Endpoint("get_training_report", "get", lambda f: "/api/preparedness/training/report", PREP_SCOPE, 200),
    Endpoint("list_reserve", "get", lambda f: f"/api/preparedness/reserve?facility={f.pk}", PREP_READ, 200),
    Endpoint("add_reserve_member", "post", lambda f: "/api/preparedness/reserve", FACILITY_WRITE, 201,
             _json_facility({"name": "R. Person", "profession": "Nurse", "competencies": ["triage"]})),
    Endpoint("update_reserve_member", "patch", lambda f: f"/api/preparedness/reserve/{_member_at(f).pk}",
             FACILITY_WRITE, 200, _json({"version": 1, "availability": "limited"})),
    Endpoint("list_region_coordinators", "get", lambda f: f"/api/preparedness/coordinators?region={f.region_id}",
             COORD_READ, 200),
    Endpoint("set_region_coordinators", "put", lambda f: f"/api/preparedness/coordinators/{f.region_id}",
             COORD_WRITE, 200, _json({"people": [{"name": "Coordinator"}, {"name": "Deputy"}]})),
]
PREPAREDNESS_ENDPOINTS += TRAINING_ENDPOINTS
