"""Benchmark the command line's start-up against ``python -c "import amur"`` (a script, not a test).

Usage::

    .venv/bin/python benchmarks/bench_startup.py [--rounds 7]

Each round runs, as fresh processes and in turn (so a change in the machine's load hits all
alike): ``python -c "import amur"``, ``amur --help`` and ``amur route Harbin Hamburg`` (the
last on a warm numba cache and network cache, :mod:`amur.graph.store`: one untimed run
first; with bytecode written, as an installed package has it). Reports the median wall
time of each and its CPU time (user + system, which varies less with the machine's load),
the differences to ``import amur`` against the goals (0.3 s for ``--help``, 1.0 s for the
route), and ``python -X importtime`` totals of the heavy packages each command imports.

With ``--baseline SRC`` (the ``src`` folder of another checkout, say the commit before a
change), the two commands are also timed on that code in the same rounds, for a before and
after under the same load.

Writes ``benchmarks/results/startup.md`` and ``benchmarks/results/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
HEAVY = (
    "numba",
    "pandas",
    "typer",
    "rich",
    "pydantic",
    "geopandas",
    "fastapi",
    "scipy",
    "pyarrow",
    "shapely",
    "matplotlib",
    "amur",
)
CODE = "from amur.cli import main; main()"
COMMANDS = {
    "import amur": [sys.executable, "-c", "import amur"],
    "amur --help": [sys.executable, "-c", CODE, "--help"],
    "amur route Harbin Hamburg": [sys.executable, "-c", CODE, "route", "Harbin", "Hamburg"],
}
GOALS = {"amur --help": 0.3, "amur route Harbin Hamburg": 1.0}


BASELINE = " (baseline)"


def env(src: Path | None = None) -> dict[str, str]:
    """The environment of a timed process: this checkout's code (or ``src``), and Python
    free to write bytecode, as an installed package has it (``PYTHONDONTWRITEBYTECODE``,
    set in some shells, would recompile every amur module in every run).
    """
    out = dict(os.environ, PYTHONPATH=str(src or REPO / "src"))
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def timed(command: list[str], src: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env(src))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def import_times(command: list[str]) -> dict[str, float]:
    """Cumulative import seconds of each heavy top-level package (``-X importtime``)."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        capture_output=True,
        text=True,
        env=env(),
        check=True,
    )
    out: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (p.strip() for p in line.removeprefix("import time:").split("|"))
        if name in HEAVY:
            out[name] = out.get(name, 0.0) + int(cumulative) / 1e6
    return out


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--baseline", type=Path, help="src folder of another checkout, timed alongside"
    )
    args = parser.parse_args()
    runs: dict[str, tuple[list[str], Path | None]] = {
        name: (cmd, None) for name, cmd in COMMANDS.items()
    }
    if args.baseline is not None:
        for name in GOALS:
            runs[name + BASELINE] = (COMMANDS[name], args.baseline.resolve())
    for command, src in runs.values():  # warm the file, numba and network caches
        timed(command, src)
    before = load()
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for r in range(args.rounds):
        names = list(runs) if r % 2 == 0 else list(runs)[::-1]
        for name in names:
            wall, used = timed(*runs[name])
            times[name].append(wall)
            cpu[name].append(used)
    medians = {name: statistics.median(t) for name, t in times.items()}
    cpu_medians = {name: statistics.median(t) for name, t in cpu.items()}
    base = medians["import amur"]
    payload = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores",
        "load_before": before,
        "load_after": load(),
        "seconds": times,
        "cpu_seconds": cpu,
        "median": medians,
        "cpu_median": cpu_medians,
        "over_import": {name: m - base for name, m in medians.items()},
        "imports": {name: import_times(cmd) for name, cmd in COMMANDS.items()},
    }
    lines = [
        "# Start-up benchmark: the command line against `import amur`",
        "",
        f"{payload['date']}, {payload['machine']}. Medians of {args.rounds} interleaved rounds "
        "of fresh processes (bytecode written); the route on a warm numba cache and network "
        "cache" + (f"; baseline: `{args.baseline}`." if args.baseline is not None else "."),
        f"Load before: `{before}`; after: `{payload['load_after']}`.",
        "",
        "The goal is on wall time; CPU time (user + system of the process, median) is "
        "shown beside it because on a shared machine it varies less with the load.",
        "",
        "| command | median s | over `import amur` s | goal s | met | CPU s | CPU over import s |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    cpu_base = cpu_medians["import amur"]
    for name, m in medians.items():
        over = m - base
        goal = GOALS.get(name.removesuffix(BASELINE))
        met = "–" if goal is None else ("yes" if over <= goal else "no")
        used = cpu_medians[name]
        lines.append(
            f"| `{name}` | {m:.3f} | {over:.3f} | {goal if goal else '–'} | {met} "
            f"| {used:.3f} | {used - cpu_base:.3f} |"
        )
    lines += [
        "",
        "Heavy packages imported (cumulative import seconds, `-X importtime`, one run):",
        "",
        "| command | packages |",
        "|---|---|",
    ]
    for name, found in payload["imports"].items():
        listed = ", ".join(f"{k} {v:.3f}" for k, v in sorted(found.items(), key=lambda x: -x[1]))
        lines.append(f"| `{name}` | {listed or 'none'} |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(payload, indent=2))
    (RESULTS / "startup.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
