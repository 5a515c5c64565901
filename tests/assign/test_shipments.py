"""Bulk pays border fees per wagon or truck load and gauge changes per tonne; containers per
TEU, exactly as before (amur.assign.shipments)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from amur.assign.commodity import CommodityClass, assign_commodities, build_commodity_groups
from amur.assign.multimodal import read_flow_parameters
from amur.assign.shipments import (
    ShipmentCosts,
    arc_costs_per_t,
    group_shipment_costs,
    shipment_costs,
)
from amur.data import dataset_path, load
from amur.demand.builtin import with_shipment_sizes
from amur.demand.statistics import read_commodities
from amur.errors import InputError
from amur.graph.expand import ArcKind, expand
from amur.network import Network

MODES = frozenset({"rail", "road"})
#: Bulk: a 60 t wagon, a 20 t truck (the test network's own figures).
BULK = {"t_per_shipment:rail:ore": 60.0, "t_per_shipment:road": 20.0}


def border_pair() -> Network:
    """a (RU) and b (CN) joined by a rail link (20 USD/t by the TEU) and a road link
    (10 USD/t), equally fast; 500 USD a TEU (a shipment) of border fee on each side."""
    nodes = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "country": ["RU", "CN"],
            "lat": [48.0, 48.0],
            "lon": [132.0, 132.2],
            "kind": "city",
            "border_time_h": [1.0, 1.0],
            "border_fee_usd_per_teu": [500.0, 500.0],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["ab-rail", "ab-road"],
            "from_node": ["a", "a"],
            "to_node": ["b", "b"],
            "mode": ["rail", "road"],
            "gauge": ["1435", None],
            "length_km": [100.0, 100.0],
            "speed_kmh": [50.0, 50.0],
            "cost_usd_per_teu_km": [2.0, 1.0],
            "capacity_t_per_year": [1e9, 1e9],
        }
    )
    sources = pd.DataFrame({"id": ["user"], "kind": ["user"], "title": ["tests"]})
    return Network.from_frames(nodes, links, sources, name="border-pair")


def _crossing(params: dict[str, float]) -> dict[str, str]:
    """The link each commodity of the border pair crosses on (all its tonnes on one)."""
    net = border_pair()
    classes = [
        CommodityClass("container", MODES, 10000.0, 1.0),
        CommodityClass("ore", MODES, 100.0, 0.3),
    ]
    demand = {c.name: np.array([[0.0, 1000.0], [0.0, 0.0]]) for c in classes}
    groups = build_commodity_groups(net, ["a", "b"], classes, demand, params)
    result = assign_commodities(groups, demand, parameters=params)
    out = {}
    for c in ("container", "ore"):
        rows = result.links[result.links[f"flow_t_per_year:{c}"] > 0]
        assert len(rows) == 1, c
        assert float(rows[f"flow_t_per_year:{c}"].iloc[0]) == pytest.approx(1000.0)
        out[c] = str(rows["link"].iloc[0])
    return out


def test_per_shipment_fee_moves_bulk_to_rail_and_leaves_containers_on_road() -> None:
    # by the TEU: rail 20 + 1000/10 = 120 USD/t against road 10 + 100 = 110: both by road
    assert _crossing({}) == {"container": "ab-road", "ore": "ab-road"}
    # per shipment: ore by rail 20 + 1000/60 = 36.7 against road 10 + 1000/20 = 60
    assert _crossing(BULK) == {"container": "ab-road", "ore": "ab-rail"}


def test_border_arc_costs_by_shipment_of_the_mode_crossing() -> None:
    g = expand(border_pair(), modes=MODES)
    per_t = arc_costs_per_t(g, ShipmentCosts(60.0, 20.0))
    border = np.flatnonzero(g.kind == ArcKind.BORDER)
    assert border.size == 4  # each link, each way
    got = sorted(per_t[border])
    assert got == pytest.approx([1000.0 / 60.0] * 2 + [1000.0 / 20.0] * 2)
    links = np.flatnonzero(g.kind == ArcKind.LINK)
    np.testing.assert_array_equal(per_t[links], (1.0 / g.t_per_teu) * g.cost_usd[links])
    # no truck size: road keeps the per-TEU basis
    no_road = arc_costs_per_t(g, ShipmentCosts(60.0))
    assert sorted(no_road[border]) == pytest.approx([1000.0 / 60.0] * 2 + [1000.0 / 10.0] * 2)


def test_group_sizes_are_harmonic_means_by_tonnes() -> None:
    group = group_shipment_costs(
        [ShipmentCosts(45.0, 20.0, 3.0), ShipmentCosts(90.0, 20.0, 5.0)], [1.0, 1.0]
    )
    # a per-shipment fee F costs the pair F/45 and F/90 a tonne: on average F/60
    assert group.rail_t == pytest.approx(60.0)
    assert group.road_t == pytest.approx(20.0)
    assert group.gauge_change_usd_per_t == pytest.approx(4.0)
    mixed = group_shipment_costs([ShipmentCosts(45.0), ShipmentCosts(90.0, 20.0)], [1, 1])
    assert mixed.road_t is None


@pytest.fixture(scope="module")
def builtin_groups():  # type: ignore[no-untyped-def]
    """The built-in network's groups of 2022 (July) for a container and a bulk commodity."""
    net = load("northeast-asia")
    folder = dataset_path("northeast-asia")
    commodities = read_commodities(folder / "commodities.csv")
    params = with_shipment_sizes(read_flow_parameters(folder / "flow_parameters.csv"), commodities)
    zones = ["harbin", "blagoveshchensk", "khabarovsk"]
    classes = [
        CommodityClass(c.id, c.modes, c.value_usd_per_t, c.time_value_pct_per_day)
        for c in commodities.values()
        if c.id in ("container", "ores_metals")
    ]
    demand = {c.name: np.ones((3, 3)) - np.eye(3) for c in classes}
    groups = build_commodity_groups(net, zones, classes, demand, params, 2022, 7)
    return {g.commodities[0]: g for g in groups}, params


def test_container_costs_on_the_builtin_network_are_unchanged(builtin_groups) -> None:  # type: ignore[no-untyped-def]
    groups, _ = builtin_groups
    container = groups["container"]
    assert container.shipment is None
    for ng in container.seasons.graphs:
        g = ng.expanded
        old = (1.0 / g.t_per_teu) * g.cost_usd  # the per-TEU costs before bulk had its own
        np.testing.assert_array_equal(ng.graph.cost_parameters.fixed_cost[: g.n_arcs], old)


def test_builtin_bulk_pays_per_wagon_truck_and_tonne(builtin_groups) -> None:  # type: ignore[no-untyped-def]
    groups, params = builtin_groups
    ore = groups["ores_metals"]
    # t_per_wagon of commodities.csv; truck, ship and gauge change of flow_parameters.csv
    assert ore.shipment == ShipmentCosts(65.0, 20.0, 3.0, 43043.0)
    assert params["t_per_shipment:rail:ores_metals"] == 65.0
    assert "t_per_shipment:rail:container" not in params  # containers keep the TEU
    g = ore.seasons.graphs[0].expanded
    cost = ore.seasons.graphs[0].graph.cost_parameters.fixed_cost[: g.n_arcs]
    gauge = g.kind == ArcKind.GAUGE_CHANGE
    assert gauge.any() and np.all(cost[gauge] == 3.0)
    # the Heihe road bridge: 580 + 326 USD a truck, not a TEU
    links = g.network.links
    bridge = int(np.flatnonzero(links["id"].to_numpy() == "heihe-blagoveshchensk-road")[0])
    arcs = np.flatnonzero((g.kind == ArcKind.LINK) & (g.link == bridge))
    into = {int(h): a for a, h in zip(arcs, g.head[arcs], strict=True)}
    border = [b for b in np.flatnonzero(g.kind == ArcKind.BORDER) if int(g.tail[b]) in into]
    assert border
    for b in border:
        assert cost[b] == pytest.approx(g.cost_usd[b] / 20.0)
        assert g.cost_usd[b] == pytest.approx(906.0, abs=10.0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("t_per_shipment:road", "-20"),
        ("t_per_shipment:rail:coal", "0"),
        ("gauge_change_usd_per_t", "-3"),
        ("gauge_change_usd_per_t:coal", "inf"),
    ],
)
def test_bad_shipment_parameters_name_file_row_and_column(
    tmp_path: Path, name: str, value: str
) -> None:
    path = tmp_path / "flow_parameters.csv"
    path.write_text(f"name,value,unit\nbpr_b,0.15,1\n{name},{value},t\n")
    with pytest.raises(InputError, match=r"flow_parameters.csv, row 3, column value") as err:
        read_flow_parameters(path)
    assert name in str(err.value)


def test_not_a_number_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "flow_parameters.csv"
    path.write_text("name,value,unit\nt_per_shipment:road,twenty,t\n")
    with pytest.raises(InputError, match=r"row 2, column value: expected a number"):
        read_flow_parameters(path)


@pytest.mark.parametrize(
    "params",
    [
        {"t_per_shipment:rail:ore": -60.0},
        {"t_per_shipment:rail:ore": 60.0, "t_per_shipment:road": 0.0},
        {"t_per_shipment:rail:ore": 60.0, "gauge_change_usd_per_t:ore": float("nan")},
    ],
)
def test_bad_shipment_costs_in_code_name_the_parameter(params: dict[str, float]) -> None:
    with pytest.raises(InputError, match=r"t_per_shipment|gauge_change_usd_per_t"):
        shipment_costs(params, "ore")


def test_a_mode_without_a_shipment_size_keeps_the_whole_commodity_on_the_teu() -> None:
    net = border_pair()
    demand = {"crude": np.array([[0.0, 1000.0], [0.0, 0.0]])}
    params = {"t_per_shipment:rail:crude": 60.0, "t_per_shipment:road": 20.0}
    for modes, costed in ((MODES, True), (MODES | {"pipeline"}, False), (MODES | {"sea"}, False)):
        crude = CommodityClass("crude", modes, 500.0, 0.3)
        (group,) = build_commodity_groups(net, ["a", "b"], [crude], demand, params)
        assert (group.shipment is not None) is costed, modes
    with_sea = {**params, "t_per_shipment:sea": 40000.0}
    crude = CommodityClass("crude", MODES | {"sea"}, 500.0, 0.3)
    (group,) = build_commodity_groups(net, ["a", "b"], [crude], demand, with_sea)
    assert group.shipment == ShipmentCosts(60.0, 20.0, None, 40000.0)


def test_without_a_rail_size_a_commodity_is_costed_by_the_teu() -> None:
    assert shipment_costs({"t_per_shipment:road": 20.0}, "ore") is None
    assert shipment_costs(BULK, "ore") == ShipmentCosts(60.0, 20.0, None)


@pytest.mark.parametrize("text", ["-65", "sixty-five", "nan"])
def test_bad_wagon_load_in_commodities_names_file_row_and_column(tmp_path: Path, text: str) -> None:
    path = tmp_path / "commodities.csv"
    path.write_text(
        "commodity,name,modes,value_usd_per_t,time_value_pct_per_day,t_per_wagon,t_per_teu\n"
        f"ore,Ore,rail|road,100,0.3,{text},\n"
    )
    with pytest.raises(InputError, match=r"commodities.csv, row 2, column t_per_wagon"):
        read_commodities(path)


def test_shipment_sizes_come_from_bulk_wagons_and_the_parameters_win() -> None:
    commodities = read_commodities(dataset_path("northeast-asia") / "commodities.csv")
    params = with_shipment_sizes({"t_per_shipment:rail:coal": 69.0}, commodities)
    assert params["t_per_shipment:rail:coal"] == 69.0  # the flow parameter, not 70.6
    assert params["t_per_shipment:rail:timber"] == 45.0
    assert "t_per_shipment:rail:container" not in params  # a TEU load: per TEU
    assert "t_per_shipment:rail:lng" not in params  # no wagon load
