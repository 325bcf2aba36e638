"""Benchmark: the Monte Carlo MCI response simulator (jedel.core.simulation) against the same model in SimPy.

Scenario (built here from a fixed seed; an assumption shaped like the shipped Almaty earthquake exercise,
almaty_earthquake_night.yaml, not published figures):
* ``--casualties`` N (default 5,000) at 150 collection points: 80 % normal around (43.22 N, 76.88 E) with sd
  0.05 deg, 20 % with sd 0.15 deg. Category mix immediate 15 %, delayed 25 %, minimal 55 %, expectant 5 %;
  each RPM drawn uniformly from its category's default band (DEFAULT_CATEGORY_RPM_BANDS).
* Release waves of the shipped scenario: 35 % at 0 min, 25 % at 60, 20 % at 180, 12 % at 360, 8 % at 720.
* The shipped scenario's 8 ambulance stations and 64 road ambulances.
* 20 hospitals normal around (43.25 N, 76.92 E), sd 0.06 deg; 2-6 treatment slots, mean treatment
  45-120 min (exponential), unlimited beds. Loading 10 min, handover 15 min, horizon 720 min, urban speed
  inside 12 km of the centre (RoadSpeeds defaults otherwise).

Figures (policy ``--policy``, default ``nearest``; seed ``--seed``; replications 0..R-1):
1. ``deaths_jedel_vs_simpy``: mean deaths with 95 % t intervals over the replications run by both; with
   the same draws the two should agree replication by replication (``replications_differing`` counts those
   that do not).
2. ``throughput_vs_simpy``: replications per second of ``simulate_replication`` (prepared network reused;
   deaths counted) against the SimPy model (same network; deaths counted); goal >= 100 x. One process, one
   core; the replications of the two engines alternate.
3. ``time_for_replications``: seconds for ``--replications`` replications (the issue's size: 1,000) of the
   simulator, against the SimPy time for as many, extrapolated from its ``--peer-replications``.

Run: ``.venv/bin/python bench/simulation.py`` (full size: about 3.5 minutes on one core). Quick:
``--replications 20 --peer-replications 5``. Writes the JSON to stdout and to bench/results/simulation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import simulation_simpy  # noqa: E402

from jedel.core.simulation import POLICIES, RoadSpeeds, SimulationInput  # noqa: E402
from jedel.core.simulation.outcomes import estimate  # noqa: E402
from jedel.core.simulation.simulator import replication_seed, simulate_replication  # noqa: E402
from jedel.core.simulation.state import build_network  # noqa: E402
from jedel.core.survival import DEFAULT_CATEGORY_RPM_BANDS, CareCategory  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "simulation.json"
MIX = ((CareCategory.IMMEDIATE, 0.15), (CareCategory.DELAYED, 0.25), (CareCategory.MINIMAL, 0.55),
       (CareCategory.EXPECTANT, 0.05))
WAVES = ((0.0, 0.35), (60.0, 0.25), (180.0, 0.20), (360.0, 0.12), (720.0, 0.08))
STATIONS = (  # almaty_earthquake_night.yaml
    (43.2500, 76.9300, 12), (43.2200, 76.9000, 10), (43.2300, 76.8500, 10), (43.2900, 76.8300, 8),
    (43.3400, 76.9800, 8), (43.2600, 76.9700, 8), (43.3024, 77.2381, 4), (43.2000, 76.6200, 4),
)


def scenario(n: int, seed: int = 20261203) -> SimulationInput:
    """The benchmark input (module docstring), the same for a given N and seed."""
    rng = np.random.default_rng(seed)
    wide = rng.random(150) < 0.2
    sd = np.where(wide, 0.15, 0.05)
    scene_lat, scene_lon = 43.22 + sd * rng.standard_normal(150), 76.88 + sd * rng.standard_normal(150)
    cats = rng.choice(len(MIX), size=n, p=[p for _, p in MIX])
    bands = [DEFAULT_CATEGORY_RPM_BANDS[c] for c, _ in MIX]
    rpm = np.array([rng.choice(bands[k]) for k in cats], dtype=np.intp)
    release = rng.choice([m for m, _ in WAVES], size=n, p=[p for _, p in WAVES])
    return SimulationInput(
        scene_lat_deg=scene_lat, scene_lon_deg=scene_lon, casualty_scene=rng.integers(0, 150, n),
        casualty_release_min=release, casualty_rpm=rpm,
        station_lat_deg=[s[0] for s in STATIONS], station_lon_deg=[s[1] for s in STATIONS],
        station_ambulances=[s[2] for s in STATIONS],
        hospital_lat_deg=43.25 + 0.06 * rng.standard_normal(20),
        hospital_lon_deg=76.92 + 0.06 * rng.standard_normal(20),
        hospital_servers=rng.integers(2, 7, 20), hospital_treatment_mean_min=rng.uniform(45.0, 120.0, 20),
        loading_min=10.0, handover_min=15.0, horizon_min=720.0,
        speeds=RoadSpeeds(city_centre_lat_deg=43.25, city_centre_lon_deg=76.92, urban_radius_km=12.0),
    )


Runs = dict[str, tuple[float, list[float]]]


def run_both(inp: SimulationInput, policy: str, seed: int, r: int, r_peer: int) -> Runs:
    """Deaths per replication and total seconds of each engine. Replications alternate between the engines,
    so a change in the machine's load during the run falls on both."""
    clock = time.perf_counter
    t0 = clock()
    net = build_network(inp)
    t_net = clock() - t0
    times = {"jedel": t_net, "simpy": t_net}
    deaths: dict[str, list[float]] = {"jedel": [], "simpy": []}
    for k in range(max(r, r_peer)):
        if k < r_peer:
            t0 = clock()
            peer = simulation_simpy.simulate_replication(net, policy, seed, k)
            deaths["simpy"].append(float(peer.deaths()))
            times["simpy"] += clock() - t0
        if k < r:
            t0 = clock()
            result = simulate_replication(net, POLICIES[policy], replication_seed(seed, k))
            deaths["jedel"].append(float(result.dead.sum()))
            times["jedel"] += clock() - t0
    return {name: (times[name], deaths[name]) for name in times}


def ci(values: list[float]) -> dict[str, float]:
    e = estimate(values)
    return {"mean": round(e.mean, 3), "low": round(e.low, 3), "high": round(e.high, 3), "n": e.n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casualties", type=int, default=5000)
    parser.add_argument("--replications", type=int, default=1000, help="simulator runs (issue: 1,000)")
    parser.add_argument("--peer-replications", type=int, default=100, help="SimPy replications")
    parser.add_argument("--policy", choices=sorted(POLICIES), default="nearest")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]  # other work on the machine slows both engines alike
    inp = scenario(args.casualties)
    run_both(scenario(50), args.policy, args.seed, 1, 1)  # untimed warm-up (first numpy calls)
    runs = run_both(inp, args.policy, args.seed, args.replications, args.peer_replications)
    (t_jedel, d_jedel), (t_simpy, d_simpy) = runs["jedel"], runs["simpy"]
    shared = min(args.replications, args.peer_replications)
    differing = sum(1 for a, b in zip(d_jedel[:shared], d_simpy[:shared], strict=True) if a != b)
    jedel_ci, simpy_ci = ci(d_jedel[:shared]), ci(d_simpy[:shared])
    overlap = jedel_ci["low"] <= simpy_ci["high"] and simpy_ci["low"] <= jedel_ci["high"]
    rate_jedel, rate_simpy = args.replications / t_jedel, args.peer_replications / t_simpy
    simpy_for_r = t_simpy / args.peer_replications * args.replications
    conditions = {
        "casualties": args.casualties, "ambulances": int(sum(s[2] for s in STATIONS)), "hospitals": 20,
        "policy": args.policy, "seed": args.seed, "replications": args.replications,
        "peer_replications": args.peer_replications, "python": platform.python_version(),
        "simpy": simpy.__version__, "cpus": os.cpu_count(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    result = {"benchmarks": [
        {
            "name": "deaths_jedel_vs_simpy", "figure": jedel_ci["mean"], "unit": "deaths (mean)",
            "baseline": simpy_ci["mean"],
            "ratio": round(jedel_ci["mean"] / simpy_ci["mean"], 6) if simpy_ci["mean"] else None,
            "jedel_ci95": jedel_ci, "simpy_ci95": simpy_ci, "replications_compared": shared,
            "jedel_ci95_all_replications": ci(d_jedel),
            "replications_differing": differing, "intervals_overlap": overlap,
            "goal": "agree within the 95 % intervals", **conditions,
        },
        {
            "name": "throughput_vs_simpy", "figure": round(rate_jedel, 3), "unit": "replications/s",
            "baseline": round(rate_simpy, 3), "ratio": round(rate_jedel / rate_simpy, 3), "goal": ">= 100",
            **conditions,
        },
        {
            "name": f"time_for_{args.replications}_replications", "figure": round(t_jedel, 2), "unit": "s",
            "baseline": round(simpy_for_r, 2), "ratio": round(t_jedel / simpy_for_r, 4),
            "baseline_note": f"SimPy seconds for {args.peer_replications} replications, scaled",
            **conditions,
        },
    ]}
    text = json.dumps(result, indent=2)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n")


if __name__ == "__main__":
    main()
