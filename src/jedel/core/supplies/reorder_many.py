"""Reorder recommendations for many stock lines at once: :func:`reorder_recommendation` over numpy arrays.

A national warehouse's page shows 2,000 lines; checking and computing them one call at a time costs more than
reading them (bench/supplies_stock.py). The arithmetic here is the same IEEE-754 double operations in the same
order as :func:`.burn_rate.reorder_recommendation` (see there for the (s, S) policy and its sources), so each
result equals the one-line function's exactly; tests compare the two on random lines.

Units: units and units/day as in :mod:`.burn_rate`; lead, safety and target in days, shared by all lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from jedel.core.supplies.burn_rate import PACK_ROUNDING_TOLERANCE, Reorder, ReorderReason, reorder_recommendation
from jedel.core.supplies.errors import require_non_negative, require_whole

_REASONS = (ReorderReason.NO_USE, ReorderReason.BELOW_REORDER_POINT, ReorderReason.SUFFICIENT)


def _column(values: Sequence[float], name: str) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    if not (np.isfinite(array).all() and (array >= 0).all()):
        bad = next(i for i, v in enumerate(array.tolist()) if not (math.isfinite(v) and v >= 0))
        require_non_negative(values[bad], f"{name}[{bad}]")  # raises with the line's index
    return array


def reorder_recommendations(units_on_hand: Sequence[float], units_on_order: Sequence[float],
                            daily_use_units: Sequence[float], lead_time_days: float, safety_stock_days: float,
                            target_days_of_supply: float, pack_sizes: Sequence[int]) -> list[Reorder]:
    """One :class:`Reorder` per line, equal to ``reorder_recommendation`` of that line's values.

    Args:
        units_on_hand, units_on_order, daily_use_units, pack_sizes: one value per line (equal lengths).
        lead_time_days, safety_stock_days, target_days_of_supply: shared by every line.

    Raises:
        SupplyInputError: as ``reorder_recommendation``, the path naming the line (``"daily_use_units[3]"``);
            lengths that differ raise ``ValueError``.
    """
    n = len(units_on_hand)
    if not (len(units_on_order) == len(daily_use_units) == len(pack_sizes) == n):
        raise ValueError("every per-line sequence must have one value per line")
    if n == 0:
        return []
    # The shared figures are checked (and the target compared with lead + safety) by the one-line function.
    reorder_recommendation(0.0, 0.0, 0.0, lead_time_days, safety_stock_days, target_days_of_supply)
    lead, safety, target = float(lead_time_days), float(safety_stock_days), float(target_days_of_supply)
    on_hand = _column(units_on_hand, "units_on_hand")
    on_order = _column(units_on_order, "units_on_order")
    use = _column(daily_use_units, "daily_use_units")
    for i, pack in enumerate(pack_sizes):
        require_whole(pack, f"pack_sizes[{i}]", minimum=1)
    packs_of = np.asarray(pack_sizes, dtype=np.float64)

    position = on_hand + on_order
    reorder_point = use * (lead + safety)
    order_up_to = use * target
    no_use = use == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        supply_days = np.where(no_use, math.inf, on_hand / use)
    below = ~no_use & (position <= reorder_point)
    packs = np.where(below, np.ceil((order_up_to - position) / packs_of - PACK_ROUNDING_TOLERANCE), 0.0)
    reason = np.where(no_use, 0, np.where(below, 1, 2))
    return [Reorder(reason=_REASONS[r], order_units=int(k) * p, order_packs=int(k), reorder_point_units=s,
                    order_up_to_units=big_s, inventory_position_units=pos, days_of_supply=d)
            for r, k, p, s, big_s, pos, d in zip(reason.tolist(), packs.tolist(), pack_sizes, reorder_point.tolist(),
                                                 order_up_to.tolist(), position.tolist(), supply_days.tolist())]
