"""Training pages: the training report (per region and facility, required competencies), sessions with their
participants and certificates, the personnel reserve, and each region's designated hospital coordinators."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import NATIONAL, Principal, Target, allowed, principal_for_user
from jedel.common import clock
from jedel.common.errors import DomainError, ValidationFailed
from jedel.common.views import domain_error_page
from jedel.facilities.models import Facility
from jedel.geo.models import Region
from jedel.preparedness import selectors_training as reads
from jedel.preparedness.errors import PrepError
from jedel.preparedness.models import Competency, Course, ReserveMember
from jedel.preparedness.permissions import (
    MANAGE_COURSES, MANAGE_REGION_COORDINATORS, MANAGE_RESERVE, MANAGE_TRAINING,
)
from jedel.preparedness.services.reserve import coordinators_set, reserve_add, reserve_update
from jedel.preparedness.services.training import (
    CertificateInput, ParticipantInput, certificates_issue, course_create, session_create,
)


def _today() -> date:
    return timezone.localdate(clock.utcnow())


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _int(raw: str | None) -> int | None:
    """A row id typed in a form or query string; None when it is not one (too large ids included)."""
    return int(raw) if raw and raw.isdigit() and len(raw) <= 18 else None


def _facilities(viewer: Principal, action: Any) -> list[Facility]:
    """Facilities the viewer may act on (offered in forms; the service decides for real)."""
    rows = Facility.objects.filter(active=True).select_related("region").order_by("region__iso_code", "name_en")
    if viewer.facility_id is not None:
        rows = rows.filter(pk=viewer.facility_id)
    elif viewer.region_id is not None:
        rows = rows.filter(region_id=viewer.region_id)
    return [f for f in rows[:2000] if allowed(viewer, action, f)]


@login_required
def training_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    region_id = _int(request.GET.get("region"))
    try:
        report = reads.training_report(viewer, _today(), region_id=region_id)
        sessions = reads.session_list(viewer, region_id=region_id)
        coordinators = reads.coordinator_list(viewer, region_id=region_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    regions = Region.objects.order_by("iso_code")
    return render(request, "preparedness/training.html", {
        "report": report, "sessions": sessions[:100], "coordinators": coordinators, "region_id": region_id,
        "competencies": dict(Competency.choices), "courses": Course.objects.all(),
        "hosts": _facilities(viewer, MANAGE_TRAINING), "can_add_course": allowed(viewer, MANAGE_COURSES, NATIONAL),
        "coordinator_regions": [r for r in regions if allowed(viewer, MANAGE_REGION_COORDINATORS,
                                                              Target(region_id=r.pk))],
        "competency_choices": Competency.choices, "kinds": Course.Kind.choices, "today": _today()})


def _people(raw: str, facility_id: int | None) -> list[ParticipantInput]:
    """One participant a line: "name; job role" (the role may be left out)."""
    out = []
    for line in raw.splitlines()[:500]:
        name, _sep, role = line.partition(";")
        if name.strip():
            out.append(ParticipantInput(name.strip()[:200], role.strip()[:150], facility_id))
    return out


def _fail(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        for e in exc.errors[:5]:
            messages.error(request, str(e["msg"]))
    else:
        messages.error(request, str(exc.detail))


@login_required
@require_POST
def session_create_action(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    starts, ends = _date(request.POST.get("starts_on", "")), _date(request.POST.get("ends_on", ""))
    facility_id = _int(request.POST.get("facility"))
    try:
        if starts is None or ends is None:
            raise DomainError(PrepError.SESSION_DATES, field="starts_on")
        session = session_create(actor=viewer, course_id=_int(request.POST.get("course")) or 0,
                                 facility_id=facility_id, starts_on=starts, ends_on=ends,
                                 location=request.POST.get("location", "")[:300],
                                 trainer=request.POST.get("trainer", "")[:200],
                                 participants=_people(request.POST.get("participants", ""), facility_id))
    except DomainError as exc:
        _fail(request, exc)
        return redirect("preparedness:training")
    messages.success(request, _("The session is recorded."))
    return redirect("preparedness:session", session_id=session.pk)


@login_required
@require_POST
def course_create_action(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        course_create(actor=viewer, code=request.POST.get("code", "")[:32], title=request.POST.get("title", "")[:300],
                      kind=request.POST.get("kind", ""), competency=request.POST.get("competency", ""),
                      validity_months=_int(request.POST.get("validity_months")))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("preparedness:training")


@login_required
def session_page(request: HttpRequest, session_id: int, errors: dict[int, str] | None = None,
                 status: int = 200) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        session = reads.session_get(viewer, session_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    people = list(session.participants.select_related("certificate", "facility"))
    rows = [{"p": p, "cert": getattr(p, "certificate", None), "error": (errors or {}).get(p.pk, "")} for p in people]
    return render(request, "preparedness/session.html", {
        "s": session, "rows": rows, "can_manage": allowed(viewer, MANAGE_TRAINING, session), "today": _today()},
        status=status)


@login_required
@require_POST
def certificates_action(request: HttpRequest, session_id: int) -> HttpResponse:
    """Certificates for the participants whose number is filled in; a bad row marks its participant."""
    viewer = principal_for_user(request.user)
    inputs: list[CertificateInput] = []
    errors: dict[int, str] = {}
    for key in request.POST:
        if not key.startswith("number:"):
            continue
        pid = _int(key.split(":", 1)[1])
        number = request.POST.get(key, "").strip()
        if pid is None or not number:
            continue
        issued = _date(request.POST.get(f"issued_on:{pid}", ""))
        raw_expiry = request.POST.get(f"expires_on:{pid}", "").strip()
        expires = _date(raw_expiry) if raw_expiry else None
        if issued is None or (raw_expiry and expires is None):
            errors[pid] = _("Enter the dates as shown (year-month-day).")
            continue
        inputs.append(CertificateInput(pid, number[:64], issued, expires))
    try:
        if errors:
            raise ValidationFailed(PrepError.INVALID, [])
        if inputs:
            certificates_issue(actor=viewer, session_id=session_id, certificates=inputs)
    except ValidationFailed as exc:
        for e in exc.errors:
            loc = e.get("loc", [])
            if len(loc) > 1 and isinstance(loc[1], int):
                errors[inputs[loc[1]].participant_id] = str(e["msg"])
        messages.error(request, _("Nothing was saved: correct the marked rows."))
        return session_page(request, session_id, errors=errors, status=422)
    except DomainError as exc:
        return domain_error_page(request, exc)
    messages.success(request, _("Certificates saved."))
    return redirect("preparedness:session", session_id=session_id)


@login_required
def reserve_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    competency = request.GET.get("competency") or None
    availability = request.GET.get("availability") or None
    try:
        if competency is not None and competency not in Competency.values:
            competency = None
        if availability is not None and availability not in ReserveMember.Availability.values:
            availability = None
        members = reads.reserve_list(viewer, region_id=_int(request.GET.get("region")), competency=competency,
                                     availability=availability)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "preparedness/reserve.html", {
        "members": members, "competency": competency or "", "availability": availability or "",
        "competencies": Competency.choices, "labels": dict(Competency.choices),
        "availabilities": ReserveMember.Availability.choices, "homes": _facilities(viewer, MANAGE_RESERVE),
        "can_manage": {m.pk for m in members if allowed(viewer, MANAGE_RESERVE, m)}})


@login_required
@require_POST
def reserve_add_action(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        reserve_add(actor=viewer, facility_id=_int(request.POST.get("facility")) or 0,
                    name=request.POST.get("name", "")[:200], profession=request.POST.get("profession", "")[:150],
                    competencies=request.POST.getlist("competencies")[:20], phone=request.POST.get("phone", "")[:40],
                    availability=request.POST.get("availability", "available"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("preparedness:reserve")


@login_required
@require_POST
def reserve_update_action(request: HttpRequest, member_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        reserve_update(actor=viewer, member_id=member_id, version=_int(request.POST.get("version")) or 0,
                       availability=request.POST.get("availability"))
    except DomainError as exc:
        if exc.status in (403, 404):
            return domain_error_page(request, exc)
        _fail(request, exc)
    return redirect("preparedness:reserve")


@login_required
@require_POST
def coordinators_action(request: HttpRequest) -> HttpResponse:
    """One person a line, the coordinator first: "name; phone; e-mail"."""
    viewer = principal_for_user(request.user)
    people = []
    for line in request.POST.get("people", "").splitlines()[:10]:
        name, phone, email = ([*(x.strip() for x in line.split(";")), "", ""])[:3]
        people.append({"name": name[:200], "phone": phone[:40], "email": email[:200]})
    try:
        coordinators_set(actor=viewer, region_id=_int(request.POST.get("region")) or 0, people=people)
    except DomainError as exc:
        if exc.status in (403, 404):
            return domain_error_page(request, exc)
        _fail(request, exc)
    return redirect("preparedness:training")
