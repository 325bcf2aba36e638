"""Demo data of the preparedness app: HSI assessments and emergency response plans of varying quality for the demo
network, a training catalogue with sessions and certificates, a personnel reserve and regional coordinators.

Everything goes through the app's services (so indexes, completeness, versions and the audit trail are what real
use leaves behind) and is labelled: assessments' notes and plans' version notes say DEMO, names are invented.
Deterministic (a seeded random.Random per facility code and purpose) and idempotent: a facility that already has a demo
assessment, a plan, a session or reserve members is left as it is.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

import jedel.preparedness
from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.demo.network import DEMO_PREFIX
from jedel.facilities.models import INPATIENT_KINDS, Facility
from jedel.geo.models import Region
from jedel.preparedness.engines import hsi_rate, plan_save
from jedel.preparedness.models import (
    Course, EmergencyPlan, HsiAssessment, Instrument, InstrumentItem, Participant, RegionCoordinator, ReserveMember,
    TrainingSession,
)
from jedel.preparedness.plan_selectors import board_surge
from jedel.preparedness.services.assessments import RatingInput, assessment_create, current_hsi_instrument
from jedel.preparedness.services.instruments import instruments_load
from jedel.preparedness.services.plans import PlanInput, PlanItemInput
from jedel.preparedness.services.remediation import remediation_generate
from jedel.preparedness.services.reserve import coordinators_set, reserve_add
from jedel.preparedness.services.training import CertificateInput, ParticipantInput, certificates_issue, session_create

PER_REGION = 3
DEMO_NOTE = "DEMO (synthetic data)"
# Quality profiles: chance of high / average / low per HSI item, and of done / in progress per plan action.
HSI_PROFILES = {"good": (0.75, 0.2), "fair": (0.4, 0.35), "poor": (0.12, 0.33)}
PLAN_PROFILES = {"good": (0.85, 0.1), "fair": (0.45, 0.3), "poor": (0.1, 0.3)}
COURSES = (("MCM-1", "Mass casualty management (WHO MCM)", "course", "mcm", 36),
           ("TRI-1", "Hospital triage (START, SALT)", "course", "triage", 24),
           ("ICS-1", "Hospital incident command", "course", "incident_command", 36),
           ("HSI-EV", "Hospital Safety Index evaluator", "course", "hsi_evaluator", 60),
           ("EX-TT-EQ", "Tabletop exercise: earthquake in Almaty", "exercise", "mcm", None))
FIRST = ("Aigerim", "Daniyar", "Saule", "Nurlan", "Aliya", "Yerlan", "Madina", "Timur", "Gulnara", "Arman")
LAST = ("Seitkali", "Omarova", "Abenov", "Kim", "Sultanova", "Ospanov", "Ivanova", "Akhmetov", "Nurova", "Li")
ROLES = ("Incident commander", "Operations chief", "Safety officer", "Public information officer", "Logistics chief")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} (DEMO)"


def _facilities() -> list[Facility]:
    chosen: list[Facility] = []
    for region in Region.objects.order_by("iso_code"):
        chosen += list(Facility.objects.filter(code__startswith=DEMO_PREFIX, region=region, active=True,
                                               kind__in=INPATIENT_KINDS).order_by("code")[:PER_REGION])
    return chosen


def _profile(n: int) -> str:
    return ("good", "fair", "poor")[n % 3]


def _assess(f: Facility, quality: str, rng: random.Random, today: date) -> bool:
    if HsiAssessment.objects.filter(facility=f, notes=DEMO_NOTE).exists():
        return False
    on = today - timedelta(days=rng.randint(30, 400))
    a = assessment_create(actor=SYSTEM, facility_id=f.pk, assessed_on=on, evaluators=[_name(rng), _name(rng)],
                          notes=DEMO_NOTE)
    high, average = HSI_PROFILES[quality]
    ratings = []
    for item in InstrumentItem.objects.filter(instrument=a.instrument, section__code__in=a.modules):
        x = rng.random()
        ratings.append(RatingInput(item.code, "high" if x < high else "average" if x < high + average else "low"))
    hsi_rate(actor=SYSTEM, assessment_id=a.pk, ratings=ratings)
    # Tasks due some weeks after the assessment: older poor assessments leave overdue remediation behind.
    remediation_generate(actor=SYSTEM, assessment_id=a.pk, owner=f"Chief engineer {_name(rng)}",
                         due_on=on + timedelta(days=rng.choice((60, 120, 240))))
    return True


def _plan(f: Facility, quality: str, rng: random.Random, today: date) -> bool:
    # Some hospitals have no plan: decided by the facility's own stream first, so a re-run decides the same.
    if rng.random() < 0.15 or EmergencyPlan.objects.filter(facility=f).exists():
        return False
    done, progress = PLAN_PROFILES[quality]
    if quality == "good" and rng.random() < 0.5:
        done, progress = 1.0, 0.0   # every action done: some complete plans on the dashboard
    items = []
    checklist = Instrument.objects.filter(kind=Instrument.Kind.HERP_CHECKLIST, current=True).order_by("-pk").first()
    for item in InstrumentItem.objects.filter(instrument=checklist):
        x = rng.random()
        status = "done" if x < done else "in_progress" if x < done + progress else "missing"
        items.append(PlanItemInput(item.code, status,
                                   f"Order No. {rng.randint(10, 99)} (DEMO)" if status == "done" else ""))
    board = board_surge(f, utcnow())
    roles = [{"role": r, "name": _name(rng), "phone": f"+7 700 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
              "deputy": _name(rng), "deputy_phone": "", "action_card": f"1. {r}: report to the command centre.\n"
              "2. Take the role's vest and radio.\n3. Call the next person on the list."}
             for r in ROLES[:2 + ("poor", "fair", "good").index(quality)]]
    review = today + timedelta(days=rng.randint(-200, 300))   # about a third past due: outdated plans
    plan_save(actor=SYSTEM, facility_id=f.pk, version=0, data=PlanInput(
        review_due_on=review, items=items, command_roles=roles, note=DEMO_NOTE,
        activation_levels=[{"level": "1", "name": "Alert", "trigger": "MCI declared in the region"},
                           {"level": "2", "name": "Partial activation", "trigger": "more than 10 casualties expected"},
                           {"level": "3", "name": "Full activation", "trigger": "more than 30 casualties expected"}],
        surge={"beds_2h": (board.surge_24h or 20) // 4, "beds_24h": board.surge_24h}))
    return True


def _training(facilities: list[Facility], today: date) -> tuple[int, int]:
    courses = [Course.objects.get_or_create(code=c, defaults={"title": t, "kind": k, "competency": comp,
                                                              "validity_months": v})[0]
               for c, t, k, comp, v in COURSES]
    sessions = certificates = 0
    for n, f in enumerate(facilities):
        rng = random.Random(f"train:{f.code}")
        course = courses[n % 3]
        if TrainingSession.objects.filter(facility=f, course=course).exists():
            continue
        starts = today - timedelta(days=rng.randint(60, 900))
        s = session_create(actor=SYSTEM, course_id=course.pk, facility_id=f.pk, starts_on=starts,
                           ends_on=starts + timedelta(days=2), trainer="WHO country office trainer (DEMO)",
                           participants=[ParticipantInput(_name(rng), rng.choice(("Nurse", "Surgeon", "Anaesthetist",
                                                                                 "Emergency physician")), f.pk)
                                         for _ in range(rng.randint(3, 6))])
        months = course.validity_months or 24
        issued = s.ends_on
        people = list(Participant.objects.filter(session=s))
        certificates_issue(actor=SYSTEM, session_id=s.pk, certificates=[
            CertificateInput(p.pk, f"{course.code}-{s.pk}-{i + 1}", issued, issued + timedelta(days=30 * months))
            for i, p in enumerate(people)])
        sessions, certificates = sessions + 1, certificates + len(people)
    return sessions, certificates


def _reserve(facilities: list[Facility]) -> int:
    added = 0
    for f in facilities[::2]:
        if ReserveMember.objects.filter(facility=f).exists():
            continue
        rng = random.Random(f"reserve:{f.code}")
        for _ in range(2):
            reserve_add(actor=SYSTEM, facility_id=f.pk, name=_name(rng),
                        profession=rng.choice(("Surgeon", "Anaesthetist", "Nurse", "Emergency physician")),
                        competencies=rng.sample(["mcm", "triage", "trauma_care", "cbrn", "psychosocial"], 2),
                        availability=rng.choice(("available", "available", "limited", "unavailable")))
            added += 1
    return added


def _coordinators() -> int:
    named = 0
    for region in Region.objects.order_by("iso_code"):
        if RegionCoordinator.objects.filter(region=region).exists():
            continue
        rng = random.Random(f"coord:{region.iso_code}")
        coordinators_set(actor=SYSTEM, region_id=region.pk, people=[
            {"name": _name(rng), "phone": f"+7 700 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"}
            for _ in range(3)])
        named += 1
    return named


def demo_preparedness_create() -> str:
    """Creates the labelled demo data (idempotent) and returns one line for the demo command's summary."""
    folder = Path(jedel.preparedness.__file__).resolve().parent / "data" / "instruments"
    instruments_load([(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))])
    current_hsi_instrument()
    today = timezone.localdate(utcnow())
    facilities = _facilities()
    assessed = planned = 0
    for n, f in enumerate(facilities):
        # One random stream per facility and purpose: what exists already never shifts what is decided next.
        assessed += _assess(f, _profile(n), random.Random(f"hsi:{f.code}"), today)
        planned += _plan(f, _profile(n + 1), random.Random(f"plan:{f.code}"), today)
    sessions, certificates = _training(facilities, today)
    reserve = _reserve(facilities)
    regions = _coordinators()
    return (f"Preparedness: {assessed} HSI assessments and {planned} response plans created for {len(facilities)} "
            f"demo hospitals (kept: the rest); {sessions} training sessions with {certificates} certificates; "
            f"{reserve} reserve members; coordinators named in {regions} regions.")
