"""Bad network tables: each gives one clear InputError naming the file, row and column.

Every case writes the tiny fixture as a folder of CSV files, breaks one cell or column, and
reads it back with ``amur.io.read_network``: the tables are checked at that boundary, once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from amur.errors import InputError
from amur.io import read_network
from amur.network import Network, parse_months

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import tiny_frames

Frames = dict[str, pd.DataFrame]


def write_folder(folder: Path, frames: Frames) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def tiny_tables() -> Frames:
    nodes, links, sources = tiny_frames()
    return {"nodes": nodes, "links": links, "sources": sources}


def _set(table: str, row: int, column: str, value: object) -> Callable[[Frames], None]:
    def change(frames: Frames) -> None:
        frame = frames[table].astype(object)
        frame.loc[row, column] = value
        frames[table] = frame

    return change


def _drop_column(table: str, column: str) -> Callable[[Frames], None]:
    def change(frames: Frames) -> None:
        frames[table] = frames[table].drop(columns=column)

    return change


# (case, change, file, expected fragments of the message)
CASES = [
    (
        "missing column",
        _drop_column("links", "length_km"),
        "links.csv",
        ["missing column 'length_km'"],
    ),
    (
        "negative length",
        _set("links", 2, "length_km", -5),
        "links.csv",
        ["row 3", "'c-d'", "'length_km'", "-5", "out of range", "> 0"],
    ),
    (
        "zero length",
        _set("links", 2, "length_km", 0),
        "links.csv",
        ["row 3", "'length_km'", "out of range"],
    ),
    (
        "nan text length",
        _set("links", 1, "length_km", "nan"),
        "links.csv",
        ["row 2", "'b-c'", "'length_km'", "'nan' is not a number"],
    ),
    (
        "empty length",
        _set("links", 1, "length_km", None),
        "links.csv",
        ["row 2", "'length_km'", "empty"],
    ),
    (
        "non-numeric length",
        _set("links", 4, "length_km", "950km"),
        "links.csv",
        ["row 5", "'a-f'", "'length_km'", "'950km' is not a number"],
    ),
    (
        "infinite length",
        _set("links", 4, "length_km", "inf"),
        "links.csv",
        ["row 5", "'length_km'", "infinite"],
    ),
    (
        "unknown node",
        _set("links", 3, "to_node", "echoo"),
        "links.csv",
        ["row 4", "'d-e'", "'to_node'", "unknown node 'echoo'", "expected an id from", "nodes.csv"],
    ),
    (
        "unknown node with a near id",
        _set("links", 0, "from_node", "alpah"),
        "links.csv",
        ["row 1", "'from_node'", "unknown node 'alpah'"],
    ),
    (
        "unknown gauge",
        _set("links", 0, "gauge", "1600"),
        "links.csv",
        ["row 1", "'gauge'", "'1600' is not a known value", "1435"],
    ),
    (
        "rail without gauge",
        _set("links", 0, "gauge", None),
        "links.csv",
        ["row 1", "'a-b'", "'gauge'", "rail link without a gauge"],
    ),
    (
        "gauge on a sea link",
        _set("links", 3, "gauge", "1520"),
        "links.csv",
        ["row 4", "'d-e'", "'gauge'", "not rail"],
    ),
    (
        "unknown mode",
        _set("links", 3, "mode", "air"),
        "links.csv",
        ["row 4", "'mode'", "'air' is not a known value"],
    ),
    (
        "duplicate node id",
        _set("nodes", 2, "id", "b"),
        "nodes.csv",
        ["row 3", "'id'", "'b' appears twice"],
    ),
    (
        "duplicate link id",
        _set("links", 2, "id", "a-b"),
        "links.csv",
        ["row 3", "'a-b' appears twice"],
    ),
    (
        "non snake_case id",
        _set("nodes", 0, "id", "Alpha-1"),
        "nodes.csv",
        ["row 1", "'id'", "'Alpha-1' is not snake_case"],
    ),
    (
        "latitude 91",
        _set("nodes", 1, "lat", 91),
        "nodes.csv",
        ["row 2", "'b'", "'lat'", "91", "-90 to 90"],
    ),
    ("longitude -181", _set("nodes", 1, "lon", -181), "nodes.csv", ["row 2", "'lon'", "-181"]),
    (
        "unparseable months",
        _set("links", 3, "months", "may-oct"),
        "links.csv",
        ["row 4", "'d-e'", "'months'", "not a month"],
    ),
    (
        "month 13",
        _set("links", 3, "months", "5-13"),
        "links.csv",
        ["row 4", "'months'", "'13' is not a month"],
    ),
    (
        "closed before opened",
        _set("links", 0, "closed", 1900),
        "links.csv",
        ["row 1", "'a-b'", "'closed'", "1900 is before the opening year 1903"],
    ),
    (
        "fractional year",
        _set("links", 0, "opened", "1903.5"),
        "links.csv",
        ["row 1", "'opened'", "not a whole number"],
    ),
    (
        "source not in sources.csv",
        _set("links", 5, "ops_source_id", "atlas_2020"),
        "links.csv",
        ["row 6", "'f-e'", "'ops_source_id'", "'atlas_2020' is not in", "sources.csv"],
    ),
    (
        "node source not in sources.csv",
        _set("nodes", 4, "ops_source_id", "gazetteer"),
        "nodes.csv",
        ["row 5", "'e'", "'ops_source_id'", "'gazetteer' is not in", "sources.csv"],
    ),
    (
        "empty source id",
        _set("links", 2, "source_id", "user"),
        "links.csv",
        ["row 1", "'source_id'", "empty"],
    ),
    (
        "loop link",
        _set("links", 0, "to_node", "a"),
        "links.csv",
        ["row 1", "starts and ends at 'a'"],
    ),
    (
        "no speed nor time",
        _set("links", 0, "speed_kmh", None),
        "links.csv",
        ["row 1", "neither speed_kmh nor time_h"],
    ),
    (
        "bad bidirectional",
        _set("links", 0, "bidirectional", "sometimes"),
        "links.csv",
        ["row 1", "'bidirectional'", "'sometimes' is not true or false"],
    ),
    (
        "unknown source kind",
        _set("sources", 0, "kind", "rumour"),
        "sources.csv",
        ["row 1", "'kind'", "'rumour'"],
    ),
    (
        "unparseable winter months",
        _set("nodes", 3, "winter_months", "winter"),
        "nodes.csv",
        ["row 4", "'d'", "'winter_months'", "not a month", "'12-3'"],
    ),
    (
        "winter time without months",
        _set("nodes", 3, "winter_time_h", 12.0),
        "nodes.csv",
        ["row 4", "'d'", "'winter_time_h'", "without winter_months"],
    ),
    (
        "negative winter time",
        lambda f: (
            _set("nodes", 3, "winter_months", "12-3")(f),
            _set("nodes", 3, "winter_time_h", -2)(f),
        ),
        "nodes.csv",
        ["row 4", "'winter_time_h'", "-2", "out of range"],
    ),
    (
        "winter source not in sources.csv",
        _set("nodes", 3, "winter_source_id", "almanac"),
        "nodes.csv",
        ["row 4", "'d'", "'winter_source_id'", "'almanac' is not in", "sources.csv"],
    ),
]


@pytest.mark.parametrize(("case", "change", "file", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_clear_error(
    tmp_path: Path, case: str, change: Callable[[Frames], None], file: str, fragments: list[str]
) -> None:
    frames = tiny_tables()
    change(frames)
    folder = write_folder(tmp_path / "net", frames)
    with pytest.raises(InputError) as info:
        read_network(folder)
    message = str(info.value)
    assert message.startswith(f"{folder}/{file}"), message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "\n" not in message
    assert type(info.value) is InputError or issubclass(type(info.value), InputError)


def test_the_unbroken_folder_reads(tmp_path: Path) -> None:
    net = read_network(write_folder(tmp_path / "net", tiny_tables()))
    assert len(net.nodes) == 6 and len(net.links) == 6
    assert net.name == "net"


@pytest.mark.parametrize("table", ["nodes", "links", "sources"])
def test_empty_file(tmp_path: Path, table: str) -> None:
    folder = write_folder(tmp_path / "net", tiny_tables())
    (folder / f"{table}.csv").write_text("")
    with pytest.raises(InputError, match=rf"^{folder}/{table}.csv: the file is empty"):
        read_network(folder)


def test_unknown_node_suggests_the_closest_id(tmp_path: Path) -> None:
    frames = tiny_tables()
    frames["nodes"].loc[4, "id"] = "echo"
    frames["links"]["to_node"] = frames["links"]["to_node"].replace({"e": "echo"})
    frames["links"].loc[3, "to_node"] = "ehco"
    with pytest.raises(InputError, match=r"row 4 .*unknown node 'ehco'.*did you mean 'echo'\?"):
        read_network(write_folder(tmp_path / "net", frames))


@pytest.mark.parametrize("table", ["nodes", "links"])
def test_missing_file(tmp_path: Path, table: str) -> None:
    folder = write_folder(tmp_path / "net", tiny_tables())
    (folder / f"{table}.csv").unlink()
    with pytest.raises(InputError, match=rf"^{folder}/{table}.csv: no such file"):
        read_network(folder)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere: no such folder"):
        read_network(tmp_path / "nowhere")


def test_missing_sources_file_attributes_figures_to_the_user(tmp_path: Path) -> None:
    frames = tiny_tables()
    del frames["sources"]
    assert "source_id" not in frames["links"].columns
    net = read_network(write_folder(tmp_path / "net", frames))
    assert set(net.links["source_id"]) == {"user"}
    assert "user" in set(net.sources["id"])


def test_not_utf8(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "net", tiny_tables())
    path = folder / "nodes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_network(folder)


def test_from_frames_names_the_table_without_a_folder() -> None:
    nodes, links, sources = tiny_frames()
    links.loc[0, "length_km"] = -1.0
    with pytest.raises(InputError, match=r"^links.csv, row 1 \(id 'a-b'\), column 'length_km'"):
        Network.from_frames(nodes, links, sources)
    nodes, links, sources = tiny_frames()
    links.loc[0, "length_km"] = float("nan")
    with pytest.raises(InputError, match=r"^links.csv, row 1 .*'length_km': empty"):
        Network.from_frames(nodes, links, sources)


def test_errors_carry_the_field() -> None:
    nodes, links, sources = tiny_frames()
    links.loc[0, "gauge"] = "1600"
    with pytest.raises(InputError) as info:
        Network.from_frames(nodes, links, sources)
    assert info.value.field == "gauge"


def test_rebuilding_from_the_tables_of_a_network_made_without_sources() -> None:
    """A network built without a sources table attributes its figures to "user"; its own
    tables must build it again (a scenario patch does exactly this)."""
    nodes, links, _ = tiny_frames()
    net = Network.from_frames(nodes, links)
    again = Network.from_frames(net.nodes, net.links)
    assert set(again.nodes["source_id"]) == {"user"}


@pytest.mark.parametrize(
    ("text", "months"),
    [
        (None, set(range(1, 13))),
        ("", set(range(1, 13))),
        ("all", set(range(1, 13))),
        ("5-10", {5, 6, 7, 8, 9, 10}),
        ("12-3", {12, 1, 2, 3}),
        ("1,2,3", {1, 2, 3}),
        ("1-3,12", {1, 2, 3, 12}),
        ("7", {7}),
        ("11-11", {11}),
    ],
)
def test_parse_months(text: str | None, months: set[int]) -> None:
    mask = parse_months(text)
    assert {m for m in range(1, 13) if mask & (1 << (m - 1))} == months


@pytest.mark.parametrize("text", ["0", "13", "may", "5-", "1.5", ",", "-3"])
def test_parse_months_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_months(text)


@pytest.mark.parametrize(
    "name", ["open_border:BYRU", "open_border:by-ru", "open_border:RU-RU", "open_border:BY-RU-KZ"]
)
def test_a_malformed_open_border_names_the_row(tmp_path: Path, name: str) -> None:
    folder = write_folder(tmp_path / "net", tiny_tables())
    pd.DataFrame({"name": ["t_per_teu", name], "value": [10, 2011]}).to_csv(
        folder / "parameters.csv", index=False
    )
    with pytest.raises(InputError) as info:
        read_network(folder)
    message = str(info.value)
    assert message.startswith(f"{folder}/parameters.csv, row 2, column 'name'"), message
    assert "open_border:AA-BB" in message and info.value.field == "name"


def test_an_open_border_drops_the_border_from_its_year(tmp_path: Path) -> None:
    from amur.paths import route

    folder = write_folder(tmp_path / "net", tiny_tables())
    pd.DataFrame({"name": ["open_border:CN-RU"], "value": [2000]}).to_csv(
        folder / "parameters.csv", index=False
    )
    net = read_network(folder)
    before = route(net, "a", "d", by="time", year=1999)[0]
    after = route(net, "a", "d", by="time", year=2000)[0]
    assert [leg.kind for leg in before.legs].count("border") == 1
    assert [leg.kind for leg in after.legs].count("border") == 0
    border = next(leg for leg in before.legs if leg.kind == "border")
    assert after.time_h == pytest.approx(before.time_h - border.time_h)


def test_a_name_or_alias_two_places_share_is_refused() -> None:
    import amur
    from amur.network import Network

    net = amur.load("northeast-asia")
    nodes = net.nodes.copy()
    row = int(nodes.index[nodes["id"] == "belogorsk"][0])
    nodes.loc[row, "aliases"] = "Harbin"  # takes over Harbin's name
    with pytest.raises(InputError, match=r"'harbin' is already the alias of 'belogorsk'"):
        Network.from_frames(nodes, net.links, net.sources)
    nodes = net.nodes.copy()
    nodes.loc[[0, 1], "aliases"] = "Shared"  # one alias, two places
    with pytest.raises(InputError, match=r"column 'aliases': 'Shared' is already the alias"):
        Network.from_frames(nodes, net.links, net.sources)


@pytest.mark.parametrize(
    ("wkt", "problem"),
    [
        ("LINESTRING (1 2", "not well-known text"),
        ("POINT (1 2)", "a Point; expected a LINESTRING"),
        ("LINESTRING (500 2, 3 4)", "outside -180..180"),
    ],
)
def test_broken_geometry_is_refused_at_load(wkt: str, problem: str) -> None:
    import amur
    from amur.network import Network

    net = amur.load("northeast-asia")
    links = net.links.copy()
    links["geometry_wkt"] = links["geometry_wkt"].astype(object)
    links.loc[3, "geometry_wkt"] = wkt
    with pytest.raises(InputError, match=f"links.csv, row 4 .*geometry_wkt.*{problem}"):
        Network.from_frames(net.nodes, links, net.sources)
