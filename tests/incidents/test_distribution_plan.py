"""The proposed distribution against an independent brute force, and against "nearest hospital" worked out here.

The brute force tries every assignment of the six casualties to the three hospitals (or none), within each
hospital's places per category, scoring each casualty by the category survival model at its road travel time (a
casualty not sent anywhere at the no-care horizon, 360 min): the plan must reach its minimum of expected deaths.
"""

from __future__ import annotations

import itertools
import math

import pytest

from jedel.core.survival import CareCategory, category_survival_model
from jedel.core.travel import travel_time_matrix_min
from jedel.incidents.services.distribution import plan_current
from tests.incidents.conftest import declare
from tests.incidents.distribution_helpers import CASUALTIES, HOSPITALS, SCENE, network, register_all  # noqa: F401

CAT_INDEX = {c.value: i for i, c in enumerate(CareCategory)}
CAPACITY_COLUMN = {"immediate": 2, "delayed": 3, "minimal": 4}


def _minutes():
    codes = sorted(HOSPITALS)
    lats = [HOSPITALS[c][0] for c in codes]
    lons = [HOSPITALS[c][1] for c in codes]
    return dict(zip(codes, travel_time_matrix_min([SCENE[0]], [SCENE[1]], lats, lons)[0], strict=True))


def _death(category, minutes):
    return float(category_survival_model().death_probability(CAT_INDEX[category], minutes))


def brute_force_min_deaths(casualties):
    minutes = _minutes()
    options = [None, *sorted(HOSPITALS)]
    best = math.inf
    for choice in itertools.product(options, repeat=len(casualties)):
        used = {}
        for (_, cat), h in zip(casualties, choice, strict=True):
            if h is not None:
                used[(h, cat)] = used.get((h, cat), 0) + 1
        if any(n > HOSPITALS[h][CAPACITY_COLUMN[cat]] for (h, cat), n in used.items()):
            continue
        deaths = sum(_death(cat, 360.0) if h is None else _death(cat, minutes[h])
                     for (_, cat), h in zip(casualties, choice, strict=True))
        best = min(best, deaths)
    return best


def nearest_deaths(casualties):
    """Everyone to the nearest hospital receiving its category; each admits its hourly places in arrival order
    (all arrive together from one scene: by tag order within a category), the rest are not treated in time."""
    minutes = _minutes()
    admitted = {}
    total = 0.0
    for _, cat in casualties:
        receiving = [h for h in HOSPITALS if HOSPITALS[h][CAPACITY_COLUMN[cat]] > 0]
        h = min(receiving, key=lambda code: minutes[code])
        admitted[(h, cat)] = admitted.get((h, cat), 0) + 1
        treated = admitted[(h, cat)] <= HOSPITALS[h][CAPACITY_COLUMN[cat]]
        total += _death(cat, minutes[h] if treated else 360.0)
    return total


def test_the_plan_reaches_the_brute_force_optimum_and_beats_nearest_by_the_computed_margin(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident)
    plan = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    best = brute_force_min_deaths(CASUALTIES)
    assert plan.expected_deaths == pytest.approx(best, abs=1e-12)
    assert plan.nearest_expected_deaths == pytest.approx(nearest_deaths(CASUALTIES), abs=1e-12)
    assert plan.nearest_expected_deaths - plan.expected_deaths > 0.05
    # The plan's own proposal scores what it claims, and keeps within every hospital's places.
    minutes = _minutes()
    proposals = {p["tag"]: p for p in plan.proposals}
    assert sorted(proposals) == sorted(tag for tag, _ in CASUALTIES)
    assert math.fsum(_death(p["category"], minutes[p["hospital"]]) for p in plan.proposals) == pytest.approx(best)
    loads = {}
    for p in plan.proposals:
        loads[(p["hospital"], p["category"])] = loads.get((p["hospital"], p["category"]), 0) + 1
    assert all(n <= HOSPITALS[h][CAPACITY_COLUMN[c]] for (h, c), n in loads.items())
    # Three immediates and one place each at NEAR and MID: the third goes FAR, none is left without a place.
    assert sorted(proposals[t]["hospital"] for t in ("R1", "R2", "R3")) == ["MCI-FAR", "MCI-MID", "MCI-NEAR"]
    assert {h["code"]: h["remaining"] for h in plan.hospitals}["MCI-MID"] == {
        "immediate": 1, "delayed": 1, "minimal": 0, "expectant": 0}


def test_an_unchanged_picture_returns_the_same_stored_plan(network):
    incident = declare(network, scene_lat=SCENE[0], scene_lon=SCENE[1])
    register_all(network, incident, CASUALTIES[:2])
    first = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    assert plan_current(viewer=network["p"]["nc"], incident_id=incident.pk).pk == first.pk
    register_all(network, incident, CASUALTIES[2:3])
    second = plan_current(viewer=network["p"]["nc"], incident_id=incident.pk)
    assert second.pk != first.pk and [p["tag"] for p in second.proposals] == ["R1", "R2", "R3"]
