"""Template helpers of the capacity board: labels of stored codes, "N min ago", percentages."""

from __future__ import annotations

from django import template
from django.forms import BoundField, Form
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jedel.capacity.models import BedType, EdStatus, OxygenStatus, ReportSource
from jedel.facilities.models import Capability, FacilityKind

register = template.Library()


def _label(choices: type, value: str | None) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


@register.filter
def bed_label(value: str) -> str:
    """Translated label of an EDXL-HAVE bed type."""
    return _label(BedType, value)


@register.filter
def ed_label(value: str | None) -> str:
    """Translated label of an emergency-department status ("overdue" included)."""
    if value == "overdue":
        return _("Overdue")
    if value == "none":
        return _("Not reporting")
    return _label(EdStatus, value) if value else _("No report")


@register.filter
def oxygen_label(value: str | None) -> str:
    """Translated label of an oxygen status."""
    return _label(OxygenStatus, value)


@register.filter
def kind_label(value: str) -> str:
    """Translated label of a facility kind."""
    return _label(FacilityKind, value)


@register.filter
def source_label(value: str) -> str:
    """Translated label of a report source (web form, API, EDXL-HAVE import, demo)."""
    return _label(ReportSource, value)


@register.filter
def capability_label(value: str) -> str:
    """Translated label of a facility capability."""
    return _label(Capability, value)


@register.filter
def ago(minutes: int | None) -> str:
    """'12 min ago', '5 h ago', '3 days ago', or 'never reported'."""
    if minutes is None:
        return _("never reported")
    if minutes < 120:
        return ngettext("%(n)d min ago", "%(n)d min ago", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}


@register.filter
def pct(value: float | None) -> str:
    """A percentage with one decimal, or a dash when unknown."""
    return "—" if value is None else f"{value:.1f} %"


@register.filter
def dash(value: object) -> object:
    """The value, or a dash when it was not reported (0 stays 0)."""
    return "—" if value is None or value == "" else value


@register.filter
def yesno_unknown(value: bool | None) -> str:
    """Working / not working / not reported.

    A facility that never reported has no `current`; the template then resolves `current.ct_operational` to
    "" (not None), which must read "not reported", never "not working"."""
    if value is None or value == "":
        return _("Not reported")
    return _("Working") if value else _("Not working")


@register.filter
def occupancy_class(value: float | None) -> str:
    """CSS class of an occupancy figure, matching the map's legend bins."""
    if value is None:
        return "occ-none"
    for limit, name in ((60, "occ-1"), (75, "occ-2"), (85, "occ-3"), (95, "occ-4")):
        if value < limit:
            return name
    return "occ-5"


@register.filter
def get_item(mapping: dict[str, object] | None, key: str) -> object:
    """mapping[key], or None."""
    return (mapping or {}).get(key)


@register.filter
def labelled(field: BoundField, row: Form) -> str:
    """A bed-row input named for people: "Adult ICU — Occupied" (its column header named it only by position)."""
    bed = bed_label(row["bed_type"].value())
    name = str(field.label) if field.name == "bed_type" else f"{bed} — {field.label}"
    return field.as_widget(attrs={"aria-label": name})
