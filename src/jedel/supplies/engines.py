"""The supplies app's way into jedel.core: stock lines become burn-rate outlooks, feedback rows become a kit
proposal. Nothing here writes; services store what they decide from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jedel.core.supplies import (
    ComponentFeedback,
    ComponentSummary,
    KitProposal,
    Reorder,
    Verdict,
    aggregate,
    days_of_supply,
    forecast_use,
    propose_next_version,
    reorder_recommendation,
    reorder_recommendations,
    run_out_day,
)
from jedel.supplies.models import KitVersion
from jedel.supplies.models_distribution import FeedbackAnswer, FeedbackForm
from jedel.accounts.policy import Principal
from jedel.supplies import selectors
from jedel.supplies.selectors import StockLine

# Reorder defaults (project choices, shown on the forecast page): a national or regional delivery in Kazakhstan
# takes about a week; a week of use is kept against delays; an order brings the position up to 30 days of use.
LEAD_TIME_DAYS = 7
SAFETY_STOCK_DAYS = 7
TARGET_DAYS_OF_SUPPLY = 30


@dataclass(frozen=True)
class Outlook:
    """A stock line with its average daily use (units/day), days of supply and reorder recommendation."""

    line: StockLine
    daily_use_units: float
    days_of_supply: float
    reorder: Reorder


def outlook(line: StockLine, *, units_on_order: int = 0, lead_time_days: float = LEAD_TIME_DAYS,
            safety_stock_days: float = SAFETY_STOCK_DAYS,
            target_days_of_supply: float = TARGET_DAYS_OF_SUPPLY) -> Outlook:
    """Days of supply (CDC burn-rate method) from the usable stock and the window's average use, and the reorder."""
    usable = line.on_hand - line.expired
    use = line.used_in_window / line.window_days
    reorder = reorder_recommendation(usable, units_on_order, use, lead_time_days, safety_stock_days,
                                     target_days_of_supply, pack_size=line.item.pack_size)
    return Outlook(line=line, daily_use_units=use, days_of_supply=days_of_supply(usable, use), reorder=reorder)


def outlooks(viewer: Principal | None, *, warehouse_id: int | None = None, item_id: int | None = None,
             now: datetime) -> list[Outlook]:
    """Every stock line of one warehouse and/or one item with its outlook (units on order counted)."""
    ids = [warehouse_id] if warehouse_id is not None else None
    lines = selectors.stock_lines(viewer, warehouse_ids=ids, item_id=item_id, now=now)
    on_order = selectors.units_on_order(ids, item_id)
    # All lines at once (a national warehouse has 2,000): the same figures as outlook() line by line.
    use = [line.used_in_window / line.window_days for line in lines]
    reorders = reorder_recommendations(
        [line.on_hand - line.expired for line in lines],
        [on_order.get((line.warehouse_id, line.item.pk), 0) for line in lines], use, LEAD_TIME_DAYS,
        SAFETY_STOCK_DAYS, TARGET_DAYS_OF_SUPPLY, [line.item.pack_size for line in lines])
    return [Outlook(line=line, daily_use_units=u, days_of_supply=r.days_of_supply, reorder=r)
            for line, u, r in zip(lines, use, reorders)]


@dataclass(frozen=True)
class CensusForecast:
    """Need over a census forecast at the item's per patient-day rate, and the day (0-based) stock runs out."""

    need_units: float
    run_out_day: int | None


def census_forecast(units_on_hand: float, census_patients_per_day: Sequence[float],
                    units_per_patient_day: float) -> CensusForecast:
    return CensusForecast(need_units=forecast_use(census_patients_per_day, units_per_patient_day),
                          run_out_day=run_out_day(units_on_hand, census_patients_per_day, units_per_patient_day))


def _feedback(version: KitVersion) -> tuple[dict[str, int], list[ComponentFeedback], int]:
    composition = {c.item.code: c.quantity for c in version.components.select_related("item")}
    answers = (FeedbackAnswer.objects.filter(form__kit_version=version).select_related("item")
               .order_by("form_id", "item__code"))
    feedback = [ComponentFeedback(item_code=a.item.code, verdict=Verdict(a.verdict)) for a in answers]
    forms = FeedbackForm.objects.filter(kit_version=version).count()
    return composition, feedback, forms


def feedback_summary(kit_version_id: int) -> list[ComponentSummary]:
    """Per component (and per item asked for), the counts and shares of the feedback on one kit version."""
    version = KitVersion.objects.get(pk=kit_version_id)
    composition, feedback, forms = _feedback(version)
    return aggregate(feedback, composition, forms=forms)


def kit_proposal_compute(kit_version_id: int) -> KitProposal | None:
    """The next composition the feedback on this version suggests (None without any feedback form)."""
    version = KitVersion.objects.get(pk=kit_version_id)
    composition, feedback, forms = _feedback(version)
    if forms == 0:
        return None
    return propose_next_version(aggregate(feedback, composition, forms=forms), composition, forms=forms)
