"""Distribution pages: the list, opening a distribution, its households and handouts, the feedback form a volunteer
fills in on a phone, and a kit's page (versions, aggregated feedback drawn as bars, the proposal under review).

The policy decides in the services and selectors; `allowed()` here only hides controls that would be refused.
Forms post normally and come back to the page with the outcome (or the domain error) as a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Principal, allowed, principal_for_user
from jedel.common.clock import utcnow
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.geo.selectors import region_list
from jedel.supplies import selectors
from jedel.supplies import selectors_distribution as reads
from jedel.supplies.errors import SupplyError
from jedel.supplies.models import Category, Warehouse
from jedel.supplies.models_distribution import FeedbackLanguage, ProposalStatus, Verdict
from jedel.supplies.permissions import DECIDE_KIT, DISTRIBUTE, PROPOSE_KIT
from jedel.supplies.services.distributions import (
    distribution_close, distribution_create, handout_record, household_add,
)
from jedel.supplies.services.feedback import feedback_record, proposal_create, proposal_decide

FIELD_LABELS = {
    "warehouse": gettext_lazy("Warehouse"), "region": gettext_lazy("Region"), "place": gettext_lazy("Place"),
    "on": gettext_lazy("Date"), "partner": gettext_lazy("Partner"), "incident": gettext_lazy("Incident"),
    "lat": gettext_lazy("Latitude"), "lon": gettext_lazy("Longitude"), "size": gettext_lazy("Household size"),
    "head_name": gettext_lazy("Head of household"), "phone": gettext_lazy("Phone"),
    "reference": gettext_lazy("Card number"), "item": pgettext_lazy("stock item", "Item"), "quantity": gettext_lazy("Quantity"),
    "household": gettext_lazy("Household"), "language": gettext_lazy("Language of the form"),
    "comment": gettext_lazy("Comment"), "note": gettext_lazy("Note"),
}


def _int(raw: str | None) -> int | None:
    """A row id or count typed in a form; None when it is not one (too large numbers included)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def _float(raw: str | None, field: str) -> float | None:
    raw = (raw or "").strip().replace(",", ".")  # a Russian or Kazakh keyboard types a decimal comma
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise DomainError(SupplyError.INVALID, field=field) from None


def _fail(request: HttpRequest, exc: DomainError) -> None:
    # Bad input names the field it is about; a conflict (no stock, closed) speaks for itself.
    label = FIELD_LABELS.get((exc.field or "").split(".")[0]) if exc.status == 422 else None
    messages.error(request, f"{label}: {exc.detail}" if label else str(exc.detail))


def _refused(exc: DomainError) -> bool:
    """Refusals and unknown pages get the error page; other domain errors become a message on the form."""
    return exc.status in (401, 403)


def _distribute_warehouses(viewer: Principal | None) -> list[Warehouse]:
    if viewer is None:
        return []
    return [w for w in selectors.warehouses(viewer) if allowed(viewer, DISTRIBUTE, w)]


@login_required
def distributions_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    open_only = request.GET.get("open") == "1"
    try:
        rows = reads.distribution_list(viewer, open_only=open_only)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "supplies/distributions.html", {
        "rows": rows, "open_only": open_only, "can_create": bool(_distribute_warehouses(viewer))})


@login_required
def distribution_new_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    values: Any = {"on": timezone.localdate(utcnow()).isoformat(), "region": str(getattr(viewer, "region_id", "") or "")}
    if request.method == "POST":
        values = request.POST
        try:
            on = date.fromisoformat(values.get("on", "").strip()) if values.get("on", "").strip() else None
        except ValueError:
            on = None
        try:
            if on is None:
                raise DomainError(SupplyError.INVALID, field="on")
            event = distribution_create(
                actor=viewer, warehouse_id=_int(values.get("warehouse")) or 0,
                region_id=_int(values.get("region")) or 0, place=values.get("place", ""), on=on,
                partner=values.get("partner", ""), incident_id=_int(values.get("incident")),
                lat=_float(values.get("lat"), "lat"), lon=_float(values.get("lon"), "lon"))
        except DomainError as exc:
            if _refused(exc):
                return domain_error_page(request, exc)
            _fail(request, exc)
        else:
            messages.success(request, _("The distribution is open: record households and handouts."))
            return redirect("supplies:distribution", distribution_id=event.pk)
    try:
        incidents = reads.incident_choices(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "supplies/distribution_new.html", {
        "warehouses": _distribute_warehouses(viewer), "regions": region_list(viewer=viewer),
        "incidents": incidents, "values": values})


@login_required
def distribution_page(request: HttpRequest, distribution_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        view = reads.distribution_get(viewer, distribution_id)
        households, personal = reads.household_list(viewer, distribution_id)
        feedback = reads.feedback_list(viewer, distribution_id, limit=50)
    except DomainError as exc:
        return domain_error_page(request, exc)
    event = view.row.event
    can_distribute = viewer is not None and event.closed_at is None and allowed(viewer, DISTRIBUTE, event)
    stock = []
    if can_distribute:
        lines = selectors.stock_lines(viewer, warehouse_ids=[event.warehouse_id], now=utcnow())
        stock = [line for line in lines if line.on_hand - line.expired > 0]
    return render(request, "supplies/distribution.html", {
        "view": view, "event": event, "households": households, "personal": personal, "feedback": feedback,
        "can_distribute": can_distribute, "stock": stock})


def _action(request: HttpRequest, distribution_id: int, write: Any, done: Any) -> HttpResponse:
    """Run one write posted from the distribution page and come back to it with the outcome."""
    try:
        result = write(principal_for_user(request.user))
    except DomainError as exc:
        if _refused(exc) or exc.code is SupplyError.DISTRIBUTION_NOT_FOUND:
            return domain_error_page(request, exc)
        _fail(request, exc)
    else:
        messages.success(request, done(result))
    return redirect("supplies:distribution", distribution_id=distribution_id)


@login_required
@require_POST
def household_action(request: HttpRequest, distribution_id: int) -> HttpResponse:
    post = request.POST
    return _action(request, distribution_id, lambda viewer: household_add(
        actor=viewer, distribution_id=distribution_id, size=_int(post.get("size")) or 0,
        head_name=post.get("head_name", ""), phone=post.get("phone", ""),
        reference=post.get("reference", "").strip() or None),
        lambda h: _("Household %(reference)s is recorded.") % {"reference": h.reference})


@login_required
@require_POST
def handout_action(request: HttpRequest, distribution_id: int) -> HttpResponse:
    post = request.POST
    return _action(request, distribution_id, lambda viewer: handout_record(
        actor=viewer, distribution_id=distribution_id, household_id=_int(post.get("household")),
        item_id=_int(post.get("item")) or 0, quantity=_int(post.get("quantity")) or 0, now=utcnow()),
        lambda h: _("Handed out: %(quantity)d × %(item)s.") % {"quantity": h.quantity, "item": h.item.name})


@login_required
@require_POST
def close_action(request: HttpRequest, distribution_id: int) -> HttpResponse:
    return _action(request, distribution_id, lambda viewer: distribution_close(
        actor=viewer, distribution_id=distribution_id), lambda e: _("The distribution is closed."))


def _feedback_version(viewer: Principal | None, given: list, wanted: int | None) -> Any:
    """The kit version the form is about: the one asked for, else the first given here, else a current one."""
    candidates = list(given)
    if not candidates:
        kits = selectors.items(viewer, category=Category.KIT)
        candidates = [v for v in (selectors.kit_version_current(k.pk) for k in kits) if v is not None]
    pick = next((v for v in candidates if v.pk == wanted), None) if wanted else None
    if pick is None and wanted:
        pick = next((v for v in selectors.kit_versions(viewer) if v.pk == wanted), None)
    pick = pick or (candidates[0] if candidates else None)
    if pick is None:
        return None, candidates
    # Again through the catalogue's reader, which brings the components and their items.
    return next(v for v in selectors.kit_versions(viewer, kit_id=pick.kit_id) if v.pk == pick.pk), candidates


@login_required
def feedback_new_page(request: HttpRequest, distribution_id: int) -> HttpResponse:
    """One person's feedback, recorded by a volunteer: a row per component, a missing item, a comment."""
    viewer = principal_for_user(request.user)
    post = request.POST if request.method == "POST" else None
    try:
        view = reads.distribution_get(viewer, distribution_id)
        households, _personal = reads.household_list(viewer, distribution_id)
        version, versions = _feedback_version(viewer, view.kit_versions,
                                              _int((post or request.GET).get("kit_version")))
    except DomainError as exc:
        return domain_error_page(request, exc)
    components = list(version.components.all()) if version else []
    in_kit = {c.item_id for c in components}
    missing_choices = [i for i in selectors.items(viewer) if i.category != Category.KIT and i.pk not in in_kit]
    language = (get_language() or "")[:2]
    chosen: dict[str, str] = {"language": language if language in FeedbackLanguage.values else "ru"}
    if post is not None and version is not None:
        answers = {c.item_id: post[f"item_{c.item_id}"] for c in components if post.get(f"item_{c.item_id}")}
        missing = _int(post.get("missing_item"))
        if missing:
            answers[missing] = Verdict.MISSING
        try:
            feedback_record(actor=viewer, distribution_id=distribution_id, kit_version_id=version.pk,
                            language=post.get("language", ""), answers=answers, comment=post.get("comment", ""),
                            household_id=_int(post.get("household")), now=utcnow())
        except DomainError as exc:
            if _refused(exc):
                return domain_error_page(request, exc)
            _fail(request, exc)
            chosen = {k: v for k, v in post.items() if k != "csrfmiddlewaretoken"}
        else:
            messages.success(request, _("Thank you: the feedback is recorded. The form is ready for the next "
                                        "person."))
            return redirect(reverse("supplies:feedback_new", args=[distribution_id]) + f"?kit_version={version.pk}")
    rows = [{"component": c, "name": f"item_{c.item_id}", "value": chosen.get(f"item_{c.item_id}", "")}
            for c in components]
    return render(request, "supplies/feedback_new.html", {
        "event": view.row.event, "version": version, "versions": versions, "rows": rows,
        "missing_choices": missing_choices, "households": households, "chosen": chosen,
        "verdicts": Verdict.choices, "form_languages": FeedbackLanguage.choices})


@dataclass(frozen=True)
class Bar:
    """One component's feedback as a stacked bar over the forms (percent strings for SVG, never localised)."""

    summary: Any
    name: str
    useful_w: str
    not_useful_x: str
    not_useful_w: str
    missing_x: str
    missing_w: str
    share_text: str  # the not-useful share with its Wilson 95 % interval, "—" without ratings


def _bars(feedback: reads.KitFeedback | None) -> list[Bar]:
    if feedback is None:
        return []
    out = []
    for s in feedback.summaries:
        share = [100 * n / feedback.forms if feedback.forms else 0.0
                 for n in (s.useful_count, s.not_useful_count, s.missing_count)]
        item = feedback.items.get(s.item_code)
        text = "—" if s.not_useful_share is None else (
            f"{100 * s.not_useful_share:.0f} % ({100 * s.not_useful_low:.0f}–{100 * s.not_useful_high:.0f} %)")
        out.append(Bar(s, item.name if item else s.item_code, f"{share[0]:.2f}", f"{share[0]:.2f}",
                       f"{share[1]:.2f}", f"{share[0] + share[1]:.2f}", f"{share[2]:.2f}", text))
    return out


def _why(change: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return f"{100 * x:.0f} %" if x is not None else "—"

    if change["action"] == "drop":
        return _("%(n)d of %(ratings)d ratings say not useful (%(share)s; dropped at %(threshold)s or more)") % {
            "n": change["not_useful"], "ratings": change["ratings"], "share": pct(change["not_useful_share"]),
            "threshold": pct(change["threshold"])}
    return _("asked for as missing on %(n)d of %(forms)d forms (%(share)s; added at %(threshold)s or more)") % {
        "n": change["missing"], "forms": change["forms"], "share": pct(change["missing_share"]),
        "threshold": pct(change["threshold"])}


def _proposal_context(viewer: Principal | None, proposal: Any) -> dict[str, Any]:
    names = {i.code: i.name for i in selectors.items(viewer)}
    changes = [{**c, "name": names.get(c["item"], c["item"]), "why": _why(c)} for c in proposal.changes]
    composition = [(names.get(code, code), units) for code, units in sorted(proposal.composition.items())]
    return {"proposal": proposal, "changes": changes, "composition": composition,
            "can_decide": (viewer is not None and proposal.status == ProposalStatus.PROPOSED
                           and allowed(viewer, DECIDE_KIT))}


@login_required
def kit_page(request: HttpRequest, kit_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        kit, versions = reads.kit_get(viewer, kit_id)
        number = _int(request.GET.get("version"))
        chosen = next((v for v in versions if v.number == number), versions[0] if versions else None)
        feedback = reads.kit_feedback(viewer, chosen.pk) if chosen else None
        proposals = reads.proposal_list(viewer, kit_id=kit.pk)
    except DomainError as exc:
        return domain_error_page(request, exc)
    open_proposal = next((p for p in proposals if p.status == ProposalStatus.PROPOSED), None)
    can_propose = (viewer is not None and chosen is not None and allowed(viewer, PROPOSE_KIT)
                   and not any(p.status == ProposalStatus.PROPOSED and p.base_id == chosen.pk for p in proposals))
    context = {"kit": kit, "versions": versions, "chosen": chosen, "feedback": feedback, "bars": _bars(feedback),
               "proposals": proposals, "can_propose": can_propose, "open_proposal": open_proposal}
    if open_proposal is not None:
        context.update(_proposal_context(viewer, open_proposal))
    return render(request, "supplies/kit.html", context)


@login_required
@require_POST
def propose_action(request: HttpRequest, kit_id: int, kit_version_id: int) -> HttpResponse:
    try:
        proposal = proposal_create(actor=principal_for_user(request.user), kit_version_id=kit_version_id,
                                   now=utcnow())
    except DomainError as exc:
        if _refused(exc):
            return domain_error_page(request, exc)
        _fail(request, exc)
        return redirect("supplies:kit", kit_id=kit_id)
    messages.success(request, _("The proposal is ready for review."))
    return redirect("supplies:proposal", proposal_id=proposal.pk)


@login_required
def proposal_page(request: HttpRequest, proposal_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        proposal = reads.proposal_get(viewer, proposal_id)
        base = next(v for v in selectors.kit_versions(viewer, kit_id=proposal.base.kit_id) if v.pk == proposal.base_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "supplies/proposal.html", {**_proposal_context(viewer, proposal), "base": base})


@login_required
@require_POST
def decide_action(request: HttpRequest, proposal_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or to reject."))
        return redirect("supplies:proposal", proposal_id=proposal_id)
    try:
        proposal = proposal_decide(actor=viewer, proposal_id=proposal_id, approve=decision == "approve",
                                   note=request.POST.get("note", ""), now=utcnow())
    except DomainError as exc:
        if _refused(exc) or exc.code is SupplyError.PROPOSAL_NOT_FOUND:
            return domain_error_page(request, exc)
        _fail(request, exc)
        return redirect("supplies:proposal", proposal_id=proposal_id)
    if proposal.result is not None:
        messages.success(request, _("Approved: version %(number)d of the kit is created.")
                         % {"number": proposal.result.number})
        return redirect(reverse("supplies:kit", args=[proposal.base.kit_id]) + f"?version={proposal.result.number}")
    messages.success(request, _("The proposal is rejected."))
    return redirect("supplies:kit", kit_id=proposal.base.kit_id)
