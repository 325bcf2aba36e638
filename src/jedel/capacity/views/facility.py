"""One facility's full current status with a 48-hour history chart."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jedel.accounts.policy import allowed, principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, NotFound
from jedel.common.views import domain_error_page
from jedel.facilities.models import Facility
from jedel.capacity.selectors import status as selectors
from jedel.capacity.views.chart import history_chart
from jedel.capacity.permissions import REPORT_CAPACITY

HISTORY_WINDOW = timedelta(hours=48)


def facility_or_404(code: str) -> Facility:
    """The facility with this code, or a 404 page."""
    try:
        return selectors.facility_by_code(code)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc


@login_required
def facility_page(request: HttpRequest, code: str) -> HttpResponse:
    """Status, beds by type, equipment, MCI capacity, the chart and the recent reports of one facility."""
    facility = facility_or_404(code)
    viewer = principal_for_user(request.user)
    now = utcnow()
    since = now - HISTORY_WINDOW
    try:
        row = selectors.facility_status(facility, now=now, viewer=viewer)
        history = selectors.facility_history(facility, since=since, until=now, viewer=viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    assert viewer is not None
    return render(request, "capacity/facility.html", {
        "facility": facility, "row": row,
        "chart": history_chart(history, since=since, until=now), "history": list(reversed(history)),
        # Only whether to offer the report button: report_submit checks the permission itself.
        "can_report": facility.active and allowed(viewer, REPORT_CAPACITY, facility),
    })
