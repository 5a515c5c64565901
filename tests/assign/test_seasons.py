"""A year's flows, season by season: against the brute force of twelve monthly assignments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amur
from amur.assign.multimodal import assign_network, build_network_graph
from amur.assign.options import AssignmentOptions
from amur.assign.seasons import assign_seasons, build_season_graphs, season_months
from amur.demand.builtin import assign_demand
from amur.errors import InputError
from amur.graph.expand import expand
from amur.network import Network
from amur.scenarios import apply, load_scenario

MONTHS = st.sampled_from(["all", "12-3", "1-3", "5-10", "4-11", "6"])


def _river_network(months: list[str], capacity: list[float]) -> Network:
    """Two towns on each bank of a river, a rail line around it, and crossings that run
    in the given months."""
    nodes = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "country": ["CN", "CN", "CN"],
            "lat": [45.0, 46.0, 47.0],
            "lon": [126.0, 127.0, 128.0],
            "kind": "city",
        }
    )
    rows = [
        {
            "id": "around",
            "from_node": "a",
            "to_node": "c",
            "mode": "rail",
            "gauge": "1435",
            "length_km": 900.0,
            "speed_kmh": 40.0,
            "cost_usd_per_teu_km": 0.5,
            "capacity_t_per_year": 1e6,
            "months": "all",
        },
        {
            "id": "ab",
            "from_node": "a",
            "to_node": "b",
            "mode": "road",
            "length_km": 50.0,
            "speed_kmh": 40.0,
            "cost_usd_per_teu_km": 1.0,
            "capacity_t_per_year": 1e6,
            "months": "all",
        },
    ]
    for k, (m, cap) in enumerate(zip(months, capacity, strict=True)):
        rows.append(
            {
                "id": f"x{k}",
                "from_node": "b",
                "to_node": "c",
                "mode": "road",
                "length_km": 4.0 + k,
                "speed_kmh": 20.0,
                "cost_usd_per_teu_km": 1.0,
                "capacity_t_per_year": cap,
                "months": m,
            }
        )
    return Network.from_frames(nodes, pd.DataFrame(rows), name="river")


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.tuples(MONTHS, st.floats(1e3, 1e5)), min_size=1, max_size=3), st.floats(1e3, 2e5)
)
def test_a_year_is_the_mean_of_its_twelve_months(
    crossings: list[tuple[str, float]], volume: float
) -> None:
    net = _river_network([m for m, _ in crossings], [c for _, c in crossings])
    zones = ["a", "c"]
    demand = np.array([[0.0, volume], [volume / 2, 0.0]])
    year = assign_seasons(build_season_graphs(net, zones), demand, AssignmentOptions(gap=1e-10))
    months = [
        assign_network(
            build_network_graph(expand(net, None, m), zones), demand, AssignmentOptions(gap=1e-10)
        ).links.set_index(["link", "from", "to"])
        for m in range(1, 13)
    ]
    table = year.links.set_index(["link", "from", "to"])
    for key, row in table.iterrows():
        per_month = [t.loc[key, "flow_t_per_year"] if key in t.index else 0.0 for t in months]
        assert row["flow_t_per_year"] == pytest.approx(np.mean(per_month), rel=1e-6, abs=1e-3)
        assert row["months"] == sum(key in t.index for t in months)
        assert row["v_c"] == pytest.approx(
            max(t.loc[key, "v_c"] for t in months if key in t.index), rel=1e-6, abs=1e-9
        )
    # the whole demand is carried in every season, so the year's a-to-c total is the demand
    leaving_a = table.loc[[k for k in table.index if k[1] == "a"], "flow_t_per_year"].sum()
    assert leaving_a == pytest.approx(volume, rel=1e-9)
    assert sum(len(m) for m in year.seasons.months) == 12
    assert sum(year.seasons.weights) == pytest.approx(1.0)


def test_seasons_of_the_builtin_network() -> None:
    net = amur.load("northeast-asia")
    # ice road (12-3), pontoon (1-3), ferry (5-10); the bridge runs all year from 2022
    assert season_months(net, 2018) == [(1, 2, 3), (4, 11), (5, 6, 7, 8, 9, 10), (12,)]
    assert season_months(net, 2018, 7) == [(7,)]
    with pytest.raises(InputError, match="month 13"):
        season_months(net, 2018, 13)


def test_out_of_season_crossings_carry_nothing_and_the_bridge_carries_the_rest() -> None:
    net = amur.load("northeast-asia")
    flows = {}
    for name in ("2018", "2022"):
        applied = apply(net, load_scenario(name, net))
        result, _ = assign_demand(
            applied.network, "northeast-asia", applied.year, None, applied.modes
        )
        flows[name] = result.links.set_index("link")
    ferry_2018 = flows["2018"].loc["heihe-blagoveshchensk-river_ferry"]
    assert (ferry_2018["months"] == 6).all()
    bridge = flows["2022"].loc["heihe-blagoveshchensk-road"]
    assert (bridge["months"] == 12).all()
    # in April and November only the bridge crosses, so it carries more than its share of
    # the year than when it competes with the ice road and ferry all year at once
    crossing = flows["2022"][flows["2022"].index.str.startswith("heihe-blagoveshchensk")]
    assert bridge["flow_t_per_year"].sum() > 2 / 12 * crossing["flow_t_per_year"].sum()


def test_a_zone_cut_off_in_some_months_names_them() -> None:
    nodes = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "country": ["CN", "CN"],
            "lat": [45.0, 46.0],
            "lon": [126.0, 127.0],
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "id": ["ice"],
            "from_node": ["a"],
            "to_node": ["b"],
            "mode": ["ice_road"],
            "length_km": [4.0],
            "speed_kmh": [20.0],
            "cost_usd_per_teu_km": [1.0],
            "months": ["12-3"],
        }
    )
    net = Network.from_frames(nodes, links, name="ice")
    with pytest.raises(InputError, match="months 4, 5, 6, 7, 8, 9, 10, 11"):
        assign_seasons(build_season_graphs(net, ["a", "b"]), np.array([[0, 1.0], [0, 0]]))


def test_a_count_on_a_seasonal_crossing_is_matched_by_the_years_flow() -> None:
    from amur.demand.estimate import estimate_demand

    # the ferry (May-October) is the short way from a to c; the rest of the year the
    # freight goes around, so a year's ferry count of 1,000 t means 2,000 t of demand
    net = _river_network(["5-10"], [1e9])
    seasons = build_season_graphs(net, ["a", "c"])
    counts = pd.DataFrame(
        {
            "id": ["ferry"],
            "link": ["x0"],
            "from": [""],
            "to": [""],
            "direction": ["forward"],
            "value_t_per_year": [1000.0],
        }
    )
    est = estimate_demand(seasons, np.array([[0.0, 1.0], [0.0, 0.0]]), counts)
    assert est.demand[0, 1] == pytest.approx(2000.0, rel=1e-6)
    assert est.fit.table["modelled_t_per_year"].iloc[0] == pytest.approx(1000.0, rel=1e-6)
    # one graph of the whole year at once (the ferry as if it ran all year) would say 1,000
    one = estimate_demand(seasons.graphs[1], np.array([[0.0, 1.0], [0.0, 0.0]]), counts)
    assert one.demand[0, 1] == pytest.approx(1000.0, rel=1e-6)
