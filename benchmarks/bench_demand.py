"""Benchmark: building and calibrating the built-in demand; a multi-class seasonal year.

Writes benchmarks/results/demand.md and demand.json. Measured in the same run:

- the build from the statistics tables and the calibration (counts of 2017-2021, the
  final fit of every count year, 200 bootstrap resamples): wall-clock and CPU seconds (the
  machine is shared, so CPU time is the cleaner measure), against the 60 s goal;
- one year of the multi-class assignment by commodity (2022 scenario year, every season,
  Algorithm B to a relative gap of 1e-5), against the 10 s goal, and as the peer the
  one-class assignment of the same tonnes (every commodity on every mode at one value of
  time), which is what the multi-class run replaces.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import numpy as np

import amur
from amur.assign.multimodal import read_flow_parameters
from amur.assign.options import AssignmentOptions
from amur.assign.seasons import assign_seasons, build_season_graphs
from amur.data import dataset_path
from amur.demand.builtin import assign_demand, build_builtin_demand, builtin_demand

RESULTS = Path(__file__).parent / "results"
YEAR = 2022


def _timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    load_before = os.getloadavg()[0]
    net = amur.load("northeast-asia")
    od = builtin_demand(year=YEAR)
    assign_demand(net, "northeast-asia", YEAR, 7, None, od)  # warm up the compiled kernels
    cal, build_wall, build_cpu = _timed(lambda: build_builtin_demand(bootstrap=200))
    runs = [
        _timed(lambda: assign_demand(net, "northeast-asia", YEAR, None, None, od)) for _ in range(3)
    ]
    multi, multi_wall, multi_cpu = min(runs, key=lambda r: r[2])
    params = read_flow_parameters(dataset_path("northeast-asia") / "flow_parameters.csv")
    zones = [net.place(z) for z in od.zones]
    seasons = build_season_graphs(net, zones, params, YEAR)
    options = AssignmentOptions(gap=1e-5)
    singles = [_timed(lambda: assign_seasons(seasons, od.combined(), options)) for _ in range(3)]
    _, single_wall, single_cpu = min(singles, key=lambda r: r[2])
    result = multi[0]
    record = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "build_and_calibrate_s": {"wall": build_wall, "cpu": build_cpu, "goal": 60.0},
        "calibration_counts": len(cal.calibration.table),
        "validation_counts": len(cal.validation.table),
        "multi_class_year_s": {
            "wall": multi_wall,
            "cpu": multi_cpu,
            "goal": 10.0,
            "seasons": len(result.seasons.months),
            "commodities": len(od.commodities),
            "relative_gap": result.relative_gap,
        },
        "one_class_year_s": {"wall": single_wall, "cpu": single_cpu},
        "tonnes": float(od.total()),
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "prior_weight": cal.prior_weight,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "demand.json").write_text(json.dumps(record, indent=2) + "\n")
    ratio = multi_cpu / single_cpu if single_cpu > 0 else float("nan")
    lines = [
        "# Demand: build, calibration and multi-class assignment",
        "",
        f"Machine: {record['machine']} (shared with other jobs: CPU seconds are the "
        "cleaner measure); load average (1 min) "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after. "
        "Script: `benchmarks/bench_demand.py`.",
        "",
        "| what | wall s | CPU s | goal |",
        "|---|---:|---:|---:|",
        f"| build from the statistics + calibrate ({record['calibration_counts']} counts, "
        f"{record['validation_counts']} held out, the prior weight cross-validated over "
        f"{len(cal.cross_validation) if cal.cross_validation is not None else 1} candidates, "
        f"200 bootstrap draws) | {build_wall:.1f} | "
        f"{build_cpu:.1f} | < 60 s |",
        f"| multi-class year {YEAR}, {len(od.commodities)} commodities, "
        f"{len(result.seasons.months)} seasons of the first group (best of 3) | "
        f"{multi_wall:.2f} | {multi_cpu:.2f} | < 10 s |",
        f"| peer: the same tonnes as one class on every mode (best of 3) | {single_wall:.2f}"
        f" | {single_cpu:.2f} | |",
        "",
        f"The multi-class year takes {ratio:.1f}x the CPU time of the one-class year: one "
        "Algorithm B run per commodity group (containers; bulk; crude; LNG) and season, on "
        "each group's own graph. Relative gap reached "
        f"{result.relative_gap:.1e}; {float(np.round(od.total() / 1e6, 1))} Mt a year.",
        "",
    ]
    (RESULTS / "demand.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
