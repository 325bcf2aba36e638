"""The walk-in page: a receiving hospital registers the people arriving by themselves in one tap per person (a
category button; the tag is given), or, when overwhelmed, only counts them ("+1", "+3" per category) and turns
the counts into records later. Made for a phone at the door: big buttons, no typing needed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jedel.accounts.policy import Principal, Target, allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.facilities.models import INPATIENT_KINDS, Facility
from jedel.incidents import selectors as reads
from jedel.incidents.models import TRIAGE_CATEGORIES, AgeBand, Incident, Sex
from jedel.incidents.permissions import REGISTER_WALKIN
from jedel.incidents.selectors_walkins import WALKIN_CATEGORIES, walkin_summary
from jedel.incidents.services import walkins

STEPS = (1, 3, 5)  # the count buttons: "+1", "+3", "+5"


def _label(category: str) -> str:
    return str(dict(TRIAGE_CATEGORIES).get(category, category))


def _may_at(viewer: Principal, incident: Incident, facility: Facility) -> bool:
    regions = frozenset(incident.regions.values_list("pk", flat=True))
    return allowed(viewer, REGISTER_WALKIN, Target(region_id=incident.region_id, regions=regions,
                                                   facility_id=facility.pk))


def _hospital(request: HttpRequest, viewer: Principal) -> Facility | None:
    code = (request.POST.get("hospital") or request.GET.get("hospital") or "").strip()
    if code:
        return Facility.objects.filter(code=code, active=True).first()
    if viewer.facility_id is not None:
        return Facility.objects.filter(pk=viewer.facility_id, active=True).first()
    return None


def _post(request: HttpRequest, viewer: Principal, incident: Incident, facility: Facility) -> None:
    action, category = request.POST.get("action", ""), request.POST.get("category", "")
    try:
        count = int(request.POST.get("count", "1"))
    except ValueError:
        count = 0
    common = {"actor": viewer, "incident_id": incident.pk, "category": category, "hospital": facility.code}
    try:
        if action == "count":
            walkins.walkin_count_add(count=count, **common)
            messages.success(request, _("+%(count)s %(category)s counted.") % {"count": count,
                                                                               "category": _label(category)})
        elif action == "convert":
            made = walkins.walkin_count_convert(count=count, **common)
            messages.success(request, ngettext("%(n)s record made: %(tags)s.", "%(n)s records made: %(tags)s.",
                                               len(made)) % {"n": len(made), "tags": ", ".join(c.tag for c in made)})
        else:
            casualty = walkins.walkin_register(age_band=request.POST.get("age_band") or AgeBand.UNKNOWN,
                                               sex=request.POST.get("sex") or Sex.UNKNOWN, **common)
            messages.success(request, _("Walk-in registered: tag %(tag)s, %(category)s.") % {
                "tag": casualty.tag, "category": _label(category)})
    except DomainError as exc:
        messages.error(request, str(exc.detail))


@login_required
def walkin_page(request: HttpRequest, incident_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        incident = reads.incident_get(viewer=viewer, incident_id=incident_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    assert viewer is not None
    facility = _hospital(request, viewer)
    if facility is not None and not _may_at(viewer, incident, facility):
        return render(request, "common/error.html", {
            "error": _("This page is for the staff of a receiving hospital and the incident's coordinators.")},
            status=403)
    mode = "count" if (request.POST.get("mode") or request.GET.get("mode")) == "count" else "one"
    if request.method == "POST" and facility is not None:
        _post(request, viewer, incident, facility)
        query = urlencode({"hospital": facility.code, **({"mode": mode} if mode == "count" else {})})
        return redirect(f"{reverse('incidents:walkins', args=[incident.pk])}?{query}")
    choices = []
    if facility is None:  # a coordinator chooses the hospital
        rows = Facility.objects.filter(active=True, kind__in=INPATIENT_KINDS, region__in=incident.regions.all())
        choices = [f for f in rows.order_by("code") if _may_at(viewer, incident, f)]
    tally = next((r for r in walkin_summary(viewer=viewer, incident=incident)
                  if facility is not None and r.code == facility.code), None)
    categories = [(c, _label(c), tally.individual.get(c, 0) if tally else 0, tally.counted.get(c, 0) if tally else 0)
                  for c in WALKIN_CATEGORIES]
    return render(request, "incidents/walkin.html", {
        "incident": incident, "facility": facility, "mode": mode, "categories": categories, "steps": STEPS,
        "choices": choices, "age_bands": AgeBand.choices, "sexes": Sex.choices,
        "active": incident.status == "active"})
