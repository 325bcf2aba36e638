"""Benchmark: the ``optimal`` dispatch policy against the baselines in the Monte Carlo MCI simulator.

Policy: jedel.core.simulation.policy_optimal; instance: the shipped Almaty M7.3 night earthquake scenario.

Instance (nothing here is tuned to the result):
* Scenario ``almaty_earthquake_night`` through ``jedel.core.simulation.bridge.scenario_input``: casualties
  from the earthquake model over the shipped GeoNames towns (src/jedel/geo/data/kz_cities_geonames.csv), the
  scenario's release waves and its 64 road ambulances; BridgeAssumptions defaults (treatment 60 min,
  exponential; loading 10; handover 10; every leg at the rural 60 km/h, detour 1.3; horizon = last wave +
  720 min). RPM and release draws from ``--input-seed``.
* Hospitals: the scenario takes them from the registry (``from_registry: true``), so a fixed synthetic list
  is built here with the rule of bench/distribution.py's Almaty instance (no open hospital list exists,
  handbook section 5): towns with people within 300 km of Almaty; beds = 13,000 for Almaty (BNS, start of
  2024, shipped kz_health_capacity_by_region.csv), else 52.5 per 10,000 people (BNS 2022 national density);
  one hospital per started 600 beds, jittered around the town centre (sd 0.03 deg, seed 11); MCI receiving
  capacity 20 % of beds spread over 6 hours (Kosashvili et al. Injury 2009, as there), split immediate
  50 % / delayed 30 % / minimal 15 % / expectant 5 %, then ``hospitals_from_hourly_capacity`` (treatment slots
  = patients per hour at 60 min each; no admissions limit).

Figures (replications 0..R-1 of ``--seed``; every policy sees the same draws, common random numbers):
* per policy: deaths and critical (immediate + delayed) mortality, mean with 95 % t interval; expected
  deaths; the two bounds (no care before the horizon; uncapacitated); share of avoidable deaths averted
  ``(no_care - policy) / (no_care - uncapacitated)`` on expected deaths; seconds per replication.
* ``deaths_optimal_vs_<baseline>``: figure = mean deaths of optimal, baseline = the baseline's, ratio;
  ``paired_difference_ci95`` = per-replication optimal - baseline. Goal (the issue's): >= 25 % fewer deaths
  than ``nearest`` and strictly fewer than ``rpm_greedy``; the JSON says whether it was met.

Run: ``.venv/bin/python bench/distribution_sim.py [--replications 200]``. Writes the JSON to stdout and to
bench/results/distribution_sim.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jedel.core.distribution import Hospital  # noqa: E402
from jedel.core.simulation import (  # noqa: E402
    POLICIES,
    OptimalPolicy,
    category_counts,
    hospitals_from_hourly_capacity,
    parse_towns_csv,
    scenario_input,
    shipped_scenario,
)
from jedel.core.simulation.outcomes import estimate  # noqa: E402
from jedel.core.simulation.simulator import replication_seed, simulate_replication  # noqa: E402
from jedel.core.simulation.state import build_network  # noqa: E402
from jedel.core.survival import CareCategory  # noqa: E402
from jedel.core.travel import distance_matrix_km  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "distribution_sim.json"
TOWNS_CSV = ROOT / "src/jedel/geo/data/kz_cities_geonames.csv"
SCENARIO = "almaty_earthquake_night"
MCI_SPLIT = {CareCategory.IMMEDIATE: 0.50, CareCategory.DELAYED: 0.30, CareCategory.MINIMAL: 0.15,
             CareCategory.EXPECTANT: 0.05}
BASELINES = ("nearest", "nearest_available", "rpm_greedy")


def hospitals(seed: int = 11, hours: int = 6) -> list[Hospital]:
    """The synthetic receiving hospitals (module docstring)."""
    rng = np.random.default_rng(seed)
    out = []
    with open(TOWNS_CSV, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon, pop = float(row["lat"]), float(row["lon"]), int(row["population"] or 0)
            if pop <= 0 or distance_matrix_km([43.25], [76.91], [lat], [lon])[0, 0] > 300:
                continue
            beds = 13_000 if row["name"] == "Almaty" else pop * 52.5 / 10_000
            n_h = max(1, math.ceil(beds / 600))
            for k in range(n_h):
                mci = 0.20 * beds / n_h / hours
                jitter = rng.normal(0.0, 0.03, 2) if n_h > 1 else np.zeros(2)
                capacity = {c: round(mci * s) for c, s in MCI_SPLIT.items()}
                out.append(Hospital(f"{row['name']}-{k + 1}", capacity,
                                    name=f"{row['name']} #{k + 1} (synthetic)",
                                    lat_deg=lat + jitter[0], lon_deg=lon + jitter[1]))
    return out


def ci(values: list[float]) -> dict[str, float]:
    e = estimate(values)
    return {"mean": round(e.mean, 4), "low": round(e.low, 4), "high": round(e.high, 4), "n": e.n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7, help="root seed of the replications")
    parser.add_argument("--input-seed", type=int, default=20261203, help="RPM and release draws of the input")
    parser.add_argument("--replan-min", type=float, default=15.0)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    towns = parse_towns_csv(TOWNS_CSV.read_text(encoding="utf-8"))
    receiving = hospitals_from_hourly_capacity(hospitals())
    inp = scenario_input(shipped_scenario(SCENARIO), rng=np.random.default_rng(args.input_seed), towns=towns,
                         hospitals=receiving)
    net = build_network(inp)
    critical = int(np.count_nonzero(np.asarray(inp.casualty_category) <= 1))
    policies = {"optimal": OptimalPolicy(args.replan_min), **{b: POLICIES[b] for b in BASELINES}}
    rows: dict[str, list[dict[str, float]]] = {}
    seconds: dict[str, float] = {}
    for name, policy in policies.items():
        t0 = time.perf_counter()
        rows[name] = [simulate_replication(net, policy, replication_seed(args.seed, k)).metrics()
                      for k in range(args.replications)]
        seconds[name] = time.perf_counter() - t0

    def series(name: str, key: str) -> list[float]:
        return [r[key] for r in rows[name]]

    per_policy = {}
    for name in policies:
        per_policy[name] = {
            "deaths_ci95": ci(series(name, "deaths")),
            "critical_mortality_ci95": ci([d / critical for d in series(name, "critical_deaths")]),
            "expected_deaths_ci95": ci(series(name, "expected_deaths")),
            "averted_share_ci95": ci(series(name, "averted_share")),
            "died_waiting_ci95": ci(series(name, "died_waiting")),
            "ambulance_utilisation_ci95": ci(series(name, "ambulance_utilisation")),
            "seconds_per_replication": round(seconds[name] / args.replications, 4),
        }
    bounds = {"no_care_deaths_ci95": ci(series("optimal", "no_care_deaths")),
              "uncapacitated_deaths_ci95": ci(series("optimal", "uncapacitated_deaths")),
              "no_care_expected_deaths": round(rows["optimal"][0]["no_care_expected_deaths"], 4),
              "uncapacitated_expected_deaths": round(rows["optimal"][0]["uncapacitated_expected_deaths"], 4)}
    conditions = {
        "scenario": SCENARIO, "casualties": inp.n_casualties, "by_category": dict(category_counts(inp)),
        "critical_casualties": critical, "ambulances": int(net.ambulance_station_node.shape[0]),
        "hospitals": len(receiving), "treatment_slots": int(np.sum(np.asarray(inp.hospital_servers))),
        "horizon_min": inp.horizon_min, "replications": args.replications, "seed": args.seed,
        "input_seed": args.input_seed, "replan_min": args.replan_min, "python": platform.python_version(),
        "cpus": os.cpu_count(), "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    opt = per_policy["optimal"]["deaths_ci95"]["mean"]
    benchmarks: list[dict[str, object]] = []
    for b in BASELINES:
        base = per_policy[b]["deaths_ci95"]["mean"]
        diff = [x - y for x, y in zip(series("optimal", "deaths"), series(b, "deaths"), strict=True)]
        goal = {"nearest": ">= 25 % fewer deaths (ratio <= 0.75)",
                "rpm_greedy": "strictly fewer deaths (paired 95 % interval below 0)"}.get(b)
        met = {"nearest": opt <= 0.75 * base, "rpm_greedy": ci(diff)["high"] < 0}.get(b)
        benchmarks.append({
            "name": f"deaths_optimal_vs_{b}", "figure": opt, "unit": "deaths (mean)", "baseline": base,
            "ratio": round(opt / base, 4) if base else None,
            "reduction_share": round(1 - opt / base, 4) if base else None,
            "paired_difference_ci95": ci(diff), "goal": goal, "goal_met": met, **conditions,
        })
    result = {"benchmarks": benchmarks, "policies": per_policy, "bounds": bounds, "conditions": conditions}
    text = json.dumps(result, indent=2)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
