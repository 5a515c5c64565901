"""Market access: firm, consumer and combined forms by hand; unchanged between identical
scenarios; rises exactly for the regions that gain a cheaper route (out of them for firm
access, into them for consumer access, either for the combined form) when a link gets cheaper;
the land-rent estimate; theta, form and regions validated."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amur.errors import InputError
from amur.graph import expand
from amur.impact import (
    CONSUMER_WEIGHT_BETA,
    LAND_SHARE_ALPHA,
    MARKET_ACCESS_KINDS,
    market_access,
    market_access_change,
)
from amur.impact.regions import validate_regions
from amur.network import Network


def regions_for(net: Network, gdp: list[float] | None = None):
    ids = net.nodes["id"].tolist()
    raw = pd.DataFrame(
        {
            "region_id": [f"R{i}" for i in range(len(ids))],
            "name": ids,
            "gdp_usd_bn": gdp or [float(10 + i) for i in range(len(ids))],
            "node": ids,
        }
    )
    return validate_regions(raw, pd.DataFrame(columns=["id", "kind", "title"]), network=net)


@pytest.mark.parametrize("kind", MARKET_ACCESS_KINDS)
def test_identical_scenarios_leave_market_access_unchanged(tiny: Network, kind: str) -> None:
    change = market_access_change(tiny, tiny, regions_for(tiny), kind=kind)
    assert np.array_equal(change.a.market_access, change.b.market_access)
    assert np.all(change.change_pct == 0.0)
    assert np.all(change.land_rent_change_usd_mn == 0.0)


def _one_way_pair(rate_ab: float, rate_ba: float | None) -> Network:
    """Places a and b, 1000 km apart at 50 km/h, joined by one-way roads: a to b at
    ``rate_ab`` USD per TEU-km and b to a at ``rate_ba`` (no road back when None)."""
    nodes = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "country": "CN",
            "lat": [40.0, 41.0],
            "lon": [120.0, 121.0],
            "kind": "city",
        }
    )
    rows = [("ab", "a", "b", rate_ab)] + ([("ba", "b", "a", rate_ba)] if rate_ba else [])
    links = pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "from_node": [r[1] for r in rows],
            "to_node": [r[2] for r in rows],
            "mode": "road",
            "length_km": 1000.0,
            "speed_kmh": 50.0,
            "cost_usd_per_teu_km": [r[3] for r in rows],
            "bidirectional": False,
        }
    )
    return Network.from_frames(nodes, links)


def test_firm_consumer_and_combined_access_by_hand() -> None:
    net = _one_way_pair(1.0, 2.0)
    regions = regions_for(net, [100.0, 300.0])
    time_cost = 50_000 * 0.01 * 20 / 24  # 20 h at 1 %/day of 50,000 USD = 416.67 USD
    tau_ab = 1.0 + (1000.0 + time_cost) / 50_000  # 1.028333
    tau_ba = 1.0 + (2000.0 + time_cost) / 50_000  # 1.048333
    firm = market_access(expand(net), regions, 5.0, kind="firm").market_access
    consumer = market_access(expand(net), regions, 5.0, kind="consumer").market_access
    combined = market_access(expand(net), regions, 5.0, kind="combined").market_access
    # firm access of a: its market b reached at a's cost out, tau_ab
    assert firm == pytest.approx([100.0 + 300.0 * tau_ab**-5, 300.0 + 100.0 * tau_ba**-5])
    # consumer access of a: its supplier b ships in at tau_ba
    assert consumer == pytest.approx([100.0 + 300.0 * tau_ba**-5, 300.0 + 100.0 * tau_ab**-5])
    assert CONSUMER_WEIGHT_BETA == 0.65
    assert combined == pytest.approx(firm**0.35 * consumer**0.65)
    assert firm[0] > combined[0] > consumer[0]


def test_default_form_is_firm_access(tiny: Network) -> None:
    net = _one_way_pair(1.0, 2.0)
    regions = regions_for(net, [100.0, 300.0])
    default = market_access(expand(net), regions, 5.0)
    assert default.kind == "firm"
    assert np.array_equal(
        default.market_access, market_access(expand(net), regions, 5.0, kind="firm").market_access
    )


def test_unknown_form_is_refused(tiny: Network) -> None:
    with pytest.raises(InputError, match="unknown market access form 'household'"):
        market_access(expand(tiny), regions_for(tiny), kind="household")


def test_land_rent_change_by_hand_and_labelled_an_estimate() -> None:
    before, after = _one_way_pair(1.0, 2.0), _one_way_pair(0.5, 2.0)
    change = market_access_change(
        before, after, regions_for(before, [100.0, 300.0]), kind="combined"
    )
    time_cost = 50_000 * 0.01 * 20 / 24
    tau_ba = 1.0 + (2000.0 + time_cost) / 50_000
    fma = [100.0 + 300.0 * (1.0 + (c + time_cost) / 50_000) ** -5 for c in (1000.0, 500.0)]
    cma = [100.0 + 300.0 * tau_ba**-5] * 2  # a's suppliers: nothing changed
    d_ln_ma = 0.35 * (np.log(fma[1]) - np.log(fma[0])) + 0.65 * (np.log(cma[1]) - np.log(cma[0]))
    # alpha x Y_a x change of ln MA_a; Y in billion USD, rents in USD million
    assert LAND_SHARE_ALPHA == 0.05
    assert change.land_rent_change_usd_mn[0] == pytest.approx(0.05 * 100.0 * 1000.0 * d_ln_ma)
    assert change.land_rent_change_usd_mn[0] > 0
    payload = change.to_dict()
    assert payload["kind"] == "combined"
    assert payload["welfare"]["alpha"] == 0.05
    assert payload["welfare"]["status"].startswith("ESTIMATE")
    assert payload["regions"][0]["land_rent_change_usd_mn"] == pytest.approx(
        change.land_rent_change_usd_mn[0], abs=1e-6
    )


def test_undefined_trade_change_is_null_in_json() -> None:
    # b has no road out: it exports nothing in either scenario, so its change is undefined
    change = market_access_change(
        _one_way_pair(1.0, None),
        _one_way_pair(0.5, None),
        regions_for(_one_way_pair(1.0, None), [100.0, 300.0]),
    )
    payload = json.loads(json.dumps(change.to_dict(), allow_nan=False))
    assert payload["regions"][1]["trade_change_pct"] is None
    assert payload["regions"][0]["trade_change_pct"] > 0


def test_market_access_by_hand_on_two_places() -> None:
    nodes = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "country": "CN",
            "lat": [40.0, 41.0],
            "lon": [120.0, 121.0],
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "from_node": ["a"],
            "to_node": ["b"],
            "mode": ["road"],
            "length_km": [1000.0],
            "speed_kmh": [50.0],
            "cost_usd_per_teu_km": [1.0],
        }
    )
    net = Network.from_frames(nodes, links)
    ma = market_access(expand(net), regions_for(net, [100.0, 300.0]), theta=5.0)
    # 1000 USD freight + 20 h at 50,000 x 1 %/day = 1000 + 416.67 USD; tau = 1.0283333
    tau = 1.0 + (1000.0 + 50_000 * 0.01 * 20 / 24) / 50_000
    assert ma.tau[0, 1] == pytest.approx(tau)
    assert ma.market_access[0] == pytest.approx(100.0 + 300.0 * tau**-5)
    assert ma.market_access[1] == pytest.approx(300.0 + 100.0 * tau**-5)


@pytest.mark.parametrize("theta", [0.0, -1.0, float("nan")])
def test_theta_must_be_positive(tiny: Network, theta: float) -> None:
    with pytest.raises(InputError, match="theta"):
        market_access(expand(tiny), regions_for(tiny), theta=theta)


def test_a_region_without_gdp_is_refused(tiny: Network) -> None:
    raw = pd.DataFrame(
        {"region_id": ["X", "Y"], "name": ["x", "y"], "gdp_usd_bn": ["5", ""], "node": ["a", "b"]}
    )
    with pytest.raises(InputError, match=r"row 2 \(region 'Y'\), column 'gdp_usd_bn'"):
        validate_regions(raw, pd.DataFrame(columns=["id", "kind", "title"]), network=tiny)


def test_a_region_on_an_unknown_node_is_refused(tiny: Network) -> None:
    raw = pd.DataFrame(
        {"region_id": ["X"], "name": ["x"], "gdp_usd_bn": ["5"], "node": ["atlantis"]}
    )
    with pytest.raises(InputError, match="column 'node'"):
        validate_regions(raw, pd.DataFrame(columns=["id", "kind", "title"]), network=tiny)


def test_outputs_table_json_geojson_and_chart(tiny: Network, tmp_path) -> None:
    change = market_access_change(tiny, tiny, regions_for(tiny), labels=("A", "B"))
    payload = json.loads(json.dumps(change.to_dict()))
    assert set(payload["regions"][0]) >= {
        "region",
        "market_access_a",
        "market_access_b",
        "market_access_change_pct",
    }
    layer = change.geojson()
    assert layer["features"][0]["geometry"]["coordinates"] == [126.0, 45.0]
    assert change.chart(tmp_path / "ma.png").stat().st_size > 1000


def _grid(costs: list[int], two_way: list[bool] | None = None) -> Network:
    """Places n0..n5 on a ring with two chords; road links with dyadic rates so that path
    costs are exact and any cheaper route is cheaper by at least 0.25 USD. Links with
    ``two_way`` False run one way only, so costs from i to j and from j to i differ."""
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 3), (1, 4)]
    nodes = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(6)],
            "name": [f"N{i}" for i in range(6)],
            "country": "CN",
            "lat": [40.0 + i for i in range(6)],
            "lon": [120.0] * 6,
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "id": [f"l{k}" for k in range(len(edges))],
            "from_node": [f"n{u}" for u, _ in edges],
            "to_node": [f"n{v}" for _, v in edges],
            "mode": "road",
            "length_km": [100.0] * len(edges),
            "speed_kmh": 50.0,
            "cost_usd_per_teu_km": [c / 4.0 for c in costs],
            "bidirectional": two_way if two_way is not None else [True] * len(edges),
        }
    )
    return Network.from_frames(nodes, links, name="grid")


@settings(max_examples=60, deadline=None)
@given(
    costs=st.lists(st.integers(1, 40), min_size=8, max_size=8),
    link=st.integers(0, 7),
    cut=st.integers(1, 39),
    gdp=st.lists(st.floats(0.5, 5000.0), min_size=6, max_size=6),
    two_way=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_market_access_rises_exactly_where_a_cheaper_route_appears(
    costs: list[int], link: int, cut: int, gdp: list[float], two_way: list[bool]
) -> None:
    before = _grid(costs, two_way)
    cheaper = list(costs)
    cheaper[link] = max(costs[link] - cut, 0)
    after = _grid(cheaper, two_way)
    regions = regions_for(before, gdp)
    # value of time 0: every link has the same time, so only money changes
    g_before, g_after = expand(before), expand(after)
    a = {
        k: market_access(g_before, regions, 5.0, time_value_pct_per_day=0.0, kind=k)
        for k in MARKET_ACCESS_KINDS
    }
    b = {
        k: market_access(g_after, regions, 5.0, time_value_pct_per_day=0.0, kind=k)
        for k in MARKET_ACCESS_KINDS
    }
    cheaper_route = b["firm"].tau < a["firm"].tau  # [i, j]: from i to j got cheaper
    assert not (b["firm"].tau > a["firm"].tau).any()
    gains = {
        "firm": cheaper_route.any(axis=1),  # a cheaper route out to some market
        "consumer": cheaper_route.any(axis=0),  # a cheaper route in from some supplier
        "combined": cheaper_route.any(axis=1) | cheaper_route.any(axis=0),
    }
    for kind in MARKET_ACCESS_KINDS:
        rises = b[kind].market_access > a[kind].market_access
        assert np.array_equal(rises, gains[kind]), kind
        assert np.array_equal(b[kind].market_access == a[kind].market_access, ~gains[kind]), kind
