"""Waiting clocks of a transfer: minutes since the request, and the durations of its stages."""

from __future__ import annotations

from datetime import datetime

from jedel.transfers.models import OPEN_STATES, Transfer


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    """Whole-minute precision is enough for people; one decimal is kept for the statistics."""
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60.0, 1)


def waiting_min(transfer: Transfer, now: datetime) -> float:
    """How long the patient has waited: until now while open, until arrival or closing otherwise."""
    end = now if transfer.state in OPEN_STATES else (transfer.arrived_at or transfer.closed_at or now)
    return minutes_between(transfer.requested_at, end) or 0.0


def stage_minutes(transfer: Transfer) -> dict[str, float | None]:
    """Request → acceptance, → departure, → arrival (None where the step has not happened)."""
    return {"to_acceptance_min": minutes_between(transfer.requested_at, transfer.accepted_at),
            "to_departure_min": minutes_between(transfer.requested_at, transfer.departed_at),
            "to_arrival_min": minutes_between(transfer.requested_at, transfer.arrived_at)}
