"""Demand matrices: CSV, Parquet and OMX round trips, and validation errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from amur.assign import build_graph
from amur.demand import (
    ODMatrices,
    read_demand_csv,
    read_demand_parquet,
    validate_demand,
    write_demand_csv,
    write_demand_parquet,
)
from amur.demand.omx import read_omx, write_omx
from amur.errors import InputError

CSV = """origin,destination,value,commodity
harbin,dalian,1200.5,grain
harbin,dalian,300,grain
dalian,harbin,80,machinery
suifenhe,harbin,42,timber
"""


def sample() -> ODMatrices:
    grain = np.array([[0.0, 1500.5, 0.0], [0.0, 0.0, 0.0], [7.25, 0.0, 0.0]])
    coal = np.array([[0.0, 0.0, 3.0], [1e6, 0.0, 0.0], [0.0, 0.0, 0.0]])
    return ODMatrices(
        ("harbin", "dalian", "suifenhe"), {"grain": grain, "coal": coal}, "teu_per_year"
    )


def write(tmp_path: Path, text: str, name: str = "od.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_by_commodity(tmp_path: Path) -> None:
    od = read_demand_csv(write(tmp_path, CSV))
    assert od.zones == ("harbin", "dalian", "suifenhe")
    assert od.commodities == ("grain", "machinery", "timber")
    assert od.matrices["grain"][0, 1] == 1500.5
    assert od.matrices["machinery"][1, 0] == 80.0
    assert od.total() == pytest.approx(1622.5)
    assert od.unit == "t_per_year"


def test_csv_without_commodity_and_given_zones(tmp_path: Path) -> None:
    od = read_demand_csv(
        write(tmp_path, "origin,destination,value\na,b,2\nb,a,3\n"),
        zones=["b", "a", "c"],
        unit="teu_per_year",
    )
    assert od.commodities == ("all",)
    assert od.matrices["all"].tolist() == [[0, 3, 0], [2, 0, 0], [0, 0, 0]]


@pytest.mark.parametrize(
    ("reader", "writer", "name"),
    [
        (read_demand_csv, write_demand_csv, "od.csv"),
        (read_demand_parquet, write_demand_parquet, "od.parquet"),
    ],
)
def test_table_round_trip(tmp_path: Path, reader, writer, name: str) -> None:  # type: ignore[no-untyped-def]
    od = sample()
    writer(od, tmp_path / name)
    back = reader(tmp_path / name, zones=od.zones, unit=od.unit)
    assert back.zones == od.zones
    for commodity in od.commodities:
        np.testing.assert_array_equal(back.matrices[commodity], od.matrices[commodity])


@pytest.mark.parametrize("zones", [("harbin", "dalian", "suifenhe"), ("11", "3", "7")])
def test_omx_round_trip(tmp_path: Path, zones: tuple[str, ...]) -> None:
    od = ODMatrices(zones, sample().matrices, "teu_per_year")
    write_omx(od, tmp_path / "od.omx")
    back = read_omx(tmp_path / "od.omx")
    assert back.zones == od.zones
    assert back.unit == "teu_per_year"
    assert set(back.commodities) == set(od.commodities)
    for commodity in od.commodities:
        np.testing.assert_array_equal(back.matrices[commodity], od.matrices[commodity])
    import tables

    with tables.open_file(tmp_path / "od.omx") as h5:
        assert tuple(h5.root._v_attrs.SHAPE) == (3, 3)
        assert "OMX_VERSION" in h5.root._v_attrs._v_attrnames
        assert "/lookup/zones" in h5 and "/data/grain" in h5


def test_unreadable_omx(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read as OMX"):
        read_omx(write(tmp_path, "not hdf5", "od.omx"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "suifenhe,harbin,42",
            "suifenhe,moscow,42",
            r"od\.csv, row 5, column destination: unknown zone 'moscow'",
        ),
        (
            "dalian,harbin,80",
            "dalian,harbin,-80",
            r"row 4, column value: -80\.0; expected a number >= 0",
        ),
        ("dalian,harbin,80", "dalian,harbin,NaN", "row 4, column value: 'NaN'; expected a finite"),
        ("dalian,harbin,80", "dalian,harbin,lots", "row 4, column value: 'lots'"),
        ("origin,destination", "from,destination", "no column 'origin'"),
    ],
)
def test_bad_csv(tmp_path: Path, old: str, new: str, message: str) -> None:
    zones = ["harbin", "dalian", "suifenhe"]
    with pytest.raises(InputError, match=message):
        read_demand_csv(write(tmp_path, CSV.replace(old, new)), zones=zones)


def test_bad_parquet_values(tmp_path: Path) -> None:
    frame = pd.DataFrame({"origin": ["a", "b"], "destination": ["b", "a"], "value": [1.0, -2.0]})
    frame.to_parquet(tmp_path / "od.parquet")
    with pytest.raises(InputError, match=r"od\.parquet, row 2, column value"):
        read_demand_parquet(tmp_path / "od.parquet")


def test_matrix_checks() -> None:
    with pytest.raises(InputError, match="unit: 'kg'"):
        ODMatrices(("a",), {}, "kg")
    with pytest.raises(InputError, match="'a' appears twice"):
        ODMatrices(("a", "a"), {})
    with pytest.raises(InputError, match=r"shape \(3, 3\); expected \(2, 2\)"):
        ODMatrices(("a", "b"), {"x": np.zeros((3, 3))})


def graph():  # type: ignore[no-untyped-def]
    # Zones 0, 1, 2 joined both ways through node 4; zone 3 has links in but none out.
    return build_graph(
        [0, 4, 1, 4, 2, 4], [4, 0, 4, 1, 4, 3], [1.0] * 6, [1.0] * 6, n_nodes=5, n_zones=4
    )


def matrices(
    cells: dict[tuple[int, int], float], zones: tuple[str, ...] = ("a", "b", "c", "d")
) -> ODMatrices:
    m = np.zeros((len(zones), len(zones)))
    for (o, d), v in cells.items():
        m[o, d] = v
    return ODMatrices(zones, {"grain": m})


def test_valid_demand_passes() -> None:
    validate_demand(matrices({(0, 1): 5.0, (1, 3): 2.0}), graph())


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({(0, 1): -1.0}, r"commodity 'grain', a -> b: -1\.0; expected a number >= 0"),
        ({(0, 1): np.nan}, "a -> b: nan; expected a finite number"),
        ({(3, 0): 1.0}, "zone 'd': has demand leaving it but no link leaving it"),
        ({(0, 2): 1.0}, "zone 'c': has demand to it but no link entering it"),
    ],
)
def test_invalid_demand(cells: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_demand(matrices(cells), graph())


def test_unknown_zone_and_unreachable_pair() -> None:
    with pytest.raises(InputError, match="zone 'e': unknown to the network"):
        validate_demand(matrices({(0, 1): 1.0}, ("a", "b", "c", "d", "e")), graph())
    with pytest.raises(InputError, match="zone 'd': unknown"):
        validate_demand(matrices({(0, 1): 1.0}), graph(), {"a": 0, "b": 1, "c": 2, "x": 3})
    # Zone c can be reached from a (via node 4 and b) but a cannot be reached from c.
    g = build_graph([0, 4, 1, 2], [4, 1, 2, 3], [1.0] * 4, [1.0] * 4, n_nodes=5, n_zones=4)
    validate_demand(matrices({(0, 2): 1.0}), g)
    with pytest.raises(InputError, match="zone 'c': has demand to 'a' but no path to it"):
        validate_demand(
            matrices({(2, 0): 1.0, (3, 1): 0.0}),
            build_graph(
                [0, 4, 1, 2, 3, 4], [4, 1, 2, 3, 2, 0], [1.0] * 6, [1.0] * 6, n_nodes=5, n_zones=4
            ),
        )


def test_an_omx_file_that_crashes_the_hdf5_library_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HDF5 can die on a damaged file (a fuzzer found one): the file is tried in a forked
    child first, so the reader gives an error naming it instead of crashing the process."""
    import os
    import signal

    import amur.demand.omx as omx_module
    from amur.errors import InputError

    path = tmp_path / "damaged.omx"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(200))
    monkeypatch.setattr(omx_module, "_read", lambda p, u: os.kill(os.getpid(), signal.SIGSEGV))
    with pytest.raises(InputError, match=r"damaged\.omx: cannot be read as OMX .*SIGSEGV"):
        omx_module.read_omx(path)
