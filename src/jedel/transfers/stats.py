"""Transfer statistics by region (of the sending facility) and month (local time): counts, median stage times,
declines and the share moved by air. Aggregates only: no diagnosis, no reference."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from zoneinfo import ZoneInfo

from django.conf import settings

from jedel.accounts.policy import Principal
from jedel.accounts.services import require
from jedel.transfers.clocks import stage_minutes
from jedel.transfers.models import Decline, Transfer
from jedel.transfers.permissions import VIEW_TRANSFER_STATS
from jedel.transfers.selectors import transfer_rows_all

AIR = frozenset({"helicopter", "fixed_wing"})
CSV_COLUMNS = ["region", "month", "requests", "accepted", "arrived", "declines", "by_air", "air_share_pct",
               "median_to_acceptance_min", "median_to_departure_min", "median_to_arrival_min"]


@dataclass(frozen=True)
class StatsRow:
    region: str
    month: str
    requests: int
    accepted: int
    arrived: int
    declines: int
    by_air: int
    air_share_pct: float | None
    median_to_acceptance_min: float | None
    median_to_departure_min: float | None
    median_to_arrival_min: float | None


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def transfer_stats(*, viewer: Principal | None, since: datetime | None = None,
                   by_region: bool = True) -> list[StatsRow]:
    """One row per (region, month), sorted; the share by air counts transfers that got transport. Without
    `by_region`, one row per month for the whole country (region "")."""
    require(viewer, VIEW_TRANSFER_STATS, object_type="transfer_stats")
    tz = ZoneInfo(settings.TIME_ZONE)

    def key(t: Transfer) -> tuple[str, str]:
        return (t.origin.region.iso_code if by_region else "", t.requested_at.astimezone(tz).strftime("%Y-%m"))

    groups: dict[tuple[str, str], list] = defaultdict(list)
    for t in transfer_rows_all(since=since):
        groups[key(t)].append(t)
    declines: dict[tuple[str, str], int] = defaultdict(int)
    for d in Decline.objects.select_related("transfer__origin__region"):
        declines[key(d.transfer)] += 1
    rows = []
    for (region, month), items in sorted(groups.items()):
        stages = [stage_minutes(t) for t in items]
        moved = [t for t in items if t.mode]
        air = sum(t.mode in AIR for t in moved)
        rows.append(StatsRow(
            region=region, month=month, requests=len(items), accepted=sum(t.accepted_at is not None for t in items),
            arrived=sum(t.state == "arrived" for t in items), declines=declines[(region, month)], by_air=air,
            air_share_pct=round(100.0 * air / len(moved), 1) if moved else None,
            **{f"median_{k}": _median([s[k] for s in stages if s[k] is not None])
               for k in ("to_acceptance_min", "to_departure_min", "to_arrival_min")}))
    return rows


def declines_by_facility(*, viewer: Principal | None) -> list[tuple[str, str, int]]:
    """(facility code, name, declines), most declines first."""
    require(viewer, VIEW_TRANSFER_STATS, object_type="transfer_stats")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for d in Decline.objects.select_related("facility"):
        counts[(d.facility.code, d.facility.name)] += 1
    return sorted(((c, n, k) for (c, n), k in counts.items()), key=lambda r: (-r[2], r[0]))


def stats_csv(rows: list[StatsRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(["" if getattr(r, c) is None else getattr(r, c) for c in CSV_COLUMNS])
    return out.getvalue()
