"""The built-in Northeast Asia dataset: sources, enums, sea lanes, lengths and named places."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from amur.network.schema import SOURCE_KINDS, Mode, NodeKind, Status

FOLDER = Path(__file__).resolve().parents[2] / "src" / "amur" / "data" / "northeast_asia"

HARBIN_HAMBURG = [
    "harbin",
    "manzhouli",
    "zabaykalsk",
    "tarskaya",
    "chita",
    "irkutsk",
    "novosibirsk",
    "yekaterinburg",
    "moscow",
    "brest",
    "malaszewicze",
    "warsaw",
    "hamburg",
]
NAMED_PLACES = [
    "harbin",
    "heihe",
    "blagoveshchensk",
    "belogorsk",
    "manzhouli",
    "zabaykalsk",
    "chita",
    "moscow",
    "brest",
    "malaszewicze",
    "warsaw",
    "hamburg",
    "duisburg",
    "suifenhe",
    "grodekovo",
    "ussuriysk",
    "vladivostok",
    "nakhodka",
    "vostochny",
    "changchun",
    "jilin",
    "hunchun",
    "makhalino",
    "zarubino",
    "erenhot",
    "zamyn_uud",
    "ulaanbaatar",
    "dalian",
    "yingkou",
    "tianjin",
    "tongjiang",
    "nizhneleninskoye",
    "dandong",
    "sinuiju",
    "pyongyang",
    "seoul",
    "rajin",
    "busan",
    "niigata",
    "toyama",
    "tokyo",
    "shanghai",
    "rotterdam",
    "skovorodino",
    "mohe",
    "daqing",
    "khasan",
]
OPS_COLUMNS = {
    "nodes": [
        "handling_time_h",
        "handling_cost_usd_per_teu",
        "gauge_change_time_h",
        "gauge_change_cost_usd_per_teu",
        "border_time_h",
        "border_fee_usd_per_teu",
    ],
    "links": ["speed_kmh", "time_h", "cost_usd_per_teu_km", "cost_usd_per_tkm", "co2_kg_per_tkm"],
}


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(FOLDER / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def nodes() -> pd.DataFrame:
    return table("nodes")


@pytest.fixture(scope="module")
def links() -> pd.DataFrame:
    return table("links")


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return table("sources")


@pytest.mark.parametrize("name", ["nodes", "links"])
def test_every_row_has_sources_that_resolve(name: str, sources: pd.DataFrame) -> None:
    frame = table(name)
    known = set(sources["id"])
    assert (frame["source_id"] != "").all()
    assert set(frame["source_id"]) <= known
    has_ops = (frame[OPS_COLUMNS[name]] != "").any(axis=1)
    assert (frame.loc[has_ops, "ops_source_id"] != "").all()
    used_ops = set(frame["ops_source_id"]) - {""}
    assert used_ops <= known


@pytest.mark.parametrize("name", ["parameters", "checks", "corridors", "regimes"])
def test_side_tables_cite_known_sources(name: str, sources: pd.DataFrame) -> None:
    assert (table(name)["source_id"] != "").all()
    assert set(table(name)["source_id"]) <= set(sources["id"])


def test_every_source_id_in_the_dataset_resolves() -> None:
    """Every *source_id column of every table names a row of one of the sources tables."""
    source_tables = sorted(FOLDER.glob("*sources.csv"))
    known = set().union(*(set(table(p.stem)["id"]) for p in source_tables))
    cited: set[str] = set()
    for path in sorted(FOLDER.glob("*.csv")):
        frame = table(path.stem)
        for column in frame.columns:
            if column.endswith("source_id"):
                cited |= set(frame[column]) - {""}
    assert cited, "the dataset cites sources"
    assert cited <= known, sorted(cited - known)


def test_every_url_is_well_formed() -> None:
    """A URL field of any sources table is empty or an absolute http(s) address with a host
    and no spaces; URLs quoted in notes are checked the same way."""
    import re
    from urllib.parse import urlparse

    def well_formed(url: str) -> bool:
        parts = urlparse(url)
        return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in url

    for path in sorted(FOLDER.glob("*sources.csv")):
        frame = table(path.stem)
        for url in frame["url"]:
            assert url == "" or well_formed(url), (path.name, url)
        for note in frame["note"]:
            for url in re.findall(r"https?://[^\s)\]]+", note):
                assert well_formed(url.rstrip(".,;'")), (path.name, url)


def test_regimes_are_ranges_with_known_places(nodes: pd.DataFrame) -> None:
    regimes = table("regimes")
    assert set(regimes["place"]) <= set(nodes["id"])
    typical = regimes["time_h"].astype(float)
    low = regimes["time_h_low"].replace("", None).astype(float).fillna(typical)
    high = regimes["time_h_high"].replace("", None).astype(float).fillna(typical)
    assert (low <= typical).all() and (typical <= high).all()
    rail = regimes[(regimes["mode"] == "rail") & (regimes["kind"] == "border")]
    # the China-Russia rail crossings have their own, sourced figures (hours, not days)
    assert {"manzhouli", "suifenhe", "brest", "malaszewicze"} <= set(rail["place"])
    assert (rail.loc[rail["place"] == "manzhouli", "time_h"].astype(float) <= 12).all()


def test_source_kinds_are_valid_and_ids_unique(sources: pd.DataFrame) -> None:
    assert set(sources["kind"]) <= set(SOURCE_KINDS)
    assert sources["id"].is_unique
    verified = sources[sources["kind"] == "verified"]
    assert (verified["url"] != "").all(), "a verified source needs its address"


def test_enums_are_valid(nodes: pd.DataFrame, links: pd.DataFrame) -> None:
    assert set(nodes["kind"]) <= {k.value for k in NodeKind}
    assert set(links["mode"]) <= {m.value for m in Mode}
    assert set(links["status"]) <= {s.value for s in Status}
    assert links["id"].is_unique and nodes["id"].is_unique


def test_only_rail_links_have_a_gauge(links: pd.DataFrame) -> None:
    rail = links["mode"] == "rail"
    assert (links.loc[rail, "gauge"] != "").all()
    assert (links.loc[~rail, "gauge"] == "").all()


def test_sea_links_have_geometry_and_no_gauge(links: pd.DataFrame) -> None:
    sea = links[links["mode"] == "sea"]
    assert len(sea) >= 30
    assert (sea["gauge"] == "").all()
    assert sea["geometry_wkt"].str.startswith("LINESTRING (").all()
    points = sea["geometry_wkt"].str.count(",") + 1
    assert (points <= 200).all()


@pytest.mark.parametrize(
    "link_id",
    ["dalian-busan-sea", "vladivostok-niigata-sea", "shanghai-rotterdam-sea", "zarubino-busan-sea"],
)
def test_sea_lengths_match_searoute(link_id: str, links: pd.DataFrame, nodes: pd.DataFrame) -> None:
    searoute = pytest.importorskip("searoute")
    row = links.set_index("id").loc[link_id]
    where = nodes.set_index("id")
    a, b = where.loc[row["from_node"]], where.loc[row["to_node"]]
    feature = searoute.searoute(
        (float(a["lon"]), float(a["lat"])), (float(b["lon"]), float(b["lat"])), units="km"
    )
    expected = float(feature["properties"]["length"])
    assert float(row["length_km"]) == pytest.approx(expected, rel=1e-3)


def test_harbin_hamburg_lengths_sum_to_the_facts(links: pd.DataFrame) -> None:
    rail = links[links["mode"] == "rail"]
    length = {}
    for a, b, km in zip(rail["from_node"], rail["to_node"], rail["length_km"], strict=True):
        length[frozenset((a, b))] = float(km)
    total = sum(length[frozenset(pair)] for pair in itertools.pairwise(HARBIN_HAMBURG))
    # shared/facts: 9,785 km with Harbin-Manzhouli at 935; the verified 934.8 gives 9,784.8
    assert total == pytest.approx(9785, abs=0.5)
    checks = table("checks").set_index("name")
    assert float(checks.loc["harbin_hamburg_length_km", "value"]) == 9820


def test_every_named_place_exists(nodes: pd.DataFrame) -> None:
    missing = sorted(set(NAMED_PLACES) - set(nodes["id"]))
    assert not missing


def test_coordinates_are_in_range(nodes: pd.DataFrame) -> None:
    lat, lon = nodes["lat"].astype(float), nodes["lon"].astype(float)
    assert lat.between(-90, 90).all() and lon.between(-180, 180).all()


def test_amur_crossings_and_seasons(links: pd.DataFrame, nodes: pd.DataFrame) -> None:
    amur = links[(links["from_node"] == "heihe") & (links["to_node"] == "blagoveshchensk")]
    by_mode = amur.set_index("mode")
    assert set(by_mode.index) == {"road", "river_ferry", "ice_road", "pontoon"}
    assert by_mode.loc["road", "opened"] == "2022"
    assert by_mode.loc["river_ferry", "months"] == "5-10"
    assert by_mode.loc["river_ferry", "time_h"] != ""
    assert by_mode.loc["ice_road", "months"] != "all"
    where = nodes.set_index("id")
    for place in ("heihe", "blagoveshchensk"):
        assert float(where.loc[place, "handling_cost_usd_per_teu"]) == 25
        assert float(where.loc[place, "handling_time_h"]) == 5


def test_gauge_change_only_at_gauge_breaks(nodes: pd.DataFrame) -> None:
    breaks = {
        "manzhouli",
        "zabaykalsk",
        "suifenhe",
        "grodekovo",
        "erenhot",
        "zamyn_uud",
        "brest",
        "malaszewicze",
        "tongjiang",
        "nizhneleninskoye",
        "hunchun",
        "makhalino",
        "khasan",
        "rajin",
        "alashankou",
        "dostyk",
        "khorgos",
        "altynkol",
    }
    regimes = table("regimes")
    has = set(regimes.loc[regimes["kind"] == "gauge_change", "place"])
    has |= set(nodes.loc[nodes["gauge_change_time_h"] != "", "id"])
    assert has <= breaks
    assert {"manzhouli", "zabaykalsk", "brest", "malaszewicze", "suifenhe"} <= has


def test_pipelines_and_proposed_korea_links(links: pd.DataFrame) -> None:
    pipes = links[(links["mode"] == "pipeline") & (links["to_node"] == "daqing")]
    assert sorted(pipes["opened"]) == ["2011", "2018"]
    assert (pipes["capacity_t_per_year"].astype(float) == 15e6).all()
    status = links.set_index("id")["status"]
    # The Pyongui line runs (freight from Dandong goes on through Sinuiju); only the link
    # across the DMZ is proposed.
    assert status["sinuiju-pyongyang-rail"] == "operating"
    assert status["pyongyang-seoul-rail"] == "proposed"


def test_parameters(nodes: pd.DataFrame) -> None:
    params = table("parameters").set_index("name")["value"].astype(float)
    assert params["customs_union:EU"] == 1993 and params["customs_union:EAEU"] == 2011
    members = table("parameters").set_index("name")["members"]
    assert {"DE", "PL=2004", "NL"} <= set(members["customs_union:EU"].split("|"))
    assert {"RU", "BY", "KZ"} <= set(members["customs_union:EAEU"].split("|"))
    assert params["shipment_value_usd_per_teu"] == 50000
    assert params["time_value_pct_per_day"] == 1.0
    assert math.isfinite(params["t_per_teu"]) and params["t_per_teu"] > 0


def test_corridors_name_known_places(nodes: pd.DataFrame) -> None:
    corridors = table("corridors")
    known = set(nodes["id"])
    for via in corridors["via"]:
        assert set(via.split("|")) <= known
    for dests in corridors["destinations"]:
        assert set(dests.split("|")) <= known


def test_dataset_loads_and_validates() -> None:
    from amur.io.csv import read_network

    net = read_network(FOLDER)
    assert len(net.nodes) == len(table("nodes"))
    assert len(net.links) == len(table("links"))
    assert net.parameters["t_per_teu"] > 0
