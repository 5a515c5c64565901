"""Round trips through CSV folders, GeoPackage and GeoJSON, and atomic writes."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import amur
from amur.errors import InputError
from amur.io import read_geo, read_network, write_geo, write_network
from amur.network import LINK_COLUMNS, NODE_COLUMNS, SOURCE_COLUMNS, Network

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import tiny_frames


@pytest.fixture
def rich() -> Network:
    """The tiny network with every optional column in use: aliases in two scripts, seasonal
    and dated links, a one-way link, a named bridge with a geometry, parameters."""
    nodes, links, sources = tiny_frames()
    nodes["aliases"] = ["Альфа|阿尔法", None, "Чарли", None, "エコー", None]
    nodes["note"] = ["origin", None, None, None, None, 'quoted "note", with comma']
    links["months"] = ["all", "5-10", "12-3", "1,2,3", None, "all"]
    links["closed"] = [None, None, 2040, None, None, None]
    links["bidirectional"] = [True, True, False, True, True, True]
    links["name"] = [None, "Bridge, the long one", None, None, None, None]
    links["time_h"] = [None, 2.5, None, None, None, None]
    links["capacity_t_per_year"] = [1e7, None, None, None, None, None]
    links["geometry_wkt"] = [
        None,
        "LINESTRING (131 44, 131.15 44.05, 131.3 44)",
        None,
        None,
        None,
        None,
    ]
    sources = pd.concat(
        [
            sources,
            pd.DataFrame(
                [
                    {
                        "id": "atlas",
                        "kind": "verified",
                        "title": "Atlas",
                        "url": "https://example.org/a",
                        "date": "2024-01-01",
                        "note": "p. 12",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    links["ops_source_id"] = ["atlas", None, None, None, None, None]
    net = Network.from_frames(nodes, links, sources, name="rich")
    net.parameters["t_per_teu"] = 12.5
    return net


def assert_same_tables(a: Network, b: Network, geometry: bool = True) -> None:
    for table, columns in (
        ("nodes", NODE_COLUMNS),
        ("links", LINK_COLUMNS),
        ("sources", SOURCE_COLUMNS),
    ):
        left, right = getattr(a, table), getattr(b, table)
        assert len(left) == len(right), table
        for col in columns:
            if col.name == "geometry_wkt" and not geometry:
                continue
            x, y = left[col.name], right[col.name]
            if col.kind == "float":
                np.testing.assert_allclose(
                    x.to_numpy(np.float64),
                    y.to_numpy(np.float64),
                    rtol=1e-9,
                    equal_nan=True,
                    err_msg=col.name,
                )
            elif col.kind == "int":
                assert x.astype("Float64").tolist() == y.astype("Float64").tolist(), col.name
            else:
                clean = [None if pd.isna(v) else v for v in x.tolist()]
                other = [None if pd.isna(v) else v for v in y.tolist()]
                assert clean == other, f"{table}.{col.name}: {clean} != {other}"


def test_csv_round_trip(tmp_path: Path, rich: Network) -> None:
    folder = write_network(rich, tmp_path / "out" / "rich")
    assert sorted(p.name for p in folder.iterdir()) == [
        "links.csv",
        "nodes.csv",
        "parameters.csv",
        "sources.csv",
    ]
    back = read_network(folder)
    assert_same_tables(rich, back)
    assert back.parameters == {"t_per_teu": 12.5}
    assert back.place("阿尔法") == "a"
    r1, r2 = amur.route(rich, "a", "e", month=7)[0], amur.route(back, "a", "e", month=7)[0]
    assert r1.to_dict() == r2.to_dict()


def test_csv_rewrite_over_an_older_network(tmp_path: Path, rich: Network, tiny: Network) -> None:
    folder = write_network(rich, tmp_path / "net")
    write_network(tiny, folder)
    back = read_network(folder)
    assert_same_tables(tiny, back)
    # the old parameters.csv must not outlive the network it belonged to
    assert back.parameters == tiny.parameters == {}


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_geo_round_trip(tmp_path: Path, rich: Network, suffix: str) -> None:
    path = write_geo(rich, tmp_path / f"rich{suffix}")
    assert path.is_file()
    back = read_geo(path)
    assert_same_tables(rich, back, geometry=False)
    # the drawn geometry survives; straight links come back as their two end points
    wkt = back.links.set_index("id")["geometry_wkt"]
    assert wkt["b-c"] == "LINESTRING (131 44, 131.15 44.05, 131.3 44)"
    assert wkt["a-b"] == "LINESTRING (126 45, 131 44)"
    assert back.name == "rich"


def test_geo_unknown_suffix(tmp_path: Path, rich: Network) -> None:
    with pytest.raises(InputError, match=r"unknown format '\.shp'"):
        write_geo(rich, tmp_path / "rich.shp")
    assert not (tmp_path / "rich.shp").exists()


def test_geo_missing_or_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_geo(tmp_path / "none.gpkg")
    junk = tmp_path / "junk.gpkg"
    junk.write_text("not a geopackage")
    with pytest.raises(InputError, match="cannot be read as a network"):
        read_geo(junk)


def test_geo_bad_table_names_the_file(
    tmp_path: Path, rich: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_geo(rich, tmp_path / "rich.gpkg")
    import pyogrio

    links = pyogrio.read_dataframe(path, layer="links")
    links.loc[0, "length_km"] = -3.0
    pyogrio.write_dataframe(links, path, layer="links", driver="GPKG")
    with pytest.raises(InputError, match=r"rich\.gpkg/links\.csv, row 1 .*'length_km'"):
        read_geo(path)


# -- atomic writes -------------------------------------------------------------------------


class Boom(RuntimeError):
    pass


def _fail_on_call(n: int, real):
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise Boom("disk full")
        return real(*args, **kwargs)

    return wrapper


def test_csv_write_failing_midway_leaves_nothing(
    tmp_path: Path, rich: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pd.DataFrame, "to_csv", _fail_on_call(2, pd.DataFrame.to_csv))
    with pytest.raises(Boom):
        write_network(rich, tmp_path / "net")
    assert not (tmp_path / "net").exists()
    assert list(tmp_path.iterdir()) == [], "a failed write left files behind"


def test_csv_write_failing_midway_keeps_the_old_folder(
    tmp_path: Path, rich: Network, tiny: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_network(tiny, tmp_path / "net")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(pd.DataFrame, "to_csv", _fail_on_call(3, pd.DataFrame.to_csv))
    with pytest.raises(Boom):
        write_network(rich, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_geo_write_failing_midway_leaves_nothing(
    tmp_path: Path, rich: Network, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyogrio

    fail_at = 2 if suffix == ".gpkg" else 1
    monkeypatch.setattr(pyogrio, "write_dataframe", _fail_on_call(fail_at, pyogrio.write_dataframe))
    with pytest.raises(Boom):
        write_geo(rich, tmp_path / f"rich{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_geo_write_failing_keeps_the_old_file(
    tmp_path: Path, rich: Network, tiny: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyogrio

    path = write_geo(tiny, tmp_path / "net.gpkg")
    before = path.read_bytes()
    monkeypatch.setattr(pyogrio, "write_dataframe", _fail_on_call(3, pyogrio.write_dataframe))
    with pytest.raises(Boom):
        write_geo(rich, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.gpkg"]
    assert len(read_geo(path).links) == len(tiny.links)
