"""The demo's closed exercise incident: a synthetic bus crash near Almaty with eight tracked casualties (triage,
re-triage, transport to two demo hospitals, dispositions), declared, stood down and closed through the incidents
services, so the timeline, audit trail and location histories are what a real exercise leaves behind.

Everything is labelled: the incident is an exercise (segregated from real incidents everywhere) and its title
says DEMO; the names are invented. Re-running `jedel demo` finds it by title and adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from jedel.accounts.policy import principal_for_user
from jedel.accounts.services import SYSTEM
from jedel.common.clock import utcnow
from jedel.demo.network import DEMO_HOSPITAL_REGION, DEMO_PREFIX
from jedel.facilities.models import INPATIENT_KINDS, Facility
from jedel.incidents.engines import triage_compute
from jedel.incidents.models import Incident
from jedel.incidents.services.casualties import casualty_move, casualty_register, casualty_triage
from jedel.incidents.services.incidents import incident_close, incident_declare, incident_stand_down
from jedel.notifications.models import Delivery
from jedel.notifications.services.answers import delivery_answer

DEMO_EXERCISE_TITLE = "DEMO exercise: bus crash on the Almaty–Bishkek road (synthetic)"
RED = {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 34}
YELLOW = {"can_walk": False, "breathing": True, "respiratory_rate_per_min": 20, "peripheral_pulse_palpable": True,
          "obeys_commands": True}
GREEN = {"can_walk": True}
BLACK = {"can_walk": False, "breathing": False, "breathing_after_airway_opening": False}
# tag, age band, sex, name, description, (method, findings), moves: (minutes after declaring, status, hospital
# index or None, vehicle). Hospital 0 is the demo hospital the demo users work at.
CASUALTIES: tuple[tuple[Any, ...], ...] = (
    ("EX-0001", "adult", "male", "Ерлан Сейтказиев", "Blue tracksuit, head wound", ("start", RED),
     [(25, "awaiting_transport", None, ""), (31, "in_transport", 0, "103-12"), (52, "arrived", None, ""),
      (70, "admitted", None, "")]),
    ("EX-0002", "adult", "female", "Алёна Ким", "Red coat, fractured left arm", ("start", YELLOW),
     [(40, "in_transport", 1, "103-07"), (66, "arrived", None, ""), (95, "admitted", None, "")]),
    ("EX-0003", "child", "female", "", "Girl of about six, pink jacket, found alone", ("jumpstart", GREEN),
     [(45, "in_transport", 0, "103-12"), (63, "arrived", None, ""), (120, "treated_released", None, "")]),
    ("EX-0004", "adult", "male", "Nurlan Abenov", "Grey jacket, cuts to the hands", ("start", GREEN),
     [(35, "treated_released", None, "")]),
    ("EX-0005", "older", "male", "Қайрат Оспанов", "Walking stick, chest pain", ("start", RED),
     [(28, "in_transport", 0, "103-04"), (47, "arrived", None, ""), (140, "transferred", None, "")]),
    ("EX-0006", "adult", "unknown", "", "Driver's seat, dark uniform", ("start", BLACK),
     [(30, "deceased", None, "")]),
    ("EX-0007", "adolescent", "male", "Данияр Ахметов", "School uniform, leg injury", ("start", YELLOW),
     [(55, "awaiting_transport", None, ""), (60, "in_transport", 1, "103-07"), (84, "arrived", None, ""),
      (150, "treated_released", None, "")]),
    ("EX-0008", "adult", "female", "Yuliya Ivanova", "Green scarf, shaken, minor bruises", ("start", GREEN),
     [(50, "treated_released", None, "")]),
)


@dataclass(frozen=True)
class DemoExercise:
    incident_id: int
    casualties: int
    created: bool


def _hospitals() -> list[Facility]:
    rows = list(Facility.objects.filter(code__startswith=DEMO_PREFIX, region__iso_code=DEMO_HOSPITAL_REGION,
                                        kind__in=INPATIENT_KINDS, active=True).order_by("code"))
    first = [f for f in rows if f.kind == "regional_multiprofile"][:1]  # demo_hospital(): the demo users' own
    return first + [f for f in rows if f not in first][:1]


def _acknowledge(incident: Incident, at: datetime) -> None:
    """The Almaty coordinator acknowledged the (exercise) declaration notice, so nothing escalates later."""
    delivery = (Delivery.objects.filter(notice__data__incident=incident.pk).select_related("recipient")
                .order_by("pk").first())
    actor = principal_for_user(delivery.recipient) if delivery is not None else None
    if delivery is not None and actor is not None:
        delivery_answer(actor=actor, delivery_id=delivery.pk, answer="acknowledged", now=at)


def demo_exercise_create(*, now: datetime | None = None) -> DemoExercise:
    """The closed demo exercise (created once; found by its title afterwards). Needs the demo network."""
    found = Incident.objects.filter(is_exercise=True, title=DEMO_EXERCISE_TITLE).first()
    if found is not None:
        return DemoExercise(incident_id=found.pk, casualties=found.casualties.count(), created=False)
    hospitals = _hospitals()
    t0 = (now or utcnow()).replace(microsecond=0) - timedelta(days=3)
    with transaction.atomic():
        incident = incident_declare(
            actor=SYSTEM, title=DEMO_EXERCISE_TITLE, kind="transport", scene_lat=43.2105, scene_lon=76.6712,
            region_isos=[DEMO_HOSPITAL_REGION], estimated_casualties=8, response_level="regional", is_exercise=True,
            description="Tabletop-and-field exercise: a bus with 8 people leaves the road west of Almaty.", now=t0)
        _acknowledge(incident, t0 + timedelta(minutes=2))
        for i, (tag, age, sex, name, description, (method, findings), moves) in enumerate(CASUALTIES):
            at = t0 + timedelta(minutes=10 + 2 * i)
            casualty, _created = casualty_register(
                actor=SYSTEM, incident_id=incident.pk, tag=tag, age_band=age, sex=sex, name=name,
                description=description, triage=triage_compute(method, findings), lat=43.2105, lon=76.6712, now=at)
            version = casualty.version
            if tag == "EX-0008":  # re-triaged at the collection point (still green): the history has two entries
                casualty, _a = casualty_triage(actor=SYSTEM, incident_id=incident.pk, tag=tag, version=version,
                                               outcome=triage_compute("start", GREEN), now=at + timedelta(minutes=15))
                version = casualty.version
            for minutes, status, hospital, vehicle in moves:
                casualty = casualty_move(
                    actor=SYSTEM, incident_id=incident.pk, tag=tag, status=status, version=version,
                    destination_code=hospitals[hospital % len(hospitals)].code if hospital is not None else None,
                    vehicle=vehicle or None, eta=(t0 + timedelta(minutes=minutes + 20)) if vehicle else None,
                    now=t0 + timedelta(minutes=minutes))
                version = casualty.version
        incident = incident_stand_down(actor=SYSTEM, incident_id=incident.pk, version=incident.version,
                                       now=t0 + timedelta(minutes=160))
        incident_close(actor=SYSTEM, incident_id=incident.pk, version=incident.version,
                       now=t0 + timedelta(hours=4))
    return DemoExercise(incident_id=incident.pk, casualties=len(CASUALTIES), created=True)
