"""Reads of panic alerts: a console's alerts, buttons, response times, and facilities nobody is watching."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, Q, Value, When

from jedel.accounts.models import ScopeLevel
from jedel.accounts.policy import NATIONAL, Principal, Target
from jedel.accounts.services import require
from jedel.common.errors import DomainError, NotFound
from jedel.facilities.models import Facility
from jedel.security.errors import SecurityError
from jedel.security.models import AlertState, ConsoleHeartbeat, PanicAlert, PanicButton
from jedel.security.permissions import MANAGE_BUTTONS, VIEW_SECURITY, WATCH_PANIC

DEFAULT_CONSOLE_STALE_S = 60  # a console page beats every 15 s: four missed beats and nobody is watching


def console_stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "JEDEL_PANIC_CONSOLE_STALE_S", DEFAULT_CONSOLE_STALE_S)))


def facility_get(facility_id: int, *, field: str | None = None) -> Facility:
    """The facility; unknown: 404 when it was named in the path, 422 on `field` when named in the query."""
    facility = Facility.objects.select_related("region").filter(pk=facility_id).first()
    if facility is None:
        if field:
            raise DomainError(SecurityError.FACILITY_NOT_FOUND, field=field)
        raise NotFound(SecurityError.FACILITY_NOT_FOUND)
    return facility


def console_alerts(viewer: Principal | None, facility_id: int, *, recent: int = 20) -> list[PanicAlert]:
    """Every alert not yet resolved (oldest unacknowledged first), then the latest resolved ones."""
    facility = facility_get(facility_id)
    require(viewer, WATCH_PANIC, facility, object_type="facility", object_id=facility.pk)
    alerts = PanicAlert.objects.filter(facility=facility).select_related("facility", "incident")
    unacknowledged_first = Case(When(state=AlertState.OPEN, then=Value(0)), default=Value(1))
    live = list(alerts.exclude(state=AlertState.RESOLVED).order_by(unacknowledged_first, "pressed_at", "pk"))
    done = list(alerts.filter(state=AlertState.RESOLVED).order_by("-resolved_at", "-pk")[:recent])
    return live + done


def alert_list(viewer: Principal | None, *, facility_id: int, state: str | None = None,
               limit: int = 100) -> list[PanicAlert]:
    facility = facility_get(facility_id, field="facility")
    require(viewer, WATCH_PANIC, facility, object_type="facility", object_id=facility.pk)
    alerts = PanicAlert.objects.filter(facility=facility).select_related("facility")
    if state:
        alerts = alerts.filter(state=state)
    return list(alerts.order_by("-pressed_at", "-pk")[:limit])


def button_list(viewer: Principal | None, *, facility_id: int) -> list[PanicButton]:
    facility = facility_get(facility_id, field="facility")
    require(viewer, MANAGE_BUTTONS, facility, object_type="facility", object_id=facility.pk)
    return list(PanicButton.objects.filter(facility=facility).order_by("location", "pk"))


@dataclass(frozen=True)
class ResponseTimes:
    """Press → acknowledgement and press → resolution of one facility's alerts, in seconds."""

    facility_id: int
    facility_code: str
    alerts: int
    unacknowledged: int
    ack_median_s: float | None
    ack_mean_s: float | None
    ack_max_s: float | None
    resolve_median_s: float | None
    resolve_mean_s: float | None
    resolve_max_s: float | None


def _summary(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    return float(statistics.median(values)), round(statistics.fmean(values), 1), max(values)


def own_target(viewer: Principal) -> Target:
    if viewer.facility_id is not None:
        region = Facility.objects.filter(pk=viewer.facility_id).values_list("region_id", flat=True).first()
        return Target(region_id=region, facility_id=viewer.facility_id)
    if viewer.region_id is not None:
        return Target(region_id=viewer.region_id)
    return NATIONAL


def scoped_facilities(viewer: Principal | None, *, facility_id: int | None = None,
                      region_id: int | None = None):  # type: ignore[no-untyped-def]
    """Facilities a security read covers: the one asked for, else those of the region asked for, else the
    viewer's own scope; each checked against VIEW_SECURITY."""
    if facility_id is not None:
        facility = facility_get(facility_id, field="facility")
        require(viewer, VIEW_SECURITY, facility, object_type="facility", object_id=facility.pk)
        return Facility.objects.filter(pk=facility.pk)
    if region_id is not None:
        require(viewer, VIEW_SECURITY, Target(region_id=region_id), object_type="region", object_id=region_id)
        return Facility.objects.filter(region_id=region_id, active=True)
    require(viewer, VIEW_SECURITY, own_target(viewer) if viewer else NATIONAL, object_type="scope")
    assert viewer is not None
    if viewer.scope_level == ScopeLevel.FACILITY:
        return Facility.objects.filter(pk=viewer.facility_id)
    if viewer.scope_level == ScopeLevel.REGION:
        return Facility.objects.filter(region_id=viewer.region_id, active=True)
    return Facility.objects.filter(active=True)


def response_times(viewer: Principal | None, *, since: datetime, until: datetime, facility_id: int | None = None,
                   region_id: int | None = None) -> list[ResponseTimes]:
    """Per facility with alerts pressed in [since, until): how fast they were acknowledged and resolved."""
    facilities = scoped_facilities(viewer, facility_id=facility_id, region_id=region_id)
    rows = (PanicAlert.objects.filter(facility__in=facilities, pressed_at__gte=since, pressed_at__lt=until)
            .values_list("facility_id", "facility__code", "pressed_at", "acknowledged_at", "resolved_at"))
    grouped: dict[int, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    result = []
    for fid, items in sorted(grouped.items(), key=lambda kv: kv[1][0][1]):
        acks = [(a - p).total_seconds() for _, _, p, a, _ in items if a is not None]
        resolves = [(r - p).total_seconds() for _, _, p, _, r in items if r is not None]
        result.append(ResponseTimes(fid, items[0][1], len(items), len(items) - len(acks), *_summary(acks),
                                    *_summary(resolves)))
    return result


@dataclass(frozen=True)
class Unwatched:
    facility: Facility
    last_seen_at: datetime | None  # the newest heartbeat of any console; None = never watched


def unwatched_facilities(viewer: Principal | None, *, now: datetime, region_id: int | None = None) -> list[Unwatched]:
    """Facilities with live panic buttons whose security console nobody has had open recently."""
    facilities = scoped_facilities(viewer, region_id=region_id).filter(
        panic_buttons__isnull=False, panic_buttons__revoked_at__isnull=True).distinct().select_related("region").order_by("code")
    last = {}
    for fid, at in ConsoleHeartbeat.objects.filter(facility__in=facilities).values_list("facility_id", "last_seen_at"):
        last[fid] = max(at, last.get(fid, at))
    cutoff = now - console_stale_after()
    return [Unwatched(f, last.get(f.pk)) for f in facilities if last.get(f.pk) is None or last[f.pk] < cutoff]


def open_alert_count(facility_ids: list[int]) -> dict[int, int]:
    """Unacknowledged alerts per facility (no check: callers pass facilities already checked)."""
    counts: dict[int, int] = {}
    for fid in PanicAlert.objects.filter(Q(facility_id__in=facility_ids), state=AlertState.OPEN).values_list(
            "facility_id", flat=True):
        counts[fid] = counts.get(fid, 0) + 1
    return counts


def console_facilities(viewer: Principal | None) -> list[Facility]:
    """Facilities in the viewer's scope that have panic buttons: the consoles one may open."""
    return list(scoped_facilities(viewer).filter(panic_buttons__isnull=False).distinct().order_by("code")[:200])


def panic_locations(facility_id: int) -> list[str]:
    """Where the facility's live buttons are: the panic page's suggestions (place names, nothing personal)."""
    return list(PanicButton.objects.filter(facility_id=facility_id, revoked_at__isnull=True)
                .order_by("location").values_list("location", flat=True).distinct())


def posture_get(viewer: Principal | None, facility_id: int):  # type: ignore[no-untyped-def]
    """The facility's posture (None when never recorded) with its live buttons."""
    from jedel.security.models import SecurityPosture

    facility = facility_get(facility_id)
    require(viewer, VIEW_SECURITY, facility, object_type="facility", object_id=facility.pk)
    posture = SecurityPosture.objects.filter(facility=facility).first()
    return facility, posture, list(PanicButton.objects.filter(facility=facility, revoked_at__isnull=True)
                                   .order_by("location", "pk"))
