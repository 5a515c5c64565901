"""The OSM importer on small files written in code: chains, gauges, borders, a ferry, filters,
lengths against the geometry and the contraction against an unsimplified oracle."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

import amur
from amur.errors import InputError, NoRouteError
from amur.io import read_network
from amur.io.osm import import_osm
from osm_files import NODES, WAYS, geodesic_km, write_osm


@pytest.fixture(scope="module")
def corridor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_osm(tmp_path_factory.mktemp("osm") / "corridor.osm.pbf")


@pytest.fixture(scope="module")
def imported(corridor: Path) -> amur.Network:
    return import_osm(corridor, modes=("rail", "ferry", "road")).network


def _link(net: amur.Network, a: str, b: str) -> pd.Series:
    links = net.links
    hit = links[
        ((links["from_node"] == a) & (links["to_node"] == b))
        | ((links["from_node"] == b) & (links["to_node"] == a))
    ]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_degree_two_chain_is_one_link_with_the_full_geometry(imported: amur.Network) -> None:
    link = _link(imported, "osm_1", "osm_20")
    coords = list(shapely.from_wkt(link["geometry_wkt"]).coords)
    chain = [1, 10, 11, 12, 13, 14, 20]
    assert [(round(x, 6), round(y, 6)) for x, y in coords] in (
        [NODES[n][:2] for n in chain],
        [NODES[n][:2] for n in reversed(chain)],
    )
    assert link["note"].startswith("OSM ways 100, 101, 102")
    assert link["gauge"] == "1435"
    # untagged nodes of the chain are not places
    assert not imported.nodes["id"].isin(["osm_10", "osm_11", "osm_12", "osm_13"]).any()


def test_lengths_match_the_geometry_within_a_tenth_of_a_percent(imported: amur.Network) -> None:
    for _, link in imported.links.iterrows():
        geometry = shapely.from_wkt(link["geometry_wkt"])
        expected = geodesic_km(geometry.coords)
        assert link["length_km"] == pytest.approx(expected, rel=1e-3)
    # and against the source nodes directly, independent of the written geometry
    chain = [1, 10, 11, 12, 13, 14, 20]
    assert _link(imported, "osm_1", "osm_20")["length_km"] == pytest.approx(
        geodesic_km(NODES[n][:2] for n in chain), rel=1e-9
    )


def test_simplified_geometry_keeps_the_full_length(corridor: Path, imported: amur.Network) -> None:
    coarse = import_osm(
        corridor, modes=("rail", "ferry", "road"), simplify_tolerance_m=20_000
    ).network
    full = imported.links.set_index("id")
    fewer = 0
    for _, link in coarse.links.iterrows():
        n_points = len(shapely.from_wkt(link["geometry_wkt"]).coords)
        n_full = len(shapely.from_wkt(full.at[link["id"], "geometry_wkt"]).coords)
        fewer += n_points < n_full
        assert link["length_km"] == full.at[link["id"], "length_km"]
    assert fewer > 0


def test_gauge_break_border_and_ferry_are_places(imported: amur.Network) -> None:
    nodes = imported.nodes.set_index("id")
    assert nodes.at["osm_20", "gauge"] == "dual"
    assert nodes.at["osm_20", "name"].startswith("gauge break")
    crossing = imported.links[
        imported.links["from_node"].map(nodes["country"])
        != imported.links["to_node"].map(nodes["country"])
    ]
    assert len(crossing) == 1
    ends = crossing.iloc[0][["from_node", "to_node"]]
    assert set(nodes.loc[ends, "kind"]) == {"border_crossing"}
    assert set(nodes.loc[ends, "country"]) == {"CN", "RU"}
    ferry = _link(imported, "osm_40", "osm_50")
    assert ferry["mode"] == "sea" and ferry["time_h"] == pytest.approx(2.5)
    assert nodes.at["osm_40", "kind"] == "seaport"
    assert nodes.at["osm_30", "name"] == "Bravo"


def test_disused_lines_and_sidings_only_when_asked(corridor: Path, imported: amur.Network) -> None:
    assert "osm_60" not in set(imported.nodes["id"])
    assert "osm_61" not in set(imported.nodes["id"])
    more = import_osm(corridor, include_disused=True, include_service=True).network
    assert _link(more, "osm_12", "osm_60")["status"] == "closed"
    assert _link(more, "osm_13", "osm_61")["mode"] == "rail"


def test_modes_bbox_and_countries_filter(corridor: Path) -> None:
    rail = import_osm(corridor, modes=("rail",)).network
    assert set(rail.links["mode"]) == {"rail"}
    north = import_osm(corridor, bbox="117.4,49.9,118.5,51.5").network
    assert "osm_1" not in set(north.nodes["id"])
    assert "osm_50" in set(north.nodes["id"])
    russia = import_osm(corridor, countries=["ru"]).network
    assert "osm_1" not in set(russia.nodes["id"])  # the chain lies wholly in China
    assert {"osm_20", "osm_30"} <= set(russia.nodes["id"])  # the 1520 way reaches Russia


def test_sources_carry_the_extract_date_and_odbl(corridor: Path, tmp_path: Path) -> None:
    result = import_osm(corridor, tmp_path / "net")
    sources = pd.read_csv(tmp_path / "net" / "sources.csv").set_index("id")
    assert sources.at["osm", "date"] == "2026-11-30"
    assert "Open Database Licence" in sources.at["osm", "note"]
    assert "OpenStreetMap contributors" in sources.at["osm", "note"]
    again = read_network(tmp_path / "net")
    assert set(again.links["source_id"]) == {"osm"}
    assert set(again.links["ops_source_id"]) == {"osm_speed"}
    assert len(again.links) == len(result.network.links)


def _oracle_graph(modes: tuple[str, ...]) -> nx.Graph:
    """Every kept OSM way as edges between consecutive nodes, geodesic lengths."""
    graph = nx.Graph()
    for refs, tags in WAYS.values():
        keep = (
            ("rail" in modes and tags.get("railway") == "rail" and "service" not in tags)
            or ("ferry" in modes and tags.get("route") == "ferry")
            or ("road" in modes and "highway" in tags)
        )
        if not keep:
            continue
        for a, b in itertools.pairwise(refs):
            graph.add_edge(a, b, length=geodesic_km([NODES[a][:2], NODES[b][:2]]))
    return graph


def test_contraction_keeps_every_shortest_path_length(imported: amur.Network) -> None:
    oracle = _oracle_graph(("rail", "ferry", "road"))
    contracted = nx.MultiGraph()
    for _, link in imported.links.iterrows():
        contracted.add_edge(link["from_node"], link["to_node"], length=link["length_km"])
    places = [int(i.removeprefix("osm_")) for i in imported.nodes["id"]]
    full = dict(nx.all_pairs_dijkstra_path_length(oracle, weight="length"))
    ours = dict(nx.all_pairs_dijkstra_path_length(contracted, weight="length"))
    for a, b in itertools.combinations(places, 2):
        assert ours[f"osm_{a}"][f"osm_{b}"] == pytest.approx(full[a][b], rel=1e-9)


def test_amur_routes_on_the_import(imported: amur.Network) -> None:
    oracle = _oracle_graph(("rail",))
    best = amur.route(imported, "gauge break 20", "Port One", by="length")[0]
    assert best.length_km == pytest.approx(
        nx.dijkstra_path_length(oracle, 20, 40, weight="length"), rel=1e-9
    )
    assert [leg.kind for leg in best.legs].count("border") == 1
    # no gauge-change figures at the break: no through route until a dataset is attached
    with pytest.raises(NoRouteError):
        amur.route(imported, "Alpha", "Bravo", by="length", modes=frozenset({"rail"}))


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_random_chains_contract_to_the_oracle(tmp_path: Path, seed: int) -> None:
    """Random untagged ways (a tree, then chords that close cycles): lengths between all
    places equal the oracle's."""
    rng = np.random.default_rng(seed)
    nodes: dict[int, tuple[float, float, dict[str, str]]] = {}
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    next_id = 1
    ends = [0]
    nodes[0] = (120.0, 45.0, {})
    for w in range(40):
        start = int(rng.choice(ends))
        refs = [start]
        x, y, _ = nodes[start]
        for _ in range(int(rng.integers(1, 5))):
            x, y = x + float(rng.uniform(-0.1, 0.1)), y + float(rng.uniform(-0.1, 0.1))
            nodes[next_id] = (round(x, 6), round(y, 6), {})
            refs.append(next_id)
            next_id += 1
        ends.extend(refs[1:])
        ways[1000 + w] = (refs, {"railway": "rail", "gauge": "1435"})
    for w in range(8):  # chords between existing nodes, through a new shape point
        a, b = (int(x) for x in rng.choice(ends, size=2, replace=False))
        (xa, ya, _), (xb, yb, _) = nodes[a], nodes[b]
        nodes[next_id] = (round((xa + xb) / 2 + 0.01, 6), round((ya + yb) / 2, 6), {})
        ways[2000 + w] = ([a, next_id, b], {"railway": "rail", "gauge": "1435"})
        next_id += 1
    path = write_osm(tmp_path / "tree.osm.pbf", nodes, ways)
    net = import_osm(path, countries=None).network
    oracle = nx.Graph()
    for refs, _ in ways.values():
        for a, b in itertools.pairwise(refs):
            oracle.add_edge(a, b, length=geodesic_km([nodes[a][:2], nodes[b][:2]]))
    ours = nx.MultiGraph()
    for _, link in net.links.iterrows():
        ours.add_edge(link["from_node"], link["to_node"], length=link["length_km"])
    assert len(net.links) < sum(len(r) - 1 for r, _ in ways.values())
    places = [int(i.removeprefix("osm_")) for i in net.nodes["id"]]
    full = dict(nx.all_pairs_dijkstra_path_length(oracle, weight="length"))
    got = dict(nx.all_pairs_dijkstra_path_length(ours, weight="length"))
    for a, b in itertools.combinations(places, 2):
        assert got[f"osm_{a}"][f"osm_{b}"] == pytest.approx(full[a][b], rel=1e-9)


def test_a_balloon_loop_becomes_two_links(tmp_path: Path) -> None:
    nodes = {
        1: (120.0, 45.0, {}),
        2: (120.1, 45.0, {}),
        3: (120.2, 45.05, {}),
        4: (120.25, 45.0, {}),
        5: (120.2, 44.95, {}),
    }
    ways = {
        1: ([1, 2], {"railway": "rail", "gauge": "1435"}),
        2: ([2, 3, 4, 5, 2], {"railway": "rail", "gauge": "1435"}),
    }
    net = import_osm(write_osm(tmp_path / "loop.osm.pbf", nodes, ways)).network
    assert (net.links["from_node"] != net.links["to_node"]).all()
    loop = net.links[net.links["note"].str.startswith("OSM way 2")]
    assert len(loop) == 2
    assert loop["length_km"].sum() == pytest.approx(
        geodesic_km(nodes[n][:2] for n in (2, 3, 4, 5, 2)), rel=1e-9
    )
    best = amur.route(net, "osm_1", "osm_4", by="length")[0]
    assert best.length_km == pytest.approx(
        geodesic_km(nodes[n][:2] for n in (1, 2, 3, 4)), rel=1e-9
    )


def test_nodes_at_one_position_become_one_place(tmp_path: Path) -> None:
    """Two OSM nodes at the same position joined by a way (zero length): one place."""
    nodes = {
        1: (120.0, 45.0, {}),
        2: (120.1, 45.0, {"railway": "station", "name": "Two"}),
        3: (120.1, 45.0, {"railway": "station", "name": "Three"}),
        4: (120.2, 45.0, {}),
    }
    ways = {
        1: ([1, 2], {"railway": "rail", "gauge": "1435"}),
        2: ([2, 3], {"railway": "rail", "gauge": "1435"}),
        3: ([3, 4], {"railway": "rail", "gauge": "1435"}),
    }
    net = import_osm(write_osm(tmp_path / "twin.osm.pbf", nodes, ways)).network
    assert (net.links["length_km"] > 0).all()
    assert len(net.links) == 2 and len(net.nodes) == 3
    best = amur.route(net, "osm_1", "osm_4", by="length")[0]
    assert best.length_km == pytest.approx(geodesic_km(nodes[n][:2] for n in (1, 2, 4)), rel=1e-9)


def test_xml_files_read_the_same(corridor: Path, tmp_path: Path, imported: amur.Network) -> None:
    xml = write_osm(tmp_path / "corridor.osm")
    again = import_osm(xml, modes=("rail", "ferry", "road")).network
    pd.testing.assert_frame_equal(again.links, imported.links)


@pytest.mark.parametrize(
    ("kwargs", "fragment", "field"),
    [
        (
            {"bbox": "10,10,11,11"},
            "no railway or ferry in the extract inside bbox 10,10,11,11",
            "bbox",
        ),
        ({"bbox": "10,10,9,11"}, "expected -180 <= min_lon < max_lon", "bbox"),
        ({"countries": ["XX"]}, "unknown country code 'XX'", "countries"),
        ({"modes": ["rail", "tram"]}, "expected some of rail, ferry, road", "modes"),
    ],
)
def test_bad_options(
    corridor: Path, tmp_path: Path, kwargs: dict[str, object], fragment: str, field: str
) -> None:
    with pytest.raises(InputError, match=None) as info:
        import_osm(corridor, tmp_path / "out", **kwargs)  # type: ignore[arg-type]
    assert fragment in str(info.value)
    assert info.value.field == field
    assert not (tmp_path / "out").exists()


def test_not_osm_and_truncated_files(corridor: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.osm.pbf"
    text.write_text("this is not an OSM file\n")
    truncated = tmp_path / "cut.osm.pbf"
    data = corridor.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    for bad in (text, truncated, tmp_path / "missing.osm.pbf"):
        with pytest.raises(InputError) as info:
            import_osm(bad, tmp_path / "out")
        assert str(bad) in str(info.value)
        assert not (tmp_path / "out").exists()
