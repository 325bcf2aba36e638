"""A timeline entry as one translated sentence (entries store a kind and data, so each reader gets their language)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jedel.incidents.models import (
    CASUALTY_STATUSES,
    TRIAGE_CATEGORIES,
    IncidentKind,
    IncidentRoleKind,
    TimelineEntry,
    TimelineKind,
)

_STATUS = dict(CASUALTY_STATUSES)
_CATEGORY = dict(TRIAGE_CATEGORIES)
_ROLE = dict(IncidentRoleKind.choices)


def _label(table: dict[str, object], value: object) -> str:
    return str(table.get(str(value), value or "—"))


def timeline_text(entry: TimelineEntry) -> str:
    """What happened, in the active language."""
    d = entry.data
    kind = entry.kind
    if kind == TimelineKind.DECLARED:
        text = _("Declared: %(kind)s, regions %(regions)s.") % {
            "kind": _label(dict(IncidentKind.choices), d.get("kind")), "regions": ", ".join(d.get("regions", []))}
        return f"{text} {_('EXERCISE')}" if d.get("exercise") else text
    if kind == TimelineKind.NOTIFIED and d.get("prealert"):
        text = _("Hospitals within %(km)s km pre-alerted: %(hospitals)s.") % {
            "km": f"{d.get('radius_km', 0):g}", "hospitals": ", ".join(d.get("notices", {})) or "—"}
        if d.get("unreachable"):
            text += " " + _("Nobody could be reached at %(hospitals)s.") % {"hospitals": ", ".join(d["unreachable"])}
        return text
    if kind == TimelineKind.NOTIFIED:
        return _("Coordinators of %(region)s notified.") % {"region": d.get("region", "")}
    if kind == TimelineKind.NOT_NOTIFIED:
        return _("Nobody in %(region)s could be notified (%(code)s).") % {"region": d.get("region", ""),
                                                                           "code": d.get("code", "")}
    if kind == TimelineKind.ROLE_ASSIGNED:
        return _("%(user)s is now %(role)s.") % {"user": d.get("user", ""), "role": _label(_ROLE, d.get("role"))}
    if kind == TimelineKind.CASUALTY_REGISTERED and d.get("walk_in_count"):
        n = int(d["walk_in_count"])
        return ngettext("%(hospital)s counted %(count)s walk-in: %(category)s.",
                        "%(hospital)s counted %(count)s walk-ins: %(category)s.", n) % {
            "hospital": d.get("hospital", ""), "count": n, "category": _label(_CATEGORY, d.get("category"))}
    if kind == TimelineKind.CASUALTY_REGISTERED and d.get("walk_in"):
        return _("Walk-in %(tag)s arrived at %(hospital)s (%(category)s).") % {
            "tag": d.get("tag", ""), "hospital": d.get("hospital", ""),
            "category": _label(_CATEGORY, d.get("category"))}
    if kind == TimelineKind.CASUALTY_REGISTERED:
        return _("Casualty %(tag)s registered (%(category)s).") % {
            "tag": d.get("tag", ""), "category": _label(_CATEGORY, d.get("category"))}
    if kind == TimelineKind.CASUALTY_TRIAGED:
        return _("Casualty %(tag)s triaged: %(category)s.") % {
            "tag": d.get("tag", ""), "category": _label(_CATEGORY, d.get("category"))}
    if kind == TimelineKind.CASUALTY_MOVED:
        text = _("Casualty %(tag)s: %(from)s → %(to)s.") % {
            "tag": d.get("tag", ""), "from": _label(_STATUS, d.get("from")), "to": _label(_STATUS, d.get("to"))}
        return f"{text} {d['destination']}" if d.get("destination") else text
    if kind == TimelineKind.CASUALTY_ASSIGNED:
        text = _("Casualty %(tag)s assigned to %(hospital)s.") % {"tag": d.get("tag", ""),
                                                                  "hospital": d.get("hospital", "")}
        if d.get("reason"):
            text += " " + _("Override (proposed: %(proposed)s): %(reason)s") % {
                "proposed": d.get("proposed") or "—", "reason": d["reason"]}
        return text
    if kind == TimelineKind.INCOMING_NOTIFIED:
        return _("%(hospital)s notified of casualty %(tag)s.") % {"hospital": d.get("hospital", ""),
                                                                  "tag": d.get("tag", "")}
    if kind == TimelineKind.HOSPITAL_FULL:
        text = _("%(hospital)s is full for %(category)s.") if d.get("full") else _(
            "%(hospital)s takes %(category)s again.")
        return text % {"hospital": d.get("hospital", ""), "category": _label(_CATEGORY, d.get("category"))}
    if kind == TimelineKind.DIVERSION_REQUESTED:
        return _("%(hospital)s asked for casualty %(tag)s to be diverted.") % {
            "hospital": d.get("hospital", ""), "tag": d.get("tag", "")}
    return str(TimelineKind(kind).label) if kind in TimelineKind.values else kind
