"""A facility's security posture (post, cameras, body cameras, audits) and panic-button tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction

from jedel.accounts.policy import Principal
from jedel.accounts.services import audit_record, require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError, NotFound
from jedel.facilities.models import Facility
from jedel.security.errors import SecurityError
from jedel.security.models import PanicButton, SecurityPosture
from jedel.security.permissions import EDIT_POSTURE, MANAGE_BUTTONS


@dataclass(frozen=True)
class PostureInput:
    post_24_7: bool
    cctv_cameras: int
    er_cctv_covered: bool
    body_cameras: int
    staff_count: int | None = None
    last_audit_on: date | None = None
    audit_findings: str = ""
    alert_region_at_once: bool = False


def posture_save(*, actor: Principal | None, facility_id: int, version: int, data: PostureInput,
                 now: datetime | None = None) -> SecurityPosture:
    """Create (version 0) or replace (the version read) a facility's posture; a stale version is refused (409)."""
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise NotFound(SecurityError.FACILITY_NOT_FOUND)
    require(actor, EDIT_POSTURE, facility, object_type="facility", object_id=facility.pk)
    assert actor is not None
    now = now or utcnow()
    if data.cctv_cameras < 0 or data.body_cameras < 0 or (data.staff_count is not None and data.staff_count < 0):
        raise DomainError(SecurityError.INVALID, field="cctv_cameras")
    if data.last_audit_on is not None and data.last_audit_on > now.date():
        raise DomainError(SecurityError.INVALID, field="last_audit_on")
    fields = {"post_24_7": data.post_24_7, "cctv_cameras": data.cctv_cameras, "er_cctv_covered": data.er_cctv_covered,
              "body_cameras": data.body_cameras, "staff_count": data.staff_count, "last_audit_on": data.last_audit_on,
              "audit_findings": data.audit_findings[:5000], "alert_region_at_once": data.alert_region_at_once,
              "updated_by_label": actor.label[:200]}
    with transaction.atomic():
        if version == 0:
            try:
                with transaction.atomic():
                    posture = SecurityPosture.objects.create(facility=facility, **fields)
            except IntegrityError:
                raise Conflict(SecurityError.STALE_VERSION, field="version") from None
        else:
            if not SecurityPosture.objects.filter(facility=facility, version=version).update(
                    **fields, version=version + 1, updated_at=now):
                raise Conflict(SecurityError.STALE_VERSION, field="version")
            posture = SecurityPosture.objects.get(facility=facility)
        audit_record(actor=actor, action=EDIT_POSTURE.name, object_type="security_posture", object_id=posture.pk,
                     region_id=facility.region_id, facility_id=facility.pk, now=now,
                     changes={k: str(v)[:60] for k, v in fields.items() if k != "audit_findings"})
    return posture


def managed_button(actor: Principal | None, button_id: int) -> PanicButton:
    """The button (404 when none) once `actor` may manage its facility's buttons (403 otherwise)."""
    button = PanicButton.objects.select_related("facility").filter(pk=button_id).first()
    if button is None:
        raise NotFound(SecurityError.BUTTON_NOT_FOUND)
    require(actor, MANAGE_BUTTONS, button, object_type="panic_button", object_id=button.pk)
    return button


def button_tested(*, actor: Principal | None, button_id: int, now: datetime | None = None) -> PanicButton:
    """Record that a button was tested now (the compliance dashboard flags buttons not tested for 90 days)."""
    button = managed_button(actor, button_id)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        PanicButton.objects.filter(pk=button.pk).update(last_tested_at=now)
        audit_record(actor=actor, action=MANAGE_BUTTONS.name, object_type="panic_button", object_id=button.pk,
                     region_id=button.facility.region_id, facility_id=button.facility_id, now=now,
                     changes={"tested": button.location})
    button.refresh_from_db()
    return button
