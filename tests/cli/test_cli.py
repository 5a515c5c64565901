"""The command line, run in-process through ``amur.cli.main`` on a network folder written from
the tiny fixture (and once as a subprocess): JSON schema, one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from amur.io import write_network
from amur.network import Network
from amur.network.corridors import Corridor
from amur.paths.corridors import corridor_table
from cli_support import assert_one_line_error, run

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import tiny_frames

AMUR = Path(sys.executable).parent / "amur"


@pytest.fixture
def folder(tmp_path: Path, tiny: Network) -> Path:
    return write_network(tiny, tmp_path / "tiny")


def test_route_json_schema(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["route", "Alpha", "Echo", "-n", str(folder), "--by", "time", "-k", "2", "--json"], capsys
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["from"] == "a" and payload["to"] == "e" and payload["by"] == "time"
    assert payload["network"] == "tiny"
    assert len(payload["routes"]) == 2
    for rank, r in enumerate(payload["routes"], start=1):
        assert {
            "rank",
            "length_km",
            "time_h",
            "cost_usd_per_teu",
            "co2_kg_per_teu",
            "via",
            "gauge_changes",
            "legs",
        } <= set(r)
        assert r["rank"] == rank
        for leg in r["legs"]:
            assert {
                "from",
                "to",
                "mode",
                "gauge",
                "length_km",
                "time_h",
                "cost_usd_per_teu",
                "co2_kg_per_teu",
            } <= set(leg)
        assert sum(leg["length_km"] for leg in r["legs"]) == pytest.approx(r["length_km"])
    assert payload["routes"][0]["via"] == ["b", "c", "d"]
    assert payload["routes"][1]["via"] == ["f"]
    assert payload["routes"][0]["time_h"] <= payload["routes"][1]["time_h"]


def test_route_table_output(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["route", "a", "e", "-n", str(folder), "--by", "cost"], capsys)
    assert code == 0, err
    assert "Alpha to Echo, by cost" in out
    assert "Foxtrot" in out  # the cheap route's legs


def test_route_shows_the_time_range_of_a_regime(
    tmp_path: Path, tiny: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    """A border regime with a dwell range gives the route a range: "d (low–high)" in the
    table, time_h_low <= time_h <= time_h_high in the JSON."""
    import dataclasses

    regimes = pd.DataFrame(
        [
            {
                "place": "c",
                "kind": "border",
                "mode": "rail",
                "direction": "CN>RU",
                "time_h_low": 2.0,
                "time_h": 30.0,
                "time_h_high": 120.0,
                "fee_usd_per_teu": 50.0,
                "source_id": "user",
            }
        ]
    )
    net = dataclasses.replace(tiny, regimes=regimes)
    folder = write_network(net, tmp_path / "ranged")
    code, out, err = run(["route", "a", "d", "-n", str(folder), "--by", "time", "--json"], capsys)
    assert code == 0, err
    best = json.loads(out)["routes"][0]
    assert best["time_h_low"] < best["time_h"] < best["time_h_high"]
    assert best["time_h_high"] - best["time_h_low"] == pytest.approx(118.0)
    border = next(leg for leg in best["legs"] if leg["kind"] == "border")
    assert (border["time_h_low"], border["time_h_high"]) == (2.0 + 6.0, 120.0 + 6.0)
    code, out, err = run(["route", "a", "d", "-n", str(folder), "--by", "time"], capsys)
    days = best["time_h"] / 24
    low, high = best["time_h_low"] / 24, best["time_h_high"] / 24
    assert f"{days:.1f} d ({low:.0f}–{high:.0f})" in out


def test_route_pareto_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["route", "a", "e", "-n", str(folder), "--pareto", "--json"], capsys)
    assert code == 0, err
    routes = json.loads(out)["routes"]
    assert [r["via"] for r in routes] == [["b", "c", "d"], ["f"]]


def test_unknown_place(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["route", "Alpah", "Echo", "-n", str(folder)], capsys)
    assert_one_line_error(code, err, "unknown place 'Alpah'", "did you mean 'Alpha'")
    assert out == ""


def test_unreachable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nodes, links, sources = tiny_frames()
    lonely = nodes.iloc[[0]].assign(id="z", name="Zulu", aliases=None)
    net = Network.from_frames(pd.concat([nodes, lonely], ignore_index=True), links, sources)
    folder = write_network(net, tmp_path / "lonely")
    code, _, err = run(["route", "a", "z", "-n", str(folder)], capsys)
    assert_one_line_error(code, err, "no route from Alpha to Zulu")


def test_month_when_the_only_link_does_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes, links, sources = tiny_frames()
    links["months"] = "5-10"
    folder = write_network(Network.from_frames(nodes, links, sources), tmp_path / "summer")
    code, out, err = run(["route", "a", "e", "-n", str(folder), "--month", "7", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["month"] == 7
    code, _, err = run(["route", "a", "e", "-n", str(folder), "--month", "1"], capsys)
    assert_one_line_error(code, err, "no route from Alpha to Echo (in month 1)")


def test_month_13(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["route", "a", "e", "-n", str(folder), "--month", "13"], capsys)
    assert code == 2
    assert "Traceback" not in err and out == ""
    assert "--month: 13; expected month, a whole number in [1, 12]" in err


def test_unknown_criterion(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["route", "a", "e", "-n", str(folder), "--by", "speed"], capsys)
    assert_one_line_error(code, err, "unknown criterion 'speed'")


def test_missing_network_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["route", "a", "e", "-n", str(tmp_path / "nowhere")], capsys)
    assert_one_line_error(code, err, "nowhere")


BAD_FILES = [
    ("links", 2, "length_km", "-5", ["links.csv, row 3", "'length_km'", "out of range"]),
    ("links", 1, "length_km", "nan", ["links.csv, row 2", "'nan' is not a number"]),
    ("links", 3, "to_node", "echoo", ["links.csv, row 4", "unknown node 'echoo'"]),
    ("links", 0, "gauge", "1600", ["links.csv, row 1", "'1600' is not a known value"]),
    ("links", 3, "months", "13", ["links.csv, row 4", "'months'"]),
    ("nodes", 1, "lat", "91", ["nodes.csv, row 2", "'lat'", "91"]),
    ("nodes", 2, "id", "b", ["nodes.csv, row 3", "'b' appears twice"]),
    ("links", 0, "ops_source_id", "nowhere", ["links.csv, row 1", "'nowhere' is not in"]),
]


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "fragments"),
    BAD_FILES,
    ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in BAD_FILES],
)
def test_bad_network_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    table: str,
    row: int,
    column: str,
    value: str,
    fragments: list[str],
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    nodes, links, sources = tiny_frames()
    frames = {"nodes": nodes, "links": links, "sources": sources}
    frame = frames[table].astype(object)
    frame.loc[row, column] = value
    frames[table] = frame
    for name, f in frames.items():
        f.to_csv(folder / f"{name}.csv", index=False)
    code, out, err = run(["route", "a", "e", "-n", str(folder)], capsys)
    assert_one_line_error(code, err, str(folder), *fragments)
    assert out == ""


def test_empty_links_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "links.csv").write_text("")
    code, _, err = run(["places", "-n", str(folder)], capsys)
    assert_one_line_error(code, err, "links.csv: the file is empty")


def test_places_by_country_and_kind(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["places", "-n", str(folder), "--country", "cn", "--json"], capsys)
    assert code == 0, err
    assert [p["id"] for p in json.loads(out)["places"]] == ["a", "b", "f"]
    code, out, err = run(["places", "-n", str(folder), "--kind", "seaport", "--json"], capsys)
    assert code == 0, err
    assert [p["id"] for p in json.loads(out)["places"]] == ["d", "e", "f"]
    code, out, err = run(
        ["places", "-n", str(folder), "--country", "RU", "--kind", "border_crossing", "--json"],
        capsys,
    )
    assert [p["id"] for p in json.loads(out)["places"]] == ["c"]
    assert json.loads(out)["places"][0]["aliases"] is None
    code, out, _ = run(["places", "-n", str(folder)], capsys)
    assert code == 0 and "6 places in tiny" in out and "Альфа" in out


def test_places_unknown_kind(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["places", "-n", str(folder), "--kind", "airport"], capsys)
    assert_one_line_error(code, err, "unknown kind 'airport'")


def test_data_sources_of_a_route(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nodes, links, sources = tiny_frames()
    sources = pd.DataFrame(
        {
            "id": ["user", "rail_atlas", "sea_atlas", "unused"],
            "kind": ["user", "verified", "estimate", "verified"],
            "title": ["user", "Rail atlas", "Sea distances", "Never used"],
        }
    )
    links["ops_source_id"] = [
        "rail_atlas",
        "rail_atlas",
        "rail_atlas",
        "sea_atlas",
        "rail_atlas",
        "sea_atlas",
    ]
    folder = write_network(Network.from_frames(nodes, links, sources), tmp_path / "src")
    code, out, err = run(["data", "sources", "-n", str(folder), "--json"], capsys)
    assert code == 0, err
    assert {s["id"] for s in json.loads(out)["sources"]} == {
        "user",
        "rail_atlas",
        "sea_atlas",
        "unused",
    }
    code, out, err = run(
        ["data", "sources", "-n", str(folder), "--route", "a", "e", "--json"], capsys
    )
    assert code == 0, err
    assert {s["id"] for s in json.loads(out)["sources"]} == {"user", "rail_atlas", "sea_atlas"}


def test_corridor_table_with_hand_built_corridors(tiny: Network) -> None:
    corridors = [
        Corridor("north", "North by rail", ("b", "d")),
        Corridor("south", "South by sea", ("f",)),
    ]
    table = corridor_table(tiny, "a", ["e", "Delta"], corridors, by="time")
    rows = table.to_dict("records")
    # to d the north corridor is skipped (d is one of its places); the south one goes
    # a-f by rail, handling at f, f-e and e-d by sea
    assert [(r["destination"], r["corridor"], r["rank_by_time"]) for r in rows] == [
        ("d", "south", 1),
        ("e", "north", 1),
        ("e", "south", 2),
    ]
    north, south = rows[1], rows[2]
    assert north["time_days"] == pytest.approx(
        round((13.75 + 24 + 1.3 + 12 + 5.25 + 24 + 900 / 28) / 24, 2)
    )
    assert north["via"] == "b > c > d" and north["corridor_name"] == "North by rail"
    assert south["cost_usd_per_teu"] == pytest.approx(round(950 * 0.23 + 200 + 2500 * 0.04))
    assert rows[0]["time_days"] == pytest.approx(
        round((950 / 40 + 24 + 2500 / 28 + 900 / 28) / 24, 2)
    )
    assert rows[0]["via"] == "f > e"


def test_corridor_table_leaves_out_a_corridor_through_the_destination(tiny: Network) -> None:
    table = corridor_table(tiny, "a", ["e"], [Corridor("x", "Through Echo", ("e",))])
    assert table.empty


def test_corridors_writes_csv_and_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(
        ["corridors", "--to", "busan", "--by", "time", "--out", str(out_dir), "--json"], capsys
    )
    assert code == 0, err
    payload = json.loads(out)
    assert sorted(Path(p).name for p in payload["files"]) == ["corridors.csv", "corridors.md"]
    table = pd.read_csv(out_dir / "corridors.csv")
    assert len(table) == len(payload["rows"]) >= 1
    assert set(table["destination"]) == {"busan"}
    assert sorted(table["rank_by_time"]) == table["rank_by_time"].tolist()
    markdown = (out_dir / "corridors.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Corridors from Harbin, best by time")
    assert markdown.count("\n| ") == len(table) + 1  # header and one line per row


def test_subprocess_error_is_one_line(folder: Path) -> None:
    result = subprocess.run(
        [str(AMUR), "route", "Alpah", "Echo", "-n", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert_one_line_error(result.returncode, result.stderr, "did you mean 'Alpha'")


def test_subprocess_route_json(folder: Path) -> None:
    result = subprocess.run(
        [str(AMUR), "route", "альфа", "e", "-n", str(folder), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["routes"][0]["legs"][0]["from"] == "a"


def test_same_place_at_both_ends_is_no_internal_error(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["route", "a", "Alpha", "-n", str(folder)], capsys)
    assert "internal error" not in err
    assert code in (0, 2)
