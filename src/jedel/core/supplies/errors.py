"""The input error of :mod:`jedel.core.supplies`: a stable code, the field path and what is wrong there."""

from __future__ import annotations

import math
from enum import Enum

from jedel.core.errors import FieldError


class SupplyErrorCode(str, Enum):
    """Why an input to the supplies engine was refused (stable; callers map it to their own messages)."""

    NOT_FINITE = "not_finite"
    NEGATIVE = "negative"
    NOT_POSITIVE = "not_positive"
    NOT_WHOLE = "not_whole"
    TOO_FEW_COUNTS = "too_few_counts"
    OUT_OF_ORDER = "out_of_order"
    NEGATIVE_USE = "negative_use"
    TARGET_NOT_ABOVE_REORDER_POINT = "target_not_above_reorder_point"
    SHARE_OUT_OF_RANGE = "share_out_of_range"
    EMPTY_ITEM_CODE = "empty_item_code"
    BAD_VERDICT = "bad_verdict"
    MORE_VERDICTS_THAN_FORMS = "more_verdicts_than_forms"
    DUPLICATE_SUMMARY = "duplicate_summary"


class SupplyInputError(FieldError):
    """Input the supplies engine cannot work with.

    A :class:`jedel.core.errors.FieldError` (so a ``ValueError``): the message is ``"<path>: <reason>"``,
    e.g. ``"counts[2].units_on_hand: on 2020-04-06 ..."``.

    Attributes:
        code: why, as a :class:`SupplyErrorCode` (tests and callers compare this, not the text).
        path: where (``"counts[2].units_on_hand"``, ``"feedback[5].verdict"``, ``"forms"``).
        reason: what is wrong, in English (core holds no translated text).
    """

    def __init__(self, code: SupplyErrorCode, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.code = code


def require_non_negative(value: float, path: str) -> float:
    """Return `value` as a float when it is a finite number >= 0, else raise :class:`SupplyInputError`."""
    number = float(value)
    if not math.isfinite(number):
        raise SupplyInputError(SupplyErrorCode.NOT_FINITE, path, f"{value!r} is not a finite number")
    if number < 0:
        raise SupplyInputError(SupplyErrorCode.NEGATIVE, path, f"{value!r} must be >= 0")
    return number


def require_whole(value: int, path: str, *, minimum: int) -> int:
    """Return `value` when it is an int (not a bool) >= `minimum`, else raise :class:`SupplyInputError`."""
    # bool is an int subclass; True as a pack size or a form count is a caller's slip, not the number 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise SupplyInputError(SupplyErrorCode.NOT_WHOLE, path, f"{value!r} is not a whole number")
    if value < minimum:
        code = SupplyErrorCode.NEGATIVE if minimum == 0 else SupplyErrorCode.NOT_POSITIVE
        raise SupplyInputError(code, path, f"{value} must be >= {minimum}")
    return value
