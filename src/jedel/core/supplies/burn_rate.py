"""Burn rate, days of supply and reorder of a stocked item (PPE, medicines, kits).

Sources:

* Consumption and days of supply: CDC, *Personal Protective Equipment (PPE) Burn Rate Calculator*, 2020
  (spreadsheet with instructions; the same method is in NIOSH's PPE Tracker app). The user counts the units
  of each item on hand on successive days (at least two counts are needed); the calculator derives the
  average consumption per day ("burn rate") and, when the patient census is entered, the average consumption
  per patient per day; days of supply remaining = units on hand / average consumption per day.
  Receipts between two counts are handled by stock balance: used = previous on hand + received − current on
  hand, so a delivery never reads as negative use. The average is the units used over the whole span
  divided by the days elapsed between the first and the last count (a count may be skipped on some days).
* Need from a census forecast: units per patient-day × forecast patient-days, the calculator's per-patient
  rate applied forward; the run-out day is the first forecast day whose cumulative need exceeds the stock.
* Reorder: the textbook (s, S) policy with continuous review (Silver, Pyke & Thomas, *Inventory and
  Production Management in Supply Chains*, 4th ed., CRC Press 2017): when the inventory position (on hand
  + on order) is at or below the reorder point s, order up to the level S. Here s = daily use × (lead time
  + safety days) and S = daily use × target days of supply; the order is rounded up to whole packs.
  Expressing the safety stock as days of use (instead of deriving it from the variance of demand and a
  service level, as the book does) is a project choice that matches how stock is discussed in the field.
  CDC's calculator gives days of supply only; it makes no order recommendation.

Units: item counts in units (each: one glove, one respirator, one kit); time in whole days, rates in
units per day or units per patient-day. Numbers may be fractional (litres of sanitiser) unless stated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from itertools import accumulate

from jedel.core.supplies.errors import SupplyErrorCode, SupplyInputError, require_non_negative, require_whole

# Shortfalls are products of fractional rates and day counts: 12.000000000001 packs is 12 packs, not 13.
PACK_ROUNDING_TOLERANCE = 1e-9


@dataclass(frozen=True)
class StockCount:
    """One count of an item's stock.

    Attributes:
        day: the day of the count.
        units_on_hand: units counted on hand that day.
        units_received_since_previous: units received after the previous count, up to and including this
            count (ignored on the first count of a series, which has no previous count).
    """

    day: date
    units_on_hand: float
    units_received_since_previous: float = 0.0


class ReorderReason(str, Enum):
    """Why an order is (not) recommended."""

    BELOW_REORDER_POINT = "below_reorder_point"  # on hand + on order <= reorder point: order up to target
    SUFFICIENT = "sufficient"                    # on hand + on order above the reorder point
    NO_USE = "no_use"                            # the item is not being used: nothing to forecast


@dataclass(frozen=True)
class Reorder:
    """An order recommendation under the (s, S) policy.

    Attributes:
        reason: why (see :class:`ReorderReason`); ``order_units > 0`` only for ``BELOW_REORDER_POINT``.
        order_units: units to order, a whole number of packs (0 when no order).
        order_packs: the same order in packs.
        reorder_point_units: s = daily use × (lead time + safety days).
        order_up_to_units: S = daily use × target days of supply.
        inventory_position_units: units on hand + units on order.
        days_of_supply: units on hand / daily use (CDC's figure; on-order units not counted);
            ``math.inf`` when there is no use.
    """

    reason: ReorderReason
    order_units: int
    order_packs: int
    reorder_point_units: float
    order_up_to_units: float
    inventory_position_units: float
    days_of_supply: float


def _checked_counts(counts: Sequence[StockCount]) -> list[tuple[StockCount, float]]:
    """Validate a count series; return each count after the first with the units used since the previous."""
    if len(counts) < 2:
        raise SupplyInputError(SupplyErrorCode.TOO_FEW_COUNTS, "counts",
                               f"{len(counts)} count(s) given; at least 2 are needed to measure use")
    intervals = []
    previous = counts[0]
    require_non_negative(previous.units_on_hand, "counts[0].units_on_hand")
    for i, count in enumerate(counts[1:], start=1):
        on_hand = require_non_negative(count.units_on_hand, f"counts[{i}].units_on_hand")
        received = require_non_negative(count.units_received_since_previous,
                                        f"counts[{i}].units_received_since_previous")
        if count.day <= previous.day:
            raise SupplyInputError(SupplyErrorCode.OUT_OF_ORDER, f"counts[{i}].day",
                                   f"{count.day.isoformat()} is not after the previous count's day "
                                   f"{previous.day.isoformat()}; counts must be in date order, one per day")
        available = float(previous.units_on_hand) + received
        if on_hand > available:
            before = f"{previous.units_on_hand:g} on hand on {previous.day.isoformat()}"
            raise SupplyInputError(SupplyErrorCode.NEGATIVE_USE, f"counts[{i}].units_on_hand",
                                   f"on {count.day.isoformat()} {on_hand:g} on hand is more than the "
                                   f"{before} plus {received:g} received; that would be negative use "
                                   "(a missed receipt or a miscount)")
        intervals.append((count, available - on_hand))
        previous = count
    return intervals


def units_used(counts: Sequence[StockCount]) -> float:
    """Units used between the first and the last count: the sum of (previous + received − current).

    Args:
        counts: at least two counts, in strictly increasing day order.

    Raises:
        SupplyInputError: fewer than two counts (``too_few_counts``), days not strictly increasing
            (``out_of_order``), a negative or non-finite number (``negative``, ``not_finite``), or a count
            with more on hand than the previous count plus what was received (``negative_use``; the message
            names the day).
    """
    return math.fsum(used for _, used in _checked_counts(counts))


def average_daily_use(counts: Sequence[StockCount]) -> float:
    """CDC's average consumption per day: units used / days elapsed from the first to the last count.

    Args:
        counts: at least two counts, in strictly increasing day order.

    Returns:
        Units per day (>= 0).

    Raises:
        SupplyInputError: as :func:`units_used`.
    """
    used = units_used(counts)
    return used / (counts[-1].day - counts[0].day).days


def use_per_patient_day(total_units_used: float, patient_days: float) -> float:
    """CDC's average consumption per patient per day: units used / patient-days over the same span.

    Args:
        total_units_used: units used over the span (e.g. :func:`units_used`).
        patient_days: the sum of the daily patient census over the same days (> 0).

    Returns:
        Units per patient-day.

    Raises:
        SupplyInputError: a negative or non-finite number, or ``patient_days`` equal to 0 (``not_positive``).
    """
    used = require_non_negative(total_units_used, "total_units_used")
    days = require_non_negative(patient_days, "patient_days")
    if days == 0:
        raise SupplyInputError(SupplyErrorCode.NOT_POSITIVE, "patient_days",
                               "must be > 0 to give a rate per patient-day")
    return used / days


def days_of_supply(units_on_hand: float, daily_use_units: float) -> float:
    """CDC's days of supply remaining: units on hand / units used per day; ``math.inf`` when use is 0.

    Raises:
        SupplyInputError: a negative or non-finite number.
    """
    on_hand = require_non_negative(units_on_hand, "units_on_hand")
    use = require_non_negative(daily_use_units, "daily_use_units")
    return math.inf if use == 0 else on_hand / use


def _checked_census(census_patients_per_day: Sequence[float]) -> list[float]:
    return [require_non_negative(n, f"census_patients_per_day[{i}]")
            for i, n in enumerate(census_patients_per_day)]


def forecast_use(census_patients_per_day: Sequence[float], units_per_patient_day: float) -> float:
    """Units needed over a census forecast: forecast patient-days × units per patient-day.

    Args:
        census_patients_per_day: the forecast number of patients on each day of the horizon.
        units_per_patient_day: the rate (e.g. :func:`use_per_patient_day`).

    Raises:
        SupplyInputError: a negative or non-finite number (the path names the day's index).
    """
    census = _checked_census(census_patients_per_day)
    rate = require_non_negative(units_per_patient_day, "units_per_patient_day")
    return math.fsum(census) * rate


def run_out_day(units_on_hand: float, census_patients_per_day: Sequence[float],
                units_per_patient_day: float) -> int | None:
    """The first forecast day the stock cannot cover, without resupply.

    Args:
        units_on_hand: stock at the start of the forecast's first day.
        census_patients_per_day: the forecast number of patients on each day (index 0 = first day).
        units_per_patient_day: the rate.

    Returns:
        The index of the first day whose cumulative need (patient-days so far × rate) exceeds the units on
        hand; None when the stock lasts the whole horizon (a need equal to the stock is covered).

    Raises:
        SupplyInputError: a negative or non-finite number.
    """
    stock = require_non_negative(units_on_hand, "units_on_hand")
    census = _checked_census(census_patients_per_day)
    rate = require_non_negative(units_per_patient_day, "units_per_patient_day")
    # Cumulative patient-days times the rate: one rounding per day, not a running sum of products.
    for i, patient_days in enumerate(accumulate(census)):
        if patient_days * rate > stock:
            return i
    return None


def reorder_recommendation(units_on_hand: float, units_on_order: float, daily_use_units: float,
                           lead_time_days: float, safety_stock_days: float, target_days_of_supply: float,
                           pack_size: int = 1) -> Reorder:
    """Whether to order, and how much, under the (s, S) policy (see the module docstring).

    Args:
        units_on_hand: units in stock now.
        units_on_order: units ordered and not yet received.
        daily_use_units: average use per day (e.g. :func:`average_daily_use`).
        lead_time_days: days from ordering to receipt.
        safety_stock_days: days of use kept against delays and surges.
        target_days_of_supply: days of use an order brings the inventory position up to; must exceed
            lead time + safety days, so that the order-up-to level is above the reorder point.
        pack_size: units per pack; orders are whole packs, rounded up.

    Returns:
        ``NO_USE`` with no order when daily use is 0; else ``BELOW_REORDER_POINT`` with
        ``ceil((S − position) / pack) × pack`` units when position <= s, or ``SUFFICIENT`` with no order.

    Raises:
        SupplyInputError: a negative or non-finite number, a pack size that is not a whole number >= 1, or
            a target not above lead time + safety days (``target_not_above_reorder_point``).
    """
    on_hand = require_non_negative(units_on_hand, "units_on_hand")
    on_order = require_non_negative(units_on_order, "units_on_order")
    use = require_non_negative(daily_use_units, "daily_use_units")
    lead = require_non_negative(lead_time_days, "lead_time_days")
    safety = require_non_negative(safety_stock_days, "safety_stock_days")
    target = require_non_negative(target_days_of_supply, "target_days_of_supply")
    pack = require_whole(pack_size, "pack_size", minimum=1)
    if target <= lead + safety:
        raise SupplyInputError(SupplyErrorCode.TARGET_NOT_ABOVE_REORDER_POINT, "target_days_of_supply",
                               f"{target:g} days must be more than lead time + safety stock "
                               f"({lead:g} + {safety:g} days)")
    position = on_hand + on_order
    reorder_point = use * (lead + safety)
    order_up_to = use * target
    supply_days = days_of_supply(on_hand, use)
    if use == 0:
        reason, packs = ReorderReason.NO_USE, 0
    elif position <= reorder_point:
        reason = ReorderReason.BELOW_REORDER_POINT
        packs = math.ceil((order_up_to - position) / pack - PACK_ROUNDING_TOLERANCE)
    else:
        reason, packs = ReorderReason.SUFFICIENT, 0
    return Reorder(reason=reason, order_units=packs * pack, order_packs=packs,
                   reorder_point_units=reorder_point, order_up_to_units=order_up_to,
                   inventory_position_units=position, days_of_supply=supply_days)
