"""Walk-in casualties (issue 17 item 4): registering people who reach a hospital by themselves, counting them when
the hospital is overwhelmed, and turning counts into records later.

A walk-in is registered in seconds: the tag is given on arrival ("W-<facility code>-<n>", the hospital's own
series in the incident), the category is chosen at the door (no algorithm), and the casualty has arrived at that
hospital. Counts ("+3 yellow") are a ledger with who and when. Both take the hospital's places in the live
distribution at once (`selectors_walkins.walkin_load`, added in `services/distribution.py`).

Who: the hospital's own clinicians and managers, and the coordinators over the incident (target: the hospital,
and the incident's regions; a liaison's hospital does not register walk-ins at another).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max

from jedel.accounts.errors import AccountError
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.incidents.engines import CasualtyOperation, CasualtyStatus, IncidentStatus, casualty_operation_decide
from jedel.incidents.errors import IncidentError
from jedel.incidents.errors_walkins import WalkInError
from jedel.incidents.models import (
    AgeBand,
    Casualty,
    CasualtyLocation,
    Incident,
    Sex,
    TimelineKind,
    TriageAssessment,
    WalkIn,
    WalkInCount,
)
from jedel.incidents.permissions import REGISTER_WALKIN
from jedel.incidents.realtime import casualty_changed_publish, distribution_changed_publish
from jedel.incidents.selectors_walkins import WALKIN_CATEGORIES, counted_outstanding
from jedel.incidents.services.records import recorded

DIRECT = "direct"
DIRECT_RULE = "category chosen on arrival (walk-in)"
MAX_COUNT = 500  # one "+n" at a time; a bigger figure is a typing slip, not a crowd at one door
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def walkin_tag(facility: Facility, number: int) -> str:
    """ "W-<facility code>-<n>"; the facility's id stands in for a code a tag cannot hold (too long, odd letters)."""
    code = facility.code.upper()
    tag = f"W-{code}-{number}"
    if _TAG_UNSAFE.search(code) or len(tag) > 32:
        tag = f"W-{facility.pk}-{number}"
    return tag


def _incident(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(IncidentError.NOT_FOUND, field="incident_id")
    return incident


def _hospital(actor: Principal | None, hospital: str | None) -> Facility:
    """The named hospital (a facility code), or else the caller's own."""
    code = (hospital or "").strip()
    if not code:
        own = actor.facility_id if actor is not None else None
        facility = Facility.objects.filter(pk=own, active=True).first() if own is not None else None
        if facility is None:
            raise DomainError(WalkInError.HOSPITAL_REQUIRED, field="hospital")
        return facility
    facility = Facility.objects.filter(code=code, active=True).first()
    if facility is None:
        raise DomainError(AccountError.UNKNOWN_FACILITY, field="hospital")
    return facility


def _checked(actor: Principal | None, incident_id: int, hospital: str | None, category: str,
             operation: CasualtyOperation) -> tuple[Principal, Incident, Facility]:
    incident = _incident(incident_id)
    facility = _hospital(actor, hospital)
    target = Target(region_id=incident.region_id, regions=frozenset(incident.regions.values_list("pk", flat=True)),
                    facility_id=facility.pk)
    require(actor, REGISTER_WALKIN, target, object_type="incident", object_id=incident.pk)
    assert actor is not None
    if category not in WALKIN_CATEGORIES:
        raise DomainError(WalkInError.UNKNOWN_CATEGORY, field="category")
    decision = casualty_operation_decide(IncidentStatus(incident.status), operation)
    if decision.refusal is not None:
        raise Conflict(IncidentError(decision.refusal.value), field="incident")
    return actor, incident, facility


def _count_checked(count: int) -> None:
    if not 1 <= count <= MAX_COUNT:
        raise ValidationFailed(IncidentError.INVALID_INCIDENT, [
            {"loc": ["count"], "msg": f"1 ≤ count ≤ {MAX_COUNT}"}])


def _new_walkin(actor: Principal, incident: Incident, facility: Facility, category: str, now: datetime, *,
                age_band: str = AgeBand.UNKNOWN, sex: str = Sex.UNKNOWN, name: str = "", description: str = "",
                converted_from: WalkInCount | None = None) -> Casualty:
    """One walk-in casualty with the next free number of the hospital's series (call with the facility locked)."""
    number = (WalkIn.objects.filter(incident=incident, facility=facility).aggregate(n=Max("number"))["n"] or 0) + 1
    taken = set(Casualty.objects.filter(incident=incident, tag__startswith="W-").values_list("tag", flat=True))
    while walkin_tag(facility, number) in taken:  # a tag typed by hand earlier: skip it
        number += 1
    tag = walkin_tag(facility, number)
    casualty = Casualty(incident=incident, tag=tag, age_band=age_band, sex=sex, name=name[:200],
                        description=description, status=CasualtyStatus.ARRIVED.value, category=category,
                        triage_method=DIRECT, triage_rule=DIRECT_RULE, destination=facility, registered_at=now,
                        registered_by_label=actor.label[:200])
    casualty.save()
    CasualtyLocation.objects.create(casualty=casualty, at=now, actor_id=actor.user_id, actor_label=actor.label[:200],
                                    status=casualty.status, destination=facility, note=DIRECT_RULE)
    TriageAssessment.objects.create(casualty=casualty, at=now, actor_id=actor.user_id, actor_label=actor.label[:200],
                                    requested_method=DIRECT, method=DIRECT, category=category, rule=DIRECT_RULE,
                                    findings={})
    WalkIn.objects.create(casualty=casualty, incident=incident, facility=facility, number=number, arrived_at=now,
                          converted_from=converted_from)
    recorded(actor=actor, incident=incident, casualty=casualty, kind=TimelineKind.CASUALTY_REGISTERED,
             action=REGISTER_WALKIN.name, now=now, facility_id=facility.pk,
             data={"tag": tag, "category": category, "method": DIRECT, "walk_in": True, "hospital": facility.code,
                   "converted": converted_from is not None})
    casualty_changed_publish(casualty, "casualty.registered")
    return casualty


def _locked(facility: Facility) -> None:
    # One hospital's walk-in series (and its places, as in services/distribution.py), one writer at a time.
    Facility.objects.select_for_update(no_key=True).filter(pk=facility.pk).first()


def walkin_register(*, actor: Principal | None, incident_id: int, category: str, hospital: str | None = None,
                    age_band: str = AgeBand.UNKNOWN, sex: str = Sex.UNKNOWN, name: str = "", description: str = "",
                    now: datetime | None = None) -> Casualty:
    """Register one walk-in: next tag of the hospital's series, the category chosen, arrived at the hospital."""
    actor, incident, facility = _checked(actor, incident_id, hospital, category, CasualtyOperation.REGISTER)
    if age_band not in AgeBand.values or sex not in Sex.values:
        raise DomainError(IncidentError.INVALID_INCIDENT, field="age_band" if age_band not in AgeBand.values else "sex")
    now = now or utcnow()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                _locked(facility)
                return _new_walkin(actor, incident, facility, category, now, age_band=age_band, sex=sex, name=name,
                                   description=description)
        except IntegrityError:
            continue  # a tag of the series was taken by hand at the same moment: number again
    raise Conflict(WalkInError.NO_FREE_TAG, field="tag")


def walkin_count_add(*, actor: Principal | None, incident_id: int, category: str, count: int,
                     hospital: str | None = None, now: datetime | None = None) -> WalkInCount:
    """Count walk-ins without registering them ("+3 yellow"): who and when are kept; they take places at once."""
    actor, incident, facility = _checked(actor, incident_id, hospital, category, CasualtyOperation.REGISTER)
    _count_checked(count)
    now = now or utcnow()
    with transaction.atomic():
        row = WalkInCount.objects.create(incident=incident, facility=facility, category=category,
                                         kind=WalkInCount.Kind.COUNTED, delta=count, at=now, actor_id=actor.user_id,
                                         actor_label=actor.label[:200])
        recorded(actor=actor, incident=incident, kind=TimelineKind.CASUALTY_REGISTERED, action=REGISTER_WALKIN.name,
                 now=now, facility_id=facility.pk,
                 data={"walk_in_count": count, "category": category, "hospital": facility.code})
        distribution_changed_publish(incident, "walkins.counted",
                                     {"hospital": facility.code, "category": category, "count": count})
    return row


def walkin_count_convert(*, actor: Principal | None, incident_id: int, category: str, count: int,
                         hospital: str | None = None, now: datetime | None = None) -> list[Casualty]:
    """Turn `count` counted walk-ins of the category into individual records (tags given now), e.g. once the rush
    is over. Allowed while the incident is stood down too: they are no new casualties. More than were counted: 409.
    """
    actor, incident, facility = _checked(actor, incident_id, hospital, category, CasualtyOperation.MOVE)
    _count_checked(count)
    now = now or utcnow()
    with transaction.atomic():
        _locked(facility)
        left = counted_outstanding(incident=incident, facility_id=facility.pk, category=category)
        if count > left:
            raise Conflict(WalkInError.NOT_ENOUGH_COUNTED, field="count",
                           detail=f"{WalkInError.NOT_ENOUGH_COUNTED.message} ({count} > {left})")
        ledger = WalkInCount.objects.create(incident=incident, facility=facility, category=category,
                                            kind=WalkInCount.Kind.CONVERTED, delta=-count, at=now,
                                            actor_id=actor.user_id, actor_label=actor.label[:200])
        return [_new_walkin(actor, incident, facility, category, now, converted_from=ledger) for _ in range(count)]
