"""Pre-alerting the hospitals around a declared incident (issue 17 item 4).

Most casualties of a real MCI reach the nearest hospitals by themselves, unannounced (Las Vegas, 2017), so every
inpatient hospital within `prealert_radius_km()` of the scene (great-circle; setting JEDEL_PREALERT_RADIUS_KM,
default 50) is told at once, whatever its region and whether or not a plan would send it anyone. Each hospital
once per incident (dedupe key, and the timeline's record of who was pre-alerted); an exercise sends exercise
notices. The notifications app has no kind of its own for a pre-alert: it goes as an incoming-patient notice (the
glossary's "incoming-patient notice (pre-alert)"), to the hospital's admissions desk, else its managers and then
its clinicians, and no further: the region's coordinators hear of the incident from the declaration itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal
from jedel.common.errors import DomainError
from jedel.facilities.models import INPATIENT_KINDS, Facility
from jedel.incidents.engines import great_circle_km_compute
from jedel.incidents.models import Incident, TimelineEntry, TimelineKind
from jedel.incidents.services.records import recorded
from jedel.notifications.models import Desk, NoticeKind, Priority
from jedel.notifications.services.sending import notice_send

DEFAULT_RADIUS_KM = 50.0
KM_PER_DEGREE_LAT = 111.0  # a lower bound (110.57 at the equator … 111.69 at the poles) widens the box slightly


def prealert_radius_km() -> float:
    """How far from the scene hospitals are pre-alerted (setting JEDEL_PREALERT_RADIUS_KM, km, great-circle)."""
    return float(getattr(settings, "JEDEL_PREALERT_RADIUS_KM", DEFAULT_RADIUS_KM))


def hospitals_within(lat: float, lon: float, radius_km: float) -> list[tuple[Facility, float]]:
    """Active inpatient facilities within `radius_km` of the point, nearest first, with their distance in km."""
    dlat = radius_km / KM_PER_DEGREE_LAT * 1.01
    coslat = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
    dlon = min(180.0, radius_km / (KM_PER_DEGREE_LAT * coslat) * 1.01)
    rows = list(Facility.objects.filter(active=True, kind__in=INPATIENT_KINDS, lat__gte=lat - dlat,
                                        lat__lte=lat + dlat, lon__gte=lon - dlon, lon__lte=lon + dlon)
                .select_related("region").order_by("code"))
    distances = great_circle_km_compute(lat, lon, [f.lat for f in rows], [f.lon for f in rows])
    near = [(f, d) for f, d in zip(rows, distances, strict=True) if d <= radius_km]
    return sorted(near, key=lambda pair: (pair[1], pair[0].code))


def prealert_levels(facility: Facility) -> list[list[dict[str, Any]]]:
    """The hospital's admissions desk (first-called, then all of it); without one, its managers, then clinicians."""
    desk = Desk.objects.filter(kind="admissions", facility=facility).first()
    if desk is not None:
        return [[{"desk": desk.pk, "position": 0}], [{"desk": desk.pk}]]
    return [[{"role": Role.FACILITY_MANAGER.value, "facility": facility.pk}],
            [{"role": Role.CLINICIAN.value, "facility": facility.pk}]]


@dataclass
class PrealertResult:
    radius_km: float
    notices: dict[str, int] = field(default_factory=dict)       # facility code -> notice id
    unreachable: dict[str, str] = field(default_factory=dict)   # facility code -> error code (nobody to tell)


def _already(incident: Incident) -> set[str]:
    done: set[str] = set()
    for data in TimelineEntry.objects.filter(incident=incident, kind=TimelineKind.NOTIFIED,
                                             data__prealert=True).values_list("data", flat=True):
        done |= {*data.get("notices", {}), *data.get("unreachable", {})}
    return done


def _body(incident: Incident, distance_km: float) -> str:
    lines = [incident.title,
             _("%(km)s km from your hospital. Casualties may arrive by themselves; register walk-ins as they come.")
             % {"km": f"{distance_km:.0f}"}]
    if incident.estimated_casualties:
        lines.append(_("Estimated casualties: %(n)s.") % {"n": incident.estimated_casualties})
    if incident.description:
        lines.append(incident.description)
    return "\n".join(lines)


def prealert_send(*, actor: Principal, incident: Incident, now: datetime) -> PrealertResult:
    """Pre-alert every hospital within the radius not pre-alerted yet; one timeline entry lists whom (and whom
    nobody could be reached at). Sent on the incident's authority, as the incoming-patient notices are: the
    declarer was allowed to declare it, and a hospital across a regional border is as near."""
    radius = prealert_radius_km()
    result = PrealertResult(radius_km=radius)
    done = _already(incident)
    near = [(f, d) for f, d in hospitals_within(incident.scene_lat, incident.scene_lon, radius) if f.code not in done]
    if not near:
        return result
    sender = Principal(label=actor.label, role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL,
                       user_id=actor.user_id)
    for facility, distance in near:
        title = _("Pre-alert: %(title)s") % {"title": incident.title}
        if incident.is_exercise:
            title = _("EXERCISE — %(title)s") % {"title": title}
        try:
            with transaction.atomic():
                sent = notice_send(actor=sender, kind=NoticeKind.INCOMING_PATIENT, title=title,
                                   body=_body(incident, distance), priority=Priority.URGENT,
                                   levels=prealert_levels(facility), facility_id=facility.pk,
                                   exercise=incident.is_exercise, dedupe_key=f"prealert:{incident.pk}:{facility.pk}",
                                   data={"prealert": incident.pk, "facility": facility.code,
                                         "distance_km": round(distance, 1)}, now=now)
        except DomainError as exc:
            result.unreachable[facility.code] = exc.code.value
            continue
        result.notices[facility.code] = sent.notice.pk
    recorded(actor=actor, incident=incident, kind=TimelineKind.NOTIFIED, action="incident_prealert", now=now,
             data={"prealert": True, "radius_km": radius, "notices": result.notices,
                   "unreachable": result.unreachable})
    return result
