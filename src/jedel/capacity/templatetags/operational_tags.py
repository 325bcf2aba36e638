"""Template helpers of the operational status panel (partials/operational_status.html).

The panel reads its figures itself, from the report the page already shows, so the facility page's view and
the status model need not carry figures that only this panel displays.
"""

from __future__ import annotations

from django import template

from jedel.capacity.models import FacilityOperation, SecurityStatus, Staffing
from jedel.capacity.operational import OperationalInput
from jedel.capacity.selectors.operational import operational_get

register = template.Library()

_CHOICES = {"facility_status": FacilityOperation, "security_status": SecurityStatus, "staffing": Staffing}
# Values that call for attention on the page (the same CSS classes as the ED status badges).
_ALERT = {"compromised": "diversion", "evacuating": "closed", "closed": "closed", "elevated": "diversion",
          "restricted_access": "diversion", "lockdown": "closed", "quarantine": "closed", "insufficient": "diversion"}


@register.simple_tag
def operational_status(row: object) -> OperationalInput | None:
    """The operational status stated with the row's current report (None when it stated none)."""
    current = getattr(row, "current", None)
    return operational_get(getattr(current, "report_id", None))


@register.filter
def operational_label(value: str, field: str) -> str:
    """Translated label of a stored operational value ("" = not reported)."""
    if not value:
        return "—"
    try:
        return str(_CHOICES[field](value).label)
    except (KeyError, ValueError):
        return value


@register.filter
def operational_class(value: str) -> str:
    """CSS badge class of an operational value: normal values are "open", worrying ones diversion/closed."""
    return _ALERT.get(value, "open") if value else ""
