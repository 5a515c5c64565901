"""services.csv: read and written like the other tables (CSV folder, GeoPackage), and bad rows
get one clear error naming the file, the row and the column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from amur.errors import InputError
from amur.io import read_geo, read_network, write_geo, write_network
from amur.network import Network

NODES = pd.DataFrame(
    {
        "id": ["a", "b", "c"],
        "name": ["A", "B", "C"],
        "country": "CN",
        "lat": [40.0, 41.0, 42.0],
        "lon": [120.0, 121.0, 122.0],
        "kind": "city",
    }
)
LINKS = pd.DataFrame(
    {
        "from_node": ["a", "b"],
        "to_node": ["b", "c"],
        "mode": "rail",
        "gauge": "1435",
        "length_km": [100.0, 100.0],
        "speed_kmh": 20.0,
    }
)
GOOD = {
    "id": "abc",
    "name": "A–C train",
    "mode": "rail",
    "calls": "a|b|c",
    "first_year": "2015",
    "departures_per_week": "3",
    "time_h": "5|6",
    "price": "100",
    "price_unit": "usd_per_teu",
    "capacity_per_departure": "41",
    "capacity_unit": "teu",
}


def folder_with(tmp_path: Path, *rows: dict[str, str]) -> Path:
    NODES.to_csv(tmp_path / "nodes.csv", index=False)
    LINKS.to_csv(tmp_path / "links.csv", index=False)
    pd.DataFrame(list(rows)).to_csv(tmp_path / "services.csv", index=False)
    return tmp_path


def test_csv_round_trip(tmp_path: Path) -> None:
    net = read_network(folder_with(tmp_path, GOOD))
    assert net.services["calls"].tolist() == ["a|b|c"]
    out = write_network(net, tmp_path / "out")
    again = read_network(out)
    pd.testing.assert_frame_equal(again.services, net.services)
    assert (out / "services.csv").is_file()


def test_geopackage_round_trip(tmp_path: Path) -> None:
    net = Network.from_frames(NODES, LINKS, services=pd.DataFrame([GOOD]))
    path = write_geo(net, tmp_path / "net.gpkg")
    again = read_geo(path)
    assert again.services["id"].tolist() == ["abc"]
    assert again.services["departures_per_week"].tolist() == [3.0]
    assert again.services["first_year"].tolist() == [2015]
    import pyogrio

    assert "services" in {row[0] for row in pyogrio.list_layers(path)}


def test_no_services_file_means_no_services(tmp_path: Path) -> None:
    NODES.to_csv(tmp_path / "nodes.csv", index=False)
    LINKS.to_csv(tmp_path / "links.csv", index=False)
    net = read_network(tmp_path)
    assert len(net.services) == 0
    assert not (write_network(net, tmp_path / "out") / "services.csv").exists()


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"calls": "a|x|c"}, "calls", "unknown place 'x'"),
        ({"via": "bb"}, "via", "unknown place 'bb'"),
        ({"calls": "a"}, "calls", "expected at least two"),
        ({"departures_per_week": "0"}, "departures_per_week", "expected > 0"),
        ({"departures_per_week": "-2"}, "departures_per_week", "expected > 0"),
        ({"price_unit": ""}, "price_unit", "empty while price is 100"),
        ({"price_unit": "usd"}, "price_unit", "expected one of usd_per_teu, usd_per_t"),
        ({"capacity_unit": ""}, "capacity_unit", "expected the unit, teu or t"),
        ({"last_year": "2012"}, "last_year", "2012 is before the first year 2015"),
        ({"time_h": "5|6|7"}, "time_h", "3 values for 2 pairs"),
        ({"price": "cheap"}, "price", "'cheap' is not a number"),
        ({"time_h": ""}, "time_h", "neither time_h nor speed_kmh"),
        ({"months": "13"}, "months", "not a month"),
        ({"price_source_id": "nowhere"}, "price_source_id", "source 'nowhere' is not in"),
    ],
)
def test_bad_rows_name_file_row_and_column(
    tmp_path: Path, change: dict[str, str], column: str, words: str
) -> None:
    other = {**GOOD, "id": "other"}
    folder = folder_with(tmp_path, other, {**GOOD, **change})
    with pytest.raises(InputError) as caught:
        read_network(folder)
    message = str(caught.value)
    assert f"{folder}/services.csv, row 2 (id 'abc')" in message
    assert words in message
    assert caught.value.field == column
    if column != "time_h" or "neither" not in words:
        assert f"column {column!r}" in message


def test_a_duplicate_id(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"services.csv, row 2, column 'id': 'abc' appears twice"):
        read_network(folder_with(tmp_path, GOOD, GOOD))
