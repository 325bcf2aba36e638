"""Demo data of the security app: posture of the demo's mandated facilities, panic buttons, a few past alarms
at the Almaty demo hospital and violence-registry entries over the last year. Synthetic, seeded, idempotent:
each part is made once (a facility with a posture, buttons or demo incidents keeps what it has)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction

from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.demo.network import DEMO_PREFIX, demo_hospital
from jedel.facilities.models import Facility
from jedel.security.compliance import MANDATED_KINDS
from jedel.security.models import PanicAlert, PanicButton, SecurityPosture
from jedel.security.models_registry import ViolenceIncident
from jedel.security.services.panic import button_create
from jedel.security.services.posture import PostureInput, button_tested, posture_save
from jedel.security.services.snapshots import compliance_snapshot_take
from jedel.security.services.registry import IncidentInput, PerpetratorInput, VictimInput, incident_record

SEED = 2026
DEMO_LABEL = "demo"
HOSPITAL_BUTTONS = ("ER triage desk", "ER resuscitation bay", "Ward 3 nurses' station")
KINDS = ("physical", "physical", "verbal", "verbal", "verbal", "threat", "threat", "sexual", "property")
DEPARTMENTS = ("Emergency department", "Emergency department", "Paediatrics", "Maternity", "Surgery", "Admissions")
ROLES = ("nurse", "nurse", "nurse", "doctor", "doctor", "paramedic", "security", "other")
PERPETRATORS = ("patient", "relative", "relative", "visitor", "other")
# Past alarms at the demo hospital: (days ago, seconds to acknowledge, seconds to resolve, outcome).
PAST_ALARMS = ((41, 18, 600, "false_alarm"), (33, 25, 1500, "de_escalated"), (20, 12, 2400, "police_called"),
               (9, 47, 900, "de_escalated"), (3, 9, 3600, "incident_recorded"))


def _postures(facilities: list[Facility], rng: random.Random, today: date) -> int:
    made = 0
    have = set(SecurityPosture.objects.filter(facility__in=facilities).values_list("facility_id", flat=True))
    for f in facilities:
        draw = (rng.random(), rng.randint(0, 40), rng.random(), rng.randint(0, 12), rng.randint(150, 1400),
                rng.randint(20, 400))
        if f.pk in have:
            continue
        posture_save(actor=SYSTEM, facility_id=f.pk, version=0, data=PostureInput(
            post_24_7=draw[0] < 0.7, cctv_cameras=draw[1], er_cctv_covered=draw[1] > 0 and draw[2] < 0.8,
            body_cameras=draw[3], staff_count=draw[4], last_audit_on=today - timedelta(days=draw[5]),
            audit_findings="Synthetic demo audit."))
        made += 1
    return made


def _buttons(facilities: list[Facility], hospital: Facility, rng: random.Random, now: datetime) -> int:
    made = 0
    have = set(PanicButton.objects.filter(facility__in=facilities).values_list("facility_id", flat=True))
    for f in facilities:
        locations = HOSPITAL_BUTTONS if f.pk == hospital.pk else ("Emergency department",)
        draw = (rng.random(), rng.randint(5, 150))
        if f.pk in have or (f.pk != hospital.pk and draw[0] < 0.35):
            continue
        for location in locations:
            button, _raw = button_create(actor=SYSTEM, facility_id=f.pk, location=location)
            button_tested(actor=SYSTEM, button_id=button.pk, now=now - timedelta(days=draw[1]))
            made += 1
    return made


def _incidents(facilities: list[Facility], rng: random.Random, now: datetime) -> list[ViolenceIncident]:
    made = []
    for i in range(36):  # about 70 a year nationally: a demo network's share, over twelve months
        f = rng.choice(facilities)
        roles = rng.sample(ROLES, rng.choice((1, 1, 1, 2)))
        kind = rng.choice(KINDS)
        occurred = now - timedelta(days=rng.randint(1, 360), minutes=rng.randint(0, 1440))
        police = kind in ("physical", "sexual") or rng.random() < 0.2
        made.append(incident_record(actor=SYSTEM, facility_id=f.pk, now=now, data=IncidentInput(
            occurred_at=occurred, department=rng.choice(DEPARTMENTS), kind=kind,
            severity=rng.choice(("minor", "moderate", "moderate", "severe")) if kind != "verbal" else "minor",
            summary="Synthetic demo incident.", police_notified=police,
            police_case_number=f"DEMO-{now.year}-{i + 1:04d}" if police else "",
            criminal_case=rng.choice(("opened", "in_court", "refused")) if police else "none",
            measures_taken="Security post informed; staff debriefed.",
            victims=tuple(VictimInput(f"Demo staff member {i + 1}.{j + 1}", role,
                                      "bruising" if kind == "physical" else "",
                                      rng.randint(0, 14) if kind == "physical" else None)
                          for j, role in enumerate(roles)),
            perpetrators=(PerpetratorInput(rng.choice(PERPETRATORS), f"Demo person {i + 1}",
                                           detained=police and rng.random() < 0.5),),
            tasks=("Offer counselling to the staff involved",))))
    return made


def _alarms(hospital: Facility, incident: ViolenceIncident | None, now: datetime) -> int:
    made = 0
    for days, ack_s, resolve_s, outcome in PAST_ALARMS:
        if outcome == "incident_recorded" and incident is None:
            continue
        pressed = now - timedelta(days=days, hours=3)
        # History only: stored as it ended, with no page (a page in the past would escalate at once).
        PanicAlert.objects.create(
            facility=hospital, location=HOSPITAL_BUTTONS[days % len(HOSPITAL_BUTTONS)], source="device",
            raised_by_label="button (demo)", pressed_at=pressed, last_press_at=pressed, state="resolved",
            acknowledged_at=pressed + timedelta(seconds=ack_s), acknowledged_by_label="demo-security",
            resolved_at=pressed + timedelta(seconds=resolve_s), resolved_by_label="demo-security", outcome=outcome,
            note="Synthetic demo alarm.", incident=incident if outcome == "incident_recorded" else None)
        made += 1
    return made


def demo_security_create(*, now: datetime | None = None) -> str:
    """Creates the labelled demo data (idempotent) and returns one line for the demo command's summary."""
    now = now or utcnow()
    hospital = demo_hospital()
    mandated = list(Facility.objects.filter(code__startswith=DEMO_PREFIX, kind__in=MANDATED_KINDS, active=True)
                    .order_by("code"))
    rng = random.Random(SEED)
    with transaction.atomic():
        postures = _postures(mandated, rng, now.date())
        buttons = _buttons(mandated, hospital, rng, now)
        incidents: list[ViolenceIncident] = []
        alarms = 0
        if not ViolenceIncident.objects.filter(summary="Synthetic demo incident.").exists():
            incidents = _incidents(mandated, rng, now)
            at_hospital = incident_record(actor=SYSTEM, facility_id=hospital.pk, now=now, data=IncidentInput(
                occurred_at=now - timedelta(days=3, hours=3), department="Emergency department",
                location=HOSPITAL_BUTTONS[0], kind="physical", severity="moderate",
                summary="Synthetic demo incident.", police_notified=True, police_case_number="DEMO-PANIC-0001",
                criminal_case="opened", victims=(VictimInput("Demo nurse", "nurse", "bruised arm", 3),),
                perpetrators=(PerpetratorInput("relative", "Demo relative", detained=True),)))
            incidents.append(at_hospital)
            alarms = _alarms(hospital, at_hospital, now)
        compliance_snapshot_take(now)  # today's point of the compliance trend (replaced if taken again today)
    return (f"Security: {postures} postures, {buttons} panic buttons, {len(incidents)} registry entries and "
            f"{alarms} past alarms created (Security → consoles, compliance, registry, analytics).")
