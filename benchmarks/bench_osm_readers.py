"""Benchmark: the OSM reader amur uses (pyosmium, streaming) against pyrosm, same file, same
run, interleaved, CPU and wall time and peak memory of each read in its own process.

The file is the grid of bench_osm.py at a smaller size. pyosmium's pass is amur's
``read_osm`` (railway ways with their node coordinates into flat arrays, stations); pyrosm's
is ``get_data_by_custom_criteria(railway=rail)``, railway ways as a GeoDataFrame with their
geometry. pyrosm is not a dependency: install it into a folder and pass it
(``pip install --target DIR pyrosm``). Writes benchmarks/results/osm_readers.md and .json.

Run: ``.venv/bin/python benchmarks/bench_osm_readers.py --pyrosm DIR [--side 300]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from bench_osm import _PYROSM, _child, generate

RESULTS = Path(__file__).parent / "results"

_READ = """
import json, resource, sys, time
from amur.io.osm import ReadOptions, read_osm
t = time.perf_counter()
raw = read_osm(sys.argv[1], ReadOptions(modes=("rail",)))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"read_s": time.perf_counter() - t, "ways": raw.n_ways,
                  "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_kb": usage.ru_maxrss}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pyrosm", required=True)
    parser.add_argument("--side", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"pyosmium": [], "pyrosm": []}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        pbf = Path(tmp) / "grid.osm.pbf"
        counts = generate(pbf, args.side, 0.2)
        for _ in range(args.repeat):
            runs["pyosmium"].append(_child(_READ, str(pbf)))
            runs["pyrosm"].append(_child(_PYROSM, str(pbf), args.pyrosm))
            load.append(os.getloadavg()[0])
    summary = {
        name: {
            k: statistics.median(r[k] for r in rs)
            for k in ("read_s", "cpu_s", "peak_rss_kb", "ways")
        }
        for name, rs in runs.items()
    }
    version = runs["pyrosm"][0].get("version", "?")
    out = {"pbf": counts, "load_average": load, "runs": runs, "median": summary}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "osm_readers.json").write_text(json.dumps(out, indent=2) + "\n")
    rows = []
    for name, label in (
        ("pyosmium", "pyosmium (amur's read_osm: flat arrays)"),
        ("pyrosm", f"pyrosm {version} (GeoDataFrame of railway ways)"),
    ):
        m = summary[name]
        rows.append(
            f"| {label} | {m['read_s']:.1f} | {m['cpu_s']:.1f} | "
            f"{m['ways'] / m['cpu_s']:,.0f} | {m['peak_rss_kb'] / 1024:.0f} |"
        )
    text = "\n".join(
        [
            "# OSM readers: pyosmium against pyrosm",
            "",
            f"Grid PBF of {counts['ways']:,} railway ways and {counts['nodes']:,} nodes "
            f"(bench_osm.py, side {args.side}); medians of {args.repeat} interleaved runs, each "
            f"in its own process. Load average (1 min) during the runs: "
            f"{', '.join(f'{x:.1f}' for x in load)} on {os.cpu_count()} CPUs.",
            "",
            "| reader | wall s | CPU s | ways per CPU s | peak RSS, MB |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )
    (RESULTS / "osm_readers.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
