"""Benchmark: `amur sweep` on 1 and 2 Dask workers, time per case, and the serial reference.

On the built-in northeast-asia network, one grid (scenarios x base, the four built-in
projects and all x months x thetas x draws) runs on a LocalCluster of 1 worker and of 2
workers (single-threaded processes; every worker runs a project case first, so process
start and compiled-kernel loading are not counted; best of --repeat runs, since the machine
is shared), and a sample of its cases runs
one by one in this process (each case alone, sharing nothing but the expand cache): the
sharing's gain per case. Records the load average before and after (the machine is
shared). Writes benchmarks/results/sweep.json and benchmarks/results/sweep.md.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--sample 12]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import amur
from amur.impact import builtin_projects, read_project
from amur.sweep import Grid, Setting, connect, run_case, run_sweep

RESULTS = Path(__file__).parent / "results"


def _grid() -> Grid:
    return Grid(
        scenarios=("today", "2014", "2020"),
        projects=tuple(read_project(p) for p in builtin_projects()),
        months=(1, 4, 7, 10),
        parameters={"theta": (4.0, 5.0, 8.2)},
        draws=2,
        with_all=True,
    )


def _warm() -> None:
    """Run one project case of a scenario in this process: loads every compiled kernel."""
    net = amur.load("northeast-asia")
    grid = Grid(
        scenarios=("2014",), projects=(read_project("amur-road-bridge"),), months=(1,), draws=1
    )
    setting = Setting(net, "northeast-asia", grid)
    for case in grid.cases():
        run_case(setting, case)


def _timed_sweep(setting: Setting, workers: int, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` runs on one cluster whose every worker was warmed first."""
    with connect(None, n_workers=workers) as client:
        client.run(_warm)
        runs = []
        for _ in range(repeat):
            load = os.getloadavg()[0]
            result = run_sweep(setting, client=client)
            runs.append((result.seconds, load, result))
    seconds, load, result = min(runs, key=lambda r: r[0])
    return {
        "workers": result.workers,
        "seconds": seconds,
        "seconds_per_case": result.seconds_per_case,
        "shared_tasks": result.shared_tasks,
        "load_before": load,
        "all_seconds": [r[0] for r in runs],
        "table": result.table,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=12, help="cases run one by one")
    parser.add_argument("--repeat", type=int, default=2, help="runs per cluster (best kept)")
    args = parser.parse_args()
    net = amur.load("northeast-asia")
    grid = _grid()
    setting = Setting(net, "northeast-asia", grid)
    cases = grid.cases()
    load_start = os.getloadavg()
    one = _timed_sweep(setting, 1, args.repeat)
    two = _timed_sweep(setting, 2, args.repeat)
    assert one["table"].equals(two["table"]), "1 and 2 workers must give the same rows"
    step = max(len(cases) // args.sample, 1)
    sample = cases[::step][: args.sample]
    run_case(setting, sample[0])  # warm the kernels
    start = time.perf_counter()
    for case in sample:
        run_case(setting, case)
    serial_per_case = (time.perf_counter() - start) / len(sample)
    load_end = os.getloadavg()
    speedup = one["seconds"] / two["seconds"]
    out = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_start": load_start,
            "load_average_end": load_end,
        },
        "grid": {
            "cases": len(cases),
            "scenarios": list(grid.scenarios),
            "variants": list(grid.variants),
            "months": list(grid.months),
            "theta": list(grid.values("theta")),
            "draws": grid.draws,
        },
        "one_worker": {k: v for k, v in one.items() if k != "table"},
        "two_workers": {k: v for k, v in two.items() if k != "table"},
        "speedup_1_to_2": speedup,
        "serial_seconds_per_case": serial_per_case,
        "serial_sample": len(sample),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sweep.json").write_text(json.dumps(out, indent=2) + "\n")
    lines = [
        "# Sweep benchmark",
        "",
        f"Grid on northeast-asia: {len(cases)} cases ({len(grid.scenarios)} scenarios x "
        f"{len(grid.variants)} variants x {len(grid.months)} months x 3 thetas; "
        f"{grid.draws} Monte Carlo draws beside the central case for each project).",
        f"Machine: {os.cpu_count()} CPUs shared with other jobs; load average (1 min) "
        f"{load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end.",
        "",
        "| run | wall s | s per case | shared pieces | load before |",
        "|---|---:|---:|---:|---:|",
        f"| Dask, 1 worker (best of {', '.join(f'{x:.1f}' for x in one['all_seconds'])}) | "
        f"{one['seconds']:.2f} | {one['seconds_per_case']:.4f} | "
        f"{one['shared_tasks']} | {one['load_before']:.1f} |",
        f"| Dask, 2 workers (best of {', '.join(f'{x:.1f}' for x in two['all_seconds'])}) | "
        f"{two['seconds']:.2f} | {two['seconds_per_case']:.4f} | "
        f"{two['shared_tasks']} | {two['load_before']:.1f} |",
        f"| each case alone (sample of {len(sample)}) | - | {serial_per_case:.4f} | 0 | - |",
        "",
        f"Speed-up from 1 to 2 workers: **{speedup:.2f}x** (goal 1.7x). Sharing "
        f"(graphs, skims, savings once per scenario, variant and month) against each case "
        f"alone: {serial_per_case / two['seconds_per_case']:.0f}x per case on 2 workers.",
        "",
    ]
    (RESULTS / "sweep.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
