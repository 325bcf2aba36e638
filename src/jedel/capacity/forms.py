"""Forms of capacity reporting and of the board's filters.

The report form only shapes input: every capacity rule lives in services/capacity_rules.py, and its errors
come back onto these fields by their path (see `place_errors`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jedel.capacity.models import BedType, EdStatus, FacilityOperation, OxygenStatus, SecurityStatus, Staffing
from jedel.capacity.operational import OPERATIONAL_FIELDS, OperationalInput
from jedel.facilities.models import Capability, FacilityKind
from jedel.capacity.report_input import BedInput, ReportInput
from jedel.capacity.selectors.status import StatusRow
from jedel.capacity.services.report_rules import MAX_COUNT

TRISTATE = [("", _("Not reported")), ("true", _("Working")), ("false", _("Not working"))]
_COUNT_WIDGET = forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"})


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, widget=_COUNT_WIDGET)


def _tristate(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get(value or "")


class ReportForm(forms.Form):
    """Report-level figures; bed rows come from BedFormSet."""

    reported_at = forms.DateTimeField(label=_("Figures valid at"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), input_formats=["%Y-%m-%dT%H:%M",
                                                                                     "%Y-%m-%d %H:%M"])
    ed_status = forms.ChoiceField(label=_("Emergency department"), choices=EdStatus.choices)
    ed_status_reason = forms.CharField(label=_("Reason (required for diversion or closure)"), required=False,
                                       max_length=300)
    oxygen_status = forms.ChoiceField(label=_("Oxygen supply"), choices=OxygenStatus.choices)
    ventilators_total = _count(_("Ventilators, total"))
    ventilators_in_use = _count(_("Ventilators in use"))
    ct_operational = forms.ChoiceField(label=_("CT scanner"), choices=TRISTATE, required=False)
    xray_operational = forms.ChoiceField(label=_("X-ray"), choices=TRISTATE, required=False)
    lab_tests_capacity_per_day = _count(_("Laboratory tests per day, capacity"))
    lab_tests_performed_per_day = _count(_("Laboratory tests per day, performed"))
    mci_immediate_per_hour = _count(_("Immediate (red) casualties per hour"))
    mci_delayed_per_hour = _count(_("Delayed (yellow) casualties per hour"))
    mci_minimal_per_hour = _count(_("Minimal (green) casualties per hour"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Operational status (EDXL-HAVE): a folded section of the form, "" = not reported.
    facility_status = forms.ChoiceField(label=_("Facility operations"), required=False,
                                        choices=[("", _("Not reported")), *FacilityOperation.choices])
    security_status = forms.ChoiceField(label=_("Security"), required=False,
                                        choices=[("", _("Not reported")), *SecurityStatus.choices])
    staffing = forms.ChoiceField(label=_("Staffing"), required=False,
                                 choices=[("", _("Not reported")), *Staffing.choices])
    admissions_24h = _count(_("Admissions, last 24 h"))
    discharges_24h = _count(_("Discharges, last 24 h"))
    deaths_24h = _count(_("Deaths, last 24 h"))

    def operational_fields(self) -> list[Any]:
        """The operational status fields, in form order (the folded section of the template)."""
        return [self[name] for name in OPERATIONAL_FIELDS]

    def operational_has_errors(self) -> bool:
        """Unfold the section when one of its fields has an error."""
        return any(name in self.errors for name in OPERATIONAL_FIELDS)


class BedRowForm(forms.Form):
    """One bed type; a row left entirely blank is not reported."""

    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    staffed = _count(_("Staffed"))
    occupied = _count(_("Occupied"))
    available = _count(_("Available"))
    surge_24h = _count(_("Surge within 24 h"))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(f) is None for f in ("staffed", "occupied", "available", "surge_24h"))


BedFormSet = forms.formset_factory(BedRowForm, extra=0, max_num=len(BedType) * 2, absolute_max=len(BedType) * 2)


def report_initial(row: StatusRow | None, operational: OperationalInput | None = None,
                   ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Prefill from the current status and its operational status: a new report usually changes a few figures
    of the last one."""
    initial: dict[str, Any] = {"reported_at": timezone.localtime().replace(second=0, microsecond=0),
                               "ed_status": EdStatus.OPEN, "oxygen_status": OxygenStatus.UNKNOWN,
                               **asdict(operational or OperationalInput())}
    last = row.current if row else None
    if last is not None:
        for name in ReportForm.base_fields:
            if name not in {"reported_at", "note"} and hasattr(last, name):
                value = getattr(last, name)
                initial[name] = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) \
                    else value
    beds = [{"bed_type": bt.value, **({} if last is None or bt.value not in last.beds else {
        "staffed": last.beds[bt.value].staffed, "occupied": last.beds[bt.value].occupied,
        "surge_24h": last.beds[bt.value].surge_24h,
        # Available is derived on submit unless it could not be (staffed or occupied not reported).
        "available": None if None not in (last.beds[bt.value].staffed, last.beds[bt.value].occupied)
        else last.beds[bt.value].available})} for bt in BedType]
    return initial, beds


def report_input(form: ReportForm, formset: Any) -> tuple[ReportInput, list[int]]:
    """The ReportInput of valid forms, and for each reported bed the index of its formset row."""
    d = form.cleaned_data
    rows = [(i, f.cleaned_data) for i, f in enumerate(formset.forms) if not f.is_blank()]
    beds = tuple(BedInput(bed_type=r["bed_type"], staffed=r["staffed"], occupied=r["occupied"],
                          available=r["available"], surge_24h=r["surge_24h"]) for _, r in rows)
    fields = {n: d[n] for n in ReportForm.base_fields if n not in {"ct_operational", "xray_operational"}}
    data = ReportInput(beds=beds, ct_operational=_tristate(d["ct_operational"]),
                       xray_operational=_tristate(d["xray_operational"]), **fields)
    return data, [i for i, _ in rows]


def place_errors(errors: list[dict[str, Any]], form: ReportForm, formset: Any, bed_rows: list[int]) -> None:
    """Attach service errors to the field each names: ["beds", 2, "occupied"] → that bed row's field."""
    for e in errors:
        loc = e.get("loc") or []
        if len(loc) == 3 and loc[0] == "beds":
            row = formset.forms[bed_rows[int(loc[1])]]
            row.add_error(loc[2] if loc[2] in row.fields else None, e["msg"])
        elif loc and loc[0] in form.fields:
            form.add_error(loc[0], e["msg"])
        else:
            form.add_error(None, e["msg"])


SORT_KEYS = ("name", "region", "kind", "ed", "available", "icu", "occupancy", "ventilators", "updated")


class BoardFilterForm(forms.Form):
    """The board table's filters and sort (query parameters, so every view of the board is a URL)."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *FacilityKind.choices])
    capability = forms.ChoiceField(label=_("Capability"), required=False,
                                   choices=[("", _("Any capability")), *Capability.choices])
    bed_type = forms.ChoiceField(label=_("Bed type"), required=False,
                                 choices=[("", _("All bed types")), *BedType.choices])
    min_available = forms.IntegerField(label=_("Available at least"), required=False, min_value=0, max_value=MAX_COUNT,
                                       widget=forms.NumberInput(attrs={"min": 0, "size": 4}))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                             choices=[("", "")] + [(p + k, k) for k in SORT_KEYS for p in ("", "-")])
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *regions]
