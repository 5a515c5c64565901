"""Attaching a dataset to an imported OSM network: matches, distances, figures carried over."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import amur
from amur.errors import InputError
from amur.graph.expand import haversine_km
from amur.io.osm import attach, import_osm
from amur.network import Network
from osm_files import write_osm


def _dataset(extra: list[list[object]] | None = None) -> Network:
    columns = [
        "id",
        "name",
        "country",
        "lat",
        "lon",
        "kind",
        "gauge",
        "gauge_change_time_h",
        "gauge_change_cost_usd_per_teu",
        "border_time_h",
        "border_fee_usd_per_teu",
        "source_id",
        "ops_source_id",
    ]
    rows: list[list[object]] = [
        [
            "manzhouli",
            "Manzhouli",
            "CN",
            49.21,
            117.21,
            "border_crossing",
            "dual",
            24.0,
            150.0,
            6.0,
            100.0,
            "src_places",
            "src_ops_place",
        ],
        [
            "bravo_town",
            "Bravo Town",
            "RU",
            50.31,
            117.49,
            "rail_terminal",
            "1520",
            None,
            None,
            None,
            None,
            "src_places",
            None,
        ],
        [
            "hamburg",
            "Hamburg",
            "DE",
            53.55,
            9.99,
            "seaport",
            "1435",
            None,
            None,
            None,
            None,
            "src_places",
            None,
        ],
        *(extra or []),
    ]
    nodes = pd.DataFrame(rows, columns=columns)
    links = pd.DataFrame(
        [
            [
                "manzhouli-bravo",
                "manzhouli",
                "bravo_town",
                "rail",
                "1520",
                160.0,
                44.08,
                0.23,
                0.02,
                "src_places",
                "src_ops_rail",
            ]
        ],
        columns=[
            "id",
            "from_node",
            "to_node",
            "mode",
            "gauge",
            "length_km",
            "speed_kmh",
            "cost_usd_per_teu_km",
            "co2_kg_per_tkm",
            "source_id",
            "ops_source_id",
        ],
    )
    sources = pd.DataFrame(
        [
            ["src_places", "user", "test places"],
            ["src_ops_place", "estimate", "test place figures"],
            ["src_ops_rail", "estimate", "test rail figures"],
        ],
        columns=["id", "kind", "title"],
    )
    return Network.from_frames(nodes, links, sources, name="testset")


@pytest.fixture(scope="module")
def osm_net(tmp_path_factory: pytest.TempPathFactory) -> Network:
    path = write_osm(tmp_path_factory.mktemp("osm") / "corridor.osm.pbf")
    return import_osm(path, modes=("rail",)).network


def test_places_match_the_nearest_station_with_distance(osm_net: Network) -> None:
    result = attach(osm_net, _dataset())
    m = result.matches.set_index("place")
    assert m.at["manzhouli", "osm_node"] == "osm_20"
    assert m.at["manzhouli", "distance_km"] == pytest.approx(
        float(haversine_km(49.21, 117.21, 49.20, 117.20)), abs=1e-3
    )
    assert m.at["bravo_town", "osm_node"] == "osm_30"
    assert m.at["hamburg", "status"] == "outside the extract"
    nodes = result.network.nodes.set_index("id")
    assert nodes.at["manzhouli", "gauge_change_time_h"] == 24.0
    assert nodes.at["manzhouli", "lat"] == 49.20  # on the track, not the dataset's point
    assert nodes.at["manzhouli", "ops_source_id"] == "src_ops_place"
    links = result.network.links
    assert set(links["ops_source_id"]) == {"src_ops_rail"}
    assert set(links["cost_usd_per_teu_km"]) == {0.23}
    assert {"osm", "src_ops_rail", "src_ops_place"} <= set(result.network.sources["id"])


def test_attached_figures_let_routes_change_gauge(osm_net: Network) -> None:
    net = attach(osm_net, _dataset()).network
    best = amur.route(net, "Alpha", "Bravo Town", by="length")[0]
    graph = nx.MultiGraph()
    for _, link in net.links.iterrows():
        graph.add_edge(link["from_node"], link["to_node"], length=link["length_km"])
    assert best.length_km == pytest.approx(
        nx.dijkstra_path_length(graph, "osm_1", "bravo_town", weight="length"), rel=1e-9
    )
    assert best.gauge_changes == ("manzhouli",)
    assert best.cost_usd_per_teu > 150.0  # the gauge change and the carried-over rail rate


def test_a_place_too_far_from_any_station_is_an_error(osm_net: Network) -> None:
    far = [
        [
            "steppe",
            "Steppe Halt",
            "CN",
            49.0,
            117.3,
            "rail_terminal",
            "1435",
            None,
            None,
            None,
            None,
            "src_places",
            None,
        ]
    ]
    with pytest.raises(InputError) as info:
        attach(osm_net, _dataset(far), max_km=10.0)
    message = str(info.value)
    expected = float(haversine_km(49.0, 117.3, 49.2, 117.2))
    assert "'steppe' (Steppe Halt): the nearest OSM station 'osm_20'" in message
    assert f"{expected:.1f} km away" in message and "within 10 km" in message
    with pytest.raises(InputError, match="'manzhouli' and 'steppe' both match OSM station"):
        attach(osm_net, _dataset(far), max_km=30.0)


def test_attach_through_import_writes_the_matches(tmp_path: Path) -> None:
    path = write_osm(tmp_path / "corridor.osm.pbf")
    result = import_osm(path, tmp_path / "net", attach_to=_dataset())
    table = pd.read_csv(tmp_path / "net" / "attach_matches.csv")
    assert set(table["place"]) == {"manzhouli", "bravo_town", "hamburg"}
    assert result.attached is not None
