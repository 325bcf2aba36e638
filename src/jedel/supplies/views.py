"""Supplies pages: the national stock overview (map and tables), a warehouse (stock, moves, ledger), the
catalogue, and the burn-rate forecast."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jedel.accounts.policy import Principal, allowed, principal_for_user
from jedel.common.errors import DomainError
from jedel.common.views import domain_error_page
from jedel.facilities.io import ImportFailed, decode
from jedel.supplies import engines, selectors
from jedel.supplies.forecast_chart import forecast_svg
from jedel.supplies.forms import (AdjustForm, CensusForm, CountImportForm, IssueForm, KitAssemblyForm, MinimumForm,
                                  ReceiveForm, WriteOffForm)
from jedel.supplies.models import Category
from jedel.supplies.permissions import MANAGE_WAREHOUSE, MOVE_STOCK
from jedel.supplies.services import catalogue, kits, ledger, stock_import
from jedel.supplies.warehouse_overview import warehouse_rows, national_rows

WAREHOUSE_FORMS = {"receive": ReceiveForm, "issue": IssueForm, "adjust": AdjustForm, "write_off": WriteOffForm,
                   "assemble": KitAssemblyForm, "minimum": MinimumForm}


@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        warehouses = selectors.warehouses(viewer)
        outlooks = engines.outlooks(viewer, now=timezone.now())
    except DomainError as exc:
        return domain_error_page(request, exc)
    rows = warehouse_rows(warehouses, outlooks)
    config = {"i18n": {"boundaries": _("Boundaries © OpenStreetMap contributors (ODbL)"),
                       "belowMinimum": _("below minimum"), "daysOfSupply": _("lowest days of supply")},
              "geojsonUrl": reverse("board:regions_geojson"),
              "warehouses": [{"id": r.warehouse.pk, "name": r.warehouse.name, "lat": r.warehouse.lat,
                              "lon": r.warehouse.lon, "status": r.status, "below": r.below_minimum,
                              "url": reverse("supplies:warehouse", args=[r.warehouse.pk])} for r in rows]}
    return render(request, "supplies/overview.html", {"rows": rows, "items": national_rows(outlooks),
                                                      "config": config, "import_form": CountImportForm()})


def _item_choices(viewer: Principal | None) -> list[tuple[int, str]]:
    return [(i.pk, f"{i.name} ({i.code})") for i in selectors.items(viewer)]


def _current_versions(viewer: Principal | None) -> list[Any]:
    """The current version of each kit (kit_versions lists them newest first per kit)."""
    latest: dict[int, Any] = {}
    for v in selectors.kit_versions(viewer):
        latest.setdefault(v.kit_id, v)
    return list(latest.values())


def _kit_choices(viewer: Principal | None) -> list[tuple[int, str]]:
    return [(v.pk, f"{v.kit.name} v{v.number}") for v in _current_versions(viewer)]


def _apply(viewer: Principal, warehouse_id: int, action: str, d: dict[str, Any]) -> str:
    """Run one warehouse form's service; the message to show."""
    if action == "receive":
        ledger.stock_receive(actor=viewer, warehouse_id=warehouse_id, item_id=d["item"], quantity=d["quantity"],
                             lot=d["lot"], expires_on=d["expires_on"], reference=d["reference"])
        return _("Receipt recorded.")
    if action == "issue":
        taken = ledger.stock_issue(actor=viewer, warehouse_id=warehouse_id, item_id=d["item"],
                                   quantity=d["quantity"], note=d["note"])
        return _("Issued: %(lots)s.") % {"lots": ", ".join(f"{t.batch.lot or '—'} × {t.quantity}" for t in taken)}
    if action == "adjust":
        ledger.stock_adjust(actor=viewer, warehouse_id=warehouse_id, item_id=d["item"], delta=d["delta"],
                            lot=d["lot"], note=d["note"])
        return _("Adjustment recorded.")
    if action == "write_off":
        units = ledger.expiry_write_off(actor=viewer, warehouse_id=warehouse_id, item_id=d["item"], lot=d["lot"])
        return _("%(units)d expired units written off.") % {"units": units}
    if action == "assemble":
        made = kits.kit_assemble(actor=viewer, warehouse_id=warehouse_id, kit_version_id=d["kit_version"],
                                 count=d["count"], lot=d["lot"])
        return _("%(count)d kits assembled (lot %(lot)s).") % {"count": made.count, "lot": made.lot or "—"}
    catalogue.minimum_set(actor=viewer, warehouse_id=warehouse_id, item_id=d["item"], min_units=d["min_units"])
    return _("Minimum stock saved.")


@login_required
def warehouse_page(request: HttpRequest, warehouse_id: int) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        warehouse = selectors.warehouse_get(viewer, warehouse_id)
        choices = {"items": _item_choices(viewer), "kits": _kit_choices(viewer)}
    except DomainError as exc:
        return domain_error_page(request, exc)
    action = request.POST.get("action", "")
    forms = {name: cls(request.POST if action == name else None, prefix=name,
                       **({"kits": choices["kits"]} if name == "assemble" else {"items": choices["items"]}))
             for name, cls in WAREHOUSE_FORMS.items()}
    if request.method == "POST" and action in forms and forms[action].is_valid():
        assert viewer is not None
        try:
            messages.success(request, _apply(viewer, warehouse.pk, action, forms[action].cleaned_data))
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                return domain_error_page(request, exc)
            forms[action].add_error(None, str(exc.detail))
        else:
            return redirect("supplies:warehouse", warehouse_id=warehouse.pk)
    assert viewer is not None
    outlooks = engines.outlooks(viewer, warehouse_id=warehouse.pk, now=timezone.now())
    context = {"warehouse": warehouse, "outlooks": outlooks, "forms": forms, "failed": action,
               "entries": selectors.ledger(viewer, warehouse.pk, limit=50),
               "can_move": allowed(viewer, MOVE_STOCK, warehouse),
               "can_set_minimum": allowed(viewer, MANAGE_WAREHOUSE, warehouse),
               "lead_time_days": engines.LEAD_TIME_DAYS, "safety_days": engines.SAFETY_STOCK_DAYS,
               "target_days": engines.TARGET_DAYS_OF_SUPPLY, "window_days": selectors.USE_WINDOW_DAYS}
    return render(request, "supplies/warehouse.html", context, status=422 if action and request.method == "POST"
                  else 200)


@login_required
def count_import_action(request: HttpRequest) -> HttpResponse:
    """Upload a stock-count file: every bad line listed, nothing written unless the whole file is valid."""
    viewer = principal_for_user(request.user)
    form = CountImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = stock_import.stock_counts_import(decode(form.cleaned_data["file"].read()), actor=viewer)
        except ImportFailed as exc:
            problems = [str(i) for i in exc.issues[:100]] + ([exc.more] if exc.more else [])
        except DomainError as exc:
            return domain_error_page(request, exc)
        else:
            messages.success(request, _("Stock counts imported: %(lines)d lines, %(adjusted)d adjusted.") % {
                "lines": result.lines, "adjusted": result.adjusted})
            return redirect("supplies:overview")
    return render(request, "supplies/count_import.html", {"form": form, "problems": problems},
                  status=422 if request.method == "POST" else 200)


@login_required
def catalogue_page(request: HttpRequest) -> HttpResponse:
    viewer = principal_for_user(request.user)
    try:
        items = selectors.items(viewer)
        kits_now = _current_versions(viewer)
    except DomainError as exc:
        return domain_error_page(request, exc)
    return render(request, "supplies/catalogue.html", {
        "groups": [(label, [i for i in items if i.category == value]) for value, label in Category.choices],
        "kits": kits_now})


@login_required
def forecast_page(request: HttpRequest) -> HttpResponse:
    """Need over a census forecast at an item's per patient-day rate, and the day the stock runs out."""
    viewer = principal_for_user(request.user)
    try:
        warehouses = [(w.pk, w.name) for w in selectors.warehouses(viewer)]
        items = [(i.pk, f"{i.name} ({i.code})") for i in selectors.items(viewer) if i.units_per_patient_day]
    except DomainError as exc:
        return domain_error_page(request, exc)
    form = CensusForm(request.GET or None, warehouses=warehouses, items=items)
    result = chart = None
    if form.is_bound and form.is_valid():
        census = form.census()
        try:
            inp = selectors.census_input(viewer, form.cleaned_data["warehouse"], form.cleaned_data["item"], None)
        except DomainError as exc:
            form.add_error(None, str(exc.detail))
        else:
            result = {"input": inp, "forecast": engines.census_forecast(inp.on_hand, census, inp.units_per_patient_day),
                      "first_day_need": census[0] * inp.units_per_patient_day}
            chart = forecast_svg(inp.on_hand, census, inp.units_per_patient_day)
    return render(request, "supplies/forecast.html", {"form": form, "result": result, "chart": chart})
