"""A facility's security page: its posture (edit), its panic buttons (register, test, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.security import selectors
from jedel.security.forms import PostureForm
from jedel.security.permissions import EDIT_POSTURE
from jedel.security.services.panic import button_create, button_revoke
from jedel.security.services.posture import PostureInput, button_tested, posture_save


@login_required
def posture_page(request: HttpRequest, facility_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        facility, posture, buttons = selectors.posture_get(viewer, facility_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    initial = {"version": posture.version if posture else 0}
    if posture is not None:
        initial |= {f: getattr(posture, f) for f in ("post_24_7", "cctv_cameras", "er_cctv_covered", "body_cameras",
                                                     "staff_count", "last_audit_on", "audit_findings",
                                                     "alert_region_at_once")}
    form = PostureForm(request.POST or None, initial=initial if request.method != "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            posture_save(actor=viewer, facility_id=facility.pk, version=version, data=PostureInput(**data))
        except DomainError as exc:
            if exc.status in (403, 404):
                return domain_error_page(request, exc)
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, _("The security posture is saved."))
            return redirect("security:posture", facility_id=facility.pk)
    return render(request, "security/posture.html", {
        "facility": facility, "posture": posture, "buttons": buttons, "form": form,
        "can_edit": viewer is not None and allowed(viewer, EDIT_POSTURE, facility),
        "new_token": request.session.pop("security_new_token", None)})


@login_required
@require_POST
def button_action(request: HttpRequest, facility_id: int) -> HttpResponse:
    """Register (location), test or revoke (button id) a panic button; a new secret is shown once."""
    viewer = principal_for_user(request.user)
    action, button_id = request.POST.get("action", ""), request.POST.get("button", "")
    try:
        if action == "create":
            button, raw = button_create(actor=viewer, facility_id=facility_id,
                                        location=request.POST.get("location", "")[:120])
            request.session["security_new_token"] = {"location": button.location, "token": raw}
        elif action in ("test", "revoke") and button_id.isdigit():
            (button_tested if action == "test" else button_revoke)(actor=viewer, button_id=int(button_id))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    return redirect("security:posture", facility_id=facility_id)
