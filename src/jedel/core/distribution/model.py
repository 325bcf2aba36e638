"""Inputs of the casualty distribution problem: casualties, hospitals, travel times, survival model.

Every dataclass validates itself on construction and raises ``ValueError`` whose message starts with the
offending field (``capacity.immediate: must be >= 0``); :class:`DistributionProblem` prefixes indices
(``casualties[3].site_id: unknown site 'S9'``) so that callers can report the exact place.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from jedel.core.survival import (
    DEFAULT_CATEGORY_RPM_BANDS,
    RPM_MAX,
    CareCategory,
    SurvivalModel,
    category_survival_model,
    parse_category,
    rpm_category,
    rpm_survival_model,
)
from jedel.core.vocabulary import Need, parse_capability

SLOT_MIN = 60.0
"""Length of a receiving slot: hospital capacity is a rate per hour (MCI receiving capacity)."""

MAX_PLANNING_HORIZON_H = 48
"""Longest plan accepted (hours); the no-care horizon usually ends it far earlier (360 min)."""


def parse_needs(values: object, name: str) -> frozenset[Need]:
    """Parse an iterable of capability names (``"burns"``...) into a frozenset of :class:`Need`.

    Only the canonical names of :class:`jedel.core.vocabulary.Capability` are accepted here; the JSON
    format maps old names first (:data:`jedel.core.vocabulary.CAPABILITY_ALIASES`).

    Raises:
        ValueError: ``"<name>: unknown need 'x' (expected one of ...)"``.
    """
    if isinstance(values, str) or not isinstance(values, (Sequence, set, frozenset)):
        raise ValueError(f"{name}: must be a list of needs")  # noqa: TRY004 - one error type for bad input
    result = set()
    for v in values:
        try:
            result.add(parse_capability(v, what="need", aliases=False))
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return frozenset(result)


@dataclass(frozen=True)
class Casualty:
    """One casualty awaiting transport.

    Attributes:
        casualty_id: unique id (triage tag number).
        site_id: casualty collection point / site; a row of the travel-time matrix.
        category: triage category (``CareCategory``, ``jedel.core.triage.Category`` or its string value).
        rpm: Sacco RPM 0..12 when scored (Sacco et al. 2005).
        needs: capabilities the receiving hospital must have.
    """

    casualty_id: str
    site_id: str
    category: CareCategory | None = None
    rpm: int | None = None
    needs: frozenset[Need] = frozenset()

    def __post_init__(self) -> None:
        if self.category is not None:
            try:
                object.__setattr__(self, "category", parse_category(self.category))
            except ValueError as exc:
                raise ValueError(f"category: {exc}") from None
        if self.rpm is not None:
            if isinstance(self.rpm, bool) or not isinstance(self.rpm, (int, np.integer)):
                raise ValueError(f"rpm: must be an integer in 0..12, got {self.rpm!r}")
            if not 0 <= self.rpm <= RPM_MAX:
                raise ValueError(f"rpm: must be in 0..12, got {self.rpm}")
            object.__setattr__(self, "rpm", int(self.rpm))
        if self.category is None and self.rpm is None:
            raise ValueError("category: either category or rpm is required")
        object.__setattr__(self, "needs", parse_needs(self.needs, "needs"))


@dataclass(frozen=True)
class Hospital:
    """A receiving hospital.

    Capacity is the MCI receiving capacity by triage category: patients the facility can take in one hour
    (Jedel's ``mci_immediate_per_hour`` etc.). A plan over ``planning_horizon_h`` hours gives each hospital
    that many hourly slots of this size (see :mod:`jedel.core.distribution.evaluate`).

    Attributes:
        hospital_id: unique id; a column of the travel-time matrix.
        capacity_by_category: casualties it can receive per hour, per triage category (missing = 0).
        capabilities: needs it can meet.
        name: display name.
        lat_deg: latitude (optional; used to compute travel times when no matrix is given).
        lon_deg: longitude (optional).
    """

    hospital_id: str
    capacity_by_category: Mapping[CareCategory, int] = field(default_factory=dict)
    capabilities: frozenset[Need] = frozenset()
    name: str = ""
    lat_deg: float | None = None
    lon_deg: float | None = None

    def __post_init__(self) -> None:
        capacity: dict[CareCategory, int] = {c: 0 for c in CareCategory}
        for key, value in self.capacity_by_category.items():
            try:
                category = parse_category(key)
            except ValueError as exc:
                raise ValueError(f"capacity.{getattr(key, 'value', key)}: {exc}") from None
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise ValueError(f"capacity.{category.value}: must be an integer, got {value!r}")  # noqa: TRY004
            if value < 0:
                raise ValueError(f"capacity.{category.value}: must be >= 0")
            capacity[category] = int(value)
        object.__setattr__(self, "capacity_by_category", types.MappingProxyType(capacity))
        object.__setattr__(self, "capabilities", parse_needs(self.capabilities, "capabilities"))
        for name in ("lat_deg", "lon_deg"):
            v = getattr(self, name)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{name}: must be a finite number")

    def capacity(self, category: CareCategory) -> int:
        """Receiving capacity per hour for one category."""
        return self.capacity_by_category[category]


@dataclass(frozen=True)
class DistributionProblem:
    """Casualties, hospitals and the travel-time matrix, with constraints and the survival model.

    Attributes:
        casualties: casualties to distribute (ids unique).
        hospitals: receiving hospitals (ids unique); matrix columns in this order.
        site_ids: matrix rows in this order (ids unique).
        travel_time_min: minutes from each site to each hospital, shape ``(n_sites, n_hospitals)``;
            ``inf`` = unreachable; no NaN, no negatives.
        max_transport_min: hospitals farther than this are infeasible (``None`` = no limit).
        survival_model: death probability vs minutes; ``None`` = the Sacco RPM model when every casualty
            has an RPM, otherwise the derived category model.
        untreated_horizon_min: no-care horizon: minutes at which the death probability of a casualty not
            admitted is read (``None`` = the model's horizon, 360 min for the shipped tables); hour slots
            starting later are not used (:attr:`n_slots`).
        category_bands: RPM band per category, to find the capacity category of RPM-only casualties.
        planning_horizon_h: hours the plan covers; each hospital receives ``capacity`` casualties per
            category in each hour slot ``k = 0 .. H-1``. ``1`` = capacity is a one-shot total.
    """

    casualties: tuple[Casualty, ...]
    hospitals: tuple[Hospital, ...]
    site_ids: tuple[str, ...]
    travel_time_min: NDArray[np.float64] = field(compare=False)
    max_transport_min: float | None = None
    survival_model: SurvivalModel | None = None
    untreated_horizon_min: float | None = None
    category_bands: Mapping[CareCategory, Sequence[int]] = field(
        default_factory=lambda: dict(DEFAULT_CATEGORY_RPM_BANDS)
    )
    planning_horizon_h: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "casualties", tuple(self.casualties))
        object.__setattr__(self, "hospitals", tuple(self.hospitals))
        object.__setattr__(self, "site_ids", tuple(self.site_ids))
        matrix = np.array(self.travel_time_min, dtype=np.float64)
        expected = (len(self.site_ids), len(self.hospitals))
        if matrix.shape != expected:
            raise ValueError(
                f"travel_time_min: shape {matrix.shape} does not match "
                f"(n_sites={expected[0]}, n_hospitals={expected[1]})"
            )
        if np.any(np.isnan(matrix)):
            raise ValueError("travel_time_min: contains NaN")
        if np.any(matrix < 0):
            raise ValueError("travel_time_min: must be >= 0")
        matrix.setflags(write=False)
        object.__setattr__(self, "travel_time_min", matrix)
        for name in ("max_transport_min", "untreated_horizon_min"):
            v = getattr(self, name)
            if v is not None and (math.isnan(v) or v < 0):
                raise ValueError(f"{name}: must be >= 0")
        hours = self.planning_horizon_h
        if isinstance(hours, bool) or not isinstance(hours, (int, np.integer)):
            raise ValueError(f"planning_horizon_h: must be an integer, got {hours!r}")  # noqa: TRY004
        if not 1 <= hours <= MAX_PLANNING_HORIZON_H:
            raise ValueError(f"planning_horizon_h: must be in 1..{MAX_PLANNING_HORIZON_H}, got {hours}")
        object.__setattr__(self, "planning_horizon_h", int(hours))
        _check_unique("site_ids", list(self.site_ids))
        _check_unique("hospitals", [h.hospital_id for h in self.hospitals], ".hospital_id")
        _check_unique("casualties", [c.casualty_id for c in self.casualties], ".casualty_id")
        sites = set(self.site_ids)
        for i, c in enumerate(self.casualties):
            if c.site_id not in sites:
                raise ValueError(f"casualties[{i}].site_id: unknown site {c.site_id!r}")
        if self.survival_model is None:
            all_rpm = bool(self.casualties) and all(c.rpm is not None for c in self.casualties)
            object.__setattr__(
                self, "survival_model", rpm_survival_model() if all_rpm else category_survival_model()
            )
        self.kind_indices()  # validates categories (RPM bands) and kinds

    @property
    def model(self) -> SurvivalModel:
        """The survival model in use (resolved on construction)."""
        assert self.survival_model is not None
        return self.survival_model

    def kind_indices(self) -> NDArray[np.intp]:
        """Each casualty's kind index in the model: its RPM when the model has RPM kinds, else its category
        (for an RPM-only casualty, the category whose RPM band contains its RPM).

        Raises:
            ValueError: ``casualties[i]...`` when a casualty matches none of the model's kinds.
        """
        kinds = {k: i for i, k in enumerate(self.model.kinds)}
        categories = self.capacity_categories()
        out = np.empty(len(self.casualties), dtype=np.intp)
        for i, c in enumerate(self.casualties):
            if c.rpm is not None and str(c.rpm) in kinds:
                out[i] = kinds[str(c.rpm)]
            elif categories[i].value in kinds:
                out[i] = kinds[categories[i].value]
            else:
                field_name = "rpm" if c.category is None else "category"
                raise ValueError(
                    f"casualties[{i}].{field_name}: not a kind of the survival model "
                    f"({', '.join(self.model.kinds)})"
                )
        return out

    def capacity_categories(self) -> tuple[CareCategory, ...]:
        """The category whose capacity each casualty uses: its category, else its RPM's band."""
        out = []
        for i, c in enumerate(self.casualties):
            if c.category is not None:
                out.append(c.category)
            else:
                assert c.rpm is not None
                try:
                    out.append(rpm_category(c.rpm, self.category_bands))
                except ValueError as exc:
                    raise ValueError(f"casualties[{i}].{exc}") from None
        return tuple(out)

    @property
    def horizon_min(self) -> float:
        """Minutes at which an unassigned casualty's death probability is read."""
        if self.untreated_horizon_min is not None:
            return self.untreated_horizon_min
        return self.model.horizon_min

    @property
    def n_slots(self) -> int:
        """Hour slots that can be used: ``k < planning_horizon_h`` and starting no later than the no-care
        horizon (``k * 60 <= horizon_min``; care that late is by definition no better than none)."""
        if not math.isfinite(self.horizon_min):
            return self.planning_horizon_h
        return min(self.planning_horizon_h, math.floor(self.horizon_min / SLOT_MIN) + 1)


def _check_unique(name: str, ids: list[str], suffix: str = "") -> None:
    seen: dict[str, int] = {}
    for i, x in enumerate(ids):
        if x in seen:
            raise ValueError(f"{name}[{i}]{suffix}: duplicate id {x!r}")
        seen[x] = i
