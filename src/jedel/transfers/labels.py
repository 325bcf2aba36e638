"""Words for the codes a transfer page shows: timeline kinds, mission steps, bed types, capabilities, needs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jedel.capacity.models import BedType
from jedel.facilities.models import Capability
from jedel.transfers.models import MissionStep, Need, Transfer

EVENT_LABELS = {
    "transfer.requested": _("Requested"), "transfer.routed": _("Sent to a receiving facility"),
    "transfer.accepted": _("Accepted"), "transfer.rejected": _("Declined"),
    "transfer.arranged": _("Transport arranged"), "transfer.cancelled": _("Cancelled"),
    "transfer.expired": _("Expired"), "not_notified": _("Nobody could be notified"),
    **{f"mission.{s.value}": s.label for s in MissionStep},
}
STEP_LABELS = {s.value: s.label for s in MissionStep}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def transfer_labels(t: Transfer) -> dict[str, str]:
    """The transfer's bed type, capabilities and needs in words."""
    caps = dict(Capability.choices)
    needs = dict(Need.choices)
    return {"bed_type": str(dict(BedType.choices).get(t.bed_type, t.bed_type)),
            "capabilities": ", ".join(str(caps.get(c, c)) for c in t.capabilities) or "—",
            "needs": ", ".join(str(needs.get(n, n)) for n in t.needs) or "—"}

REASON_LABELS = {
    "on_mission": _("On another mission"), "maintenance": _("Maintenance"), "weather_grounded": _("Weather-grounded"),
    "missing_equipment": _("Lacks the equipment the patient needs"), "out_of_range": _("Out of range"),
    "night": _("Day-only aircraft: would fly after dark"),
}


def option_row(o: object) -> dict[str, object]:
    """A dispatch option as the page shows it (`o` is an engines.DispatchOption)."""
    from dataclasses import asdict

    from jedel.transfers.models import AssetKind

    row: dict[str, object] = asdict(o)  # type: ignore[call-overload]
    row.update(feasible=getattr(o, "feasible"), kind_label=str(dict(AssetKind.choices).get(row["kind"], row["kind"])),
               reason_label=str(REASON_LABELS.get(str(row["reason"]), row["reason"])))
    return row
