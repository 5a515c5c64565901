"""Logit route choice at the equilibrium costs (the calibration's), and one-way capacity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amur.assign.commodity import CommodityClass, assign_commodities, build_commodity_groups
from amur.demand.calibrate import _count_incidence, route_choice
from amur.network import Network
from two_places import two_places

BOX = CommodityClass("box", frozenset({"rail"}), 5000.0, 1.0)


def _two_routes(long_km: float) -> Network:
    """a to b by two rail links, 100 km and ``long_km``, capacity far above the demand."""
    return two_places(
        {
            "id": ["short", "long"],
            "from_node": ["a", "a"],
            "to_node": ["b", "b"],
            "mode": ["rail", "rail"],
            "gauge": ["1435", "1435"],
            "length_km": [100.0, long_km],
            "speed_kmh": [50.0, 50.0],
            "cost_usd_per_teu_km": [1.0, 1.0],
            "capacity_t_per_year": [1e12, 1e12],
        },
        name="two routes",
    )


def _assign(net: Network, theta: float | None):  # type: ignore[no-untyped-def]
    demand = {"box": np.array([[0.0, 1000.0], [0.0, 0.0]])}
    groups = build_commodity_groups(net, ["a", "b"], [BOX], demand, month=7)
    return assign_commodities(groups, demand, route_choice(1e-8, theta), rounds=1)


def _share(result, link: str) -> float:  # type: ignore[no-untyped-def]
    rows = result.links[(result.links["link"] == link) & (result.links["from"] == "a")]
    return float(rows["flow_t_per_year"].sum()) / 1000.0


def _cost_per_t(net: Network, link: str) -> float:
    """Generalised cost of a link, USD/t: money (per TEU / 10) plus time at the value of
    time of a 50,000 USD TEU at 1 % a day (the network's defaults), per t.
    """
    row = net.links.set_index("id").loc[link]
    hours = float(row["length_km"]) / float(row["speed_kmh"])
    money = float(row["cost_usd_per_teu_km"]) * float(row["length_km"]) / 10.0
    return money + 5000.0 * 10.0 * 0.01 / 24.0 * hours / 10.0


def test_near_equal_routes_share_by_logit_where_the_equilibrium_gives_all_to_one() -> None:
    net = _two_routes(101.0)
    theta = 0.5
    ue = _assign(net, None)
    assert _share(ue, "short") == pytest.approx(1.0)
    logit = _assign(net, theta)
    gap = _cost_per_t(net, "long") - _cost_per_t(net, "short")
    oracle = 1.0 / (1.0 + np.exp(-theta * gap))  # binary logit
    assert _share(logit, "short") == pytest.approx(oracle, rel=1e-6)
    assert _share(logit, "short") + _share(logit, "long") == pytest.approx(1.0)


def test_a_small_change_of_length_moves_logit_flows_a_little_and_flips_the_equilibrium() -> None:
    before, after = _two_routes(101.0), _two_routes(99.0)
    assert _share(_assign(before, None), "short") - _share(_assign(after, None), "short") == (
        pytest.approx(1.0)
    )
    moved = _share(_assign(before, 0.5), "short") - _share(_assign(after, 0.5), "short")
    assert 0.0 < moved < 0.5


def test_the_calibration_incidence_is_the_logit_loading() -> None:
    net = _two_routes(101.0)
    result = _assign(net, 0.5)
    counts = pd.DataFrame(
        {"id": ["c"], "link": ["long"], "from": [""], "to": [""], "direction": ["forward"]}
    ).assign(commodity="")
    incidence = _count_incidence(result, counts, ["box"], 0.5)
    through = float((incidence[0]["box"] * np.array([[0.0, 1000.0], [0.0, 0.0]])).sum())
    assert through == pytest.approx(float(result.count_flows(counts)[0]), rel=1e-9)
    assert through == pytest.approx(1000.0 * _share(result, "long"), rel=1e-9)
    # the all-or-nothing incidence of the user equilibrium would see none of it
    assert _count_incidence(result, counts, ["box"], None)[0]["box"].sum() == 0.0


def _pipe(bidirectional: bool) -> Network:
    return two_places(
        {
            "id": ["pipe"],
            "from_node": ["a"],
            "to_node": ["b"],
            "mode": ["pipeline"],
            "gauge": [""],
            "length_km": [100.0],
            "speed_kmh": [4.0],
            "cost_usd_per_teu_km": [0.1],
            "capacity_t_per_year": [1000.0],
            "bidirectional": [bidirectional],
        },
        name="pipe",
        country=("RU", "CN"),
        lat=(53.9, 52.9),
        lon=(123.9, 122.5),
    )


@pytest.mark.parametrize("bidirectional, capacity", [(False, 1000.0), (True, 500.0)])
def test_a_one_way_link_has_its_whole_capacity_in_its_direction(
    bidirectional: bool, capacity: float
) -> None:
    oil = CommodityClass("oil", frozenset({"pipeline"}), 500.0, 0.3)
    demand = {"oil": np.array([[0.0, 800.0], [0.0, 0.0]])}
    groups = build_commodity_groups(_pipe(bidirectional), ["a", "b"], [oil], demand)
    result = assign_commodities(groups, demand, rounds=1)
    row = result.links[(result.links["link"] == "pipe") & (result.links["from"] == "a")]
    assert float(row["capacity_t_per_year"].iloc[0]) == pytest.approx(capacity)
    assert float(row["v_c"].iloc[0]) == pytest.approx(800.0 / capacity)
    # the assignment's arcs see the same capacity (the delay of the BPR function)
    graph = groups[0].seasons.graphs[0].graph
    assert graph.cost_parameters.capacity.min() == pytest.approx(capacity)
