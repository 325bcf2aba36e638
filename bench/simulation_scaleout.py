"""Benchmark: the MCI simulator's replications on a 2-worker local Dask cluster against the same replications in
one process (jedel.core.simulation.scaleout). Input: bench/simulation.py's scenario with ``--casualties`` (default
2,000), policy ``nearest``, seed 7, ``--replications`` (default 200).

Figures (JSON on stdout and in bench/results/simulation_scaleout.json):
* ``speedup_warm``: in-process seconds / cluster seconds with the cluster already started (goal >= 1.8 x);
* ``speedup_with_start``: the same, the cluster's start counted;
* ``identical``: whether both runs gave the same outcome and care minute for every casualty of every
  replication (they must).
Run: ``.venv/bin/python bench/simulation_scaleout.py`` (about a minute on 2 cores; needs both cores idle to mean
anything: the workers, the scheduler and this client share them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from simulation import scenario  # noqa: E402  (bench/ is not a package)

from jedel.core.simulation.scaleout import open_client, simulate_distributed  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "simulation_scaleout.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casualties", type=int, default=2000)
    parser.add_argument("--replications", type=int, default=200)
    args = parser.parse_args()
    inp = scenario(args.casualties)
    t = time.perf_counter()
    local = simulate_distributed(inp, "nearest", args.replications, 7, workers=0)
    in_process = time.perf_counter() - t
    t = time.perf_counter()
    with open_client(workers=2) as client:
        started = time.perf_counter() - t
        simulate_distributed(inp, "nearest", 4, 7, client=client)  # workers import the simulator once
        t = time.perf_counter()
        spread = simulate_distributed(inp, "nearest", args.replications, 7, client=client)
        warm = time.perf_counter() - t
    same = len(local.replications) == len(spread.replications) and all(
        np.array_equal(a.outcome, b.outcome) and np.array_equal(a.treatment_start_min, b.treatment_start_min,
                                                                 equal_nan=True)
        for a, b in zip(local.replications, spread.replications, strict=True))
    result = {
        "input": {"casualties": args.casualties, "replications": args.replications, "policy": "nearest",
                  "seed": 7, "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()},
        "speedup_warm": {"figure": round(warm, 2), "baseline": round(in_process, 2),
                         "ratio": round(in_process / warm, 2), "unit": "s", "goal": "ratio >= 1.8"},
        "speedup_with_start": {"figure": round(warm + started, 2), "baseline": round(in_process, 2),
                               "ratio": round(in_process / (warm + started), 2), "unit": "s"},
        "identical": same,
    }
    text = json.dumps(result, indent=2)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
