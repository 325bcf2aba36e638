"""The live distribution: the current plan (computed, stored when its inputs changed, announced), a coordinator
accepting or overriding a destination, and accepting a whole plan.

An assignment locks the hospital's facility row, then the casualty's: two coordinators sending casualties to the
last place of one hospital are served one after the other (the second sees the place taken), and two coordinators
assigning one casualty compare the version they read (the second gets 409, nothing is overwritten).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from jedel.accounts.errors import AccountError
from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.incidents.errors_distribution import DistributionError
from jedel.incidents.selectors_distribution import full_categories, pending_counts, plan_casualties, plan_sites
from jedel.incidents.engines import (
    PLAN_CATEGORIES,
    CasualtyStatus,
    IncidentStatus,
    PlanHospital,
    distribution_compute,
    live_receiving_hospitals,
    travel_minutes_compute,
)
from jedel.incidents.models import Assignment, Casualty, CasualtyLocation, DistributionPlan, Incident, TimelineKind
from jedel.incidents.permissions import ASSIGN_CASUALTY, VIEW_CASUALTIES
from jedel.incidents.realtime import casualty_changed_publish, distribution_changed_publish
from jedel.incidents.services.incoming import incoming_notice_send
from jedel.incidents.selectors_walkins import walkin_load, with_walkins
from jedel.incidents.services.records import casualty_locked, check_version, recorded


def _incident(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).select_related("region").first()
    if incident is None:
        from jedel.incidents.errors import IncidentError

        raise NotFound(IncidentError.NOT_FOUND, field="incident_id")
    return incident


def _region_isos(incident: Incident) -> list[str]:
    return sorted(incident.regions.values_list("iso_code", flat=True))


def remaining_places(hospitals: list[PlanHospital], pending: dict[str, dict[str, int]],
                     full: dict[str, set[str]]) -> dict[str, dict[str, int]]:
    """Places left now: the declared hourly capacity less those on their way; none where declared full."""
    return {h.code: {c: 0 if c in full.get(h.code, set()) else
                     max(0, h.capacity.get(c, 0) - pending.get(h.code, {}).get(c, 0)) for c in PLAN_CATEGORIES}
            for h in hospitals}


def places_taken(*, incident: Incident, now: datetime, facility_id: int | None = None,
                 exclude_casualty: int | None = None) -> dict[str, dict[str, int]]:
    """{hospital code: {category: places taken}}: casualties on their way plus recent walk-ins, across every
    incident of the same kind (real or exercise) — what the plan, an assignment and the board all subtract."""
    return with_walkins(
        pending_counts(exercise=incident.is_exercise, facility_id=facility_id, exclude_casualty=exclude_casualty),
        walkin_load(exercise=incident.is_exercise, now=now, facility_id=facility_id))


def plan_current(*, viewer: Principal | None, incident_id: int, now: datetime | None = None) -> DistributionPlan:
    """The plan for the casualties still to be sent, from the live board as of `now`.

    Computed afresh each time; stored (and announced as `plan.ready`) only when its inputs differ from the last
    stored plan's, so an unchanged picture returns the same plan and its id stays valid for acceptance.
    """
    incident = _incident(incident_id)
    require(viewer, VIEW_CASUALTIES, incident, object_type="incident", object_id=incident.pk)
    if incident.status != IncidentStatus.ACTIVE.value:
        raise Conflict(DistributionError.NOT_ACTIVE, field="incident")
    now = now or utcnow()
    hospitals = live_receiving_hospitals(now=now, region_isos=_region_isos(incident))
    full = full_categories(incident)
    remaining = remaining_places(hospitals, places_taken(incident=incident, now=now), full)
    casualties = plan_casualties(incident)
    sites = plan_sites(incident)
    table = [{"code": h.code, "name": h.name, "lat": h.lat, "lon": h.lon, "capacity": dict(h.capacity),
              "remaining": remaining[h.code], "full": sorted(full.get(h.code, set()))} for h in hospitals]
    key = hashlib.sha256(json.dumps([[(c.tag, c.category, c.version, c.needs, c.site) for c in casualties], table,
                                     [incident.scene_lat, incident.scene_lon], sites], sort_keys=True).encode()
                         ).hexdigest()
    latest = DistributionPlan.objects.filter(incident=incident).first()
    if latest is not None and latest.inputs_key == key:
        return latest
    result = distribution_compute(scene_lat=incident.scene_lat, scene_lon=incident.scene_lon, casualties=casualties,
                                  hospitals=hospitals, remaining=remaining, sites=sites)
    with transaction.atomic():
        plan = DistributionPlan.objects.create(
            incident=incident, computed_at=now, inputs_key=key, hospitals=table,
            proposals=[{"tag": p.tag, "category": p.category, "version": p.version, "hospital": p.hospital,
                        "travel_time_min": p.travel_time_min, "reason_code": p.reason_code, "reason": p.reason}
                       for p in result.proposals],
            expected_deaths=result.expected_deaths, nearest_expected_deaths=result.nearest_expected_deaths)
        distribution_changed_publish(incident, "plan.ready", {"plan": plan.pk, "casualties": len(casualties)})
    return plan


def places_left(*, incident: Incident, facility: Facility, category: str, now: datetime,
                exclude_casualty: int | None = None) -> int:
    """Places the hospital has left for `category` now (0 when it is not on the board or declared full)."""
    live = live_receiving_hospitals(now=now, region_isos=[facility.region.iso_code], codes=[facility.code])
    if not live:
        return 0
    taken = places_taken(incident=incident, now=now, facility_id=facility.pk, exclude_casualty=exclude_casualty)
    return remaining_places(live, taken, full_categories(incident))[facility.code][category]


def _proposed(incident: Incident, plan_id: int | None, tag: str) -> tuple[DistributionPlan | None, str | None]:
    if plan_id is None:
        return None, None
    plan = DistributionPlan.objects.filter(pk=plan_id, incident=incident).first()
    if plan is None:
        raise NotFound(DistributionError.PLAN_NOT_FOUND, field="plan")
    return plan, next((p["hospital"] for p in plan.proposals if p["tag"] == tag), None)


def assignment_accept(*, actor: Principal | None, incident_id: int, tag: str, hospital: str, version: int,
                      plan_id: int | None = None, reason: str = "", over_capacity: bool = False,
                      now: datetime | None = None) -> Assignment:
    """Send one casualty to `hospital` (a facility code): as the plan `plan_id` proposed, or overriding it.

    A destination other than the plan's (or without a plan) needs a `reason`; a hospital without a place left
    for the casualty's category refuses it (409 hospital_capacity_exceeded) unless `over_capacity` with a reason.
    The casualty becomes awaiting transport (one in transport is re-routed), its ETA is the road time from the
    scene, the decision goes on the timeline and in the audit, and the receiving hospital gets a notice.
    """
    from jedel.incidents.services.casualties import _casualty, normalise_tag

    tag = normalise_tag(tag)
    casualty = _casualty(incident_id, tag)
    incident = casualty.incident
    require(actor, ASSIGN_CASUALTY, incident, object_type="casualty", object_id=casualty.pk)
    assert actor is not None
    if incident.status == IncidentStatus.CLOSED.value:
        raise Conflict(DistributionError.NOT_ACTIVE, field="incident")
    facility = Facility.objects.select_related("region").filter(code=hospital, active=True).first()
    if facility is None:
        raise DomainError(AccountError.UNKNOWN_FACILITY, field="hospital")
    plan, proposed = _proposed(incident, plan_id, tag)
    reason = reason.strip()
    if (proposed != facility.code or over_capacity) and not reason:
        raise ValidationFailed(DistributionError.REASON_REQUIRED, [
            {"loc": ["reason"], "msg": str(DistributionError.REASON_REQUIRED.message)}])
    now = now or utcnow()
    with transaction.atomic():
        Facility.objects.select_for_update(no_key=True).filter(pk=facility.pk).first()  # one hospital's places, one at a time
        locked = casualty_locked(casualty.pk)
        check_version(locked.version, version)
        current = Assignment.objects.filter(casualty=locked, ended_at__isnull=True).first()
        diverted = current is not None and current.diversion_requested_at is not None
        sendable = locked.status in (CasualtyStatus.AT_SCENE.value, CasualtyStatus.AWAITING_TRANSPORT.value) or (
            locked.status == CasualtyStatus.IN_TRANSPORT.value and diverted)
        if locked.category not in PLAN_CATEGORIES or not sendable:
            raise Conflict(DistributionError.NOT_DISTRIBUTABLE, field="tag")
        left = places_left(incident=incident, facility=facility, category=locked.category, now=now,
                           exclude_casualty=locked.pk)
        if left <= 0 and not over_capacity:
            raise Conflict(DistributionError.CAPACITY_EXCEEDED, field="hospital")
        point = locked.collection_point
        origin = (point.lat, point.lon) if point is not None else (incident.scene_lat, incident.scene_lon)
        travel = travel_minutes_compute(*origin, [facility.lat], [facility.lon])[0]
        lacking = sorted(set(locked.needs or ()) - set(facility.capabilities))
        before = locked.status
        if current is not None:
            Assignment.objects.filter(pk=current.pk).update(ended_at=now)
        if locked.status == CasualtyStatus.AT_SCENE.value:
            locked.status = CasualtyStatus.AWAITING_TRANSPORT.value
        locked.destination, locked.eta = facility, now + timedelta(minutes=travel)
        locked.version += 1
        locked.save(update_fields=["status", "destination", "eta", "version", "updated_at"])
        CasualtyLocation.objects.create(casualty=locked, at=now, actor_id=actor.user_id, actor_label=actor.label[:200],
                                        from_status=before, status=locked.status, destination=facility,
                                        vehicle=locked.vehicle, eta=locked.eta, note=reason[:500])
        assignment = Assignment.objects.create(
            incident=incident, casualty=locked, facility=facility, category=locked.category, plan=plan,
            proposed_facility=Facility.objects.filter(code=proposed).first() if proposed else None,
            override_reason=reason[:500], over_capacity=over_capacity and left <= 0, accepted_at=now,
            accepted_by_id=actor.user_id, accepted_by_label=actor.label[:200], travel_time_min=travel, eta=locked.eta)
        recorded(actor=actor, incident=incident, casualty=locked, kind=TimelineKind.CASUALTY_ASSIGNED,
                 action=ASSIGN_CASUALTY.name, now=now, facility_id=facility.pk,
                 data={"tag": tag, "hospital": facility.code, "proposed": proposed, "category": locked.category,
                       "reason": reason[:500], "over_capacity": assignment.over_capacity, "lacking": lacking,
                       "plan": plan.pk if plan else None, "eta": locked.eta.isoformat()})
        assignment.notice = incoming_notice_send(actor=actor, incident=incident, casualty=locked, facility=facility,
                                                 now=now)
        if assignment.notice is not None:
            assignment.save(update_fields=["notice"])
        # Last: the stream's head stays locked until commit, and every casualty write of every incident waits
        # for it (publishing before the notice held it through the notice's dozen queries).
        casualty_changed_publish(locked, "casualty.assigned")
    return assignment


@dataclass
class PlanAcceptance:
    accepted: list[Assignment] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (tag, error code)


def plan_accept(*, actor: Principal | None, incident_id: int, plan_id: int,
                now: datetime | None = None) -> PlanAcceptance:
    """Accept every destination the plan proposes, each in its own transaction; refusals are listed, not fatal
    (a casualty changed since the plan: stale version; a place taken meanwhile: capacity)."""
    incident = _incident(incident_id)
    require(actor, ASSIGN_CASUALTY, incident, object_type="incident", object_id=incident.pk)
    plan, _ = _proposed(incident, plan_id, "")
    assert plan is not None
    out = PlanAcceptance()
    for p in plan.proposals:
        if p["hospital"] is None:
            continue
        try:
            out.accepted.append(assignment_accept(actor=actor, incident_id=incident.pk, tag=p["tag"],
                                                  hospital=p["hospital"], version=p["version"], plan_id=plan.pk,
                                                  now=now))
        except DomainError as exc:
            out.refused.append((p["tag"], exc.code.value))
    return out
