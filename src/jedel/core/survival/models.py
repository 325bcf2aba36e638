"""Death probability vs minutes to definitive care: the Sacco RPM model and a derived category model.

Both models are step functions of time over the Sacco deterioration table's 30-minute columns
(Sacco et al. 2005, Acad Emerg Med 12(8):759-770): a patient scored RPM ``r`` at the scene keeps ``r``
until the first column's time (30 min), then takes the column's RPM at each column time, and holds the
last column after the table ends (360 min). We use steps, not interpolation, because the table gives
integer RPMs at 30-minute points and survival is only defined at integer RPM; we hold each value until
the next column time (an interpolated RPM would have no survival value, and rounding it would invent
transitions the Delphi panel did not state).
Survival at time ``t`` is ``survival_by_rpm[RPM(t)]``; death probability is its complement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jedel.core.survival.parameters import RPM_MAX, RpmSurvivalParameters, default_rpm_parameters
from jedel.core.vocabulary import CareCategory


def parse_category(value: object) -> CareCategory:
    """Accept a :class:`CareCategory`, a ``jedel.core.triage.Category`` or a plain string.

    Args:
        value: the category (any str-enum member or string with one of the four values).

    Returns:
        The matching :class:`CareCategory`.

    Raises:
        ValueError: unknown category, or ``"dead"`` (the dead are not distributed).
    """
    text = str(getattr(value, "value", value))
    try:
        return CareCategory(text)
    except ValueError:
        known = ", ".join(c.value for c in CareCategory)
        raise ValueError(f"unknown category {text!r} (expected one of {known})") from None


def step_column_index(
    minutes: ArrayLike, first_column_min: float, step_min: float, n_columns: int
) -> NDArray[np.intp]:
    """Column of a step table in force after ``minutes`` (column 0 = scene value, before the first column).

    Args:
        minutes: minutes since scoring (>= 0; ``inf`` gives the last column).
        first_column_min: minutes at which column 1 starts.
        step_min: minutes between columns.
        n_columns: columns including column 0.

    Raises:
        ValueError: negative or NaN minutes.
    """
    t = np.asarray(minutes, dtype=np.float64)
    if np.any(np.isnan(t)) or np.any(t < 0):
        raise ValueError("minutes: must be >= 0 and not NaN")
    steps = np.floor((np.minimum(t, 1e12) - first_column_min) / step_min)
    col = np.where(t < first_column_min, 0, 1 + steps)
    return np.clip(col, 0, n_columns - 1).astype(np.intp)


@runtime_checkable
class SurvivalModel(Protocol):
    """A death-probability model over a fixed list of patient kinds (RPM values, triage categories).

    Contract: ``death_probability`` is in [0, 1], vectorised with numpy broadcasting, and non-decreasing
    in ``minutes`` (the distribution engine relies on it to make "assign" never worse than "leave").
    """

    @property
    def kinds(self) -> tuple[str, ...]:
        """Labels of the kinds; ``kind_index`` indexes this tuple."""
        ...

    @property
    def horizon_min(self) -> float:
        """Minutes after which the model no longer changes (default "no definitive care" horizon)."""
        ...

    def death_probability(self, kind_index: ArrayLike, minutes: ArrayLike) -> NDArray[np.float64]:
        """Death probability for kind ``kind_index`` reaching definitive care after ``minutes``."""
        ...


@dataclass(frozen=True)
class StepTableSurvivalModel:
    """Death probability held constant between equally spaced table columns.

    Column 0 applies for ``0 <= t < first_column_min`` (the scene value); column ``j >= 1`` applies from
    ``first_column_min + (j - 1) * step_min``; the last column holds for ever after.

    Attributes:
        kinds: labels, one per table row.
        death_by_column: death probability per kind (rows) and column; values in [0, 1] and
            non-decreasing along each row.
        first_column_min: minutes at which column 1 starts.
        step_min: minutes between columns.
        source: provenance (reference and status) of the table.
    """

    kinds: tuple[str, ...]
    death_by_column: tuple[tuple[float, ...], ...]
    first_column_min: float
    step_min: float
    source: str = ""
    _table: NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = np.asarray(self.death_by_column, dtype=np.float64)
        if table.ndim != 2 or table.shape[0] != len(self.kinds) or table.shape[1] < 1:
            raise ValueError("death_by_column: must have one non-empty row per kind")
        if not np.all((table >= 0.0) & (table <= 1.0)):
            raise ValueError("death_by_column: values must be in [0, 1] (no NaN)")
        if np.any(np.diff(table, axis=1) < 0):
            raise ValueError("death_by_column: rows must be non-decreasing in time")
        if not self.step_min > 0 or not self.first_column_min >= 0:
            raise ValueError("step_min must be > 0 and first_column_min >= 0")
        table.setflags(write=False)
        object.__setattr__(self, "_table", table)

    @property
    def horizon_min(self) -> float:
        """Minutes at which the last column starts; the model is constant from there on."""
        return float(self.first_column_min + (self._table.shape[1] - 2) * self.step_min)

    def column_index(self, minutes: ArrayLike) -> NDArray[np.intp]:
        """Table column in force after ``minutes`` (vectorised; see :func:`step_column_index`)."""
        return step_column_index(minutes, self.first_column_min, self.step_min, self._table.shape[1])

    def death_probability(self, kind_index: ArrayLike, minutes: ArrayLike) -> NDArray[np.float64]:
        """Death probability of kind ``kind_index`` after ``minutes`` to definitive care (broadcast).

        Raises:
            ValueError: kind index out of range, negative or NaN minutes.
        """
        k = np.asarray(kind_index)
        if k.size and (not np.issubdtype(k.dtype, np.integer) or k.min() < 0 or k.max() >= len(self.kinds)):
            raise ValueError(f"kind_index: must be integers in [0, {len(self.kinds) - 1}]")
        result: NDArray[np.float64] = self._table[k, self.column_index(minutes)]
        return result

    def survival_probability(self, kind_index: ArrayLike, minutes: ArrayLike) -> NDArray[np.float64]:
        """``1 - death_probability`` (same arguments)."""
        return 1.0 - self.death_probability(kind_index, minutes)


def rpm_at(params: RpmSurvivalParameters, rpm: ArrayLike, minutes: ArrayLike) -> NDArray[np.intp]:
    """RPM after ``minutes`` without definitive care, by the deterioration table (step, see module doc).

    Args:
        params: deterioration table and column timing (Sacco et al. 2005; status secondary).
        rpm: initial (scene) RPM, integers 0..12.
        minutes: minutes since scoring, >= 0.

    Returns:
        Integer RPM, broadcast over ``rpm`` and ``minutes``.
    """
    det = np.asarray(params.deterioration_by_rpm, dtype=np.intp)
    full = np.concatenate([np.arange(RPM_MAX + 1)[:, None], det], axis=1)
    r = np.asarray(rpm)
    if r.size and (not np.issubdtype(r.dtype, np.integer) or r.min() < 0 or r.max() > RPM_MAX):
        raise ValueError("rpm: must be integers in [0, 12]")
    result: NDArray[np.intp] = full[
        r, step_column_index(minutes, params.first_column_min, params.step_min, full.shape[1])
    ]
    return result


def rpm_survival_model(params: RpmSurvivalParameters | None = None) -> StepTableSurvivalModel:
    """Sacco RPM model: kinds are RPM "0".."12" (kind index = RPM).

    Args:
        params: parameters; ``None`` uses the shipped ones (survival and deterioration: secondary).

    Returns:
        The step-table model with ``death = 1 - survival_by_rpm[RPM(t)]``.
    """
    p = params if params is not None else default_rpm_parameters()
    det = np.asarray(p.deterioration_by_rpm, dtype=np.intp)
    rpm_by_column = np.concatenate([np.arange(RPM_MAX + 1)[:, None], det], axis=1)
    death = 1.0 - np.asarray(p.survival_by_rpm)[rpm_by_column]
    return StepTableSurvivalModel(
        kinds=tuple(str(r) for r in range(RPM_MAX + 1)),
        death_by_column=tuple(tuple(float(x) for x in row) for row in death),
        first_column_min=p.first_column_min,
        step_min=p.step_min,
        source=f"Sacco et al. 2005 RPM survival and deterioration; {p.status}",
    )


DEFAULT_CATEGORY_RPM_BANDS: Mapping[CareCategory, tuple[int, ...]] = {
    CareCategory.IMMEDIATE: (3, 4, 5, 6, 7, 8, 9),
    CareCategory.DELAYED: (10, 11),
    CareCategory.MINIMAL: (12,),
    CareCategory.EXPECTANT: (0, 1, 2),
}
"""Derived default (assumption, not published): representative RPM band per triage category.

Chosen so that the bands partition RPM 0..12 along START's physiology: minimal = all three components
normal (12); delayed = one component mildly abnormal (10-11); expectant = survival <= 15 % in the Sacco
table (0-2); immediate = the rest (3-9). Each category's death probability is the unweighted mean over its
band. Configure with ``category_survival_model(bands=...)``.
"""


def rpm_category(
    rpm: int, bands: Mapping[CareCategory, Sequence[int]] = DEFAULT_CATEGORY_RPM_BANDS
) -> CareCategory:
    """The category whose band contains ``rpm`` (used for capacity when only RPM is known).

    Raises:
        ValueError: ``rpm`` is in no band.
    """
    for category, band in bands.items():
        if rpm in band:
            return category
    raise ValueError(f"rpm: {rpm} is in no category band")


def category_survival_model(
    bands: Mapping[CareCategory, Sequence[int]] = DEFAULT_CATEGORY_RPM_BANDS,
    params: RpmSurvivalParameters | None = None,
) -> StepTableSurvivalModel:
    """Category-level model derived from the RPM model (``parameters.json`` has no category entries).

    Args:
        bands: RPM band per category (derived default :data:`DEFAULT_CATEGORY_RPM_BANDS`, an assumption).
        params: RPM parameters; ``None`` uses the shipped ones (status secondary).

    Returns:
        Kinds in :class:`CareCategory` order; each row the mean RPM-model death row over the band.
    """
    rpm_model = rpm_survival_model(params)
    table = np.asarray(rpm_model.death_by_column)
    rows = []
    for category in CareCategory:
        band = list(bands.get(category, ()))
        if not band or any(not 0 <= r <= RPM_MAX for r in band):
            raise ValueError(f"bands.{category.value}: must be a non-empty list of RPMs in 0..12")
        rows.append(tuple(float(x) for x in table[band].mean(axis=0)))
    return StepTableSurvivalModel(
        kinds=tuple(c.value for c in CareCategory),
        death_by_column=tuple(rows),
        first_column_min=rpm_model.first_column_min,
        step_min=rpm_model.step_min,
        source=f"derived from RPM bands (assumption) over {rpm_model.source}",
    )
