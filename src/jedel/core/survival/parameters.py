"""Parameters of the Sacco RPM survival and deterioration model, loaded from ``jedel.core.data``.

Source: Sacco WJ, Navin DM, Fiedler KE, Waddell RK, Long WB, Buckman RF. Precise formulation and
evidence-based application of resource-constrained triage. Acad Emerg Med 2005;12(8):759-770.
doi:10.1197/j.aem.2005.04.003.

Status of the shipped values (from ``parameters.json``):

* ``survival_probability_by_rpm`` (logistic survival at scene RPM 0-12): **secondary** - taken from an
  independent reimplementation attributed to Sacco et al. 2005; the primary table was not read.
* ``deterioration`` (RPM after each 30-minute step, Delphi expert consensus): **secondary**; whether the
  first column is at 30 min or at 0 min is **unconfirmed**. We use ``first_column_minutes = 30`` as the file
  says; the table itself supports it: rows 3-7 start below their initial RPM (row 7 starts at 6), which
  would be impossible if the first column described the patient at 0 minutes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

RPM_MAX = 12
"""Highest Revised-Physiologic-Score-like RPM total: three components coded 0-4 (Sacco et al. 2005)."""


@dataclass(frozen=True)
class RpmSurvivalParameters:
    """Survival by RPM and RPM deterioration over time (Sacco et al. 2005; status: secondary).

    Attributes:
        survival_by_rpm: probability of survival with timely definitive care for RPM 0..12
            (13 values in [0, 1], non-decreasing in RPM).
        deterioration_by_rpm: for each initial RPM 0..12, the RPM at each table column (equal-length
            rows of integers in 0..12; every row non-increasing and not above its initial RPM).
        step_min: minutes between table columns (30 in the shipped table).
        first_column_min: minutes after the scene score at which the first column applies (30 in the
            shipped table; unconfirmed, see the module docstring).
        status: provenance note shown in documentation and reports.
    """

    survival_by_rpm: tuple[float, ...]
    deterioration_by_rpm: tuple[tuple[int, ...], ...]
    step_min: float = 30.0
    first_column_min: float = 30.0
    status: str = "secondary (Sacco et al. 2005 via an independent reimplementation)"

    def __post_init__(self) -> None:
        n = RPM_MAX + 1
        if len(self.survival_by_rpm) != n:
            raise ValueError(
                f"survival_by_rpm: expected {n} values (RPM 0..12), got {len(self.survival_by_rpm)}"
            )
        for rpm, p in enumerate(self.survival_by_rpm):
            if not 0.0 <= p <= 1.0:  # also rejects NaN
                raise ValueError(f"survival_by_rpm[{rpm}]: must be in [0, 1], got {p}")
            if rpm and p < self.survival_by_rpm[rpm - 1]:
                raise ValueError(f"survival_by_rpm[{rpm}]: must be >= survival_by_rpm[{rpm - 1}]")
        if len(self.deterioration_by_rpm) != n:
            raise ValueError(f"deterioration_by_rpm: expected {n} rows, got {len(self.deterioration_by_rpm)}")
        width = len(self.deterioration_by_rpm[0])
        for rpm, row in enumerate(self.deterioration_by_rpm):
            if len(row) != width or width == 0:
                raise ValueError(f"deterioration_by_rpm[{rpm}]: expected {width} columns, got {len(row)}")
            previous = rpm
            for col, value in enumerate(row):
                if not 0 <= value <= previous:
                    raise ValueError(
                        f"deterioration_by_rpm[{rpm}][{col}]: must be in [0, {previous}] "
                        "(RPM never improves without care)"
                    )
                previous = value
        if not self.step_min > 0:
            raise ValueError(f"step_min: must be > 0, got {self.step_min}")
        if not self.first_column_min >= 0:
            raise ValueError(f"first_column_min: must be >= 0, got {self.first_column_min}")

    @property
    def n_columns(self) -> int:
        """Number of deterioration columns (12 in the shipped table)."""
        return len(self.deterioration_by_rpm[0])

    @property
    def horizon_min(self) -> float:
        """Minutes at which the last deterioration column applies (30 + 11 x 30 = 360 for the shipped table).

        Beyond it the model holds the last column, so this is the default "no definitive care" horizon.
        """
        return self.first_column_min + (self.n_columns - 1) * self.step_min

    @classmethod
    def from_mapping(cls, sacco_rpm: dict[str, Any]) -> RpmSurvivalParameters:
        """Build from the ``"sacco_rpm"`` object of ``parameters.json``.

        Args:
            sacco_rpm: mapping with ``survival_probability_by_rpm.values`` (keys "0".."12") and
                ``deterioration`` (``step_minutes``, ``first_column_minutes``, ``rows_by_initial_rpm``).

        Returns:
            The validated parameters, their status taken from the file's status notes.

        Raises:
            ValueError: a key is missing or a value is out of range.
        """
        try:
            survival = sacco_rpm["survival_probability_by_rpm"]
            det = sacco_rpm["deterioration"]
            values = survival["values"]
            rows = det["rows_by_initial_rpm"]
            return cls(
                survival_by_rpm=tuple(float(values[str(r)]) for r in range(RPM_MAX + 1)),
                deterioration_by_rpm=tuple(tuple(int(v) for v in rows[str(r)]) for r in range(RPM_MAX + 1)),
                step_min=float(det["step_minutes"]),
                first_column_min=float(det["first_column_minutes"]),
                status=f"survival: {survival.get('status', '?')}; deterioration: {det.get('status', '?')}",
            )
        except KeyError as exc:
            raise ValueError(f"sacco_rpm: missing key {exc}") from None


def load_parameters_json() -> dict[str, Any]:
    """Read the packaged ``jedel/core/data/parameters.json`` (all engines' published parameters).

    Returns:
        The parsed JSON object.
    """
    text = resources.files("jedel.core.data").joinpath("parameters.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def default_rpm_parameters() -> RpmSurvivalParameters:
    """The shipped Sacco RPM parameters (status: secondary; see the module docstring).

    Returns:
        Parameters built from ``parameters.json["sacco_rpm"]``; cached (the dataclass is immutable).
    """
    return RpmSurvivalParameters.from_mapping(load_parameters_json()["sacco_rpm"])
