"""The fleet page: the transport assets, a form to add one, and the same form to edit one (?edit=<id>).

The base is chosen from the facilities where the viewer may station an asset (the API still takes a code): a
code posted by hand outside that list is answered with a form error, not a refusal page.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jedel.accounts.policy import Action, Principal, Target, allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.facilities.models import Facility
from jedel.transfers import selectors
from jedel.transfers.models import AssetKind, CrewType, Need, TransportAsset
from jedel.transfers.permissions import MANAGE_AIRCRAFT, MANAGE_ROAD_FLEET
from jedel.transfers.services import assets as fleet


def _fields(post: Any) -> dict[str, Any]:
    return {"call_sign": post.get("call_sign", "").strip(), "operator": post.get("operator", "").strip(),
            "base": post.get("base", "").strip(), "crew_type": post.get("crew_type", ""),
            "equipment": post.getlist("equipment"), "night_capable": post.get("night_capable") == "on"}


def _manage(kind: str) -> Action:
    return MANAGE_ROAD_FLEET if kind == AssetKind.ROAD else MANAGE_AIRCRAFT


def base_choices(viewer: Principal | None, kind: str | None = None) -> list[Facility]:
    """Active facilities where `viewer` may station an asset of `kind` (None: any kind), by region then name.
    Aircraft are NCCEM's and may be based at any active facility, as the model allows; road ambulances at the
    facilities of the regions the viewer manages."""
    if viewer is None:
        return []
    kinds = [kind] if kind else list(AssetKind.values)
    actions = {a for a in map(_manage, kinds) if viewer.role in a.roles}
    if not actions:
        return []
    rows = Facility.objects.filter(active=True).select_related("region").order_by("region__iso_code",
                                                                                    "name_en")
    return [f for f in rows if any(allowed(viewer, a, Target(region_id=f.region_id, facility_id=f.pk))
                                   for a in actions)]


def _grouped(bases: list[Facility]) -> list[tuple[str, list[Facility]]]:
    """The choices as (region name, facilities) for the select's option groups."""
    return [(region.name, list(rows)) for region, rows in groupby(bases, key=lambda f: f.region)]


def _render(request: HttpRequest, viewer: Principal | None, *, editing: TransportAsset | None = None,
            draft: TransportAsset | None = None, base_error: str = "") -> HttpResponse:
    try:
        rows = selectors.asset_list(viewer=viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    bases = base_choices(viewer, editing.kind if editing else None)
    mine = editing is not None and viewer is not None and allowed(viewer, _manage(editing.kind), editing)
    current = editing.base if mine and editing is not None else None
    if current is not None and current not in bases:  # a closed base stays offered to its asset
        bases = sorted([*bases, current], key=lambda f: (f.region.iso_code, f.name_en))
    kinds = [(v, label) for v, label in AssetKind.choices if viewer and viewer.role in _manage(v).roles]
    return render(request, "transfers/assets.html", {
        "assets": rows, "editing": editing, "draft": draft or editing, "bases": _grouped(bases),
        "base_error": base_error, "kinds": kinds, "crews": CrewType.choices, "needs": Need.choices})


@login_required
def assets_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    if request.method == "POST":
        post, fields = request.POST, _fields(request.POST)
        try:
            editing = selectors.asset_get(int(post["asset"])) if post.get("asset", "").isdigit() else None
        except DomainError as exc:
            return domain_error_page(request, exc)
        kind = editing.kind if editing else post.get("kind", "")
        codes = {f.code for f in base_choices(viewer, kind if kind in AssetKind.values else None)}
        if editing is not None:
            codes.add(editing.base.code)  # staying where it is (the service checks the edit itself)
        if fields["base"] not in codes:
            draft = TransportAsset(kind=kind, call_sign=fields["call_sign"], operator=fields["operator"],
                                   crew_type=fields["crew_type"], equipment=fields["equipment"],
                                   night_capable=fields["night_capable"])
            if editing is not None:
                draft.base = editing.base  # the refused code is not on the list: show where it is now
            refused = _("Choose the base from the list: you may not station this asset there.")
            return _render(request, viewer, editing=editing, draft=draft, base_error=refused)
        try:
            if editing is not None:
                version = int(post["version"]) if post.get("version", "").isdigit() else 0
                fleet.asset_update(actor=viewer, asset_id=editing.pk, version=version, changes=fields)
            else:
                fleet.asset_create(actor=viewer, data=fleet.AssetInput(kind=kind, **fields))
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                return domain_error_page(request, exc)
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, _("Saved."))
        return redirect("transfers:assets")
    edit = request.GET.get("edit", "")
    editing = (TransportAsset.objects.filter(pk=int(edit)).select_related("base", "region").first()
               if edit.isdigit() else None)
    return _render(request, viewer, editing=editing)
