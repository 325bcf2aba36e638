""""Nothing changed": a facility confirms its current figures in one tap (facility page, report form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import allowed, principal_for_user
from jedel.capacity.permissions import REPORT_CAPACITY
from jedel.capacity.models import ReportSource
from jedel.capacity.selectors import status as selectors
from jedel.capacity.services.reports import report_confirm
from jedel.capacity.views.facility import facility_or_404
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, ValidationFailed
from jedel.common.views import domain_error_page


@login_required
@require_POST
def confirm_unchanged(request: HttpRequest, code: str) -> HttpResponse:
    """Store the confirmation; htmx gets the refreshed status panel with a notice, a plain form the facility page."""
    facility = facility_or_404(code)
    viewer = principal_for_user(request.user)
    notice, ok = "", False
    try:
        report = report_confirm(actor=viewer, facility=facility, source=ReportSource.WEB)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        notice = str(exc.errors[0]["msg"])
    except DomainError as exc:
        if not request.headers.get("HX-Request"):
            return domain_error_page(request, exc)
        notice = str(exc.detail)
    else:
        ok = True
        at = timezone.localtime(report.reported_at).strftime("%H:%M")
        notice = (_("Confirmed at %(time)s: the figures are unchanged.") % {"time": at} if report.became_current
                  else _("Report saved as history: a newer report is already current."))
    if not request.headers.get("HX-Request"):
        messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, notice)
        return redirect("facilities:detail", code=facility.code)
    # htmx swaps only successful answers: an error is shown in the panel, its notice marked as an error.
    row = selectors.facility_status(facility, now=utcnow(), viewer=viewer)
    can_report = facility.active and viewer is not None and allowed(viewer, REPORT_CAPACITY, facility)
    return render(request, "capacity/partials/current_status.html",
                  {"row": row, "facility": facility, "can_report": can_report, "notice": notice, "notice_ok": ok})
