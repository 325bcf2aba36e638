"""The receiving hospital's side: the incoming-patient notice (through the notifications app, which escalates it
when nobody acknowledges), a hospital declaring itself full for a category, asking for a diversion, and the
incident's collection points."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jedel.accounts.errors import AccountError
from jedel.accounts.models import Role, ScopeLevel
from jedel.accounts.policy import Principal, Target
from jedel.accounts.services import require
from jedel.common.clock import utcnow
from jedel.common.errors import Conflict, DomainError
from jedel.facilities.models import Facility
from jedel.incidents.errors_distribution import DistributionError
from jedel.incidents.engines import PLAN_CATEGORIES
from jedel.incidents.forms import FINDING_LABELS
from jedel.incidents.models import (
    TRIAGE_CATEGORIES,
    Assignment,
    Casualty,
    CollectionPoint,
    HospitalFull,
    Incident,
    TimelineKind,
)
from jedel.incidents.permissions import MANAGE_INCIDENT, RECEIVE_CASUALTIES
from jedel.incidents.realtime import casualty_changed_publish, distribution_changed_publish
from jedel.incidents.services.records import recorded
from jedel.notifications.models import Delivery, NoticeKind, Priority
from jedel.notifications.services.answers import delivery_answer
from jedel.notifications.services.sending import facility_chain, notice_send

DEFAULT_ACK_TIMEOUT_S = 120  # a casualty 10-30 minutes away: the next person is paged after two minutes


def ack_timeout_s() -> int:
    """Seconds to wait for an acknowledgement at each level (setting JEDEL_INCOMING_ACK_TIMEOUT_S)."""
    return int(getattr(settings, "JEDEL_INCOMING_ACK_TIMEOUT_S", DEFAULT_ACK_TIMEOUT_S))


def incoming_levels(facility: Facility) -> list[list[dict[str, Any]]]:
    """The facility's admissions desk chain (then its region's and NCCEM's desks); without an admissions desk, its
    managers first and its clinicians next."""
    levels = facility_chain(facility.pk, facility.region_id)
    if not any("position" in spec for level in levels for spec in level):
        levels = [[{"role": Role.FACILITY_MANAGER.value, "facility": facility.pk}],
                  [{"role": Role.CLINICIAN.value, "facility": facility.pk}], *levels]
    return levels


def _yes_no(value: object) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return f"{value:g}" if isinstance(value, float) else str(value)


def key_findings(casualty: Casualty) -> str:
    """The last triage's findings and rule, in words (no name, no description)."""
    last = casualty.assessments.order_by("-at", "-pk").first()
    if last is None:
        return ""
    parts = [f"{FINDING_LABELS.get(k, k)}: {_yes_no(v)}" for k, v in last.findings.items()]
    return "; ".join(parts) + (f". {last.rule}" if last.rule else "")  # the rule names its method ("START: …")


def incoming_notice_send(*, actor: Principal, incident: Incident, casualty: Casualty, facility: Facility,
                         now: datetime) -> Any:
    """Tell the receiving hospital a casualty is coming: category, ETA, key findings. Returns the notice, or None
    (on the timeline) when nobody there can be reached.

    Sent on the incident's authority: the coordinator was allowed to assign over the incident, which spans its
    regions, so a coordinator of one affected region may alert a hospital of another.
    """
    category = dict(TRIAGE_CATEGORIES).get(casualty.category, casualty.category)
    eta = timezone.localtime(casualty.eta).strftime("%H:%M") if casualty.eta else "—"
    title = _("Incoming patient %(tag)s: %(category)s, ETA %(eta)s") % {"tag": casualty.tag, "category": category,
                                                                        "eta": eta}
    if incident.is_exercise:
        title = _("EXERCISE — %(title)s") % {"title": title}
    body = "\n".join(filter(None, [
        f"{incident.title}",
        _("Age: %(age)s; sex: %(sex)s.") % {"age": casualty.get_age_band_display(), "sex": casualty.get_sex_display()},
        key_findings(casualty),
        _("Acknowledge here, or ask for a diversion: %(url)s") % {
            "url": reverse("incidents:incoming", args=[incident.pk])}]))
    sender = Principal(label=actor.label, role=Role.NATIONAL_COORDINATOR, scope_level=ScopeLevel.NATIONAL,
                       user_id=actor.user_id)
    levels = incoming_levels(facility)
    try:
        with transaction.atomic():
            result = notice_send(actor=sender, kind=NoticeKind.INCOMING_PATIENT, title=title, body=body,
                                 priority=Priority.EMERGENCY if casualty.category == "immediate" else Priority.URGENT,
                                 levels=levels, ack_timeout_s=[ack_timeout_s()] * len(levels),
                                 facility_id=facility.pk, exercise=incident.is_exercise,
                                 dedupe_key=f"incoming:{casualty.pk}:{facility.pk}",
                                 data={"incident": incident.pk, "tag": casualty.tag, "facility": facility.code,
                                       "category": casualty.category}, now=now)
    except DomainError as exc:
        recorded(actor=actor, incident=incident, casualty=casualty, kind=TimelineKind.NOT_NOTIFIED,
                 action="incident_notify", now=now, facility_id=facility.pk,
                 data={"tag": casualty.tag, "region": facility.code, "code": exc.code.value})
        return None
    recorded(actor=actor, incident=incident, casualty=casualty, kind=TimelineKind.INCOMING_NOTIFIED,
             action="incident_notify", now=now, facility_id=facility.pk,
             data={"tag": casualty.tag, "hospital": facility.code, "notice": result.notice.pk})
    return result.notice


def _facility(code: str) -> Facility:
    facility = Facility.objects.filter(code=code, active=True).first()
    if facility is None:
        raise DomainError(AccountError.UNKNOWN_FACILITY, field="hospital")
    return facility


def hospital_full_set(*, actor: Principal | None, incident_id: int, hospital: str, category: str, full: bool,
                      now: datetime | None = None) -> bool:
    """Declare the hospital full for `category` in this incident (the next plan gives it no place), or lift it.
    Returns whether anything changed."""
    from jedel.incidents.services.distribution import _incident

    incident = _incident(incident_id)
    facility = _facility(hospital)
    require(actor, RECEIVE_CASUALTIES, Target(region_id=facility.region_id, facility_id=facility.pk),
            object_type="facility", object_id=facility.pk)
    assert actor is not None
    if category not in PLAN_CATEGORIES:
        raise DomainError(DistributionError.UNKNOWN_CATEGORY, field="category")
    if incident.status == "closed":
        raise Conflict(DistributionError.NOT_ACTIVE, field="incident")
    now = now or utcnow()
    with transaction.atomic():
        open_rows = HospitalFull.objects.select_for_update().filter(incident=incident, facility=facility,
                                                                    category=category, cleared_at__isnull=True)
        if full == open_rows.exists():
            return False
        if full:
            try:
                with transaction.atomic():
                    HospitalFull.objects.create(incident=incident, facility=facility, category=category,
                                                declared_at=now, declared_by_label=actor.label[:200])
            except IntegrityError:
                return False  # declared at the same moment by a colleague
        else:
            open_rows.update(cleared_at=now)
        recorded(actor=actor, incident=incident, kind=TimelineKind.HOSPITAL_FULL, action=RECEIVE_CASUALTIES.name,
                 now=now, facility_id=facility.pk, data={"hospital": facility.code, "category": category, "full": full})
        distribution_changed_publish(incident, "hospital.full", {"hospital": facility.code, "category": category,
                                                                 "full": full})
    return True


def diversion_request(*, actor: Principal | None, incident_id: int, tag: str, note: str = "",
                      now: datetime | None = None) -> Assignment:
    """The receiving hospital asks for a casualty on its way to go elsewhere: its place is freed for the plan,
    the casualty is planned again, and the hospital's open delivery of the notice is answered (paging stops)."""
    from jedel.incidents.services.casualties import _casualty

    casualty = _casualty(incident_id, tag)
    current = Assignment.objects.filter(casualty=casualty, ended_at__isnull=True).select_related("facility").first()
    if current is None:
        raise Conflict(DistributionError.NOT_ASSIGNED, field="tag")
    require(actor, RECEIVE_CASUALTIES, Target(region_id=current.facility.region_id, facility_id=current.facility_id),
            object_type="casualty", object_id=casualty.pk)
    assert actor is not None
    now = now or utcnow()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update(no_key=True).get(pk=current.pk)
        if assignment.ended_at is not None or casualty.destination_id != assignment.facility_id:
            raise Conflict(DistributionError.NOT_ASSIGNED, field="tag")
        if assignment.diversion_requested_at is not None:
            return assignment
        assignment.diversion_requested_at, assignment.diversion_by_label = now, actor.label[:200]
        assignment.diversion_note = note[:500]
        assignment.save(update_fields=["diversion_requested_at", "diversion_by_label", "diversion_note"])
        recorded(actor=actor, incident=casualty.incident, casualty=casualty, kind=TimelineKind.DIVERSION_REQUESTED,
                 action=RECEIVE_CASUALTIES.name, now=now, facility_id=assignment.facility_id,
                 data={"tag": casualty.tag, "hospital": current.facility.code, "note": note[:500]})
        casualty_changed_publish(casualty, "casualty.diversion")
        open_delivery = Delivery.objects.filter(notice_id=assignment.notice_id, recipient_id=actor.user_id).exclude(
            state__in=["acknowledged", "cannot_respond", "failed", "cancelled"]).values_list("pk", flat=True).first()
        if open_delivery is not None:
            delivery_answer(actor=actor, delivery_id=open_delivery, answer="acknowledged",
                            note=_("Diversion requested: %(note)s") % {"note": note[:400]}, now=now)
    return assignment


def collection_point_add(*, actor: Principal | None, incident_id: int, name: str, lat: float, lon: float,
                         now: datetime | None = None) -> CollectionPoint:
    """A named casualty collection point on the incident's map."""
    from jedel.incidents.services.distribution import _incident

    incident = _incident(incident_id)
    require(actor, MANAGE_INCIDENT, incident, object_type="incident", object_id=incident.pk)
    assert actor is not None
    if incident.status == "closed":
        raise Conflict(DistributionError.NOT_ACTIVE, field="incident")
    now = now or utcnow()
    with transaction.atomic():
        point = CollectionPoint.objects.create(incident=incident, name=name.strip()[:100], lat=lat, lon=lon,
                                               added_at=now, added_by_label=actor.label[:200])
        distribution_changed_publish(incident, "collection_point.added",
                                     {"name": point.name, "lat": point.lat, "lon": point.lon})
    return point
