"""Burn rate, days of supply, census forecast and (s, S) reorder (jedel.core.supplies.burn_rate).

Every expected value is worked by hand in the comments: CDC's burn-rate arithmetic (use = previous on hand +
received − current on hand, averaged over the days elapsed; days of supply = on hand / daily use) and the
(s, S) rule (s = use × (lead + safety days), S = use × target days, order rounded up to whole packs).
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from jedel.core.errors import FieldError
from jedel.core.supplies import (
    ReorderReason,
    StockCount,
    SupplyErrorCode,
    SupplyInputError,
    average_daily_use,
    days_of_supply,
    forecast_use,
    reorder_recommendation,
    run_out_day,
    units_used,
    use_per_patient_day,
)

# 1 April: 1000 on hand; 3 April: 820 (nothing received); 6 April: 900 after a delivery of 200.
COUNTS = [StockCount(date(2020, 4, 1), 1000),
          StockCount(date(2020, 4, 3), 820, 0),
          StockCount(date(2020, 4, 6), 900, 200)]


def test_use_between_counts_adds_receipts_and_averages_over_elapsed_days():
    # 1 → 3 April: 1000 + 0 − 820 = 180; 3 → 6 April: 820 + 200 − 900 = 120; total 300
    assert units_used(COUNTS) == 300
    # 300 units over 6 − 1 = 5 days elapsed = 60 units/day
    assert average_daily_use(COUNTS) == 60


def test_receipt_on_the_first_count_is_ignored_and_two_counts_suffice():
    # no previous count to balance against: the 500 "received" before 1 April changes nothing;
    # 1000 − 970 = 30 over 2 days = 15/day
    counts = [StockCount(date(2020, 4, 1), 1000, 500), StockCount(date(2020, 4, 3), 970)]
    assert average_daily_use(counts) == 15


def test_no_use_is_zero_and_gives_infinite_days_of_supply():
    counts = [StockCount(date(2020, 4, 1), 50), StockCount(date(2020, 4, 8), 50)]
    assert average_daily_use(counts) == 0
    assert days_of_supply(50, 0) == math.inf
    assert days_of_supply(0, 0) == math.inf


def test_days_of_supply_is_on_hand_over_daily_use():
    assert days_of_supply(900, 60) == 15          # 900 / 60
    assert days_of_supply(100, 8) == 12.5         # 100 / 8
    assert days_of_supply(0, 8) == 0


def test_use_per_patient_day():
    # 300 units used while the census was 20, 25, 25, 25, 25 patients: 120 patient-days → 2.5 per patient-day
    assert use_per_patient_day(300, 20 + 25 + 25 + 25 + 25) == 2.5
    assert use_per_patient_day(0, 10) == 0


def test_forecast_use_over_a_census():
    # (10 + 12 + 15) patient-days × 2.5 = 37 × 2.5 = 92.5 units
    assert forecast_use([10, 12, 15], 2.5) == 92.5
    assert forecast_use([], 2.5) == 0


def test_run_out_day_is_the_first_day_whose_cumulative_need_exceeds_the_stock():
    census = [10, 12, 15]
    # cumulative need: day 0 10 × 2.5 = 25; day 1 22 × 2.5 = 55; day 2 37 × 2.5 = 92.5
    assert run_out_day(90, census, 2.5) == 2       # 92.5 > 90
    assert run_out_day(54, census, 2.5) == 1       # 55 > 54
    assert run_out_day(24, census, 2.5) == 0       # 25 > 24
    assert run_out_day(92.5, census, 2.5) is None  # a need equal to the stock is covered
    assert run_out_day(0, [0, 0, 1], 2.5) == 2     # no need on days 0 and 1; 2.5 > 0 on day 2
    assert run_out_day(10, [], 2.5) is None


def test_reorder_below_the_reorder_point_orders_up_to_target_in_whole_packs():
    got = reorder_recommendation(units_on_hand=400, units_on_order=150, daily_use_units=60, lead_time_days=7,
                                 safety_stock_days=3, target_days_of_supply=30, pack_size=100)
    # position 400 + 150 = 550; s = 60 × (7 + 3) = 600; 550 <= 600 → order
    # S = 60 × 30 = 1800; 1800 − 550 = 1250 = 12.5 packs → 13 packs = 1300 units
    assert got.reason is ReorderReason.BELOW_REORDER_POINT
    assert (got.order_units, got.order_packs) == (1300, 13)
    assert (got.reorder_point_units, got.order_up_to_units, got.inventory_position_units) == (600, 1800, 550)
    assert got.days_of_supply == pytest.approx(400 / 60, abs=1e-15)   # on hand only: 6.67 days


def test_reorder_at_the_reorder_point_orders_and_an_exact_pack_multiple_is_not_rounded_up():
    got = reorder_recommendation(600, 0, 60, 7, 3, 30, pack_size=100)
    # position 600 = s 600 → order; 1800 − 600 = 1200 = exactly 12 packs
    assert got.reason is ReorderReason.BELOW_REORDER_POINT
    assert (got.order_units, got.order_packs) == (1200, 12)
    assert got.days_of_supply == 10                                    # 600 / 60


def test_reorder_one_unit_above_the_reorder_point_is_sufficient():
    got = reorder_recommendation(601, 0, 60, 7, 3, 30, pack_size=100)
    assert got.reason is ReorderReason.SUFFICIENT
    assert (got.order_units, got.order_packs) == (0, 0)


def test_reorder_with_fractional_use_rounds_up_to_packs():
    got = reorder_recommendation(5, 0, 2.5, 2, 1, 10, pack_size=6)
    # s = 2.5 × 3 = 7.5, position 5 <= 7.5; S = 25; 25 − 5 = 20 units = 3.33 packs → 4 packs = 24 units
    assert (got.reason, got.order_units, got.order_packs) == (ReorderReason.BELOW_REORDER_POINT, 24, 4)
    got = reorder_recommendation(400, 150, 60, 7, 3, 30)   # pack of 1: 1800 − 550 = 1250 units
    assert (got.order_units, got.order_packs) == (1250, 1250)


def test_reorder_ignores_floating_point_residue_when_rounding_to_packs():
    got = reorder_recommendation(0, 0, 0.1, 7, 3, 30)
    # S = 0.1 × 30 = 3 units (3.0000000000000004 in binary floating point): 3 packs of 1, not 4
    assert (got.order_units, got.order_packs) == (3, 3)


def test_reorder_without_use_orders_nothing():
    got = reorder_recommendation(0, 0, 0, 7, 3, 30, pack_size=10)
    assert got.reason is ReorderReason.NO_USE
    assert (got.order_units, got.reorder_point_units, got.order_up_to_units) == (0, 0, 0)
    assert got.days_of_supply == math.inf


# --- bad input ------------------------------------------------------------------------------------------


def _refused(code: SupplyErrorCode, path: str, call, *args, **kwargs) -> SupplyInputError:
    with pytest.raises(SupplyInputError) as caught:
        call(*args, **kwargs)
    assert caught.value.code is code
    assert caught.value.path == path
    assert isinstance(caught.value, FieldError) and isinstance(caught.value, ValueError)
    return caught.value


@pytest.mark.parametrize("counts", [[], [StockCount(date(2020, 4, 1), 10)]])
def test_fewer_than_two_counts_are_refused(counts):
    _refused(SupplyErrorCode.TOO_FEW_COUNTS, "counts", average_daily_use, counts)


@pytest.mark.parametrize("second_day", [date(2020, 4, 1), date(2020, 3, 31)])
def test_counts_out_of_date_order_are_refused(second_day):
    counts = [StockCount(date(2020, 4, 1), 10), StockCount(second_day, 5)]
    err = _refused(SupplyErrorCode.OUT_OF_ORDER, "counts[1].day", average_daily_use, counts)
    assert second_day.isoformat() in str(err)


@pytest.mark.parametrize(("counts", "code", "path"), [
    ([StockCount(date(2020, 4, 1), -1), StockCount(date(2020, 4, 2), 0)],
     SupplyErrorCode.NEGATIVE, "counts[0].units_on_hand"),
    ([StockCount(date(2020, 4, 1), 10), StockCount(date(2020, 4, 2), -1)],
     SupplyErrorCode.NEGATIVE, "counts[1].units_on_hand"),
    ([StockCount(date(2020, 4, 1), 10), StockCount(date(2020, 4, 2), 5, -3)],
     SupplyErrorCode.NEGATIVE, "counts[1].units_received_since_previous"),
    ([StockCount(date(2020, 4, 1), 10), StockCount(date(2020, 4, 2), math.nan)],
     SupplyErrorCode.NOT_FINITE, "counts[1].units_on_hand"),
])
def test_negative_or_non_finite_counts_are_refused(counts, code, path):
    _refused(code, path, units_used, counts)


def test_a_count_implying_negative_use_is_refused_naming_the_day():
    counts = [StockCount(date(2020, 4, 1), 1000), StockCount(date(2020, 4, 2), 950),
              StockCount(date(2020, 4, 4), 1100, 50)]
    # 4 April: 950 + 50 = 1000 available, 1100 counted → −100 used
    err = _refused(SupplyErrorCode.NEGATIVE_USE, "counts[2].units_on_hand", average_daily_use, counts)
    assert "2020-04-04" in str(err) and "1100" in str(err) and "950" in str(err)


def test_bad_rates_and_stocks_are_refused():
    _refused(SupplyErrorCode.NOT_POSITIVE, "patient_days", use_per_patient_day, 10, 0)
    _refused(SupplyErrorCode.NEGATIVE, "total_units_used", use_per_patient_day, -1, 10)
    _refused(SupplyErrorCode.NEGATIVE, "units_on_hand", days_of_supply, -1, 5)
    _refused(SupplyErrorCode.NOT_FINITE, "daily_use_units", days_of_supply, 10, math.inf)
    _refused(SupplyErrorCode.NEGATIVE, "census_patients_per_day[1]", forecast_use, [1, -2], 1)
    _refused(SupplyErrorCode.NOT_FINITE, "units_per_patient_day", forecast_use, [1], math.nan)
    _refused(SupplyErrorCode.NEGATIVE, "units_on_hand", run_out_day, -5, [1], 1)
    _refused(SupplyErrorCode.NEGATIVE, "census_patients_per_day[0]", run_out_day, 5, [-1], 1)


@pytest.mark.parametrize(("kwargs", "code", "path"), [
    ({"target_days_of_supply": 10}, SupplyErrorCode.TARGET_NOT_ABOVE_REORDER_POINT, "target_days_of_supply"),
    ({"target_days_of_supply": 5}, SupplyErrorCode.TARGET_NOT_ABOVE_REORDER_POINT, "target_days_of_supply"),
    ({"pack_size": 0}, SupplyErrorCode.NOT_POSITIVE, "pack_size"),
    ({"pack_size": 2.5}, SupplyErrorCode.NOT_WHOLE, "pack_size"),
    ({"pack_size": True}, SupplyErrorCode.NOT_WHOLE, "pack_size"),
    ({"lead_time_days": -1}, SupplyErrorCode.NEGATIVE, "lead_time_days"),
    ({"units_on_order": -1}, SupplyErrorCode.NEGATIVE, "units_on_order"),
    ({"daily_use_units": math.nan}, SupplyErrorCode.NOT_FINITE, "daily_use_units"),
])
def test_bad_reorder_inputs_are_refused(kwargs, code, path):
    # lead 7 + safety 3 = 10 days: a target of 10 (S = s) or less is refused
    args = {"units_on_hand": 100, "units_on_order": 0, "daily_use_units": 10, "lead_time_days": 7,
            "safety_stock_days": 3, "target_days_of_supply": 30, "pack_size": 1} | kwargs
    _refused(code, path, reorder_recommendation, **args)
