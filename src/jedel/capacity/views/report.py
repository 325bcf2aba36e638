"""The capacity report form for facility managers (and coordinators of the facility's region)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jedel.accounts.policy import principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, ValidationFailed
from jedel.capacity.forms import BedFormSet, ReportForm, place_errors, report_initial, report_input
from jedel.capacity.models import ReportSource
from jedel.capacity.selectors import status as selectors
from jedel.capacity.services.reports import report_submit
from jedel.capacity.views.facility import facility_or_404


@login_required
def report_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show the form prefilled from the current status; on a valid submit store it and go to the facility."""
    facility = facility_or_404(code)
    viewer = principal_for_user(request.user)
    try:
        current = selectors.facility_for_reporting(facility, now=utcnow(), viewer=viewer)
    except DomainError as exc:
        return render(request, "common/error.html", {"error": exc.detail}, status=exc.status)
    assert viewer is not None
    initial, bed_initial = report_initial(current)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, initial=initial)
    formset = BedFormSet(data, initial=bed_initial if facility.is_inpatient else [], prefix="beds")
    if data is not None and form.is_valid() and formset.is_valid():
        report_data, bed_rows = report_input(form, formset)
        try:
            report = report_submit(actor=viewer, facility=facility, data=report_data, source=ReportSource.WEB)
        except ValidationFailed as exc:
            place_errors(exc.errors, form, formset, bed_rows)
        except DomainError as exc:
            form.add_error(None, str(exc.detail))
        else:
            if report.became_current:  # type: ignore[attr-defined]
                messages.success(request, _("Report saved. The board shows the new figures."))
            else:
                messages.warning(request, _("Report saved as history: a newer report is already current."))
            return redirect("facilities:detail", code=facility.code)
    status = 422 if data is not None else 200
    return render(request, "capacity/report_form.html",
                  {"facility": facility, "form": form, "formset": formset}, status=status)
