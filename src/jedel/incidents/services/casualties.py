"""Casualties: registration by tag (idempotent), triage through the core engines, and status moves.

Every write checks the incident's stage (`jedel.core.tracking` through `engines.py`), locks the casualty row
and compares the version the writer read: a stale version is refused with 409, never merged or overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jedel.accounts.errors import AccountError
from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.facilities.models import Facility
from jedel.incidents.engines import (
    CasualtyOperation,
    CasualtyStatus,
    IncidentStatus,
    TriageOutcome,
    casualty_move_decide,
    casualty_operation_decide,
    parse_capability,
)
from jedel.incidents.errors import IncidentError
from jedel.incidents.errors_distribution import DistributionError
from jedel.incidents.models import AgeBand, Casualty, CasualtyLocation, Incident, Sex, TimelineKind, TriageAssessment
from jedel.incidents.models_distribution import CollectionPoint
from jedel.incidents.permissions import MOVE_CASUALTY, REGISTER_CASUALTY, TRIAGE_CASUALTY
from jedel.incidents.realtime import casualty_changed_publish
from jedel.incidents.services.records import casualty_locked, check_version, recorded


def normalise_tag(tag: str) -> str:
    """Tags are typed or scanned: surrounding spaces go and letters are compared in capitals."""
    return tag.strip().upper()


def _incident(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(IncidentError.NOT_FOUND, field="incident_id")
    return incident


def _stage_allows(incident: Incident, operation: CasualtyOperation) -> None:
    decision = casualty_operation_decide(IncidentStatus(incident.status), operation)
    if decision.refusal is not None:
        raise Conflict(IncidentError(decision.refusal.value), field="incident")


def _complete(outcome: TriageOutcome) -> None:
    if outcome.category is None:
        raise ValidationFailed(IncidentError.TRIAGE_INCOMPLETE, [
            {"loc": ["findings", name], "msg": _("%(method)s needs this finding.") % {"method": outcome.method.upper()}}
            for name in outcome.missing])


def _assess(actor: Principal, casualty: Casualty, outcome: TriageOutcome, now: datetime) -> TriageAssessment:
    assessment = TriageAssessment.objects.create(
        casualty=casualty, at=now, actor_id=actor.user_id, actor_label=actor.label[:200],
        requested_method=outcome.requested_method, method=outcome.method, category=outcome.category or "",
        rule=outcome.rule[:500], findings=outcome.findings)
    casualty.category, casualty.triage_method, casualty.triage_rule = (outcome.category or "", outcome.method,
                                                                       outcome.rule[:500])
    return assessment


def _needs(values: Iterable[str]) -> list[str]:
    """Capabilities the receiving hospital must have, validated against the engines' vocabulary, sorted."""
    try:
        return sorted({parse_capability(v, what="need", aliases=False).value for v in values})
    except ValueError:
        raise DomainError(DistributionError.UNKNOWN_NEED, field="needs") from None


def _point(incident: Incident, point_id: int | None) -> CollectionPoint | None:
    if point_id is None:
        return None
    point = CollectionPoint.objects.filter(pk=point_id, incident=incident).first()
    if point is None:
        raise NotFound(DistributionError.POINT_NOT_FOUND, field="collection_point")
    return point


def casualty_register(*, actor: Principal | None, incident_id: int, tag: str, age_band: str = AgeBand.UNKNOWN,
                      sex: str = Sex.UNKNOWN, name: str = "", description: str = "",
                      triage: TriageOutcome | None = None, lat: float | None = None, lon: float | None = None,
                      needs: Iterable[str] = (), collection_point: int | None = None,
                      now: datetime | None = None) -> tuple[Casualty, bool]:
    """Register a casualty by tag, optionally with a first triage; returns (casualty, created).

    `needs`: capabilities its hospital must have (burns, neurosurgery...); `collection_point`: the id of the
    incident's collection point where it waits (the plan sends it from there).

    Idempotent on the tag: a tag already registered in the incident returns that casualty unchanged
    (created False), also when two registrations race.
    """
    incident = _incident(incident_id)
    require(actor, REGISTER_CASUALTY, incident, object_type="incident", object_id=incident.pk)
    assert actor is not None
    tag = normalise_tag(tag)
    if not tag:
        raise DomainError(IncidentError.INVALID_INCIDENT, field="tag")
    existing = Casualty.objects.select_related("incident").filter(incident=incident, tag=tag).first()
    if existing is not None:
        return existing, False
    _stage_allows(incident, CasualtyOperation.REGISTER)
    if triage is not None:
        _complete(triage)
    if age_band not in AgeBand.values or sex not in Sex.values:
        raise DomainError(IncidentError.INVALID_INCIDENT, field="age_band" if age_band not in AgeBand.values else "sex")
    needs, point = _needs(needs), _point(incident, collection_point)
    now = now or utcnow()
    try:
        with transaction.atomic():
            casualty = Casualty(incident=incident, tag=tag, age_band=age_band, sex=sex, name=name[:200],
                                description=description, needs=needs, collection_point=point, registered_at=now,
                                registered_by_label=actor.label[:200])
            casualty.save()
            CasualtyLocation.objects.create(casualty=casualty, at=now, actor_id=actor.user_id,
                                            actor_label=actor.label[:200], status=casualty.status, lat=lat, lon=lon)
            if triage is not None:
                _assess(actor, casualty, triage, now)
                casualty.save(update_fields=["category", "triage_method", "triage_rule"])
            recorded(actor=actor, incident=incident, casualty=casualty, kind=TimelineKind.CASUALTY_REGISTERED,
                     action=REGISTER_CASUALTY.name, now=now,
                     data={"tag": tag, "category": casualty.category, "method": casualty.triage_method,
                           "needs": needs, "collection_point": casualty.collection_point_id})
            casualty_changed_publish(casualty, "casualty.registered")
    except IntegrityError:
        # A concurrent registration of the same tag committed first: that one is the casualty.
        existing = Casualty.objects.select_related("incident").filter(incident=incident, tag=tag).first()
        if existing is None:
            raise
        return existing, False
    return casualty, True


def _casualty(incident_id: int, tag: str) -> Casualty:
    casualty = (Casualty.objects.select_related("incident").filter(incident_id=incident_id, tag=normalise_tag(tag))
                .first())
    if casualty is None:
        _incident(incident_id)
        raise NotFound(IncidentError.CASUALTY_NOT_FOUND, field="tag")
    return casualty


def casualty_triage(*, actor: Principal | None, incident_id: int, tag: str, outcome: TriageOutcome,
                    version: int | None = None, needs: Iterable[str] | None = None,
                    collection_point: int | None = None,
                    now: datetime | None = None) -> tuple[Casualty, TriageAssessment]:
    """Record a (re-)triage: a new assessment in the history, and the casualty's current category.

    Re-triage happens where casualties are gathered: `needs` (None: unchanged) and `collection_point` (the id of
    the point where it now waits; None: unchanged) are recorded with it.
    """
    casualty = _casualty(incident_id, tag)
    require(actor, TRIAGE_CASUALTY, casualty, object_type="casualty", object_id=casualty.pk)
    assert actor is not None
    _stage_allows(casualty.incident, CasualtyOperation.TRIAGE)
    _complete(outcome)
    new_needs, point = None if needs is None else _needs(needs), _point(casualty.incident, collection_point)
    now = now or utcnow()
    with transaction.atomic():
        locked = casualty_locked(casualty.pk)
        check_version(locked.version, version)
        before = locked.category
        assessment = _assess(actor, locked, outcome, now)
        fields = ["category", "triage_method", "triage_rule", "version", "updated_at"]
        if new_needs is not None:
            locked.needs = new_needs
            fields.append("needs")
        if point is not None:
            locked.collection_point = point
            fields.append("collection_point")
        locked.version += 1
        locked.save(update_fields=fields)
        recorded(actor=actor, incident=locked.incident, casualty=locked, kind=TimelineKind.CASUALTY_TRIAGED,
                 action=TRIAGE_CASUALTY.name, now=now, facility_id=locked.destination_id,
                 data={"tag": locked.tag, "from": before, "category": locked.category, "method": outcome.method,
                       "rule": outcome.rule[:500], "needs": locked.needs,
                       "collection_point": locked.collection_point_id})
        casualty_changed_publish(locked, "casualty.triaged")
    return locked, assessment


def casualty_move(*, actor: Principal | None, incident_id: int, tag: str, status: str, version: int,
                  destination_code: str | None = None, vehicle: str | None = None, eta: datetime | None = None,
                  lat: float | None = None, lon: float | None = None, note: str = "",
                  now: datetime | None = None) -> Casualty:
    """Move a casualty along its state machine; `version` is the one the writer read (stale: 409)."""
    casualty = _casualty(incident_id, tag)
    require(actor, MOVE_CASUALTY, casualty, object_type="casualty", object_id=casualty.pk)
    assert actor is not None
    _stage_allows(casualty.incident, CasualtyOperation.MOVE)
    if status not in {s.value for s in CasualtyStatus}:
        raise DomainError(IncidentError.CASUALTY_MOVE_NOT_ALLOWED, field="status")
    destination = None
    if destination_code:
        destination = Facility.objects.filter(code=destination_code, active=True).first()
        if destination is None:
            raise DomainError(AccountError.UNKNOWN_FACILITY, field="destination")
    now = now or utcnow()
    with transaction.atomic():
        locked = casualty_locked(casualty.pk)
        check_version(locked.version, version)
        target = CasualtyStatus(status)
        decision = casualty_move_decide(CasualtyStatus(locked.status), target,
                                        has_destination=destination is not None or locked.destination_id is not None)
        if decision.refusal is not None:
            code = IncidentError(decision.refusal.value)
            if code is IncidentError.DESTINATION_REQUIRED:
                raise DomainError(code, field="destination")
            raise Conflict(code, field="status")
        before = locked.status
        changes: dict[str, Any] = {"tag": locked.tag, "from": before, "to": target.value}
        locked.status = target.value
        if destination is not None:
            locked.destination = destination
            changes["destination"] = destination.code
        if vehicle is not None:
            locked.vehicle = vehicle[:64]
            changes["vehicle"] = locked.vehicle
        if eta is not None:
            locked.eta = eta
            changes["eta"] = eta.isoformat()
        locked.version += 1
        locked.save(update_fields=["status", "destination", "vehicle", "eta", "version", "updated_at"])
        CasualtyLocation.objects.create(casualty=locked, at=now, actor_id=actor.user_id, actor_label=actor.label[:200],
                                        from_status=before, status=locked.status, destination=locked.destination,
                                        vehicle=locked.vehicle, eta=locked.eta, lat=lat, lon=lon, note=note[:500])
        recorded(actor=actor, incident=locked.incident, casualty=locked, kind=TimelineKind.CASUALTY_MOVED,
                 action=MOVE_CASUALTY.name, now=now, facility_id=locked.destination_id, data=changes)
        casualty_changed_publish(locked, "casualty.moved")
    return locked
