"""Pages of the requesting and receiving sides: the list, the request form, the receiving inbox, and one
transfer (summary, waiting clock, timeline, and the actions the viewer may take)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Principal, allowed, principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError, ValidationFailed
from jedel.common.views import domain_error_page
from jedel.facilities.models import INPATIENT_KINDS, Facility
from jedel.transfers import selectors
from jedel.transfers.clocks import waiting_min
from jedel.transfers.engines import destinations_rank, dispatch_options
from jedel.transfers.forms import TransferForm
from jedel.transfers.labels import STEP_LABELS, event_label, option_row, transfer_labels
from jedel.transfers.models import MISSION_STEPS, OPEN_STATES
from jedel.transfers.permissions import (
    DISPATCH_AIR,
    DISPATCH_TRANSFER,
    RECEIVE_TRANSFER,
    REQUEST_TRANSFER,
    destination_target,
    origin_target,
)
from jedel.transfers.services import dispatch, requests


def _viewer(request: HttpRequest) -> Principal | None:
    return principal_for_user(request.user)


@login_required
def list_page(request: HttpRequest) -> HttpResponse:
    """Transfers of the viewer's scope, open ones first."""
    viewer = _viewer(request)
    try:
        rows = selectors.transfer_list(viewer=viewer, open_only=request.GET.get("all") != "1")
    except DomainError as exc:
        return domain_error_page(request, exc)
    now = utcnow()
    return render(request, "transfers/list.html", {
        "rows": [(t, waiting_min(t, now)) for t in rows], "all": request.GET.get("all") == "1",
        "can_request": viewer is not None and viewer.role is not None and viewer.role in REQUEST_TRANSFER.roles})


def _origins(viewer: Principal) -> list[Facility]:
    rows = Facility.objects.filter(active=True, kind__in=INPATIENT_KINDS).select_related("region")
    if viewer.facility_id is not None:
        rows = rows.filter(pk=viewer.facility_id)
    elif viewer.region_id is not None:
        rows = rows.filter(region_id=viewer.region_id)
    return [f for f in rows.order_by("region__iso_code", "name_en")[:2000] if allowed(viewer, REQUEST_TRANSFER, f)]


@login_required
def request_page(request: HttpRequest) -> HttpResponse:
    """The request form: a sending facility asks for a transfer to a named facility or to NCCEM's choice."""
    viewer = _viewer(request)
    assert viewer is not None
    destinations = list(Facility.objects.filter(active=True, kind__in=INPATIENT_KINDS).select_related("region")
                        .order_by("region__iso_code", "name_en")[:2000])
    form = TransferForm(request.POST or None, origins=_origins(viewer), destinations=destinations)
    if request.method == "POST" and form.is_valid():
        d: dict[str, Any] = dict(form.cleaned_data)
        d["destination"] = d["destination"] or None
        d["infusion_pumps"] = d["infusion_pumps"] or 0
        try:
            t = requests.transfer_create(actor=viewer, data=requests.TransferInput(**d))
        except ValidationFailed as exc:
            for e in exc.errors:
                form.add_error(None, f"{'.'.join(map(str, e.get('loc', [])))}: {e['msg']}")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.detail))
        else:
            messages.success(request, _("Transfer requested; the receiving side and NCCEM are notified."))
            return redirect("transfers:detail", transfer_id=t.pk)
    return render(request, "transfers/request.html", {"form": form})


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The receiving side: requests to the viewer's facility (or scope) waiting for an answer."""
    viewer = _viewer(request)
    try:
        rows = selectors.transfer_list(viewer=viewer, state="requested",
                                       receiving_facility_id=viewer.facility_id if viewer else None)
    except DomainError as exc:
        return domain_error_page(request, exc)
    now = utcnow()
    rows = [t for t in rows if t.destination is not None and viewer is not None
            and allowed(viewer, RECEIVE_TRANSFER, destination_target(t))]
    return render(request, "transfers/inbox.html", {"rows": [(t, waiting_min(t, now)) for t in rows]})


@login_required
def detail_page(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """One transfer with the actions the viewer may take (the services decide for real)."""
    viewer = _viewer(request)
    try:
        t = selectors.transfer_get(viewer=viewer, transfer_id=transfer_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    assert viewer is not None
    now = utcnow()
    can = {"receive": t.destination is not None and t.state == "requested"
           and allowed(viewer, RECEIVE_TRANSFER, destination_target(t)),
           "route": t.state in ("requested", "rejected") and allowed(viewer, DISPATCH_TRANSFER, origin_target(t)),
           "assign": t.state == "accepted" and allowed(viewer, DISPATCH_TRANSFER, origin_target(t)),
           "air": allowed(viewer, DISPATCH_AIR, origin_target(t)),
           "step": t.state in ("transport_arranged", "departed", "arrived")
           and allowed(viewer, DISPATCH_TRANSFER, origin_target(t)),
           "cancel": t.state in OPEN_STATES - {"departed"} and allowed(viewer, REQUEST_TRANSFER, origin_target(t))}
    mission = selectors.missions_of(t)[-1:] or [None]
    current = mission[0]
    next_step = None
    if can["step"] and current is not None and current.step != "back_at_base":
        next_step = MISSION_STEPS[MISSION_STEPS.index(current.step) + 1]
    options = []
    if can["assign"]:
        options = [option_row(o) for o in dispatch_options(t, selectors.asset_list(viewer=viewer), now=now)
                   if can["air"] or o.kind == "road"]
    return render(request, "transfers/detail.html", {
        "t": t, "waiting": waiting_min(t, now), "missions": selectors.missions_of(t), "labels": transfer_labels(t),
        "events": [(e, event_label(e.kind)) for e in requests.timeline(t)],
        "next_step_label": STEP_LABELS.get(next_step or "", ""),
        "declines": t.declines.select_related("facility"), "can": can, "next_step": next_step,
        "ranking": destinations_rank(t, now=now) if can["route"] else None, "options": options})


@login_required
@require_POST
def action_post(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """Every button of the transfer page: `op` names the service; the version read keeps edits from crossing."""
    viewer, post = _viewer(request), request.POST
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    op = post.get("op", "")
    calls = {
        "accept": lambda: requests.transfer_accept(actor=viewer, transfer_id=transfer_id, version=version),
        "decline": lambda: requests.transfer_decline(actor=viewer, transfer_id=transfer_id,
                                                     reason=post.get("reason", ""), version=version),
        "route": lambda: requests.transfer_route(actor=viewer, transfer_id=transfer_id,
                                                 destination=post.get("destination", ""), version=version),
        "cancel": lambda: requests.transfer_cancel(actor=viewer, transfer_id=transfer_id,
                                                   reason=post.get("reason", ""), version=version),
        "assign": lambda: dispatch.transfer_assign(actor=viewer, transfer_id=transfer_id, version=version,
                                                   asset_id=int(post["asset"]) if post.get("asset", "").isdigit()
                                                   else 0),
        "step": lambda: dispatch.mission_step(actor=viewer, transfer_id=transfer_id, step=post.get("step", "")),
    }
    if op not in calls:
        messages.error(request, _("Unknown action."))
        return redirect("transfers:detail", transfer_id=transfer_id)
    try:
        calls[op]()
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            return domain_error_page(request, exc)
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Saved."))
    return redirect("transfers:detail", transfer_id=transfer_id)
