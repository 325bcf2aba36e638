"""Invalid inputs raise ValueError naming the field."""

from __future__ import annotations

import numpy as np
import pytest

from jedel.core.distribution import Casualty, DistributionProblem, Hospital, solve
from jedel.core.survival import rpm_survival_model

H = (Hospital("H1", {"immediate": 1}),)
C = (Casualty("a", "S1", "immediate"),)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Hospital("H", {"immediate": -1}), r"^capacity\.immediate: must be >= 0$"),
        (lambda: Hospital("H", {"red": 1}), r"^capacity\.red: unknown category 'red'"),
        (lambda: Hospital("H", {"delayed": 1.5}), r"^capacity\.delayed: must be an integer"),
        (
            lambda: Hospital("H", capabilities=frozenset({"cardiac"})),
            r"^capabilities: unknown need 'cardiac'",
        ),
        (lambda: Casualty("a", "S1", "red"), r"^category: unknown category 'red'"),
        (lambda: Casualty("a", "S1", "dead"), r"^category: unknown category 'dead'"),
        (lambda: Casualty("a", "S1"), r"^category: either category or rpm is required$"),
        (lambda: Casualty("a", "S1", rpm=13), r"^rpm: must be in 0\.\.12"),
        (lambda: Casualty("a", "S1", "minimal", needs=frozenset({"x"})), r"^needs: unknown need 'x'"),
        (
            lambda: DistributionProblem(C, H, ("S1",), np.zeros((1, 2))),
            r"^travel_time_min: shape \(1, 2\) does not match \(n_sites=1, n_hospitals=1\)$",
        ),
        (lambda: DistributionProblem(C, H, ("S1",), [[np.nan]]), r"^travel_time_min: contains NaN$"),
        (lambda: DistributionProblem(C, H, ("S1",), [[-1.0]]), r"^travel_time_min: must be >= 0$"),
        (
            lambda: DistributionProblem(C, H, ("S1",), [[1.0]], max_transport_min=float("nan")),
            r"^max_transport_min: must be >= 0$",
        ),
        (
            lambda: DistributionProblem((Casualty("a", "S9", "minimal"),), H, ("S1",), [[1.0]]),
            r"^casualties\[0\]\.site_id: unknown site 'S9'$",
        ),
        (
            lambda: DistributionProblem(C + C, H, ("S1",), [[1.0]]),
            r"^casualties\[1\]\.casualty_id: duplicate id 'a'$",
        ),
        (
            lambda: DistributionProblem(C, H + H, ("S1",), [[1.0, 2.0]]),
            r"^hospitals\[1\]\.hospital_id: duplicate",
        ),
        (
            lambda: DistributionProblem(C, H, ("S1",), [[1.0]], survival_model=rpm_survival_model()),
            r"^casualties\[0\]\.category: not a kind of the survival model",
        ),
        (
            lambda: solve(DistributionProblem(C, H, ("S1",), [[1.0]]), "fastest"),
            r"^policy: unknown 'fastest'",
        ),
    ],
)
def test_invalid_input(build, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_defaults_pick_the_model_from_the_casualties() -> None:
    rpm_only = DistributionProblem((Casualty("a", "S1", rpm=5),), H, ("S1",), [[1.0]])
    assert rpm_only.model.kinds[5] == "5"
    assert rpm_only.capacity_categories() == ("immediate",)  # RPM 5 lies in the immediate band
    both = DistributionProblem((Casualty("a", "S1", "delayed", rpm=5),), H, ("S1",), [[1.0]])
    assert both.model.kinds[5] == "5" and both.capacity_categories() == (
        "delayed",
    )  # the tag decides capacity
    mixed = DistributionProblem(
        (Casualty("a", "S1", rpm=5), Casualty("b", "S1", "minimal")), H, ("S1",), [[1.0]]
    )
    assert mixed.model.kinds == ("immediate", "delayed", "minimal", "expectant")
    assert mixed.kind_indices().tolist() == [0, 2]  # RPM 5 -> its band's category, immediate
