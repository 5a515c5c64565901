"""Fuzzing every reader: a valid file, damaged by hypothesis (cut short, bytes changed,
bytes inserted, or replaced by random bytes), is either read or refused with an AmurError
naming the file; never another exception (an internal error), never a hang.

The budget is bounded (a few dozen examples per reader, derandomized) so the module runs in
seconds; hypothesis shrinks any failure to a small damaged file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amur
from amur.data import dataset_path
from amur.demand import ODMatrices, read_demand_csv, write_demand_csv
from amur.demand.estimate import read_counts
from amur.demand.omx import read_omx, write_omx
from amur.demand.tables import read_demand_parquet, write_demand_parquet
from amur.errors import AmurError
from amur.io import read_geo, read_network, write_geo
from amur.io.tntp import read_tntp_network, read_tntp_trips
from amur.scenarios import read_scenario

BUDGET = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)

TNTP_NET = b"""<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 3
<END OF METADATA>
~ init term capacity length fft b power speed toll type ;
\t1\t3\t100\t2.0\t1.5\t0.15\t4\t0\t3.0\t1\t;
\t3\t2\t200\t4.0\t2.5\t0.15\t4\t0\t0\t1\t;
\t2\t1\t300\t1.0\t9.0\t0.2\t2\t0\t0\t2\t;
"""
TNTP_TRIPS = b"""<NUMBER OF ZONES> 2
<TOTAL OD FLOW> 30.0
<END OF METADATA>
Origin 1
    1 :      0.0;     2 :    10.0;
Origin 2
    1 :   20.0;
"""
SCENARIO = b"""name = "fuzz"
base = "2018"
year = 2020
[[links.change]]
id = "harbin-manzhouli-rail"
speed_kmh = 60.0
source_id = "user"
"""
COUNTS = b"id,link,value,unit\nc1,harbin-manzhouli-rail,1000000,t_per_year\n"


@st.composite
def damaged(draw: st.DrawFn, good: bytes) -> bytes:
    """``good`` cut short, with bytes changed or inserted; or random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=600))
    data = bytearray(good)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()) and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) if draw(st.booleans()) else bytes(data)


def _read_or_refuse(read: Callable[[], object]) -> None:
    try:
        read()
    except AmurError as exc:
        assert exc.message.strip(), "an error without a message"


@pytest.fixture(scope="module")
def good_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One valid file of every kind the readers read, as bytes."""
    folder = tmp_path_factory.mktemp("good")
    net = amur.load("northeast-asia")
    small = net.nodes.head(8)["id"].tolist()
    demand = ODMatrices(small, {"all": np.arange(64.0).reshape(8, 8)})
    write_demand_csv(demand, folder / "d.csv")
    write_demand_parquet(demand, folder / "d.parquet")
    write_omx(demand, folder / "d.omx")
    write_geo(net, folder / "n.gpkg")
    source = Path(dataset_path("northeast-asia"))
    files = {
        name: (folder / name).read_bytes() for name in ("d.csv", "d.parquet", "d.omx", "n.gpkg")
    }
    files["nodes.csv"] = (source / "nodes.csv").read_bytes()[:3000]
    files["links.csv"] = (source / "links.csv").read_bytes()[:3000]
    return files


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path


@given(data=st.data())
@BUDGET
def test_network_csv_folder(
    data: st.DataObject, good_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("net")
    which = data.draw(st.sampled_from(["nodes.csv", "links.csv"]))
    source = Path(dataset_path("northeast-asia"))
    for name in ("nodes.csv", "links.csv", "sources.csv"):
        shutil.copy(source / name, folder / name)
    _write(folder, which, data.draw(damaged(good_files[which])))
    _read_or_refuse(lambda: read_network(folder))


@given(data=st.data())
@BUDGET
def test_geopackage(
    data: st.DataObject, good_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(
        tmp_path_factory.mktemp("gpkg"), "n.gpkg", data.draw(damaged(good_files["n.gpkg"]))
    )
    _read_or_refuse(lambda: read_geo(path))


@given(text=damaged(SCENARIO))
@BUDGET
def test_scenario_toml(text: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = _write(tmp_path_factory.mktemp("toml"), "fuzz.toml", text)
    _read_or_refuse(lambda: read_scenario(path))


@given(data=st.data())
@BUDGET
def test_demand_csv_parquet_omx(
    data: st.DataObject, good_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    name = data.draw(st.sampled_from(["d.csv", "d.parquet", "d.omx"]))
    path = _write(tmp_path_factory.mktemp("demand"), name, data.draw(damaged(good_files[name])))
    read = {"d.csv": read_demand_csv, "d.parquet": read_demand_parquet, "d.omx": read_omx}
    _read_or_refuse(lambda: read[name](path))


@given(text=damaged(COUNTS))
@BUDGET
def test_counts(text: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = _write(tmp_path_factory.mktemp("counts"), "counts.csv", text)
    _read_or_refuse(lambda: read_counts(path))


@given(net=damaged(TNTP_NET), trips=damaged(TNTP_TRIPS))
@BUDGET
def test_tntp(net: bytes, trips: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("tntp")
    _read_or_refuse(lambda: read_tntp_network(_write(folder, "f_net.tntp", net)))
    _read_or_refuse(lambda: read_tntp_trips(_write(folder, "f_trips.tntp", trips)))
