"""Beneficiary feedback on kit components (hygiene, dignity, shelter kits) and the next kit version.

Each feedback form lets a person say, item by item, that an item of the kit was useful, not useful, or
missing (missing: not in the kit they received, or absent from it, and needed; such an item may be one the
kit does not contain at all). The logistician reads, per item:

* the counts of each verdict, the number of ratings (useful + not useful), the share of ratings that are
  not useful, and the share of all forms that asked for the item as missing;
* the Wilson score interval of the not-useful share (E. B. Wilson, "Probable inference, the law of
  succession, and statistical inference", *J. Am. Stat. Assoc.* 22 (1927) 209-212), which stays inside
  [0, 1] and behaves for small counts, so that 3 of 5 and 300 of 500 do not look equally sure. With
  x not-useful ratings of n, p = x / n and z the standard normal quantile (1.959964 for 95 %)::

      centre     = (p + z² / (2n)) / (1 + z² / n)
      half-width = z / (1 + z² / n) × sqrt(p (1 − p) / n + z² / (4 n²))
      interval   = [centre − half-width, centre + half-width]

The proposal rule is a project choice, not a published one: drop an item when at least ``drop_share`` (0.5)
of at least ``min_ratings`` (10) ratings call it not useful; add an item outside the kit, one per kit, when at
least ``add_share`` (0.25) of the forms ask for it; keep everything else. The thresholds are parameters
because a round of 40 forms and one of 4,000 call for different care. "Missing" verdicts on an item already
in the kit do not change the composition (they point at packing or distribution, not at the design); they
are still counted in the summary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from statistics import NormalDist
from types import MappingProxyType

from jedel.core.supplies.errors import SupplyErrorCode, SupplyInputError, require_whole

#: The 97.5 % standard normal quantile, for two-sided 95 % intervals (1.959963984540054).
Z_95 = NormalDist().inv_cdf(0.975)


class Verdict(str, Enum):
    """One person's verdict on one item."""

    USEFUL = "useful"
    NOT_USEFUL = "not_useful"
    MISSING = "missing"


@dataclass(frozen=True)
class ComponentFeedback:
    """One verdict from one form. A form gives at most one verdict per item (callers ensure it)."""

    item_code: str
    verdict: Verdict


@dataclass(frozen=True)
class ComponentSummary:
    """What the forms say about one item.

    Attributes:
        item_code: the item.
        quantity_per_kit: units per kit in the current composition; 0 when the item is not in the kit.
        useful_count, not_useful_count, missing_count: verdicts of each kind.
        ratings_count: useful + not useful (the people who rated the item; "missing" is no rating).
        not_useful_share: not useful / ratings, None without ratings.
        not_useful_low, not_useful_high: the Wilson 95 % interval of that share, None without ratings.
        missing_share_of_forms: missing / forms, None when there are no forms.
    """

    item_code: str
    quantity_per_kit: int
    useful_count: int
    not_useful_count: int
    missing_count: int
    ratings_count: int
    not_useful_share: float | None
    not_useful_low: float | None
    not_useful_high: float | None
    missing_share_of_forms: float | None

    @property
    def in_kit(self) -> bool:
        """Whether the item is part of the current composition."""
        return self.quantity_per_kit > 0


class KitAction(str, Enum):
    """What the proposal does with an item."""

    KEEP = "keep"
    DROP = "drop"
    ADD = "add"
    NOT_ADDED = "not_added"  # asked for as missing, but by too few forms


class DecisionReason(str, Enum):
    """Why (the rule that decided; the counts are on the decision)."""

    FEW_RATINGS = "few_ratings"                    # in kit, fewer than min_ratings ratings: kept
    RATED_USEFUL = "rated_useful"                  # in kit, not-useful share below drop_share: kept
    MOSTLY_NOT_USEFUL = "mostly_not_useful"        # in kit, not-useful share >= drop_share: dropped
    OFTEN_MISSING = "often_missing"                # not in kit, missing share >= add_share: added
    RARELY_MISSING = "rarely_missing"              # not in kit, missing share below add_share: not added


@dataclass(frozen=True)
class ComponentDecision:
    """The proposal for one item, with the counts behind it.

    Attributes:
        quantity_before, quantity_after: units per kit now and in the proposed version (0 = not in the kit).
        threshold: the share the deciding rule compared with (drop_share or add_share); None for
            ``FEW_RATINGS``, decided on the count alone.
    """

    item_code: str
    action: KitAction
    reason: DecisionReason
    quantity_before: int
    quantity_after: int
    useful_count: int
    not_useful_count: int
    missing_count: int
    ratings_count: int
    forms: int
    not_useful_share: float | None
    missing_share_of_forms: float | None
    threshold: float | None


@dataclass(frozen=True)
class KitProposal:
    """The next kit version: its composition (item code → units per kit) and a decision per item."""

    composition: Mapping[str, int]
    decisions: tuple[ComponentDecision, ...]

    @property
    def changes(self) -> tuple[ComponentDecision, ...]:
        """The decisions that change the kit (drops and additions), by item code."""
        return tuple(d for d in self.decisions if d.action in (KitAction.DROP, KitAction.ADD))


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson's (1927) score interval for a proportion (formula in the module docstring).

    Args:
        successes: x, 0 <= x <= n.
        trials: n >= 1.
        z: the normal quantile (default: two-sided 95 %).

    Raises:
        SupplyInputError: a count that is not a whole number, n < 1, or x > n.
    """
    x = require_whole(successes, "successes", minimum=0)
    n = require_whole(trials, "trials", minimum=1)
    if x > n:
        raise SupplyInputError(SupplyErrorCode.MORE_VERDICTS_THAN_FORMS, "successes",
                               f"{x} is more than the {n} trials")
    p = x / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At x = 0 the half-width equals the centre, and at x = n it equals 1 − centre: the bound is exactly
    # 0 or 1 in arithmetic, so state it rather than keep a rounding residue such as 2.8e-17.
    low = 0.0 if x == 0 else max(0.0, centre - half)
    high = 1.0 if x == n else min(1.0, centre + half)
    return low, high


def _checked_composition(composition: Mapping[str, int]) -> dict[str, int]:
    for code, quantity in composition.items():
        if not code.strip():
            raise SupplyInputError(SupplyErrorCode.EMPTY_ITEM_CODE, "composition", "an item code is empty")
        require_whole(quantity, f"composition.{code}", minimum=1)
    return dict(composition)


def aggregate(feedback: Sequence[ComponentFeedback], composition: Mapping[str, int], *,
              forms: int) -> list[ComponentSummary]:
    """Summarise the verdicts per item.

    Args:
        feedback: every verdict of every form of the round.
        composition: the current kit, item code → units per kit (>= 1).
        forms: the number of forms returned in the round (a form may carry no verdict at all).

    Returns:
        One summary per item in the kit or named in the feedback, ordered by item code.

    Raises:
        SupplyInputError: an empty item code, a verdict that is not a :class:`Verdict`, a quantity that is
            not a whole number >= 1, a form count that is not a whole number >= 0, or an item with more
            verdicts than forms (``more_verdicts_than_forms``: a form gives at most one verdict per item).
    """
    kit = _checked_composition(composition)
    n_forms = require_whole(forms, "forms", minimum=0)
    tallies: dict[str, dict[Verdict, int]] = {code: dict.fromkeys(Verdict, 0) for code in kit}
    for i, entry in enumerate(feedback):
        if not entry.item_code.strip():
            raise SupplyInputError(SupplyErrorCode.EMPTY_ITEM_CODE, f"feedback[{i}].item_code",
                                   "the item code is empty")
        try:
            verdict = Verdict(entry.verdict)
        except ValueError:
            raise SupplyInputError(SupplyErrorCode.BAD_VERDICT, f"feedback[{i}].verdict",
                                   f"{entry.verdict!r} is not useful, not_useful or missing") from None
        tally = tallies.setdefault(entry.item_code, dict.fromkeys(Verdict, 0))
        tally[verdict] += 1
        if sum(tally.values()) > n_forms:
            raise SupplyInputError(SupplyErrorCode.MORE_VERDICTS_THAN_FORMS, f"feedback[{i}]",
                                   f"item {entry.item_code!r} has more verdicts than the {n_forms} forms")
    summaries = []
    for code in sorted(tallies):
        tally = tallies[code]
        useful, not_useful, missing = tally[Verdict.USEFUL], tally[Verdict.NOT_USEFUL], tally[Verdict.MISSING]
        ratings = useful + not_useful
        low, high = wilson_interval(not_useful, ratings) if ratings else (None, None)
        summaries.append(ComponentSummary(
            item_code=code, quantity_per_kit=kit.get(code, 0), useful_count=useful,
            not_useful_count=not_useful, missing_count=missing, ratings_count=ratings,
            not_useful_share=not_useful / ratings if ratings else None,
            not_useful_low=low, not_useful_high=high,
            missing_share_of_forms=missing / n_forms if n_forms else None))
    return summaries


def _require_share(value: float, path: str) -> float:
    share = float(value)
    if not 0 < share <= 1:  # also refuses NaN
        raise SupplyInputError(SupplyErrorCode.SHARE_OUT_OF_RANGE, path, f"{value!r} must be in (0, 1]")
    return share


def propose_next_version(summaries: Sequence[ComponentSummary], composition: Mapping[str, int], *,
                         forms: int, min_ratings: int = 10, drop_share: float = 0.5,
                         add_share: float = 0.25) -> KitProposal:
    """Propose the next kit version from a round's summaries (rule in the module docstring).

    Args:
        summaries: :func:`aggregate`'s result (items of the kit without a summary count as unrated).
        composition: the current kit, item code → units per kit; it decides what is in the kit.
        forms: the number of forms of the round (the base of the missing share).
        min_ratings: ratings an item needs before it can be dropped (project default 10).
        drop_share: not-useful share at or above which a rated item is dropped (project default 0.5).
        add_share: share of forms asking for an item at or above which it is added (project default 0.25).

    Returns:
        The proposed composition (kept items with their quantity, added items with 1) and a decision for
        every item of the kit or of the summaries, ordered by item code.

    Raises:
        SupplyInputError: a share outside (0, 1], a count that is not a whole number, a summary whose counts
            exceed the forms, or two summaries for one item (``duplicate_summary``).
    """
    kit = _checked_composition(composition)
    n_forms = require_whole(forms, "forms", minimum=0)
    least = require_whole(min_ratings, "min_ratings", minimum=1)
    drop_at = _require_share(drop_share, "drop_share")
    add_at = _require_share(add_share, "add_share")
    by_code: dict[str, ComponentSummary] = {}
    for i, s in enumerate(summaries):
        if s.item_code in by_code:
            raise SupplyInputError(SupplyErrorCode.DUPLICATE_SUMMARY, f"summaries[{i}]",
                                   f"a second summary for item {s.item_code!r}")
        if s.useful_count + s.not_useful_count + s.missing_count > n_forms:
            raise SupplyInputError(SupplyErrorCode.MORE_VERDICTS_THAN_FORMS, f"summaries[{i}]",
                                   f"item {s.item_code!r} has more verdicts than the {n_forms} forms")
        by_code[s.item_code] = s
    decisions = []
    for code in sorted(set(kit) | set(by_code)):
        summary = by_code.get(code)
        useful = summary.useful_count if summary else 0
        not_useful = summary.not_useful_count if summary else 0
        missing = summary.missing_count if summary else 0
        ratings = useful + not_useful
        # Compare x / n with the threshold, never x with threshold × n: 0.3 × 10 is 3.0000000000000004 in
        # floating point, while 3 / 10 and 0.3 round to the same double, so a tie at the threshold holds.
        nu_share = not_useful / ratings if ratings else None
        missing_share = missing / n_forms if n_forms else None
        before = kit.get(code, 0)
        threshold: float | None
        if before:
            if ratings < least or nu_share is None:
                action, reason, threshold = KitAction.KEEP, DecisionReason.FEW_RATINGS, None
            elif nu_share >= drop_at:
                action, reason, threshold = KitAction.DROP, DecisionReason.MOSTLY_NOT_USEFUL, drop_at
            else:
                action, reason, threshold = KitAction.KEEP, DecisionReason.RATED_USEFUL, drop_at
        elif missing_share is not None and missing_share >= add_at:
            action, reason, threshold = KitAction.ADD, DecisionReason.OFTEN_MISSING, add_at
        else:
            action, reason, threshold = KitAction.NOT_ADDED, DecisionReason.RARELY_MISSING, add_at
        after = {KitAction.KEEP: before, KitAction.DROP: 0, KitAction.ADD: 1, KitAction.NOT_ADDED: 0}[action]
        decisions.append(ComponentDecision(
            item_code=code, action=action, reason=reason, quantity_before=before, quantity_after=after,
            useful_count=useful, not_useful_count=not_useful, missing_count=missing, ratings_count=ratings,
            forms=n_forms, not_useful_share=nu_share, missing_share_of_forms=missing_share,
            threshold=threshold))
    next_kit = {d.item_code: d.quantity_after for d in decisions if d.quantity_after > 0}
    return KitProposal(composition=MappingProxyType(next_kit), decisions=tuple(decisions))
