"""Benchmark: casualty distribution (jedel.core.distribution). Prints one JSON object.

Hospital capacity is MCI receiving capacity per hour and category; a plan covers ``planning_horizon_h``
hour slots, and a casualty admitted in slot k at a hospital t minutes away reaches care at max(t, 60 k)
(jedel.core.distribution.evaluate). One evaluator scores every policy.

1. ``optimal_vs_highs`` (H = 1 and H = 6): 10,000 casualties (Sacco RPM) at 200 sites, 1,000 hospitals
   in a 1,000 x 800 km area with 0-5 places per hour and category, road travel, 240-minute transport
   limit. Time of ``solve(problem, "optimal")`` end to end (grouping, OR-Tools min-cost flow, per-casualty
   slots and reasons) against the time of scipy's HiGHS (``linprog(method="highs")``) on the same
   aggregated LP (one column per group, hospital and usable slot; LP build + solve, grouping not counted).
   Both objectives (unrounded expected deaths) are reported and asserted equal within the documented
   integer-rounding bound. Best of 3 timings for both solvers, measured alternately. Goal: ratio <= 0.2.
2. ``almaty_m7_deaths`` (H = 6): an M7 near the 1887 Verny epicentre (43.1 N, 76.8 E), 10,000 casualties
   at 150 collection points around Almaty; synthetic hospitals in shipped GeoNames towns within 300 km,
   sized by population. Expected deaths of ``optimal`` vs ``nearest`` (today's practice, capacity-blind:
   everyone to the nearest hospital, admitted at its hourly rate in arrival order) and vs
   ``nearest_available`` (a dispatcher who sends each casualty to the free place giving the earliest
   care). Goal: >= 25 % fewer expected deaths than ``nearest``.

Assumptions of the earthquake instance (documented, not published figures unless cited):
* Casualty mix (assumption): immediate 20 %, delayed 30 %, minimal 45 %, expectant 5 %; each casualty's
  RPM is drawn uniformly from its category's default band (jedel.core.survival.DEFAULT_CATEGORY_RPM_BANDS).
  Needs (assumption): paediatric_surgery 20 %, burns 3 %, neurosurgery 5 %, independent.
* Collection points: 80 % normal around (43.22 N, 76.88 E), between the Verny epicentre and the centre,
  sd 0.05 deg; 20 % sd 0.15 deg (suburbs and foothill towns).
* Beds: Almaty 13,000 (BNS, start of 2024, via sozmedia.kz; shipped kz_health_capacity_by_region.csv);
  other towns 52.5 beds per 10,000 people (BNS 2022 national density, same file). One synthetic hospital
  per started 600 beds, placed around the town centre (sd 0.03 deg).
* MCI receiving capacity: 20 % of beds, about half immediate (Kosashvili Y et al. Injury 2009 - Israeli
  preparedness rule, parameters.json); split immediate 50 %, delayed 30 %, minimal 15 %, expectant 5 %
  (assumption). The rule is a total a hospital prepares to receive, not a rate: we spread it evenly over
  the 6-hour plan, so places per hour = 20 % x beds / 6, rounded per category (a 600-bed hospital: 10
  immediate, 6 delayed, 3 minimal, 1 expectant per hour; cf. 4.6-7.1 critical patients per hour for a
  level-1 trauma centre, Hirshberg 2005, and ED beds / 2.5 h, Bayram 2011, both in parameters.json).
  Reading 20 % of beds as an hourly rate would give 120 % of all beds in 6 hours.
  Capabilities (assumption): starting with a town's first hospital, every 4th has paediatric_surgery,
  every 5th burns, every 3rd neurosurgery; a town with a single hospital has all three.
* Travel: road, rural class (60 km/h, detour 1.3; jedel.core.travel defaults); max transport 240 min.
* ``one_shot_h1`` (context, same casualties and sites): the pre-slot model, where the 20 % of beds is a
  one-shot total available at arrival (H = 1).

Run: ``.venv/bin/python bench/distribution.py`` (about 65 s on 2 cores).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jedel.core.distribution import (
    CATEGORIES,
    Casualty,
    DistributionProblem,
    GroupedProblem,
    Hospital,
    group_problem,
    rounding_bound,
    solve,
)
from jedel.core.distribution.evaluate import option_death
from jedel.core.survival import DEFAULT_CATEGORY_RPM_BANDS, CareCategory, rpm_survival_model
from jedel.core.travel import distance_matrix_km, road_time_min

ROOT = Path(__file__).resolve().parents[1]
NEEDS = (("paediatric_surgery", 0.20), ("burns", 0.03), ("neurosurgery", 0.05))
MIX = (
    (CareCategory.IMMEDIATE, 0.20),
    (CareCategory.DELAYED, 0.30),
    (CareCategory.MINIMAL, 0.45),
    (CareCategory.EXPECTANT, 0.05),
)
MCI_SPLIT = {
    CareCategory.IMMEDIATE: 0.50,
    CareCategory.DELAYED: 0.30,
    CareCategory.MINIMAL: 0.15,
    CareCategory.EXPECTANT: 0.05,
}
MAX_TRANSPORT_MIN = 240.0
PLAN_H = 6
"""Planning horizon of the earthquake plan and of the second speed comparison (hours)."""
REPEATS = 3


def _casualties(site_ids: list[str], *, rng: np.random.Generator, n: int) -> tuple[Casualty, ...]:
    cats = rng.choice(len(MIX), size=n, p=[p for _, p in MIX])
    sites = rng.integers(0, len(site_ids), size=n)
    needs = np.stack([rng.random(n) < p for _, p in NEEDS], axis=1)
    out = []
    for i in range(n):
        cat = MIX[cats[i]][0]
        band = DEFAULT_CATEGORY_RPM_BANDS[cat]
        out.append(
            Casualty(
                f"c{i}",
                site_ids[sites[i]],
                cat,
                int(band[rng.integers(0, len(band))]),
                frozenset(name for k, (name, _) in enumerate(NEEDS) if needs[i, k]),
            )
        )
    return tuple(out)


def _problem(casualties, hospitals, site_ids, site_lat, site_lon, hours: int = 1) -> DistributionProblem:
    dist = distance_matrix_km(
        site_lat, site_lon, [h.lat_deg for h in hospitals], [h.lon_deg for h in hospitals]
    )
    return DistributionProblem(
        casualties,
        tuple(hospitals),
        tuple(site_ids),
        road_time_min(dist, "rural"),
        max_transport_min=MAX_TRANSPORT_MIN,
        survival_model=rpm_survival_model(),
        planning_horizon_h=hours,
    )


def random_instance(
    *, rng: np.random.Generator, n_casualties: int = 10_000, n_sites: int = 200, n_hospitals: int = 1_000
) -> DistributionProblem:
    """Sites and hospitals uniform over a ~1,000 x 800 km box in south-east Kazakhstan."""
    site_ids = [f"S{i}" for i in range(n_sites)]
    s_lat, s_lon = rng.uniform(42.0, 49.0, n_sites), rng.uniform(68.0, 80.0, n_sites)
    h_lat, h_lon = rng.uniform(42.0, 49.0, n_hospitals), rng.uniform(68.0, 80.0, n_hospitals)
    caps = rng.integers(0, 6, size=(n_hospitals, len(CATEGORIES)))
    hospitals = [
        Hospital(
            f"H{j}",
            {c: int(caps[j, k]) for k, c in enumerate(CATEGORIES)},
            frozenset(name for name, p in NEEDS if rng.random() < 0.3),
            lat_deg=h_lat[j],
            lon_deg=h_lon[j],
        )
        for j in range(n_hospitals)
    ]
    return _problem(_casualties(site_ids, rng=rng, n=n_casualties), hospitals, site_ids, s_lat, s_lon)


def almaty_instance(
    *, rng: np.random.Generator, n_casualties: int = 10_000, n_sites: int = 150, hours: int = PLAN_H
) -> DistributionProblem:
    """M7 near the 1887 Verny epicentre: casualties around Almaty, synthetic hospitals in nearby towns.

    Places per hour = 20 % of beds / ``hours`` (the Israeli total spread over the plan); ``hours = 1`` is
    the one-shot reading (all 20 % available at once).
    """
    towns = []
    with open(ROOT / "src/jedel/geo/data/kz_cities_geonames.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon, pop = float(row["lat"]), float(row["lon"]), int(row["population"] or 0)
            if pop > 0 and distance_matrix_km([43.25], [76.91], [lat], [lon])[0, 0] <= 300:
                towns.append((row["name"], lat, lon, pop))
    hospitals = []
    for name, lat, lon, pop in towns:
        beds = 13_000 if name == "Almaty" else pop * 52.5 / 10_000
        n_h = max(1, math.ceil(beds / 600))
        for k in range(n_h):
            mci = 0.20 * beds / n_h / hours
            cap = {c: round(mci * share) for c, share in MCI_SPLIT.items()}
            caps = (
                {"paediatric_surgery", "burns", "neurosurgery"}
                if n_h == 1
                else {
                    n
                    for n, every in (("paediatric_surgery", 4), ("burns", 5), ("neurosurgery", 3))
                    if k % every == 0
                }
            )
            jitter = rng.normal(0.0, 0.03, 2) if n_h > 1 else np.zeros(2)
            hospitals.append(
                Hospital(
                    f"{name}-{k + 1}",
                    cap,
                    frozenset(caps),
                    name=f"{name} #{k + 1} (synthetic)",
                    lat_deg=lat + jitter[0],
                    lon_deg=lon + jitter[1],
                )
            )
    wide = rng.random(n_sites) < 0.2
    sd = np.where(wide, 0.15, 0.05)
    s_lat = 43.22 + rng.normal(0, 1, n_sites) * sd
    s_lon = 76.88 + rng.normal(0, 1, n_sites) * sd * 1.4
    site_ids = [f"CCP{i}" for i in range(n_sites)]
    return _problem(_casualties(site_ids, rng=rng, n=n_casualties), hospitals, site_ids, s_lat, s_lon, hours)


def highs_objective(gp: GroupedProblem) -> float:
    """Expected deaths of the LP optimum on groups and slots (scipy HiGHS), independent of OR-Tools.

    One column per feasible (group, hospital) and usable slot (no ladder), costs from the shared evaluator.
    """
    n_slots, n_groups, n_cat = gp.n_slots, len(gp.groups), len(CATEGORIES)
    pair_g, pair_h = np.nonzero(gp.feasible)
    gi, hi = np.repeat(pair_g, n_slots), np.repeat(pair_h, n_slots)
    ki = np.tile(np.arange(n_slots), pair_g.size)
    n_arcs = gi.size
    cost = np.concatenate([option_death(gp, gi, hi, ki), gp.unassigned_death])
    cols = np.arange(n_arcs + n_groups)
    eq = sparse.csr_matrix(
        (np.ones(cols.size), (np.concatenate([gi, np.arange(n_groups)]), cols)), shape=(n_groups, cols.size)
    )
    rows = (hi * n_slots + ki) * n_cat + gp.category_index[gi]
    n_rows = gp.capacity.shape[0] * n_slots * n_cat
    ub = sparse.csr_matrix((np.ones(n_arcs), (rows, np.arange(n_arcs))), shape=(n_rows, cols.size))
    b_ub = np.repeat(gp.capacity[:, None, :], n_slots, axis=1).reshape(-1)
    res = linprog(cost, A_ub=ub, b_ub=b_ub, A_eq=eq, b_eq=gp.count, bounds=(0, None), method="highs")
    assert res.status == 0, res.message
    return float(res.fun)


def speed(problem: DistributionProblem) -> dict[str, object]:
    """Best-of-REPEATS time of solve(optimal) vs HiGHS on the same instance; objectives must agree."""
    t_optimal, t_highs = math.inf, math.inf
    for _ in range(REPEATS):  # measured alternately in the same run
        t0 = time.perf_counter()
        optimal = solve(problem, "optimal")
        t_optimal = min(t_optimal, time.perf_counter() - t0)
        gp = group_problem(problem)
        t0 = time.perf_counter()
        lp = highs_objective(gp)
        t_highs = min(t_highs, time.perf_counter() - t0)
    tol = rounding_bound(len(problem.casualties)) + 1e-6 * max(1.0, lp)
    assert abs(optimal.expected_deaths - lp) <= tol, (optimal.expected_deaths, lp, tol)
    hours = problem.planning_horizon_h
    return {
        "name": f"distribution_optimal_vs_highs_10k_casualties_200_sites_1000_hospitals_{hours}h",
        "figure": round(t_optimal, 4),
        "unit": "s",
        "baseline": round(t_highs, 4),
        "ratio": round(t_optimal / t_highs, 4),
        "goal": "ratio <= 0.2",
        "planning_horizon_h": hours,
        "objective_optimal_expected_deaths": optimal.expected_deaths,
        "objective_highs_expected_deaths": lp,
        "objective_tolerance": tol,
        "groups": len(gp.groups),
        "highs_columns": int(gp.feasible.sum()) * gp.n_slots,
    }


def compare(problem: DistributionProblem) -> dict[str, dict[str, float | int]]:
    """Expected deaths, casualties not admitted and overflow of every policy (one shared evaluator)."""
    out: dict[str, dict[str, float | int]] = {}
    for policy in ("optimal", "nearest_available", "nearest", "proportional"):
        a = solve(problem, policy)
        out[policy] = {
            "expected_deaths": round(a.expected_deaths, 2),
            "not_admitted_in_horizon": a.n_unassigned,
            "overflow": a.n_overflow,
        }
    return out


def main() -> None:
    rng = np.random.default_rng(20250607)
    base = random_instance(rng=rng)
    speeds = [speed(base), speed(dataclasses.replace(base, planning_horizon_h=PLAN_H))]
    state = rng.bit_generator.state  # both readings of the earthquake draw the same casualties and sites
    quake = compare(almaty_instance(rng=rng))
    rng.bit_generator.state = state
    one_shot = compare(almaty_instance(rng=rng, hours=1))
    best, today = quake["optimal"]["expected_deaths"], quake["nearest"]["expected_deaths"]
    dispatcher = quake["nearest_available"]["expected_deaths"]
    quake_entry = {
        "name": f"almaty_m7_expected_deaths_optimal_vs_nearest_{PLAN_H}h",
        "figure": best,
        "unit": "expected deaths",
        "baseline": today,
        "ratio": round(best / today, 4),
        "goal": "reduction >= 25 %",
        "reduction_percent": round(100.0 * (today - best) / today, 2),
        "reduction_vs_nearest_available_percent": round(100.0 * (dispatcher - best) / dispatcher, 2),
        "planning_horizon_h": PLAN_H,
        "casualties": 10_000,
        "policies": quake,
        "one_shot_h1": {
            **one_shot,
            "reduction_percent": round(
                100.0 * (1 - one_shot["optimal"]["expected_deaths"] / one_shot["nearest"]["expected_deaths"]),
                2,
            ),
        },
    }
    print(json.dumps({"benchmarks": [*speeds, quake_entry]}, indent=2))


if __name__ == "__main__":
    main()
