"""Benchmark: 10,000 Monte Carlo draws of ``appraise`` on the Amur road bridge.

Writes benchmarks/results/appraise.json. Traffic and user benefits come from the
assignment (``traffic="assignment"``): the built-in demand is assigned twice, on the network
of the opening year with the bridge and without it, and those two assignments are reused by
every draw (draws scale traffic and benefits by growth and level and vary capital cost and
opening year; they never re-assign). The benchmark counts the calls to ``assign_network``
to show it (the same number for 10 draws as for 10,000: two cases times the seasons of the
year), and times the project-file path too.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import amur
from amur.assign import multimodal
from amur.impact import appraise

DRAWS = 10_000


def main() -> None:
    net = amur.load("northeast-asia")
    appraise("amur-road-bridge", network=net, draws=10, traffic="assignment")  # warm up
    calls = []
    real = multimodal.assign_network

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    multimodal.assign_network = counting  # type: ignore[assignment]
    try:
        appraise("amur-road-bridge", network=net, draws=10, seed=1, traffic="assignment")
        few_draws_calls = len(calls)
        calls.clear()
        start = time.perf_counter()
        result = appraise(
            "amur-road-bridge", network=net, draws=DRAWS, seed=20240601, traffic="assignment"
        )
        seconds = time.perf_counter() - start
    finally:
        multimodal.assign_network = real  # type: ignore[assignment]
    start = time.perf_counter()
    from_file = appraise(
        "amur-road-bridge", network=net, draws=DRAWS, seed=20240601, traffic="project"
    )
    file_seconds = time.perf_counter() - start
    payload = {
        "benchmark": "appraise amur-road-bridge",
        "draws": DRAWS,
        "seconds": round(seconds, 4),
        "goal_seconds": 60,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "traffic_source": result.traffic_source,
        "assignment_reused_across_draws": len(calls) == few_draws_calls,
        "assign_network_calls": len(calls),
        "assign_network_calls_for_10_draws": few_draws_calls,
        "assignment_reused": (
            f"yes: {len(calls)} assignments (with and without the project, "
            f"one per season of the year) for {DRAWS:,} draws, as for 10 "
            f"draws; timed inside the {seconds:.2f} s"
        ),
        "project_file_traffic": {
            "seconds": round(file_seconds, 4),
            "npv": from_file.to_dict()["npv"],
            "dscr_min_operating": from_file.to_dict()["dscr"]["min_operating"],
        },
        "result": result.to_dict(),
    }
    out = Path(__file__).parent / "results" / "appraise.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"{DRAWS} draws in {seconds:.3f} s ({len(calls)} assignments) -> {out}")


if __name__ == "__main__":
    main()
