"""Benchmark: route queries on a generated 1M-link network, same-side and cross-border.

Uses the network of ``bench_routes.py`` (a road-and-rail grid, China west and Russia east,
with border, gauge-change and handling figures on the dividing column). For random pairs on
the same side and across the border it times, interleaved query by query:

* ``amur.route`` as it is now (A* with landmark bounds, kernel and decoding);
* the straight-line A* it replaced: ``astar_potential`` plus the kernel alone (this is only
  part of the old query, so the ratio understates the gain);

and checks that both find the same distance. The landmarks (a few trees per graph and
criterion, computed once and kept) are timed apart. Writes
``benchmarks/results/route_queries.md`` and ``.json``.

Run: ``.venv/bin/python benchmarks/bench_route_queries.py [--links 1000000] [--pairs 10]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import amur
from amur.graph import expand
from amur.network import Network
from amur.paths import astar_potential, dijkstra
from amur.paths.route import route_landmarks
from bench_routes import generated_frames

RESULTS = Path(__file__).parent / "results"
GOAL_MS = 10.0


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    before = load()
    nodes, links = generated_frames(args.links)
    net = Network.from_frames(nodes, links, name="generated")
    g = expand(net)
    weight = np.ascontiguousarray(g.weights("time"))
    value = float(net.parameters.get("shipment_value_usd_per_teu", 50_000.0))
    pct = float(net.parameters.get("time_value_pct_per_day", 1.0))
    start = time.perf_counter()
    landmarks = route_landmarks(g, "time", value, pct)
    landmark_s = time.perf_counter() - start
    assert landmarks is not None
    ids = nodes["id"].to_numpy()
    east = (nodes["country"] == "RU").to_numpy()
    has_states = np.flatnonzero(np.diff(g.node_indptr) > 0)
    rng = np.random.default_rng(3)
    pairs: dict[str, list[tuple[int, int]]] = {"same side": [], "cross-border": []}
    while min(len(p) for p in pairs.values()) < args.pairs:
        o, d = (int(x) for x in rng.choice(has_states, 2, replace=False))
        kind = "cross-border" if east[o] != east[d] else "same side"
        if len(pairs[kind]) < args.pairs:
            pairs[kind].append((o, d))
    amur.route(
        net, ids[pairs["same side"][0][0]], ids[pairs["same side"][0][1]], by="time", graph=g
    )  # warm: kernels
    no_block = np.zeros(g.n_states, np.bool_)
    rows: list[dict[str, Any]] = []
    for kind, chosen in pairs.items():
        for o, d in chosen:
            route_ms, straight_ms = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                best = amur.route(net, ids[o], ids[d], by="time", graph=g)[0]
                route_ms.append((time.perf_counter() - t) * 1e3)
                t = time.perf_counter()
                potential = astar_potential(g, weight, d)
                is_target = np.zeros(g.n_states, np.bool_)
                is_target[g.states_of(d)] = True
                sources = g.states_of(o)
                dist, _, target = dijkstra(
                    g.indptr,
                    g.head,
                    weight,
                    sources,
                    np.zeros(len(sources)),
                    is_target,
                    no_block,
                    potential,
                )
                straight_ms.append((time.perf_counter() - t) * 1e3)
            assert abs(dist[target] - best.score) <= 1e-6 * max(1.0, best.score)
            rows.append(
                {
                    "kind": kind,
                    "origin": ids[o],
                    "destination": ids[d],
                    "route_ms": statistics.median(route_ms),
                    "straight_line_astar_ms": statistics.median(straight_ms),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    after = load()
    summary = {}
    for kind in pairs:
        r = [x["route_ms"] for x in rows if x["kind"] == kind]
        s = [x["straight_line_astar_ms"] for x in rows if x["kind"] == kind]
        summary[kind] = {
            "route_ms_median": statistics.median(r),
            "route_ms_max": max(r),
            "straight_line_astar_ms_median": statistics.median(s),
        }
    payload = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "links": len(links),
        "states": g.n_states,
        "arcs": g.n_arcs,
        "landmarks": len(landmarks.states),
        "landmark_seconds": landmark_s,
        "load_before": before,
        "load_after": after,
        "summary": summary,
        "queries": rows,
    }
    lines = [
        "# Route queries at scale: landmarks (ALT) against the straight-line bound",
        "",
        f"{payload['date']}; generated network of {len(links):,} links, {g.n_states:,} "
        f"states, {g.n_arcs:,} arcs; by time. Load before: `{before}`; after: `{after}`.",
        f"Landmarks: {len(landmarks.states)}, computed once per graph and criterion in "
        f"{landmark_s:.1f} s.",
        "",
        "Medians over queries of the median of repeated runs, in ms (goal: under "
        f"{GOAL_MS:g} ms for both kinds).",
        "",
        "| pairs | amur.route (landmarks), median | max | straight-line A* kernel + bound "
        "(before), median | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, s in summary.items():
        lines.append(
            f"| {kind} | {s['route_ms_median']:.2f} | {s['route_ms_max']:.2f} | "
            f"{s['straight_line_astar_ms_median']:.2f} | "
            f"{s['route_ms_median'] / s['straight_line_astar_ms_median']:.2f} |"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "route_queries.json").write_text(json.dumps(payload, indent=2))
    (RESULTS / "route_queries.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
