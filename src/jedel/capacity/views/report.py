"""The capacity report form for facility managers (and coordinators of the facility's region)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
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
from jedel.capacity.selectors.operational import operational_get
from jedel.capacity.services.reports import report_submit
from jedel.capacity.templatetags.board_tags import bed_label
from jedel.capacity.views.facility import facility_or_404
from jedel.common.views import domain_error_page

# The form's sections in page order: the summary lists errors in the order a person meets the fields.
_BEFORE_BEDS = ("reported_at", "ed_status", "ed_status_reason")


def _field_errors(form: Any, names: Any, prefix: str = "") -> list[dict[str, str]]:
    return [{"anchor": form[n].id_for_label, "label": f"{prefix}{form[n].label}", "message": str(e)}
            for n in names for e in form.errors.get(n, [])]


def error_summary(form: ReportForm, formset: Any) -> list[dict[str, str]]:
    """Every error of the form, in page order, each linking to its field (a long form scrolls past them)."""
    items = [{"anchor": "", "label": "", "message": str(e)} for e in form.non_field_errors()]
    items += _field_errors(form, _BEFORE_BEDS)
    items += [{"anchor": "", "label": "", "message": str(e)} for e in formset.non_form_errors()]
    for row in formset.forms:
        if not row.errors:
            continue
        bed = f"{bed_label(row['bed_type'].value())} — "
        items += _field_errors(row, [n for n in row.fields if n != NON_FIELD_ERRORS], bed)
        items += [{"anchor": row["staffed"].id_for_label, "label": bed.removesuffix(" — "), "message": str(e)}
                  for e in row.non_field_errors()]
    return items + _field_errors(form, [n for n in form.fields if n not in _BEFORE_BEDS])


@login_required
def report_page(request: HttpRequest, code: str) -> HttpResponse:
    """Show the form prefilled from the current status; on a valid submit store it and go to the facility."""
    facility = facility_or_404(code)
    viewer = principal_for_user(request.user)
    try:
        current = selectors.facility_for_reporting(facility, now=utcnow(), viewer=viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    assert viewer is not None
    report_id = current.current.report_id if current.current else None
    initial, bed_initial = report_initial(current, operational_get(report_id))
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
    summary = error_summary(form, formset) if data is not None else []
    return render(request, "capacity/report_form.html",
                  {"facility": facility, "form": form, "formset": formset, "error_summary": summary,
                   "can_confirm": report_id is not None}, status=status)
