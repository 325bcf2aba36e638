"""The fleet page: the transport assets, a form to add one, and the same form to edit one (?edit=<id>)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jedel.accounts.policy import principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.transfers import selectors
from jedel.transfers.models import AssetKind, CrewType, Need, TransportAsset
from jedel.transfers.services import assets as fleet


def _fields(post: Any) -> dict[str, Any]:
    return {"call_sign": post.get("call_sign", "").strip(), "operator": post.get("operator", "").strip(),
            "base": post.get("base", "").strip(), "crew_type": post.get("crew_type", ""),
            "equipment": post.getlist("equipment"), "night_capable": post.get("night_capable") == "on"}


@login_required
def assets_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    if request.method == "POST":
        post, fields = request.POST, _fields(request.POST)
        try:
            if post.get("asset", "").isdigit():
                version = int(post["version"]) if post.get("version", "").isdigit() else 0
                fleet.asset_update(actor=viewer, asset_id=int(post["asset"]), version=version, changes=fields)
            else:
                fleet.asset_create(actor=viewer, data=fleet.AssetInput(kind=post.get("kind", ""), **fields))
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                return domain_error_page(request, exc)
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, _("Saved."))
        return redirect("transfers:assets")
    try:
        rows = selectors.asset_list(viewer=viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    edit = request.GET.get("edit", "")
    editing = TransportAsset.objects.filter(pk=int(edit)).select_related("base").first() if edit.isdigit() else None
    return render(request, "transfers/assets.html", {
        "assets": rows, "editing": editing, "kinds": AssetKind.choices, "crews": CrewType.choices,
        "needs": Need.choices})
