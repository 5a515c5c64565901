"""Benchmark amur's path engine against AequilibraE, interleaved in one run (a script, not a test).

Usage::

    .venv/bin/python benchmarks/bench_engine.py [--rounds 3] [--before DIR] [--no-assign]

Every contestant runs as a warm server process: it reads a network once, compiles or loads
its kernels with a first untimed call, then answers timing requests, so nothing of start-up
or graph building is timed. The contestants are

* ``amur``: this checkout's ``src``;
* ``amur-before`` (with ``--before DIR``): another copy of amur's ``src`` (for example
  ``git archive <commit> src | tar -x -C DIR``), for before/after ratios on the same machine
  at the same moment;
* ``aequilibrae``: AequilibraE in ``benchmarks/.venv-aeq`` (created by ``bench_assign.py``).

Requests alternate between contestants round by round, so a machine whose load changes
during the run slows every contestant alike; the report gives each contestant's median and
the ratios of medians, with the load average (``uptime``) before and after.

Measured:

* all-zone free-flow skims (one tree per zone, zones not passed through) on Berlin-Center,
  Chicago-Regional and Sydney, on the same number of threads, results checked equal;
* on Berlin-Center, amur's Algorithm B to relative gaps 1e-4 and 1e-6 and AequilibraE's bfw
  to 1e-4, every gap recomputed by :func:`amur.assign.relative_gap` on the returned flows.

Writes ``benchmarks/results/engine.json`` and ``benchmarks/results/engine.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AEQ_VENV = HERE / ".venv-aeq"
RESULTS = HERE / "results"
SKIM_NETWORKS = {
    "Berlin-Center": "berlin-center",
    "Chicago-Regional": "ChicagoRegional",
    "Sydney": "Sydney",
}
ASSIGN_NETWORK = ("Berlin-Center", "berlin-center")
#: The networks of ``bench_assign.py``, for Algorithm B against another amur (``--before``).
SMALL_NETWORKS = {
    "SiouxFalls": "SiouxFalls",
    "Anaheim": "Anaheim",
    "Chicago-Sketch": "ChicagoSketch",
}
SMALL_GAPS = (1e-4, 1e-5, 1e-6)


def tntp_root() -> Path:
    """The shared TNTP folder: beside the repository, or beside its worktree folder."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "benchmarks" / "tntp").is_dir():
            return base / "shared" / "benchmarks" / "tntp"
    sys.exit("shared/benchmarks/tntp not found beside the repository")


def net_path(folder: str, stem: str, kind: str = "net") -> Path:
    return tntp_root() / folder / f"{stem}_{kind}.tntp"


# --- servers --------------------------------------------------------------------------------


class AmurServer:
    """amur's side of the protocol (runs inside a server process)."""

    def __init__(self, cores: int) -> None:
        import numba

        numba.set_num_threads(cores)
        self.cores = cores
        self.graphs: dict[str, Any] = {}

    def graph(self, folder: str, stem: str) -> Any:
        from amur.assign import graph_from_tntp
        from amur.io.tntp import read_tntp_network

        if folder not in self.graphs:
            self.graphs[folder] = graph_from_tntp(read_tntp_network(net_path(folder, stem)))
        return self.graphs[folder]

    def skim(self, folder: str, stem: str, out: str) -> float:
        import numpy as np

        from amur.assign import skim

        g = self.graph(folder, stem)
        start = time.perf_counter()
        matrix = skim(g, g.free_flow_time, n_threads=self.cores)
        seconds = time.perf_counter() - start
        np.save(out, matrix)
        return seconds

    def assign(self, folder: str, stem: str, algorithm: str, gap: float, out: str) -> float:
        import numpy as np

        from amur.assign import assign
        from amur.io.tntp import read_tntp_trips

        g = self.graph(folder, stem)
        trips = read_tntp_trips(net_path(folder, stem, "trips"))
        start = time.perf_counter()
        result = assign(g, trips, algorithm, gap=gap, max_iterations=100_000, max_seconds=900)
        seconds = time.perf_counter() - start
        np.save(out, result.flow)
        return seconds


class AequilibraeServer:
    """AequilibraE's side (runs inside benchmarks/.venv-aeq)."""

    def __init__(self, cores: int) -> None:
        self.cores = cores
        self.graphs: dict[str, Any] = {}

    def graph(self, folder: str, stem: str) -> Any:
        import numpy as np
        import pandas as pd
        from aequilibrae.paths import Graph

        from amur.io.tntp import read_tntp_network

        if folder in self.graphs:
            return self.graphs[folder]
        net = read_tntp_network(net_path(folder, stem))
        frame = pd.DataFrame(
            {
                "link_id": np.arange(1, net.n_links + 1),
                "a_node": net.init_node,
                "b_node": net.term_node,
                "direction": 1,
                # AequilibraE refuses zero free-flow times; 1e-6 minutes changes no route.
                "free_flow_time": np.maximum(net.free_flow_time, 1e-6),
                "capacity": net.capacity,
                "b": net.b,
                "power": net.power,
            }
        )
        graph = Graph()
        graph.network = frame
        graph.network_ok = True
        graph.status = "OK"
        graph.prepare_graph(np.arange(1, net.n_zones + 1, dtype=np.int64), remove_dead_ends=False)
        graph.set_graph("free_flow_time")
        graph.set_skimming(["free_flow_time"])
        graph.set_blocked_centroid_flows(net.first_thru_node > 1)
        self.graphs[folder] = (net, graph)
        return self.graphs[folder]

    def skim(self, folder: str, stem: str, out: str) -> float:
        import numpy as np
        from aequilibrae.paths import NetworkSkimming

        _, graph = self.graph(folder, stem)
        start = time.perf_counter()
        skimmer = NetworkSkimming(graph)
        skimmer.set_cores(self.cores)
        skimmer.execute()
        seconds = time.perf_counter() - start
        np.save(out, np.asarray(skimmer.results.skims.matrix_view)[:, :, 0])
        return seconds

    def assign(self, folder: str, stem: str, algorithm: str, gap: float, out: str) -> float:
        import numpy as np
        from aequilibrae.matrix import AequilibraeMatrix
        from aequilibrae.paths import TrafficAssignment, TrafficClass

        from amur.io.tntp import read_tntp_trips

        net, graph = self.graph(folder, stem)
        graph.set_graph("free_flow_time")
        trips = read_tntp_trips(net_path(folder, stem, "trips"))
        matrix = AequilibraeMatrix()
        matrix.create_empty(zones=net.n_zones, matrix_names=["demand"], memory_only=True)
        matrix.index[:] = np.arange(1, net.n_zones + 1)
        matrix.matrix["demand"][:, :] = trips
        matrix.computational_view(["demand"])
        traffic = TrafficClass("car", graph, matrix)
        assignment = TrafficAssignment()
        assignment.set_classes([traffic])
        assignment.set_vdf("BPR")
        assignment.set_vdf_parameters({"alpha": "b", "beta": "power"})
        assignment.set_capacity_field("capacity")
        assignment.set_time_field("free_flow_time")
        assignment.set_cores(self.cores)
        assignment.set_algorithm(algorithm)
        assignment.max_iter = 5000
        assignment.rgap_target = gap
        start = time.perf_counter()
        assignment.execute()
        seconds = time.perf_counter() - start
        loads = traffic.results.get_load_results()
        column = next(c for c in loads.columns if c.endswith("_tot"))
        flows = np.zeros(net.n_links)
        flows[loads.index.to_numpy() - 1] = loads[column].to_numpy()
        np.save(out, flows)
        return seconds


def serve(kind: str, cores: int) -> None:
    """Answer JSON requests, one a line on stdin, with one JSON line each on stdout."""
    server: AmurServer | AequilibraeServer = (
        AequilibraeServer(cores) if kind == "aequilibrae" else AmurServer(cores)
    )
    for line in sys.stdin:
        request = json.loads(line)
        op = request.pop("op")
        seconds = getattr(server, op)(**request)
        print(json.dumps({"seconds": seconds}), flush=True)


class Client:
    """A server process and the requests sent to it."""

    def __init__(self, name: str, python: str, src: Path, cores: int, log: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(src))
        self.name = name
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                python,
                str(Path(__file__).resolve()),
                "--serve",
                "aequilibrae" if name == "aequilibrae" else "amur",
                "--cores",
                str(cores),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=env,
        )

    def call(self, **request: Any) -> float:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name} server stopped; see {self.log.name}")
        return float(json.loads(line)["seconds"])

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)
        self.log.close()


# --- the run ----------------------------------------------------------------------------------


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    sys.path.insert(0, str(REPO / "src"))
    from amur.assign import graph_from_tntp, relative_gap
    from amur.io.tntp import read_tntp_network, read_tntp_trips

    tmp = Path(tempfile.mkdtemp(prefix="bench_engine_"))
    clients = [Client("amur", sys.executable, REPO / "src", args.cores, tmp / "amur.log")]
    if args.before:
        clients.append(
            Client(
                "amur-before",
                sys.executable,
                Path(args.before) / "src",
                args.cores,
                tmp / "before.log",
            )
        )
    if (AEQ_VENV / "bin" / "python").exists():
        clients.append(
            Client(
                "aequilibrae",
                str(AEQ_VENV / "bin" / "python"),
                REPO / "src",
                args.cores,
                tmp / "aeq.log",
            )
        )
    payload: dict[str, Any] = {
        "machine": f"{platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores",
        "threads": args.cores,
        "load_before": load(),
        "skims": [],
        "assignment": [],
    }
    for folder, stem in {} if args.no_skims else SKIM_NETWORKS.items():
        times: dict[str, list[float]] = {c.name: [] for c in clients}
        matrices = {}
        for c in clients:  # warm: read the network, compile or load kernels
            out = str(tmp / f"{c.name}-{folder}.npy")
            c.call(op="skim", folder=folder, stem=stem, out=out)
            matrices[c.name] = np.load(out)
        for r in range(args.rounds):
            turn = clients if r % 2 == 0 else clients[::-1]
            for c in turn:
                times[c.name].append(
                    c.call(op="skim", folder=folder, stem=stem, out=str(tmp / "skim.npy"))
                )
        reference = matrices["amur"]
        same = {
            name: bool(np.allclose(m, reference, rtol=1e-6, atol=1e-3))
            for name, m in matrices.items()
        }
        row = {
            "network": folder,
            "seconds": times,
            "median": {k: statistics.median(v) for k, v in times.items()},
            "equal_to_amur": same,
        }
        payload["skims"].append(row)
        print(json.dumps(row), flush=True)
    if not args.no_assign:
        folder, stem = ASSIGN_NETWORK
        graph = graph_from_tntp(read_tntp_network(net_path(folder, stem)))
        trips = read_tntp_trips(net_path(folder, stem, "trips"))
        runs = [("b", 1e-4), ("b", 1e-6)]
        for c in clients:
            if c.name == "aequilibrae":
                continue
            c.call(
                op="assign",
                folder="SiouxFalls",
                stem="SiouxFalls",
                algorithm="b",
                gap=1e-4,
                out=str(tmp / "warm.npy"),
            )
        for r in range(args.assign_rounds):
            for c in clients if r % 2 == 0 else clients[::-1]:
                for algorithm, gap in [("bfw", 1e-4)] if c.name == "aequilibrae" else runs:
                    out = str(tmp / f"{c.name}-{algorithm}-{gap:g}.npy")
                    seconds = c.call(
                        op="assign", folder=folder, stem=stem, algorithm=algorithm, gap=gap, out=out
                    )
                    row = {
                        "network": folder,
                        "tool": c.name,
                        "algorithm": algorithm,
                        "target": gap,
                        "seconds": seconds,
                        "gap": relative_gap(graph, np.load(out), trips),
                        "round": r,
                    }
                    payload["assignment"].append(row)
                    print(json.dumps(row), flush=True)
    amurs = [c for c in clients if c.name != "aequilibrae"]
    for folder, stem in SMALL_NETWORKS.items() if args.small_rounds else ():
        for c in amurs:  # warm: read the network
            c.call(
                op="assign",
                folder=folder,
                stem=stem,
                algorithm="b",
                gap=1e-2,
                out=str(tmp / "w.npy"),
            )
        for r in range(args.small_rounds):
            for c in amurs if r % 2 == 0 else amurs[::-1]:
                for gap in SMALL_GAPS:
                    seconds = c.call(
                        op="assign",
                        folder=folder,
                        stem=stem,
                        algorithm="b",
                        gap=gap,
                        out=str(tmp / "small.npy"),
                    )
                    row = {
                        "network": folder,
                        "tool": c.name,
                        "target": gap,
                        "seconds": seconds,
                        "round": r,
                    }
                    payload.setdefault("small", []).append(row)
                    print(json.dumps(row), flush=True)
    payload["load_after"] = load()
    for c in clients:
        c.close()
    return payload


def markdown(p: dict[str, Any]) -> str:
    names = list(p["skims"][0]["median"]) if p["skims"] else []
    lines = [
        "# Path engine benchmark: amur vs AequilibraE, interleaved",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, {p['machine']}; {p['threads']} threads per tool.",
        f"Load before: `{p['load_before']}`; after: `{p['load_after']}`.",
        "",
        "The machine was shared with other jobs: absolute seconds are inflated and noisy, "
        "ratios of medians from interleaved runs are the figures to read.",
        "",
        "## All-zone free-flow skims (median seconds of the interleaved rounds)",
        "",
        "Ratios of medians, and in brackets of the fastest rounds (the least disturbed by "
        "other jobs).",
        "",
        "| network | " + " | ".join(names) + " | amur / aequilibrae | amur / amur-before |",
        "|---|" + "---:|" * (len(names) + 2),
    ]
    for row in p["skims"]:
        med = row["median"]
        aeq = med.get("aequilibrae")
        before = med.get("amur-before")
        fastest = {k: min(v) for k, v in row["seconds"].items()}
        cells = [f"{med[n]:.3f}" for n in names]
        cells.append(
            f"{med['amur'] / aeq:.2f} ({fastest['amur'] / fastest['aequilibrae']:.2f})"
            if aeq
            else "–"
        )
        cells.append(
            f"{med['amur'] / before:.2f} ({fastest['amur'] / fastest['amur-before']:.2f})"
            if before
            else "–"
        )
        lines.append(f"| {row['network']} | " + " | ".join(cells) + " |")
    if "skims_from" in p:
        lines += ["", f"(Skims from an earlier run; its load before: `{p['skims_from']}`.)"]
    lines += [
        "",
        "Skims equal to amur's (rtol 1e-6): "
        + "; ".join(f"{r['network']}: {r['equal_to_amur']}" for r in p["skims"]),
    ]
    if p["assignment"]:
        lines += [
            "",
            "## Berlin-Center assignment (seconds; gap recomputed by amur)",
            "",
            "| round | tool | algorithm | target gap | seconds | gap reached |",
            "|---:|---|---|---|---:|---|",
        ]
        for r in p["assignment"]:
            lines.append(
                f"| {r['round']} | {r['tool']} | {r['algorithm']} | {r['target']:.0e} "
                f"| {r['seconds']:.2f} | {r['gap']:.2e} |"
            )
    if p.get("small"):
        lines += [
            "",
            "## Algorithm B on the networks of bench_assign.py (median seconds, interleaved)",
            "",
            "| network | target gap | amur | amur-before | amur / amur-before |",
            "|---|---|---:|---:|---:|",
        ]
        for network in SMALL_NETWORKS:
            for gap in SMALL_GAPS:
                med = {
                    tool: statistics.median(
                        r["seconds"]
                        for r in p["small"]
                        if (r["network"], r["target"], r["tool"]) == (network, gap, tool)
                    )
                    for tool in ("amur", "amur-before")
                }
                lines.append(
                    f"| {network} | {gap:.0e} | {med['amur']:.3f} | {med['amur-before']:.3f} "
                    f"| {med['amur'] / med['amur-before']:.2f} |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--markdown-only", action="store_true", help="rewrite engine.md from engine.json"
    )
    parser.add_argument("--serve", choices=["amur", "aequilibrae"], help=argparse.SUPPRESS)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--assign-rounds", type=int, default=1)
    parser.add_argument("--before", help="folder holding another amur src/ to compare with")
    parser.add_argument("--no-assign", action="store_true")
    parser.add_argument(
        "--no-skims", action="store_true", help="only the Berlin-Center assignment part"
    )
    parser.add_argument(
        "--small-rounds",
        type=int,
        default=0,
        help="rounds of Algorithm B on SiouxFalls, Anaheim and Chicago-Sketch (needs --before)",
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.cores)
        return
    if args.markdown_only:
        payload = json.loads((RESULTS / "engine.json").read_text())
        (RESULTS / "engine.md").write_text(markdown(payload))
        return
    payload = run(args)
    if args.no_skims and (RESULTS / "engine.json").exists():
        previous = json.loads((RESULTS / "engine.json").read_text())
        payload["skims"] = previous["skims"]
        payload["skims_from"] = previous.get("skims_from", previous["load_before"])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "engine.json").write_text(json.dumps(payload, indent=2))
    (RESULTS / "engine.md").write_text(markdown(payload))
    print(markdown(payload))


if __name__ == "__main__":
    main()
