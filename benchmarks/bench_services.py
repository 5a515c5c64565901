"""Benchmark: route queries and a year's assignment with scheduled services, against the same
network without its services (the peer, in the same run).

On the built-in network in 2018 (services running: the Northeast China–Europe trains, the
sea-rail trains, Transib in 7 days, the Korea and Japan sailings):

- expanding the network into its graph (service states and arcs included);
- a single route query, ``amur.route`` on a pre-expanded graph, over pairs of places from
  Harbin, Changchun, Shenyang and Dalian to Hamburg, Moscow, Busan, Vladivostok and Niigata;
- a year's assignment of the built-in demand, season by season (Algorithm B, gap 1e-5).

Goals (issue 12): under 5 ms a route query and under 10 s a year's assignment on 2 cores.
Writes ``benchmarks/results/services.json`` and ``benchmarks/results/services.md``.

Run: ``.venv/bin/python benchmarks/bench_services.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import amur
from amur.demand.builtin import assign_demand
from amur.graph import expand
from amur.network import Network
from amur.network.services import empty_services

RESULTS = Path(__file__).parent / "results"
YEAR = 2018
ORIGINS = ("harbin", "changchun", "shenyang", "dalian")
DESTINATIONS = ("hamburg", "moscow", "busan", "vladivostok", "niigata")
GOAL_ROUTE_MS = 5.0
GOAL_ASSIGN_S = 10.0


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    """Median wall time in seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def without_services(net: Network) -> Network:
    """The same network with no services (a new object: caches do not mix)."""
    return dataclasses.replace(net, services=empty_services(), name=f"{net.name}-no-services")


def measure(net: Network, repeat: int) -> dict[str, Any]:
    expand_s, _ = timed(lambda: _fresh_expand(net), repeat)
    g = expand(net, YEAR)
    pairs = [(o, d) for o in ORIGINS for d in DESTINATIONS]
    for o, d in pairs:  # warm the caches (A* ratio, km to targets) and the kernel
        amur.route(net, o, d, graph=g)
    per_query = []
    for o, d in pairs:
        seconds, _ = timed(lambda o=o, d=d: amur.route(net, o, d, graph=g), repeat)
        per_query.append(seconds)
    assign_s, (year, _) = timed(
        lambda: assign_demand(net, "northeast-asia", YEAR, None, None), max(1, repeat // 2)
    )
    services = year.service_loads()
    full = services[services["v_c"] > 1.0] if len(services) else services
    return {
        "states": g.n_states,
        "arcs": g.n_arcs,
        "services_running": int(net.services_running(YEAR).sum()),
        "expand_ms": expand_s * 1e3,
        "route_median_ms": statistics.median(per_query) * 1e3,
        "route_max_ms": max(per_query) * 1e3,
        "assign_year_s": assign_s,
        "assign_iterations": year.iterations,
        "assign_gap": year.relative_gap,
        "seasons": len(year.seasons.months),
        "services_full": sorted(set(full["service"])) if len(full) else [],
    }


def _fresh_expand(net: Network) -> Any:
    from amur.graph.expand import _expand_cached

    _expand_cached.cache_clear()
    return expand(net, YEAR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    net = amur.load("northeast-asia")
    rows = {
        "with services": measure(net, args.repeat),
        "without services (peer)": measure(without_services(net), args.repeat),
    }
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "year": YEAR,
        "repeat": args.repeat,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "services.json").write_text(
        json.dumps({"meta": meta, "results": rows}, indent=2, default=float) + "\n"
    )
    with_s, peer = rows["with services"], rows["without services (peer)"]
    lines = [
        "# Services: route queries and a year's assignment (benchmarks/bench_services.py)",
        "",
        f"Built-in network, {YEAR}, {with_s['services_running']} services running; medians of "
        f"{args.repeat} runs; Python {meta['python']} on {meta['cpus']} CPUs (load average "
        f"{meta['load_average'][0]:.1f} during the run: the machine is shared).",
        "",
        "| measure | with services | without services (peer) | ratio | goal |",
        "|---|---:|---:|---:|---:|",
        f"| graph states / arcs | {with_s['states']} / {with_s['arcs']} | {peer['states']} / "
        f"{peer['arcs']} | | |",
        f"| expand, ms | {with_s['expand_ms']:.1f} | {peer['expand_ms']:.1f} | "
        f"{with_s['expand_ms'] / peer['expand_ms']:.2f} | |",
        f"| route query, median ms ({len(ORIGINS) * len(DESTINATIONS)} pairs) | "
        f"{with_s['route_median_ms']:.2f} | {peer['route_median_ms']:.2f} | "
        f"{with_s['route_median_ms'] / peer['route_median_ms']:.2f} | < {GOAL_ROUTE_MS:g} |",
        f"| route query, slowest pair ms | {with_s['route_max_ms']:.2f} | "
        f"{peer['route_max_ms']:.2f} | {with_s['route_max_ms'] / peer['route_max_ms']:.2f} | "
        f"< {GOAL_ROUTE_MS:g} |",
        f"| a year's assignment, s ({with_s['seasons']} seasons, Algorithm B) | "
        f"{with_s['assign_year_s']:.2f} | {peer['assign_year_s']:.2f} | "
        f"{with_s['assign_year_s'] / peer['assign_year_s']:.2f} | < {GOAL_ASSIGN_S:g} |",
        f"| assignment iterations / largest gap | {with_s['assign_iterations']} / "
        f"{with_s['assign_gap']:.1e} | {peer['assign_iterations']} / {peer['assign_gap']:.1e} "
        "| | |",
        "",
        f"Services over capacity (v/c > 1) in {YEAR}: "
        f"{', '.join(with_s['services_full']) or 'none'}.",
        "",
    ]
    (RESULTS / "services.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
