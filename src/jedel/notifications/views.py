"""Pages: my notices (inbox), a notice's page (who got it, read it, acted, and when), sent notices, sending a
notice to a hospital, duty rosters and alerting statistics."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Action, Principal, allowed, principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.common.realtime.selectors import stream_head
from jedel.common.views import domain_error_page
from jedel.facilities.models import Facility
from jedel.notifications.forms import FacilityNoticeForm
from jedel.notifications.models import Notice
from jedel.notifications.permissions import SEND_NOTICE, VIEW_NOTICE_LOG
from jedel.notifications.realtime import INBOX, STREAM
from jedel.notifications.selectors import notices as reads
from jedel.notifications.selectors.recipients import own_scope
from jedel.notifications.selectors.rosters import roster_now
from jedel.notifications.selectors.stats import ack_statistics
from jedel.notifications.services.answers import delivery_answer
from jedel.notifications.services.sending import facility_chain, notice_send


def _may(viewer: Principal | None, action: Action) -> bool:
    """Whether to offer a link or button (the selectors and services decide for real)."""
    return viewer is not None and allowed(viewer, action, own_scope(viewer))



@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices; showing one on screen is its delivery receipt."""
    viewer = principal_for_user(request.user)
    seq = stream_head(INBOX, request.user.pk)  # read before the state, so live events after it are not missed
    try:
        rows = reads.inbox(viewer)
        for delivery in rows:
            if delivery.state == "sent":
                delivery_answer(actor=viewer, delivery_id=delivery.pk, answer="delivered")
                delivery.state = "delivered"
    except DomainError as exc:
        return domain_error_page(request, exc)
    template = "notifications/partials/inbox_list.html" if request.headers.get("HX-Request") else "notifications/inbox.html"
    return render(request, template, {"rows": rows, "seq": seq, "can_view_log": _may(viewer, VIEW_NOTICE_LOG)})


@login_required
@require_POST
def answer_action(request: HttpRequest, delivery_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        delivery = delivery_answer(actor=viewer, delivery_id=delivery_id, answer=request.POST.get("answer", ""),
                                   note=request.POST.get("note", "")[:500])
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("notifications:inbox")
    messages.success(request, _("Your answer is recorded."))
    return redirect("notifications:notice", notice_id=delivery.notice_id)


@login_required
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    seq = stream_head(STREAM)
    try:
        page = reads.notice_page(viewer, notice_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    mine = [d for d in page.deliveries if d.recipient_id == request.user.pk and d.channel == "in_app"]
    template = "notifications/partials/notice_log.html" if request.headers.get("HX-Request") else "notifications/notice.html"
    return render(request, template, {"page": page, "notice": page.notice, "mine": mine[0] if mine else None,
                                      "seq": seq})


@login_required
def sent_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        rows = list(reads.notices_sent(viewer, status=request.GET.get("status") or None))
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "notifications/sent.html", {"rows": rows, "status": request.GET.get("status", ""),
                                                       "status_choices": Notice.Status.choices,
                                                       "can_send": _may(viewer, SEND_NOTICE)})


@login_required
def send_page(request: HttpRequest) -> HttpResponse:
    """Send a notice to a hospital along its standard escalation chain."""
    viewer = principal_for_user(request.user)
    form = FacilityNoticeForm(request.POST or None, initial={"facility": request.GET.get("facility", "")})
    if request.method == "POST" and form.is_valid():
        facility = Facility.objects.filter(code=form.cleaned_data["facility"], active=True).first()
        if facility is None:
            form.add_error("facility", _("No active facility with this code."))
        else:
            levels = facility_chain(facility.pk, facility.region_id)
            timeout = form.cleaned_data["ack_timeout_s"]
            try:
                result = notice_send(actor=viewer, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
                                     body=form.cleaned_data["body"], priority=form.cleaned_data["priority"],
                                     levels=levels, ack_timeout_s=[timeout] * len(levels) if timeout else None,
                                     region_id=facility.region_id, facility_id=facility.pk,
                                     exercise=form.cleaned_data["exercise"])
            except DomainError as exc:
                form.add_error(None, str(exc.detail))
            else:
                if result.empty_desks:
                    messages.warning(request, _("Some desks have nobody on duty; the notice went to the next level."))
                return redirect("notifications:notice", notice_id=result.notice.pk)
    return render(request, "notifications/send.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def roster_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    region = request.GET.get("region")
    try:
        rows = roster_now(viewer, utcnow(), region_id=int(region) if region and region.isdigit() else None)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "notifications/roster.html", {"rows": rows,
                                                         "unstaffed": sum(r.unstaffed for r in rows)})


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    now = utcnow()
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() else 7
    days = min(max(days, 1), 365)
    try:
        rows = ack_statistics(viewer, since=now - timedelta(days=days), until=now,
                              exercise=request.GET.get("exercise") == "1")
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "notifications/stats.html", {"rows": rows, "days": days})
