"""Pages of requests and shipments: the list, a new request, a request (decide, prepare a shipment), a shipment
(dispatch, receive with discrepancies). Forms post normally and need no script; a refused step is shown as a
message on the page it came from. Controls are offered only to those the policy would allow; the services decide.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from jedel.accounts.policy import Action, Principal, Target, allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.geo.selectors import region_list
from jedel.supplies import selectors
from jedel.supplies.models_requests import RequestStatus, ShipmentStatus
from jedel.supplies.permissions import DECIDE_REQUEST, MOVE_STOCK, REQUEST_SUPPLIES, SHIP_SUPPLIES
from jedel.supplies.selectors_requests import request_get, request_incidents, request_list, shipment_get
from jedel.supplies.services.requests import request_cancel, request_close, request_create, request_decide
from jedel.supplies.services.shipments import shipment_cancel, shipment_dispatch, shipment_prepare, shipment_receive

FIRST_ROWS, MORE_ROWS, MAX_ROWS = 4, 3, 60


def _text(post: QueryDict, name: str) -> str:
    """A free-text field as typed, without NUL (no Jedel text holds it; PostgreSQL cannot store it)."""
    return post.get(name, "").replace("\x00", "").strip()


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 1_000_000_000 else None


class RequestForm(forms.Form):
    """The request's header, and `rows` item lines (item + quantity); empty lines are ignored."""

    region = forms.TypedChoiceField(label=gettext_lazy("Requesting region"), coerce=int)
    facility = forms.TypedChoiceField(label=gettext_lazy("Requesting hospital (optional)"), coerce=int,
                                      required=False, empty_value=None)
    source = forms.TypedChoiceField(label=gettext_lazy("Supplying warehouse"), coerce=int)
    destination = forms.TypedChoiceField(label=gettext_lazy("Receiving warehouse"), coerce=int)
    needed_by = forms.DateField(label=gettext_lazy("Needed by"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    incident = forms.TypedChoiceField(label=gettext_lazy("Incident (optional)"), coerce=int, required=False,
                                      empty_value=None)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, rows: int, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("region", "facility", "source", "destination", "incident"):
            self.fields[name].choices = choices[name]  # type: ignore[attr-defined]
        self.rows = rows
        for i in range(rows):
            self.fields[f"item_{i}"] = forms.TypedChoiceField(
                label=pgettext("stock item", "Item"), coerce=int, required=False, empty_value=None, choices=choices["item"],
                widget=forms.Select(attrs={"aria-label": f"{pgettext('stock item', 'Item')} {i + 1}"}))
            self.fields[f"qty_{i}"] = forms.IntegerField(
                label=_("Quantity"), required=False, min_value=1, max_value=1_000_000_000,
                widget=forms.NumberInput(attrs={"aria-label": f"{_('Quantity')} {i + 1}", "inputmode": "numeric"}))

    def header(self) -> list[forms.BoundField]:
        return [self[name] for name in ("region", "facility", "source", "destination", "needed_by", "incident")]

    def line_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"item_{i}"], self[f"qty_{i}"]) for i in range(self.rows)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = []
        for i in range(self.rows):
            item, qty = data.get(f"item_{i}"), data.get(f"qty_{i}")
            if item is not None and qty is None and f"qty_{i}" not in self.errors:
                self.add_error(f"qty_{i}", _("Enter the quantity."))
            elif item is None and qty is not None:
                self.add_error(f"item_{i}", _("Choose the item."))
            elif item is not None and qty is not None:
                lines.append((item, qty))
        if not lines and not self.errors:
            raise forms.ValidationError(_("Add at least one item."))
        data["lines"] = lines
        return data


def _choices(viewer: Principal | None) -> tuple[dict[str, list[tuple[Any, str]]], dict[str, Any]]:
    """The form's choices, and defaults for the viewer: their region or hospital, and its warehouse."""
    warehouses = selectors.warehouses(viewer)
    stores = sorted({(w.facility_id, w.facility.name) for w in warehouses if w.facility_id is not None},
                    key=lambda c: c[1])
    choices = {"region": [(r.pk, r.name) for r in region_list(viewer=viewer)],
               "facility": [("", "—"), *stores],
               "source": [(w.pk, w.name) for w in warehouses],
               "destination": [(w.pk, w.name) for w in warehouses],
               "incident": [("", "—"), *request_incidents(viewer)],
               "item": [("", "—"), *((i.pk, f"{i.name} ({i.get_unit_display()})") for i in selectors.items(viewer))]}
    initial: dict[str, Any] = {}
    if viewer is not None and viewer.facility_id is not None:
        own = next((w for w in warehouses if w.facility_id == viewer.facility_id), None)
        initial = {"facility": viewer.facility_id, "region": own.region_id if own else None,
                   "destination": own.pk if own else None}
    elif viewer is not None and viewer.region_id is not None:
        own = next((w for w in warehouses if w.region_id == viewer.region_id and w.kind == "regional"), None)
        initial = {"region": viewer.region_id, "destination": own.pk if own else None}
    return choices, initial


def _rows(data: QueryDict) -> int:
    rows = _int(data.get("rows")) or FIRST_ROWS
    return max(1, min(MAX_ROWS, rows + (MORE_ROWS if "more" in data else 0)))


@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    status = request.GET.get("status") if request.GET.get("status") in RequestStatus.values else None
    region, incident = _int(request.GET.get("region")), _int(request.GET.get("incident"))
    try:
        rows = request_list(viewer, status=status, region_id=region, incident_id=incident)
        incidents = request_incidents(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    can_request = viewer is not None and viewer.role in REQUEST_SUPPLIES.roles and not viewer.is_token
    return render(request, "supplies/requests.html", {
        "rows": rows, "statuses": RequestStatus.choices, "regions": region_list(viewer=viewer),
        "incidents": incidents, "status": status, "region": region, "incident": incident,
        "can_request": can_request})


@login_required
def request_new_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        choices, defaults = _choices(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    data = request.POST if request.method == "POST" else request.GET
    rows = _rows(data)
    if request.method == "POST" and "more" not in request.POST:
        form = RequestForm(request.POST, rows=rows, choices=choices)
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = request_create(actor=viewer, region_id=d["region"], facility_id=d["facility"],
                                         source_warehouse_id=d["source"], destination_warehouse_id=d["destination"],
                                         lines=d["lines"], needed_by=d["needed_by"], reason=d["reason"],
                                         incident_id=d["incident"])
            except DomainError as exc:
                if exc.status == 403:
                    return domain_error_page(request, exc)
                messages.error(request, str(exc.detail))
            else:
                messages.success(request, _("The request is sent to the supplying warehouse."))
                return redirect("supplies:request", request_id=created.pk)
    else:
        # "More lines" re-renders what was typed so far, without judging it yet.
        initial = dict(data.items()) if request.method == "POST" else defaults
        form = RequestForm(initial=initial, rows=rows, choices=choices)
    return render(request, "supplies/request_new.html", {"form": form, "rows": rows})


def _may(viewer: Principal | None, action: Action, target: object) -> bool:
    """Whether to offer a control (the service checks again when it is used)."""
    return viewer is not None and allowed(viewer, action, target)


def _request_context(viewer: Principal | None, request_id: int) -> dict[str, Any]:
    view = request_get(viewer, request_id)
    r = view.request
    open_shipments = any(s.shipment.status != ShipmentStatus.CANCELLED for s in view.shipments)
    moving = any(s.shipment.status in (ShipmentStatus.PREPARED, ShipmentStatus.DISPATCHED) for s in view.shipments)
    return {"view": view, "req": r,
            "can_decide": r.status == RequestStatus.SUBMITTED and _may(viewer, DECIDE_REQUEST, r.source),
            "can_ship": r.status in (RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED) and view.outstanding > 0
            and _may(viewer, SHIP_SUPPLIES, r.source),
            "can_cancel": r.status in (RequestStatus.SUBMITTED, RequestStatus.APPROVED) and not open_shipments
            and _may(viewer, REQUEST_SUPPLIES, Target(region_id=r.region_id, facility_id=r.facility_id)),
            "can_close": r.status in (RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED) and not moving
            and _may(viewer, DECIDE_REQUEST, r.source),
            "ship_rights": _may(viewer, SHIP_SUPPLIES, r.source),
            "receive_rights": _may(viewer, MOVE_STOCK, r.destination)}


@login_required
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        context = _request_context(viewer, request_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "supplies/request.html", context)


def _after(request: HttpRequest, exc: DomainError | None, done: str, page: str, **kwargs: int) -> HttpResponse:
    """Back to the page the form was on, with the outcome as a message (403/404: the error page)."""
    if exc is not None:
        if exc.status in (401, 403, 404):
            return domain_error_page(request, exc)
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, done)
    return redirect(page, **kwargs)


def _quantities(post: QueryDict, prefix: str) -> dict[int, int] | None:
    """`<prefix><id>` fields as {id: whole number}; None when one is not a whole number."""
    out: dict[int, int] = {}
    for key, value in post.items():
        if key.startswith(prefix):
            line_id, units = _int(key[len(prefix):]), _int(value.strip() or "0")
            if line_id is None or units is None:
                return None
            out[line_id] = units
    return out


@require_POST
@login_required
def request_decide_action(request: HttpRequest, request_id: int) -> HttpResponse:
    approved = _quantities(request.POST, "approved_")
    error: DomainError | None = None
    if approved is None:
        messages.error(request, _("Enter whole numbers of 0 or more."))
        return redirect("supplies:request", request_id=request_id)
    if request.POST.get("decision") == "reject":
        approved = {line_id: 0 for line_id in approved}
    try:
        decided = request_decide(actor=principal_for_user(request.user), request_id=request_id,
                                 version=_int(request.POST.get("version")) or 0, approved=approved,
                                 note=_text(request.POST, "note"))
    except DomainError as exc:
        error, decided = exc, None
    done = _("The request is rejected.") if decided and decided.status == RequestStatus.REJECTED else \
        _("The request is approved.")
    return _after(request, error, done, "supplies:request", request_id=request_id)


@require_POST
@login_required
def request_cancel_action(request: HttpRequest, request_id: int) -> HttpResponse:
    error: DomainError | None = None
    try:
        request_cancel(actor=principal_for_user(request.user), request_id=request_id,
                       version=_int(request.POST.get("version")) or 0, reason=_text(request.POST, "reason"))
    except DomainError as exc:
        error = exc
    return _after(request, error, _("The request is cancelled."), "supplies:request", request_id=request_id)


@require_POST
@login_required
def request_close_action(request: HttpRequest, request_id: int) -> HttpResponse:
    error: DomainError | None = None
    try:
        request_close(actor=principal_for_user(request.user), request_id=request_id,
                      version=_int(request.POST.get("version")) or 0, reason=_text(request.POST, "reason"))
    except DomainError as exc:
        error = exc
    return _after(request, error, _("The request is closed: nothing more will be sent."), "supplies:request",
                  request_id=request_id)


@require_POST
@login_required
def request_ship_action(request: HttpRequest, request_id: int) -> HttpResponse:
    units = _quantities(request.POST, "ship_")
    if not units or not any(units.values()):
        messages.error(request, _("Enter the units to ship on at least one line (whole numbers)."))
        return redirect("supplies:request", request_id=request_id)
    try:
        shipment = shipment_prepare(actor=principal_for_user(request.user), request_id=request_id,
                                    lines={i: q for i, q in units.items() if q}, carrier=_text(request.POST, "carrier"))
    except DomainError as exc:
        return _after(request, exc, "", "supplies:request", request_id=request_id)
    return _after(request, None, _("The shipment is prepared."), "supplies:shipment", shipment_id=shipment.pk)


@login_required
def shipment_page(request: HttpRequest, shipment_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        view = shipment_get(viewer, shipment_id)
    except DomainError as exc:
        return domain_error_page(request, exc)
    r = view.shipment.request
    return render(request, "supplies/shipment.html", {
        "s": view, "req": r, "ship_rights": _may(viewer, SHIP_SUPPLIES, r.source),
        "receive_rights": _may(viewer, MOVE_STOCK, r.destination)})


def _back(request: HttpRequest, shipment_id: int) -> tuple[str, dict[str, int]]:
    """Forms on the request page return there; the shipment page's forms return to the shipment."""
    request_id = _int(request.POST.get("back_request"))
    if request_id:
        return "supplies:request", {"request_id": request_id}
    return "supplies:shipment", {"shipment_id": shipment_id}


@require_POST
@login_required
def shipment_dispatch_action(request: HttpRequest, shipment_id: int) -> HttpResponse:
    error: DomainError | None = None
    try:
        shipment_dispatch(actor=principal_for_user(request.user), shipment_id=shipment_id,
                          version=_int(request.POST.get("version")) or 0)
    except DomainError as exc:
        error = exc
    page, kwargs = _back(request, shipment_id)
    return _after(request, error, _("The shipment is dispatched."), page, **kwargs)


@require_POST
@login_required
def shipment_receive_action(request: HttpRequest, shipment_id: int) -> HttpResponse:
    received = _quantities(request.POST, "received_")
    page, kwargs = _back(request, shipment_id)
    if received is None:
        messages.error(request, _("Enter whole numbers of 0 or more."))
        return redirect(page, **kwargs)
    notes = {line_id: _text(request.POST, f"note_{line_id}") for line_id in received}
    error: DomainError | None = None
    try:
        shipment_receive(actor=principal_for_user(request.user), shipment_id=shipment_id, received=received,
                         notes={i: n for i, n in notes.items() if n})
    except DomainError as exc:
        error = exc
    return _after(request, error, _("The shipment is received; the stock is in the warehouse."), page, **kwargs)


@require_POST
@login_required
def shipment_cancel_action(request: HttpRequest, shipment_id: int) -> HttpResponse:
    error: DomainError | None = None
    try:
        shipment_cancel(actor=principal_for_user(request.user), shipment_id=shipment_id,
                        version=_int(request.POST.get("version")) or 0)
    except DomainError as exc:
        error = exc
    page, kwargs = _back(request, shipment_id)
    return _after(request, error, _("The shipment is cancelled."), page, **kwargs)
