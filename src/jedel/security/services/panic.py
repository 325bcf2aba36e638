"""Panic buttons and alerts: register and revoke buttons, a press (device or panic page), acknowledge, resolve.

A press is stored first: the alert and its console event commit together in one short transaction and are
pushed at once; the page to the facility's security (notifications app, dozens of rows) follows in a second
transaction, so the console never waits for it. A server that dies in between loses nothing: the console
replays the stored event, and `pages_ensure` (a periodic job of the notifications worker) pages every open alert
left unpaged, timed from its press. Repeated presses of one device within JEDEL_PANIC_DUPLICATE_S seconds
(default 10) of its previous press are counted on the same open alert.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.common.realtime.publish import publish
from jedel.common.realtime.wire import format_at
from jedel.facilities.models import Facility
from jedel.security.errors import SecurityError
from jedel.security.models import AlertOutcome, AlertSource, AlertState, PanicAlert, PanicButton, PanicDenial
from jedel.security.models_registry import ViolenceIncident
from jedel.security.permissions import ANSWER_PANIC, MANAGE_BUTTONS, RAISE_PANIC, WATCH_PANIC
from jedel.security.realtime import STREAM
from jedel.security.services.paging import page_send, page_stop
from jedel.security.services.posture import managed_button

log = logging.getLogger(__name__)
TOKEN_PREFIX = "jpb_"
DEFAULT_DUPLICATE_S = 10


def duplicate_window() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "JEDEL_PANIC_DUPLICATE_S", DEFAULT_DUPLICATE_S)))


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _facility(facility_id: int) -> Facility:
    facility = Facility.objects.filter(pk=facility_id, active=True).first()
    if facility is None:
        raise NotFound(SecurityError.FACILITY_NOT_FOUND, field="facility")
    return facility


def button_create(*, actor: Principal | None, facility_id: int, location: str,
                  now: datetime | None = None) -> tuple[PanicButton, str]:
    """Register a button; returns it with its device secret, shown once and never stored."""
    facility = _facility(facility_id)
    require(actor, MANAGE_BUTTONS, facility, object_type="facility", object_id=facility.pk)
    assert actor is not None
    location = location.strip()
    if not location:
        raise DomainError(SecurityError.LOCATION_REQUIRED, field="location")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(24)
    now = now or utcnow()
    with transaction.atomic():
        button = PanicButton.objects.create(facility=facility, location=location[:120], token_prefix=raw[:12],
                                            token_digest=_digest(raw), created_at=now,
                                            created_by_label=actor.label[:200])
        audit_record(actor=actor, action=MANAGE_BUTTONS.name, object_type="panic_button", object_id=button.pk,
                     region_id=facility.region_id, facility_id=facility.pk, now=now,
                     changes={"created": button.location, "prefix": button.token_prefix})
    return button, raw


def button_revoke(*, actor: Principal | None, button_id: int, now: datetime | None = None) -> PanicButton:
    """Revoke a button's secret: its presses are refused from now on (a revoked button stays revoked)."""
    button = managed_button(actor, button_id)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        if PanicButton.objects.filter(pk=button.pk, revoked_at__isnull=True).update(revoked_at=now):
            audit_record(actor=actor, action=MANAGE_BUTTONS.name, object_type="panic_button", object_id=button.pk,
                         region_id=button.facility.region_id, facility_id=button.facility_id, now=now,
                         changes={"revoked": button.location})
    button.refresh_from_db()
    return button


def device_button(raw: str, *, remote_addr: str = "", now: datetime | None = None) -> PanicButton | None:
    """The live button a device secret belongs to; None (and the refusal logged) when unknown or revoked."""
    raw = (raw or "").strip()
    button = PanicButton.objects.select_related("facility").filter(token_digest=_digest(raw)).first() if raw else None
    if button is not None and button.revoked_at is None:
        return button
    reason = PanicDenial.Reason.MISSING if not raw else (
        PanicDenial.Reason.REVOKED if button is not None else PanicDenial.Reason.UNKNOWN)
    PanicDenial.objects.create(at=now or utcnow(), reason=reason, token_prefix=raw[:12], button=button,
                               remote_addr=remote_addr[:64])
    log.warning("panic press refused: %s token %r from %s", reason, raw[:12], remote_addr)
    return None


@dataclass(frozen=True)
class PressResult:
    alert: PanicAlert
    duplicate: bool  # True: counted on an open alert of the same device pressed moments before


def alert_payload(alert: PanicAlert) -> dict[str, Any]:
    """What a console needs to show and sound an alert (no personal data)."""
    return {"alert": alert.pk, "facility": alert.facility_id, "location": alert.location, "state": alert.state,
            "pressed_at": format_at(alert.pressed_at), "presses": alert.presses, "source": alert.source,
            "acknowledged_by": alert.acknowledged_by_label, "outcome": alert.outcome}


def _announce(alert: PanicAlert, kind: str, now: datetime) -> None:
    publish(STREAM, kind, alert_payload(alert), read_action=WATCH_PANIC.name, region_id=alert.facility.region_id,
            facility_id=alert.facility_id, now=now)


def panic_press_device(*, button: PanicButton, now: datetime | None = None) -> PressResult:
    """A press of an authenticated button (see device_button)."""
    now = now or utcnow()
    with transaction.atomic():
        locked = PanicButton.objects.select_for_update(of=("self",)).select_related("facility").get(pk=button.pk)
        PanicButton.objects.filter(pk=locked.pk).update(presses=F("presses") + 1, last_press_at=now)
        recent = (PanicAlert.objects.select_for_update(of=("self",)).select_related("facility")
                  .filter(button=locked, state=AlertState.OPEN, last_press_at__gte=now - duplicate_window())
                  .order_by("-last_press_at").first())
        if recent is not None:
            recent.presses += 1
            recent.last_press_at = max(recent.last_press_at, now)
            recent.save(update_fields=["presses", "last_press_at"])
            _announce(recent, "panic.pressed_again", now)
            return PressResult(recent, duplicate=True)
        alert = _raise(locked.facility, location=locked.location, source=AlertSource.DEVICE, button=locked,
                       label=f"button:{locked.token_prefix}", user_id=None, now=now)
    return PressResult(alert_page(alert.pk), duplicate=False)


def panic_press_staff(*, actor: Principal | None, facility_id: int, location: str,
                      now: datetime | None = None) -> PressResult:
    """A press on the panic page by a signed-in member of the facility's staff."""
    facility = _facility(facility_id)
    require(actor, RAISE_PANIC, facility, object_type="facility", object_id=facility.pk)
    assert actor is not None
    location = location.strip()
    if not location:
        raise DomainError(SecurityError.LOCATION_REQUIRED, field="location")
    now = now or utcnow()
    with transaction.atomic():
        alert = _raise(facility, location=location[:120], source=AlertSource.STAFF_PAGE, button=None,
                       label=actor.label, user_id=actor.user_id, now=now)
        audit_record(actor=actor, action=RAISE_PANIC.name, object_type="panic_alert", object_id=alert.pk,
                     region_id=facility.region_id, facility_id=facility.pk, now=now)
    return PressResult(alert_page(alert.pk), duplicate=False)


def _raise(facility: Facility, *, location: str, source: str, button: PanicButton | None, label: str,
           user_id: int | None, now: datetime) -> PanicAlert:
    alert = PanicAlert.objects.create(facility=facility, button=button, location=location, source=source,
                                      raised_by_id=user_id, raised_by_label=label[:200], pressed_at=now,
                                      last_press_at=now)
    _announce(alert, "panic.raised", now)  # last: the stream head stays locked until commit
    return alert


def alert_page(alert_id: int) -> PanicAlert:
    """Page an open alert's first level unless it was paged already (own transaction, after the alert's).

    The page is timed from the press, so escalation keeps the 30 s / 60 s from the press even when a sweep sends
    it late; an alert acknowledged or resolved meanwhile is marked paged without paging anyone.
    """
    with transaction.atomic():
        alert = _alert_locked(alert_id)
        if alert.paged_at is None:
            alert.paged_at = utcnow()
            if alert.state == AlertState.OPEN:
                alert.notice = page_send(alert, alert.pressed_at)
            alert.save(update_fields=["paged_at", "notice"])
    return alert


PAGE_GRACE_S = 5  # an alert younger than this is still being paged by the request that raised it


def pages_ensure(now: datetime) -> int:
    """Periodic job: page every open alert left unpaged (its server died between the two transactions)."""
    due = list(PanicAlert.objects.filter(paged_at__isnull=True, state=AlertState.OPEN,
                                         pressed_at__lte=now - timedelta(seconds=PAGE_GRACE_S))
               .order_by("pressed_at").values_list("pk", flat=True)[:100])
    return sum(alert_page(pk).notice_id is not None for pk in due)


def _alert_locked(alert_id: int) -> PanicAlert:
    alert = PanicAlert.objects.select_for_update(of=("self",)).select_related("facility").filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(SecurityError.ALERT_NOT_FOUND)
    return alert


def _alert(alert_id: int) -> PanicAlert:
    alert = PanicAlert.objects.select_related("facility").filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(SecurityError.ALERT_NOT_FOUND)
    return alert


def panic_acknowledge(*, actor: Principal | None, alert_id: int, now: datetime | None = None) -> PanicAlert:
    """Take the alert: paging stops. Acknowledging again by the same person changes nothing; by another, 409."""
    require(actor, ANSWER_PANIC, _alert(alert_id), object_type="panic_alert", object_id=alert_id)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        alert = _alert_locked(alert_id)
        if alert.state != AlertState.OPEN:
            if alert.acknowledged_by_label == actor.label:
                return alert
            raise Conflict(SecurityError.ALREADY_ACKNOWLEDGED,
                           detail=f"{SecurityError.ALREADY_ACKNOWLEDGED.message} ({alert.acknowledged_by_label})")
        alert.state, alert.acknowledged_at, alert.acknowledged_by_label = AlertState.ACKNOWLEDGED, now, actor.label
        alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by_label"])
        page_stop(alert, actor, now)
        audit_record(actor=actor, action=ANSWER_PANIC.name, object_type="panic_alert", object_id=alert.pk,
                     region_id=alert.facility.region_id, facility_id=alert.facility_id, now=now,
                     changes={"state": "acknowledged"})
        _announce(alert, "panic.acknowledged", now)
    return alert


def alert_taken_from_inbox(notice: Any, actor: Principal, now: datetime) -> None:
    """The alert's page was acknowledged in someone's inbox (registered with notifications' `on_acknowledged`):
    the alert is acknowledged as on the console, and the console shows it. Inside that transaction; an alert
    being acknowledged on the console at this very moment is left to it (skip_locked), never waited for — the
    console locks the alert before the notice, this hook the other way round."""
    alert_id = (notice.data or {}).get("panic_alert")
    if alert_id is None:
        return
    alert = (PanicAlert.objects.select_for_update(of=("self",),
                                                  skip_locked=connection.features.has_select_for_update_skip_locked)
             .select_related("facility").filter(pk=alert_id, state=AlertState.OPEN).first())
    if alert is None:
        return  # taken already
    alert.state, alert.acknowledged_at, alert.acknowledged_by_label = AlertState.ACKNOWLEDGED, now, actor.label
    alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by_label"])
    audit_record(actor=actor, action=ANSWER_PANIC.name, object_type="panic_alert", object_id=alert.pk,
                 region_id=alert.facility.region_id, facility_id=alert.facility_id, now=now,
                 changes={"state": "acknowledged", "from": "inbox"})
    _announce(alert, "panic.acknowledged", now)


def panic_resolve(*, actor: Principal | None, alert_id: int, outcome: str, note: str = "",
                  incident_id: int | None = None, now: datetime | None = None) -> PanicAlert:
    """Close the alert with its outcome; "incident recorded" links the registry entry. An open alert is
    acknowledged by the same act (the responder is there)."""
    require(actor, ANSWER_PANIC, _alert(alert_id), object_type="panic_alert", object_id=alert_id)
    assert actor is not None
    if outcome not in AlertOutcome.values:
        raise DomainError(SecurityError.BAD_OUTCOME, field="outcome")
    incident = None
    if outcome == AlertOutcome.INCIDENT_RECORDED:
        if incident_id is None:
            raise DomainError(SecurityError.INCIDENT_REQUIRED, field="incident")
        incident = ViolenceIncident.objects.filter(pk=incident_id).first()
        if incident is None:
            raise DomainError(SecurityError.INCIDENT_NOT_FOUND, field="incident")
    now = now or utcnow()
    with transaction.atomic():
        alert = _alert_locked(alert_id)
        if incident is not None and incident.facility_id != alert.facility_id:
            raise DomainError(SecurityError.DIFFERENT_FACILITY, field="incident")
        if alert.state == AlertState.RESOLVED:
            raise Conflict(SecurityError.ALREADY_RESOLVED)
        if alert.state == AlertState.OPEN:
            alert.acknowledged_at, alert.acknowledged_by_label = now, actor.label
            page_stop(alert, actor, now)
        alert.state, alert.resolved_at, alert.resolved_by_label = AlertState.RESOLVED, now, actor.label
        alert.outcome, alert.note, alert.incident = outcome, note.strip()[:500], incident
        alert.save()
        audit_record(actor=actor, action=ANSWER_PANIC.name, object_type="panic_alert", object_id=alert.pk,
                     region_id=alert.facility.region_id, facility_id=alert.facility_id, now=now,
                     changes={"state": "resolved", "outcome": outcome, "incident": incident_id})
        _announce(alert, "panic.resolved", now)
    return alert
