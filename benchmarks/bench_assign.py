"""Benchmark amur's assignment against AequilibraE on TNTP networks (a script, not a test).

Usage::

    .venv/bin/python benchmarks/bench_assign.py [--quick]

It creates (once) a separate virtual environment for AequilibraE at ``benchmarks/.venv-aeq``
(``pip install aequilibrae``) and runs AequilibraE there, in a subprocess. Then:

* on Anaheim and Chicago-Sketch it times amur (Algorithm B, BFW) and AequilibraE (bfw, cfw,
  fw) to relative gaps 1e-4, 1e-5 and 1e-6, each run separately to its target, and recomputes
  every gap with amur's code (:func:`amur.assign.relative_gap`) on the link flows each returns;
* on Berlin-Center it times an all-zone travel-time skim (one tree per zone) with both, on the
  same number of threads.

Results go to ``benchmarks/results/assign.json`` and ``benchmarks/results/assign.md``.
If AequilibraE cannot be installed, that is recorded in both files and amur runs alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TNTP = REPO.parent / "shared" / "benchmarks" / "tntp"
AEQ_VENV = HERE / ".venv-aeq"
RESULTS = HERE / "results"
GAPS = (1e-4, 1e-5, 1e-6)
NETWORKS = {
    # folder: (file stem, distance factor of the best-known solution's generalized cost)
    "Anaheim": ("Anaheim", 0.0),
    "Chicago-Sketch": ("ChicagoSketch", 0.04),
}
SKIM_NETWORK = ("Berlin-Center", "berlin-center")
AEQ_ALGORITHMS = ("bfw", "cfw", "fw")
AMUR_ALGORITHMS = ("b", "bfw")


def paths(folder: str, stem: str) -> tuple[Path, Path]:
    return TNTP / folder / f"{stem}_net.tntp", TNTP / folder / f"{stem}_trips.tntp"


# --- AequilibraE side: runs inside benchmarks/.venv-aeq -------------------------------------


def aeq_graph(folder: str, stem: str, distance_factor: float):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd
    from aequilibrae.paths import Graph

    sys.path.insert(0, str(REPO / "src"))
    from amur.io.tntp import read_tntp_network

    net = read_tntp_network(paths(folder, stem)[0], distance_factor=distance_factor)
    frame = pd.DataFrame(
        {
            "link_id": np.arange(1, net.n_links + 1),
            "a_node": net.init_node,
            "b_node": net.term_node,
            "direction": 1,
            # AequilibraE refuses zero free-flow times (Chicago's zone connectors have them);
            # 1e-6 minutes changes no route and no objective digit we report.
            "free_flow_time": np.maximum(net.free_flow_time, 1e-6),
            "capacity": net.capacity,
            "b": net.b,
            "power": net.power,
            "fixed_cost": net.fixed_cost,
        }
    )
    graph = Graph()
    graph.network = frame
    graph.network_ok = True
    graph.status = "OK"
    graph.prepare_graph(np.arange(1, net.n_zones + 1, dtype=np.int64), remove_dead_ends=False)
    graph.set_graph("free_flow_time")
    graph.set_skimming(["free_flow_time"])
    # Zones below FIRST THRU NODE may not be passed through.
    graph.set_blocked_centroid_flows(net.first_thru_node > 1)
    return net, graph


def aeq_worker(spec_path: Path) -> None:
    """Run the AequilibraE jobs listed in a JSON spec; write flows and timings beside it."""
    import numpy as np
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import TrafficAssignment, TrafficClass

    sys.path.insert(0, str(REPO / "src"))
    from amur.io.tntp import read_tntp_trips

    spec = json.loads(spec_path.read_text())
    out = []
    for job in spec["jobs"]:
        folder, stem, factor = job["folder"], job["stem"], job["distance_factor"]
        net, graph = aeq_graph(folder, stem, factor)
        if job["kind"] == "skim":
            from aequilibrae.paths import NetworkSkimming

            start = time.perf_counter()
            skimmer = NetworkSkimming(graph)
            skimmer.set_cores(job["cores"])
            skimmer.execute()
            seconds = time.perf_counter() - start
            skim = skimmer.results.skims.matrix_view
            out.append({**job, "seconds": seconds, "finite": int(np.isfinite(skim).sum())})
            continue
        trips = read_tntp_trips(paths(folder, stem)[1])
        matrix = AequilibraeMatrix()
        matrix.create_empty(zones=net.n_zones, matrix_names=["demand"], memory_only=True)
        matrix.index[:] = np.arange(1, net.n_zones + 1)
        matrix.matrix["demand"][:, :] = trips
        matrix.computational_view(["demand"])
        traffic = TrafficClass("car", graph, matrix)
        if factor:
            traffic.set_fixed_cost("fixed_cost", 1.0)
        assignment = TrafficAssignment()
        assignment.set_classes([traffic])
        assignment.set_vdf("BPR")
        assignment.set_vdf_parameters({"alpha": "b", "beta": "power"})
        assignment.set_capacity_field("capacity")
        assignment.set_time_field("free_flow_time")
        assignment.set_cores(job["cores"])
        assignment.set_algorithm(job["algorithm"])
        assignment.max_iter = job["max_iterations"]
        assignment.rgap_target = job["gap"]
        start = time.perf_counter()
        assignment.execute()
        seconds = time.perf_counter() - start
        loads = traffic.results.get_load_results()
        column = next(c for c in loads.columns if c.endswith("_tot"))
        flows = np.zeros(net.n_links)
        flows[loads.index.to_numpy() - 1] = loads[column].to_numpy()
        flow_file = spec_path.with_name(f"{folder}-{job['algorithm']}-{job['gap']:g}.npy")
        np.save(flow_file, flows)
        report = assignment.report()
        out.append(
            {
                **job,
                "seconds": seconds,
                "iterations": len(report),
                "aeq_gap": float(report["rgap"].iloc[-1]),
                "flows": str(flow_file),
            }
        )
    spec_path.with_suffix(".out.json").write_text(json.dumps(out))


# --- amur side ---------------------------------------------------------------------------


def ensure_aequilibrae() -> tuple[bool, str]:
    """Create benchmarks/.venv-aeq with aequilibrae if needed; return (ok, message)."""
    python = AEQ_VENV / "bin" / "python"
    check = [
        str(python),
        "-c",
        "import aequilibrae, importlib.metadata as m; print(m.version('aequilibrae'))",
    ]
    if python.exists():
        done = subprocess.run(check, capture_output=True, text=True)
        if done.returncode == 0:
            return True, done.stdout.strip()
    try:
        subprocess.run([sys.executable, "-m", "venv", str(AEQ_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "aequilibrae"],
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        return False, f"pip install aequilibrae failed: {(exc.stderr or '')[-500:]}"
    done = subprocess.run(check, capture_output=True, text=True)
    if done.returncode != 0:
        return False, f"aequilibrae does not import: {done.stderr[-500:]}"
    return True, done.stdout.strip()


def run_amur(cores: int, quick: bool) -> tuple[list[dict], dict]:
    import numba
    import numpy as np

    from amur.assign import assign, graph_from_tntp, relative_gap, skim
    from amur.io.tntp import read_tntp_network, read_tntp_trips

    numba.set_num_threads(cores)
    rows = []
    # Compile (or load) the kernels once, outside the timings.
    net = read_tntp_network(paths("SiouxFalls", "SiouxFalls")[0])
    warm = graph_from_tntp(net)
    trips = read_tntp_trips(paths("SiouxFalls", "SiouxFalls")[1])
    for algorithm in AMUR_ALGORITHMS:
        assign(warm, trips, algorithm, gap=1e-3)
    for folder, (stem, factor) in NETWORKS.items():
        net = read_tntp_network(paths(folder, stem)[0], distance_factor=factor)
        graph = graph_from_tntp(net)
        trips = read_tntp_trips(paths(folder, stem)[1])
        for algorithm in AMUR_ALGORITHMS:
            for gap in GAPS:
                limit = 60.0 if quick else 600.0
                start = time.perf_counter()
                result = assign(
                    graph, trips, algorithm, gap=gap, max_iterations=100000, max_seconds=limit
                )
                seconds = time.perf_counter() - start
                rows.append(
                    {
                        "network": folder,
                        "tool": "amur",
                        "algorithm": algorithm,
                        "target": gap,
                        "seconds": seconds,
                        "iterations": result.iterations,
                        "gap": relative_gap(graph, result.flow, trips),
                        "objective": result.objective,
                    }
                )
                print(rows[-1], flush=True)
    folder, stem = SKIM_NETWORK
    graph = graph_from_tntp(read_tntp_network(paths(folder, stem)[0]))
    skim(graph, graph.cost_parameters.free_flow_time, n_threads=cores)
    start = time.perf_counter()
    matrix = skim(graph, graph.cost_parameters.free_flow_time, n_threads=cores)
    skim_row = {
        "network": folder,
        "tool": "amur",
        "seconds": time.perf_counter() - start,
        "cores": cores,
        "finite": int(np.isfinite(matrix).sum()),
    }
    print(skim_row, flush=True)
    return rows, skim_row


def run_aequilibrae(cores: int, quick: bool) -> tuple[list[dict], list[dict]]:
    import numpy as np

    from amur.assign import graph_from_tntp, relative_gap
    from amur.assign.result import beckmann_objective
    from amur.io.tntp import read_tntp_network, read_tntp_trips

    jobs: list[dict] = []
    for folder, (stem, factor) in NETWORKS.items():
        for algorithm in AEQ_ALGORITHMS:
            for gap in GAPS:
                jobs.append(
                    {
                        "kind": "assign",
                        "folder": folder,
                        "stem": stem,
                        "distance_factor": factor,
                        "algorithm": algorithm,
                        "gap": gap,
                        "max_iterations": 300 if quick else 2000,
                        "cores": cores,
                    }
                )
    folder, stem = SKIM_NETWORK
    jobs.append(
        {"kind": "skim", "folder": folder, "stem": stem, "distance_factor": 0.0, "cores": cores}
    )
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps({"jobs": jobs}))
        python = AEQ_VENV / "bin" / "python"
        # AequilibraE draws progress bars on stderr; keep them out of the console.
        with (Path(tmp) / "aequilibrae.log").open("w") as log:
            done = subprocess.run(
                [str(python), str(Path(__file__).resolve()), "--aequilibrae-worker", str(spec)],
                stderr=log,
            )
        if done.returncode != 0:
            tail = (Path(tmp) / "aequilibrae.log").read_text()[-2000:]
            raise RuntimeError(f"AequilibraE worker failed:\n{tail}")
        results = json.loads(spec.with_suffix(".out.json").read_text())
        rows, skims = [], []
        graphs = {}
        for item in results:
            if item["kind"] == "skim":
                skims.append(
                    {
                        "network": item["folder"],
                        "tool": "aequilibrae",
                        "seconds": item["seconds"],
                        "cores": cores,
                        "finite": item["finite"],
                    }
                )
                continue
            key = item["folder"]
            if key not in graphs:
                stem, factor = NETWORKS[key]
                net = read_tntp_network(paths(key, stem)[0], distance_factor=factor)
                graphs[key] = (graph_from_tntp(net), read_tntp_trips(paths(key, stem)[1]))
            graph, trips = graphs[key]
            flows = np.load(item["flows"])
            rows.append(
                {
                    "network": key,
                    "tool": "aequilibrae",
                    "algorithm": item["algorithm"],
                    "target": item["gap"],
                    "seconds": item["seconds"],
                    "iterations": item["iterations"],
                    "gap": relative_gap(graph, flows, trips),
                    "aequilibrae_gap": item["aeq_gap"],
                    "objective": beckmann_objective(graph, flows),
                }
            )
            print(rows[-1], flush=True)
    return rows, skims


def markdown(payload: dict) -> str:
    lines = [
        "# Assignment benchmark: amur vs AequilibraE",
        "",
        f"Machine: {payload['machine']}; threads: {payload['cores']}; "
        f"AequilibraE: {payload['aequilibrae']}.",
        "",
        "Every gap below is recomputed by amur's `relative_gap` on the flows each tool "
        "returned. A run is 'reached' when that gap is at or below the target.",
        "",
        "| network | tool | algorithm | target gap | seconds | iterations | gap reached | "
        "reached |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in payload["assignment"]:
        reached = "yes" if row["gap"] <= row["target"] * 1.0000001 else "no"
        lines.append(
            f"| {row['network']} | {row['tool']} | {row['algorithm']} | {row['target']:.0e} | "
            f"{row['seconds']:.2f} | {row['iterations']} | {row['gap']:.2e} | {reached} |"
        )
    lines += ["", "| skim network | tool | threads | seconds |", "|---|---|---|---|"]
    for row in payload["skim"]:
        lines.append(
            f"| {row['network']} | {row['tool']} | {row['cores']} | {row['seconds']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aequilibrae-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="lower iteration and time limits")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if args.aequilibrae_worker:
        aeq_worker(args.aequilibrae_worker)
        return
    sys.path.insert(0, str(REPO / "src"))
    if not TNTP.is_dir():
        sys.exit(f"{TNTP} not found; it holds the TNTP benchmark networks")
    ok, aeq = ensure_aequilibrae()
    rows, amur_skim = run_amur(args.cores, args.quick)
    skims = [amur_skim]
    if ok:
        aeq_rows, aeq_skims = run_aequilibrae(args.cores, args.quick)
        rows += aeq_rows
        skims += aeq_skims
    else:
        print(f"AequilibraE not run: {aeq}", file=sys.stderr)
    payload = {
        "machine": f"{platform.processor() or platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}",
        "cores": args.cores,
        "aequilibrae": aeq if ok else f"not run ({aeq})",
        "assignment": rows,
        "skim": skims,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "assign.json").write_text(json.dumps(payload, indent=2))
    (RESULTS / "assign.md").write_text(markdown(payload))
    print(markdown(payload))


if __name__ == "__main__":
    main()
