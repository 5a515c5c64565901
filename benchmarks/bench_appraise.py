"""Benchmark: 10,000 Monte Carlo draws of ``appraise`` on the Amur road bridge.

Writes benchmarks/results/appraise.json. The generalized-cost saving (skims with and without
the project, 12 months) is computed once and reused by every draw: draws change traffic,
capital cost and opening year, not the network, and routing is uncongested. No assignment
is run (traffic comes from the project file), so none is reused or repeated.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import amur
from amur.impact import appraise

DRAWS = 10_000


def main() -> None:
    net = amur.load("northeast-asia")
    appraise("amur-road-bridge", network=net, draws=10)  # compile the kernels, warm caches
    start = time.perf_counter()
    result = appraise("amur-road-bridge", network=net, draws=DRAWS, seed=20240601)
    seconds = time.perf_counter() - start
    payload = {
        "benchmark": "appraise amur-road-bridge",
        "draws": DRAWS,
        "seconds": round(seconds, 4),
        "goal_seconds": 60,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "assignment_reused": "no assignment run: traffic from the project file; the "
                             "generalized-cost saving is computed once and reused by all draws",
        "result": result.to_dict(),
    }
    out = Path(__file__).parent / "results" / "appraise.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"{DRAWS} draws in {seconds:.3f} s -> {out}")


if __name__ == "__main__":
    main()
