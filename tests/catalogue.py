"""Bad and stressful inputs shared by the catalogue tests of the three entry points
(tests/test_catalogue_cli.py, tests/test_catalogue_python.py, tests/web/test_catalogue_api.py).

``make_bad_files(folder)`` writes every bad file a case refers to by name; a case's
arguments say ``{bad}/name`` for them, and the test fills in the folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from amur.data import dataset_path

DATA = Path(dataset_path("northeast-asia"))

TNTP_NET = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 3
<END OF METADATA>
~ init term capacity length fft b power speed toll type ;
\t1\t3\t100\t2.0\t1.5\t0.15\t4\t0\t3.0\t1\t;
\t3\t2\t200\t4.0\t2.5\t0.15\t4\t0\t0\t1\t;
\t2\t1\t300\t1.0\t9.0\t0.2\t2\t0\t0\t2\t;
"""
#: Declares 30 t but holds only origin 1's 10 (a file cut in half).
TNTP_TRIPS_CUT = """<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 30.0
<END OF METADATA>
Origin 1
    1 :      0.0;     2 :    10.0;
"""


def _network_copy(folder: Path, name: str) -> Path:
    target = folder / name
    target.mkdir()
    for file in ("nodes.csv", "links.csv", "sources.csv", "parameters.csv"):
        shutil.copy(DATA / file, target / file)
    return target


def make_bad_files(folder: Path) -> Path:
    """Write the catalogue's bad files into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    binary = bytes(range(256)) * 8
    (folder / "binary.toml").write_bytes(binary)
    (folder / "latin1.csv").write_bytes(
        "origin,destination,value\nharbin,dalian,1\nk\xf6ln,x,2\n".encode("latin-1")
    )
    (folder / "binary.parquet").write_bytes(binary)
    (folder / "binary.omx").write_bytes(binary)
    (folder / "a-file").write_text("not a folder\n")
    (folder / "a-folder").mkdir()
    (folder / "damaged.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    (folder / "itself.toml").write_text('name = "itself"\nbase = "itself"\n')
    (folder / "nolink.toml").write_text(
        'name = "nolink"\nbase = "today"\n[[links.remove]]\nid = "no-such-link"\n'
    )
    tntp = folder / "tntp-cut"
    tntp.mkdir()
    (tntp / "cut_net.tntp").write_text(TNTP_NET)
    (tntp / "cut_trips.tntp").write_text(TNTP_TRIPS_CUT)
    # user networks: an alias that takes over another place's name; broken geometry;
    # nodes.csv not UTF-8
    alias = _network_copy(folder, "net-alias")
    nodes = (alias / "nodes.csv").read_text(encoding="utf-8").splitlines()
    header = nodes[0].split(",")
    column = header.index("aliases")
    row = next(i for i, line in enumerate(nodes) if line.startswith("belogorsk,"))
    cells = nodes[row].split(",")
    cells[column] = "Harbin"
    nodes[row] = ",".join(cells)
    (alias / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    geometry = _network_copy(folder, "net-geometry")
    import pandas as pd

    links = pd.read_csv(geometry / "links.csv", dtype=str, keep_default_na=False)
    links.loc[3, "geometry_wkt"] = "LINESTRING (126.6 45.7"
    links.to_csv(geometry / "links.csv", index=False)
    latin = _network_copy(folder, "net-latin1")
    (latin / "nodes.csv").write_bytes(
        (latin / "nodes.csv")
        .read_bytes()
        .replace("哈尔滨".encode(), "Harbin \xe9".encode("latin-1"))
    )
    return folder


def snapshot(folder: Path) -> dict[str, float]:
    """Every file and folder under ``folder`` with its modification time."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}
