"""Declaring an incident (and telling the affected regions), its roles, standing it down and closing it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jedel.accounts.errors import AccountError
from jedel.accounts.models import User
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from jedel.geo.errors import GeoError
from jedel.geo.models import Region
from jedel.incidents.engines import IncidentStatus, incident_change_decide
from jedel.incidents.errors import IncidentError
from jedel.incidents.models import Incident, IncidentRole, IncidentRoleKind, TimelineKind
from jedel.incidents.permissions import DECLARE_INCIDENT, MANAGE_INCIDENT
from jedel.incidents.realtime import incident_changed_publish
from jedel.incidents.services.prealert import prealert_send
from jedel.incidents.services.records import check_version, recorded
from jedel.notifications.models import Desk, NoticeKind, Priority
from jedel.notifications.services.sending import notice_send


def _regions(isos: list[str]) -> list[Region]:
    if not isos:
        raise DomainError(IncidentError.NO_REGIONS, field="regions")
    found = {r.iso_code: r for r in Region.objects.filter(iso_code__in=isos)}
    for i, iso in enumerate(isos):
        if iso not in found:
            raise DomainError(GeoError.UNKNOWN_REGION, field=f"regions.{i}")
    return [found[iso] for iso in dict.fromkeys(isos)]


def incident_declare(*, actor: Principal | None, title: str, kind: str, scene_lat: float, scene_lon: float,
                     region_isos: list[str], estimated_casualties: int | None = None, response_level: str = "local",
                     is_exercise: bool = False, description: str = "", now: datetime | None = None) -> Incident:
    """Declare an incident in the regions named (the first is the scene's); the declarer needs every one of them.

    The affected regions' coordinators are notified through the notifications app (exercise notices marked as
    such), every hospital near the scene is pre-alerted (services/prealert.py), and the declaration is published
    on the real-time channel.
    """
    regions = _regions(region_isos)
    for region in regions:
        require(actor, DECLARE_INCIDENT, Target(region_id=region.pk), object_type="incident")
    assert actor is not None
    now = now or utcnow()
    incident = Incident(title=title.strip()[:200], kind=kind, description=description, scene_lat=scene_lat,
                        scene_lon=scene_lon, region=regions[0], estimated_casualties=estimated_casualties,
                        response_level=response_level, is_exercise=is_exercise, declared_by_id=actor.user_id,
                        declared_by_label=actor.label[:200], declared_at=now)
    try:
        incident.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(IncidentError.INVALID_INCIDENT, [
            {"loc": [name], "msg": " ".join(str(m) for m in messages)}
            for name, messages in exc.message_dict.items()]) from None
    with transaction.atomic():
        incident.save()
        incident.regions.set(regions)
        recorded(actor=actor, incident=incident, kind=TimelineKind.DECLARED, action=DECLARE_INCIDENT.name, now=now,
                 data={"title": incident.title, "kind": kind, "regions": [r.iso_code for r in regions],
                       "exercise": is_exercise, "estimated_casualties": estimated_casualties,
                       "response_level": response_level})
        for region in regions:
            _notify_region(actor, incident, region, now)
        prealert_send(actor=actor, incident=incident, now=now)  # every hospital near the scene, not only the planned
        incident_changed_publish(incident, "incident.declared")
    return incident


def _notify_region(actor: Principal, incident: Incident, region: Region, now: datetime) -> None:
    """One notice per affected region: its coordinators and coordinator desk, then the NCCEM duty desk."""
    first: list[dict[str, Any]] = [{"role": "regional_coordinator", "region": region.pk}]
    desk = Desk.objects.filter(kind="region_coordination", region=region).first()
    if desk is not None:
        first.append({"desk": desk.pk})
    levels = [first]
    nccem = Desk.objects.filter(kind="nccem_duty").first()
    if nccem is not None:
        levels.append([{"desk": nccem.pk}])
    title = _("Incident declared: %(title)s") % {"title": incident.title}
    if incident.is_exercise:
        title = _("EXERCISE — %(title)s") % {"title": title}
    try:
        result = notice_send(actor=actor, kind=NoticeKind.INCIDENT_DECLARED, title=title, body=incident.description,
                             priority=Priority.EMERGENCY, levels=levels, region_id=region.pk,
                             exercise=incident.is_exercise, dedupe_key=f"incident:{incident.pk}:{region.pk}",
                             data={"incident": incident.pk}, now=now)
    except DomainError as exc:
        # The declaration stands; that nobody could be told is on the timeline for the coordinator to act on.
        recorded(actor=actor, incident=incident, kind=TimelineKind.NOT_NOTIFIED, action="incident_notify",
                 now=now, data={"region": region.iso_code, "code": exc.code.value})
        return
    recorded(actor=actor, incident=incident, kind=TimelineKind.NOTIFIED, action="incident_notify", now=now,
             data={"region": region.iso_code, "notice": result.notice.pk})


def _incident(incident_id: int) -> Incident:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(IncidentError.NOT_FOUND, field="incident_id")
    return incident


def _change(actor: Principal | None, incident_id: int, target: IncidentStatus, version: int | None,
            now: datetime | None) -> Incident:
    incident = _incident(incident_id)
    require(actor, MANAGE_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        check_version(incident.version, version)
        decision = incident_change_decide(IncidentStatus(incident.status), target)
        if decision.refusal is not None:
            raise Conflict(IncidentError(decision.refusal.value), field="status")
        before = incident.status
        incident.status = target.value
        if target is IncidentStatus.STOOD_DOWN:
            incident.stood_down_at = now
        else:
            incident.closed_at = now
        Incident.objects.filter(pk=incident.pk).update(status=incident.status, stood_down_at=incident.stood_down_at,
                                                       closed_at=incident.closed_at, version=F("version") + 1,
                                                       updated_at=now)
        incident.version += 1
        kind = TimelineKind.STOOD_DOWN if target is IncidentStatus.STOOD_DOWN else TimelineKind.CLOSED
        recorded(actor=actor, incident=incident, kind=kind, action=MANAGE_INCIDENT.name, now=now,
                 data={"from": before, "to": target.value})
        incident_changed_publish(incident, f"incident.{target.value}")
    return incident


def incident_stand_down(*, actor: Principal | None, incident_id: int, version: int | None = None,
                        now: datetime | None = None) -> Incident:
    """The response is over: no new casualties; those registered still reach their dispositions."""
    return _change(actor, incident_id, IncidentStatus.STOOD_DOWN, version, now)


def incident_close(*, actor: Principal | None, incident_id: int, version: int | None = None,
                   now: datetime | None = None) -> Incident:
    """Close a stood-down incident: its record becomes read-only."""
    return _change(actor, incident_id, IncidentStatus.CLOSED, version, now)


def incident_role_assign(*, actor: Principal | None, incident_id: int, role: str, username: str,
                         now: datetime | None = None) -> IncidentRole:
    """Give `username` a role in the incident (a new commander replaces the old one; the same role twice is a no-op)."""
    incident = _incident(incident_id)
    require(actor, MANAGE_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    assert actor is not None
    if role not in IncidentRoleKind.values:
        raise DomainError(IncidentError.UNKNOWN_ROLE, field="role")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError(AccountError.UNKNOWN_USER, field="username")
    now = now or utcnow()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.status == IncidentStatus.CLOSED:
            raise Conflict(IncidentError.INCIDENT_CLOSED, field="status")
        current = IncidentRole.objects.filter(incident=incident, role=role, user=user, ended_at__isnull=True).first()
        if current is not None:
            return current
        ended: list[str] = []
        if role == IncidentRoleKind.COMMANDER:
            for old in IncidentRole.objects.filter(incident=incident, role=role, ended_at__isnull=True) \
                    .select_related("user"):
                ended.append(old.user.username)
            IncidentRole.objects.filter(incident=incident, role=role, ended_at__isnull=True).update(ended_at=now)
        assigned = IncidentRole.objects.create(incident=incident, role=role, user=user, assigned_at=now,
                                               assigned_by_label=actor.label[:200])
        recorded(actor=actor, incident=incident, kind=TimelineKind.ROLE_ASSIGNED, action=MANAGE_INCIDENT.name,
                 now=now, data={"role": role, "user": user.username, "replaces": ended})
    return assigned
