"""Pages: a facility's security console (live alarms), the staff panic page, and the security overview."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.common.realtime.selectors import stream_head
from jedel.common.views import domain_error_page
from jedel.security import selectors
from jedel.security.compliance import compliance_by_region, compliance_facilities, compliance_trend
from jedel.security.models import AlertOutcome
from jedel.security.realtime import STREAM
from jedel.security.services.consoles import console_heartbeat
from jedel.security.services.panic import panic_acknowledge, panic_press_staff, panic_resolve

HEARTBEAT_S = 15


@login_required
def console_page(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The facility's security console: every alert not yet resolved, live, with sound."""
    viewer = principal_for_user(request.user)
    seq = stream_head(STREAM)  # before the state: an alarm raised in between arrives as an event
    try:
        facility = selectors.facility_get(facility_id)
        alerts = selectors.console_alerts(viewer, facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    context = {"facility": facility, "alerts": alerts, "seq": seq, "heartbeat_s": HEARTBEAT_S,
               "outcomes": AlertOutcome.choices}
    if request.headers.get("HX-Request"):
        return render(request, "security/partials/console_alerts.html", context)
    return render(request, "security/console.html", context)


@login_required
@require_POST
def heartbeat_action(request: HttpRequest, facility_id: int) -> HttpResponse:
    try:
        console_heartbeat(actor=principal_for_user(request.user), facility_id=facility_id)
    except DomainError as exc:
        return HttpResponse(status=exc.status)
    return HttpResponse(status=204)


@login_required
@require_POST
def acknowledge_action(request: HttpRequest, facility_id: int, alert_id: int) -> HttpResponse:
    try:
        panic_acknowledge(actor=principal_for_user(request.user), alert_id=alert_id)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    return redirect("security:console", facility_id=facility_id)


@login_required
@require_POST
def resolve_action(request: HttpRequest, facility_id: int, alert_id: int) -> HttpResponse:
    raw_incident = request.POST.get("incident", "").strip()
    try:
        panic_resolve(actor=principal_for_user(request.user), alert_id=alert_id,
                      outcome=request.POST.get("outcome", ""), note=request.POST.get("note", "")[:500],
                      incident_id=int(raw_incident) if raw_incident.isdigit() else None)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    return redirect("security:console", facility_id=facility_id)


@login_required
def panic_page(request: HttpRequest) -> HttpResponse:
    """One big button for staff at their own facility (phone or PC); says where, sends, confirms."""
    viewer = principal_for_user(request.user)
    facility_id = viewer.facility_id if viewer else None
    if facility_id is None:
        return render(request, "security/panic.html", {"no_facility": True})
    locations = selectors.panic_locations(facility_id)
    sent = None
    if request.method == "POST":
        try:
            sent = panic_press_staff(actor=viewer, facility_id=facility_id,
                                     location=request.POST.get("location", "")[:120]).alert
        except DomainError as exc:
            messages.error(request, str(exc.detail))
    return render(request, "security/panic.html", {"locations": locations, "sent": sent})


@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    """Consoles nobody is watching and response times, within the viewer's scope."""
    viewer = principal_for_user(request.user)
    now = utcnow()
    try:
        unwatched = selectors.unwatched_facilities(viewer, now=now)
        times = selectors.response_times(viewer, since=now - timedelta(days=30), until=now)
        consoles = selectors.console_facilities(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "security/overview.html", {"unwatched": unwatched, "times": times,
                                                      "consoles": consoles,
                                                      "title": _("Security")})


def _gap_labels() -> list[tuple[str, str]]:
    return [("no_posture", _("Posture not recorded")), ("no_post", _("No 24/7 post")),
            ("no_cctv", _("No CCTV over the ER")), ("no_buttons", _("No panic buttons")),
            ("buttons_untested", _("Buttons not tested in 90 days"))]


@login_required
def compliance_page(request: HttpRequest) -> HttpResponse:
    """Mandated facilities and what they lack: map and table by region, within the viewer's scope."""
    viewer = principal_for_user(request.user)
    try:
        rows = compliance_facilities(viewer, now=utcnow())
        trend = compliance_trend(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    regions, total = compliance_by_region(rows)
    labels = dict(_gap_labels())
    lacking = [{"facility": r.facility, "gap_labels": [labels[g] for g in r.gaps]} for r in rows if r.gaps]
    config = {"dataUrl": reverse("api:get_security_compliance"), "geojsonUrl": reverse("board:regions_geojson"),
              "i18n": {"boundaries": _("Boundaries © OpenStreetMap contributors (ODbL)"), "noData": _("no data"),
                       "compliant": _("compliant")}}
    return render(request, "security/compliance.html", {"regions": regions, "total": total, "lacking": lacking,
                                                        "gap_labels": _gap_labels(), "config": config,
                                                        "trend": trend})
