"""Market access: unchanged between identical scenarios; rises exactly for the regions that
gain a cheaper route when a link gets cheaper; theta and regions validated."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amur.errors import InputError
from amur.graph import expand
from amur.impact import market_access, market_access_change
from amur.impact.regions import validate_regions
from amur.network import Network


def regions_for(net: Network, gdp: list[float] | None = None):
    ids = net.nodes["id"].tolist()
    raw = pd.DataFrame({"region_id": [f"R{i}" for i in range(len(ids))], "name": ids,
                        "gdp_usd_bn": gdp or [float(10 + i) for i in range(len(ids))],
                        "node": ids})
    return validate_regions(raw, pd.DataFrame(columns=["id", "kind", "title"]), network=net)


def test_identical_scenarios_leave_market_access_unchanged(tiny: Network) -> None:
    change = market_access_change(tiny, tiny, regions_for(tiny))
    assert np.array_equal(change.a.market_access, change.b.market_access)
    assert np.all(change.change_pct == 0.0)


def test_market_access_by_hand_on_two_places() -> None:
    nodes = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "country": "CN",
                          "lat": [40.0, 41.0], "lon": [120.0, 121.0], "kind": "city"})
    links = pd.DataFrame({"from_node": ["a"], "to_node": ["b"], "mode": ["road"],
                          "length_km": [1000.0], "speed_kmh": [50.0],
                          "cost_usd_per_teu_km": [1.0]})
    net = Network.from_frames(nodes, links)
    ma = market_access(expand(net), regions_for(net, [100.0, 300.0]), theta=5.0)
    # 1000 USD freight + 20 h at 50,000 x 1 %/day = 1000 + 416.67 USD; tau = 1.0283333
    tau = 1.0 + (1000.0 + 50_000 * 0.01 * 20 / 24) / 50_000
    assert ma.tau[0, 1] == pytest.approx(tau)
    assert ma.market_access[0] == pytest.approx(100.0 + 300.0 * tau ** -5)
    assert ma.market_access[1] == pytest.approx(300.0 + 100.0 * tau ** -5)


@pytest.mark.parametrize("theta", [0.0, -1.0, float("nan")])
def test_theta_must_be_positive(tiny: Network, theta: float) -> None:
    with pytest.raises(InputError, match="theta"):
        market_access(expand(tiny), regions_for(tiny), theta=theta)


def test_a_region_without_gdp_is_refused(tiny: Network) -> None:
    raw = pd.DataFrame({"region_id": ["X", "Y"], "name": ["x", "y"], "gdp_usd_bn": ["5", ""],
                        "node": ["a", "b"]})
    with pytest.raises(InputError, match=r"row 2 \(region 'Y'\), column 'gdp_usd_bn'"):
        validate_regions(raw, pd.DataFrame(columns=["id", "kind", "title"]), network=tiny)


def test_a_region_on_an_unknown_node_is_refused(tiny: Network) -> None:
    raw = pd.DataFrame({"region_id": ["X"], "name": ["x"], "gdp_usd_bn": ["5"],
                        "node": ["atlantis"]})
    with pytest.raises(InputError, match="column 'node'"):
        validate_regions(raw, pd.DataFrame(columns=["id", "kind", "title"]), network=tiny)


def test_outputs_table_json_geojson_and_chart(tiny: Network, tmp_path) -> None:
    change = market_access_change(tiny, tiny, regions_for(tiny), labels=("A", "B"))
    payload = json.loads(json.dumps(change.to_dict()))
    assert set(payload["regions"][0]) >= {"region", "market_access_a", "market_access_b",
                                          "market_access_change_pct"}
    layer = change.geojson()
    assert layer["features"][0]["geometry"]["coordinates"] == [126.0, 45.0]
    assert change.chart(tmp_path / "ma.png").stat().st_size > 1000


def _grid(costs: list[int]) -> Network:
    """Places n0..n5 on a ring with two chords; road links with dyadic rates so that path
    costs are exact and any cheaper route is cheaper by at least 0.25 USD."""
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 3), (1, 4)]
    nodes = pd.DataFrame({"id": [f"n{i}" for i in range(6)], "name": [f"N{i}" for i in range(6)],
                          "country": "CN", "lat": [40.0 + i for i in range(6)],
                          "lon": [120.0] * 6, "kind": "city"})
    links = pd.DataFrame({
        "id": [f"l{k}" for k in range(len(edges))],
        "from_node": [f"n{u}" for u, _ in edges], "to_node": [f"n{v}" for _, v in edges],
        "mode": "road", "length_km": [100.0] * len(edges), "speed_kmh": 50.0,
        "cost_usd_per_teu_km": [c / 4.0 for c in costs],
    })
    return Network.from_frames(nodes, links, name="grid")


@settings(max_examples=60, deadline=None)
@given(costs=st.lists(st.integers(1, 40), min_size=8, max_size=8),
       link=st.integers(0, 7), cut=st.integers(1, 39),
       gdp=st.lists(st.floats(0.5, 5000.0), min_size=6, max_size=6))
def test_market_access_rises_exactly_where_a_cheaper_route_appears(
    costs: list[int], link: int, cut: int, gdp: list[float]
) -> None:
    before = _grid(costs)
    cheaper = list(costs)
    cheaper[link] = max(costs[link] - cut, 0)
    after = _grid(cheaper)
    regions = regions_for(before, gdp)
    # value of time 0: every link has the same time, so only money changes
    a = market_access(expand(before), regions, 5.0, time_value_pct_per_day=0.0)
    b = market_access(expand(after), regions, 5.0, time_value_pct_per_day=0.0)
    gains = (b.tau < a.tau).any(axis=1)
    assert not (b.tau > a.tau).any()
    assert np.array_equal(b.market_access > a.market_access, gains)
    assert np.array_equal(b.market_access == a.market_access, ~gains)
