"""Benchmark: route queries and all-origin trees, amur against scipy.sparse.csgraph.

Times, on the built-in network (if present) and on a generated network of 1,000,000 links:

- building the generated network through ``Network.from_frames`` and expanding it;
- a single route query: ``amur.route`` on a pre-expanded graph (kernel + decode), and the
  kernel call ``dijkstra`` alone with the A* potential;
- one full shortest-path tree per origin place;

against ``scipy.sparse.csgraph.dijkstra`` on the same CSR arrays and weights (single source,
and all-origin for the same origins), in the same run. Medians of repeated runs. Writes
``benchmarks/results/routes.json`` and ``benchmarks/results/routes.md``.

Run: ``.venv/bin/python benchmarks/bench_routes.py [--links 1000000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import platform
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

import amur
from amur.graph import ExpandedGraph, expand, haversine_km
from amur.network import Network
from amur.paths import astar_potential, dijkstra

RESULTS = Path(__file__).parent / "results"
GOALS_MS = {"northeast-asia": 5.0, "generated": 50.0}


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    """Median wall time in seconds over ``repeat`` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# -- the generated network -----------------------------------------------------------------


def generated_frames(n_links: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A grid-like road-and-rail network with exactly ``n_links`` links.

    Nodes on a square grid (~n_links / 4 of them) over 40-50 N, 110-130 E; roads along rows,
    columns and diagonals; rail along every 10th row and column, 1435 mm in the west half and
    1520 mm in the east half (country CN west, RU east), with gauge-change and border figures
    on the dividing column and handling at rail nodes. Lengths are the great circle x 1.2.
    """
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_links / 4.0)))
    ids = np.arange(side * side).reshape(side, side)
    row, col = np.divmod(np.arange(side * side), side)
    lat = 40.0 + 10.0 * row / side + rng.uniform(-0.002, 0.002, side * side)
    lon = 110.0 + 20.0 * col / side + rng.uniform(-0.002, 0.002, side * side)
    east = col >= side // 2
    rail_node = (row % 10 == 0) | (col % 10 == 0)
    divide = col == side // 2
    nodes = pd.DataFrame(
        {
            "id": np.char.add("n", np.arange(side * side).astype(str)),
            "name": np.char.add("Node ", np.arange(side * side).astype(str)),
            "country": np.where(east, "RU", "CN"),
            "lat": lat,
            "lon": lon,
            "kind": np.where(rail_node, "rail_terminal", "junction"),
            "handling_time_h": np.where(rail_node, 6.0, np.nan),
            "handling_cost_usd_per_teu": np.where(rail_node, 60.0, np.nan),
            "gauge_change_time_h": np.where(divide & rail_node, 20.0, np.nan),
            "gauge_change_cost_usd_per_teu": np.where(divide & rail_node, 150.0, np.nan),
            "border_time_h": np.where(divide | (col == side // 2 - 1), 4.0, np.nan),
            "border_fee_usd_per_teu": np.where(divide | (col == side // 2 - 1), 50.0, np.nan),
        }
    )
    horiz = np.column_stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()])
    vert = np.column_stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])
    diag = np.column_stack([ids[:-1, :-1].ravel(), ids[1:, 1:].ravel()])
    anti = np.column_stack([ids[:-1, 1:].ravel(), ids[1:, :-1].ravel()])
    rail_h = horiz[(row[horiz[:, 0]] % 10) == 0]
    rail_v = vert[(col[vert[:, 0]] % 10) == 0]
    rail = np.concatenate([rail_h, rail_v])
    road = np.concatenate([horiz, vert, diag, anti])
    n_road = n_links - len(rail)
    keep = np.sort(rng.choice(len(road), size=n_road, replace=False))
    road = road[keep]
    pairs = np.concatenate([rail, road])
    is_rail = np.arange(len(pairs)) < len(rail)
    a, b = pairs[:, 0], pairs[:, 1]
    gc = haversine_km(lat[a], lon[a], lat[b], lon[b])
    # a rail link crossing the divide (or lying east of it) is 1520; those in the west 1435
    gauge = np.where(east[a] & east[b], "1520", "1435")
    gauge = np.where(is_rail, gauge, None)
    links = pd.DataFrame(
        {
            "id": np.char.add("l", np.arange(len(pairs)).astype(str)),
            "from_node": nodes["id"].to_numpy()[a],
            "to_node": nodes["id"].to_numpy()[b],
            "mode": np.where(is_rail, "rail", "road"),
            "gauge": gauge,
            "length_km": gc * 1.2,
            "speed_kmh": np.where(is_rail, 45.0, 60.0),
            "cost_usd_per_teu_km": np.where(is_rail, 0.25, 1.2),
            "co2_kg_per_tkm": np.where(is_rail, 0.0113, 0.062),
        }
    )
    return nodes, links


def profile_build(nodes: pd.DataFrame, links: pd.DataFrame) -> str:
    """Top functions by cumulative time in Network.from_frames."""
    profiler = cProfile.Profile()
    profiler.enable()
    Network.from_frames(nodes, links, name="generated")
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(12)
    return text.getvalue()


# -- timings on one network ----------------------------------------------------------------


def scipy_matrix(g: ExpandedGraph, weight: np.ndarray) -> sp.csr_array:
    """The graph as a scipy CSR matrix: lightest of parallel arcs, zero weights kept."""
    key = g.tail * g.n_states + g.head
    order = np.lexsort((weight, key))
    first = np.ones(len(order), bool)
    first[1:] = key[order][1:] != key[order][:-1]
    pick = order[first]
    rows, cols, data = g.tail[pick], g.head[pick], weight[pick]
    o = np.lexsort((cols, rows))
    indptr = np.zeros(g.n_states + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=g.n_states), out=indptr[1:])
    return sp.csr_array((data[o], cols[o], indptr), shape=(g.n_states, g.n_states))


def bench_network(
    net: Network,
    g: ExpandedGraph,
    label: str,
    n_queries: int,
    n_origins: int,
    repeat: int,
    seed: int = 1,
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    weight = np.ascontiguousarray(g.weights("time"))
    ids = net.nodes["id"].to_numpy()
    has_states = np.flatnonzero(np.diff(g.node_indptr) > 0)
    pairs = [tuple(rng.choice(has_states, 2, replace=False)) for _ in range(n_queries)]
    matrix = scipy_matrix(g, weight)
    zeros_n = np.zeros(g.n_states)
    no_block = np.zeros(g.n_states, np.bool_)
    no_target = np.zeros(g.n_states, np.bool_)

    # warm up: compile (or load) the kernels, fill caches of the graph
    amur.route(net, ids[pairs[0][0]], ids[pairs[0][1]], by="time", graph=g)

    route_ms, kernel_ms, potential_ms, scipy_single_ms, checked = [], [], [], [], 0
    for o, d in pairs:
        t_route, _ = timed(
            lambda o=o, d=d: amur.route(net, ids[o], ids[d], by="time", graph=g), repeat
        )
        sources = g.states_of(int(o))
        is_target = np.zeros(g.n_states, np.bool_)
        is_target[g.states_of(int(d))] = True
        t_potential, potential = timed(lambda d=d: astar_potential(g, weight, int(d)), repeat)
        src_dist = np.zeros(len(sources))
        t_kernel, (dist, _, target) = timed(
            lambda s=sources, t=is_target, p=potential, z=src_dist: dijkstra(
                g.indptr, g.head, weight, s, z, t, no_block, p
            ),
            repeat,
        )
        t_scipy, sdist = timed(
            lambda s=sources: scipy_dijkstra(matrix, directed=True, indices=s, min_only=True),
            repeat,
        )
        if target >= 0:
            assert abs(dist[target] - sdist[g.states_of(int(d))].min()) <= 1e-6 * max(
                1.0, dist[target]
            ), "amur and scipy disagree on a distance"
            checked += 1
        route_ms.append(t_route * 1e3)
        kernel_ms.append(t_kernel * 1e3)
        potential_ms.append(t_potential * 1e3)
        scipy_single_ms.append(t_scipy * 1e3)

    origins = (
        has_states
        if len(has_states) <= n_origins
        else rng.choice(has_states, n_origins, replace=False)
    )
    origin_states = [g.states_of(int(o)) for o in origins]

    def amur_trees() -> list[np.ndarray]:
        return [
            dijkstra(g.indptr, g.head, weight, s, np.zeros(len(s)), no_target, no_block, zeros_n)[0]
            for s in origin_states
        ]

    def scipy_trees() -> list[np.ndarray]:
        return [
            scipy_dijkstra(matrix, directed=True, indices=s, min_only=True) for s in origin_states
        ]

    t_amur_trees, a_trees = timed(amur_trees, repeat)
    t_scipy_trees, s_trees = timed(scipy_trees, repeat)
    for a_tree, s_tree in zip(a_trees, s_trees, strict=True):
        np.testing.assert_allclose(a_tree, s_tree, rtol=1e-9, atol=1e-9)

    med = statistics.median
    return {
        "network": label,
        "nodes": len(net.nodes),
        "links": len(net.links),
        "states": g.n_states,
        "arcs": g.n_arcs,
        "queries": len(pairs),
        "queries_checked_against_scipy": checked,
        "route_ms": med(route_ms),
        "route_ms_p90": float(np.percentile(route_ms, 90)),
        "kernel_astar_ms": med(kernel_ms),
        "astar_potential_ms": med(potential_ms),
        "scipy_single_source_ms": med(scipy_single_ms),
        "origins": len(origins),
        "all_origin_trees_s": t_amur_trees,
        "scipy_all_origin_trees_s": t_scipy_trees,
        "per_tree_ms": t_amur_trees / len(origins) * 1e3,
        "scipy_per_tree_ms": t_scipy_trees / len(origins) * 1e3,
        "goal_route_ms": GOALS_MS.get(label, GOALS_MS["generated"]),
    }


def markdown(results: list[dict[str, Any]], build: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        "# Route benchmarks",
        "",
        f"{meta['date']}, Python {meta['python']}, numpy {meta['numpy']}, scipy "
        f"{meta['scipy']}, {meta['machine']}. Medians of {meta['repeat']} runs; times by "
        "time criterion (hours).",
        "",
        "Route query: `amur.route` on a pre-expanded graph (A* potential, kernel, decode). "
        "Kernel A*: `dijkstra` alone with the potential, stopping at the destination. "
        "Potential: `astar_potential` alone. scipy has no early exit, so its single-source "
        "time is a full tree (multi-source over the origin's states, `min_only=True`); "
        "trees are full trees from every state of an origin place, amur and scipy alike "
        "(distances checked equal).",
        "",
        "| network | links | states | arcs | route query ms (goal) | kernel A* ms | "
        "potential ms | scipy single-source ms | kernel/scipy | route/scipy | per tree ms | "
        "scipy per tree ms | trees amur/scipy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['network']} | {r['links']:,} | {r['states']:,} | {r['arcs']:,} | "
            f"{r['route_ms']:.3f} ({r['goal_route_ms']:g}) | {r['kernel_astar_ms']:.3f} | "
            f"{r['astar_potential_ms']:.3f} | "
            f"{r['scipy_single_source_ms']:.3f} | "
            f"{r['kernel_astar_ms'] / r['scipy_single_source_ms']:.2f} | "
            f"{r['route_ms'] / r['scipy_single_source_ms']:.2f} | {r['per_tree_ms']:.3f} | "
            f"{r['scipy_per_tree_ms']:.3f} | "
            f"{r['all_origin_trees_s'] / r['scipy_all_origin_trees_s']:.2f} |"
        )
    if build:
        lines += [
            "",
            f"Generated network ({build['links']:,} links, {build['nodes']:,} nodes): frames "
            f"{build['frames_s']:.2f} s, `Network.from_frames` {build['from_frames_s']:.2f} s, "
            f"`expand` {build['expand_s']:.2f} s.",
        ]
        if build.get("profile"):
            lines += [
                "",
                "Profile of `Network.from_frames` (top by own time):",
                "",
                "```",
                build["profile"].strip(),
                "```",
            ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--origins", type=int, default=10)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile Network.from_frames on the generated network",
    )
    args = parser.parse_args()

    results = []
    try:
        net = amur.load("northeast-asia")
    except amur.InputError as exc:
        print(f"built-in network not available: {exc}")
    else:
        g = expand(net)
        results.append(
            bench_network(
                net, g, "northeast-asia", n_queries=50, n_origins=len(net.nodes), repeat=args.repeat
            )
        )
        print(json.dumps(results[-1], indent=2))

    start = time.perf_counter()
    nodes, links = generated_frames(args.links)
    frames_s = time.perf_counter() - start
    start = time.perf_counter()
    big = Network.from_frames(nodes, links, name="generated")
    from_frames_s = time.perf_counter() - start
    start = time.perf_counter()
    g = expand(big)
    expand_s = time.perf_counter() - start
    build = {
        "nodes": len(nodes),
        "links": len(links),
        "frames_s": frames_s,
        "from_frames_s": from_frames_s,
        "expand_s": expand_s,
    }
    print(json.dumps(build, indent=2))
    if args.profile or from_frames_s > 60.0:
        build["profile"] = profile_build(nodes, links)
        print(build["profile"])
    results.append(
        bench_network(
            big, g, "generated", n_queries=args.queries, n_origins=args.origins, repeat=args.repeat
        )
    )
    print(json.dumps(results[-1], indent=2))

    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "repeat": args.repeat,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "routes.json").write_text(
        json.dumps({"meta": meta, "build": build, "results": results}, indent=2) + "\n"
    )
    (RESULTS / "routes.md").write_text(markdown(results, build, meta))
    print(markdown(results, build, meta))


if __name__ == "__main__":
    main()
