"""Regimes in the expanded graph: the most specific row by place, mode and direction, the
node's columns where none applies, ranges low <= typical <= high on every arc and route, and
no border between members of a customs union."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amur
from amur.errors import NoRouteError
from amur.graph import ArcKind, expand
from amur.network import Network
from amur.network.regimes import CustomsUnion

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def two_country_network(
    regimes: list[dict[str, object]] | None = None, unions: tuple[CustomsUnion, ...] = ()
) -> Network:
    """a (CN, 1435) - b (CN, dual) = c (RU, dual) - d (RU, 1520) by rail; b - c also by road;
    node border figures 7 h at b and 11 h at c as the fallback; gauge change at c."""
    nodes = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["A", "B", "C", "D"],
            "country": ["CN", "CN", "RU", "RU"],
            "lat": [45.0, 45.0, 45.0, 45.0],
            "lon": [120.0, 121.0, 121.1, 122.0],
            "kind": "city",
            "border_time_h": [np.nan, 7.0, 11.0, np.nan],
            "border_fee_usd_per_teu": [np.nan, 70.0, 110.0, np.nan],
            "gauge_change_time_h": [np.nan, np.nan, 30.0, np.nan],
            "gauge_change_cost_usd_per_teu": [np.nan, np.nan, 300.0, np.nan],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["ab", "bc", "bc-road", "cd"],
            "from_node": ["a", "b", "b", "c"],
            "to_node": ["b", "c", "c", "d"],
            "mode": ["rail", "rail", "road", "rail"],
            "gauge": ["1435", "dual", None, "1520"],
            "length_km": [100.0, 10.0, 12.0, 100.0],
            "speed_kmh": [50.0, 50.0, 40.0, 50.0],
        }
    )
    sources = pd.DataFrame({"id": ["user"], "kind": ["user"], "title": ["tests"]})
    frame = pd.DataFrame(regimes) if regimes else None
    return Network.from_frames(nodes, links, sources, regimes=frame, unions=unions)


def regime(
    place: str,
    kind: str,
    mode: str,
    direction: str,
    low: float,
    typical: float,
    high: float,
    fee: float = 0.0,
) -> dict[str, object]:
    return {
        "place": place,
        "kind": kind,
        "mode": mode,
        "direction": direction,
        "time_h_low": low,
        "time_h": typical,
        "time_h_high": high,
        "fee_usd_per_teu": fee,
        "source_id": "user",
    }


def border_arcs(net: Network) -> dict[tuple[str, str, str], tuple[float, float, float, float]]:
    """(from, to, link mode) -> (low, typical, high, fee) of every border arc."""
    g = expand(net)
    ids = net.nodes["id"].to_numpy()
    modes = net.links["mode"].to_numpy()
    out = {}
    for a in np.flatnonzero(g.kind == ArcKind.BORDER):
        into = np.flatnonzero(g.head == g.tail[a])  # the link arc that leads to it
        (link_arc,) = into
        key = (
            str(ids[g.state_node[g.tail[link_arc]]]),
            str(ids[g.node[a]]),
            str(modes[g.link[link_arc]]),
        )
        out[key] = (
            float(g.time_h_low[a]),
            float(g.time_h[a]),
            float(g.time_h_high[a]),
            float(g.cost_usd[a]),
        )
    return out


def test_without_regimes_the_node_columns_apply() -> None:
    arcs = border_arcs(two_country_network())
    assert arcs[("b", "c", "rail")] == (18.0, 18.0, 18.0, 180.0)
    assert arcs[("c", "b", "road")] == (18.0, 18.0, 18.0, 180.0)


def test_border_regimes_follow_mode_and_direction() -> None:
    net = two_country_network(
        [
            regime("b", "border", "rail", "CN>RU", 1, 2, 4, 10),  # exact mode and direction
            regime("b", "border", "any", "CN>RU", 20, 30, 40, 20),  # any mode: the road
            regime("b", "border", "rail", "both", 3, 5, 9, 30),  # rail the other way
            regime("c", "border", "any", "both", 0, 1, 2, 40),  # every way at c
        ]
    )
    arcs = border_arcs(net)
    assert arcs[("b", "c", "rail")] == (1.0, 3.0, 6.0, 50.0)  # b rail CN>RU + c any
    assert arcs[("b", "c", "road")] == (20.0, 31.0, 42.0, 60.0)  # b any CN>RU + c any
    assert arcs[("c", "b", "rail")] == (3.0, 6.0, 11.0, 70.0)  # b rail both + c any
    assert arcs[("c", "b", "road")] == (7.0, 8.0, 9.0, 110.0)  # b: node (7 h) + c any


def test_gauge_change_regimes_follow_the_gauge_direction() -> None:
    net = two_country_network([regime("c", "gauge_change", "rail", "1435>1520", 2, 3, 9, 5)])
    g = expand(net)
    layers = np.array(g.layers)
    found = {}
    for a in np.flatnonzero(g.kind == ArcKind.GAUGE_CHANGE):
        found[f"{layers[g.state_layer[g.tail[a]]]}>{layers[g.state_layer[g.head[a]]]}"] = (
            float(g.time_h_low[a]),
            float(g.time_h[a]),
            float(g.time_h_high[a]),
            float(g.cost_usd[a]),
        )
    assert found["rail:1435>rail:1520"] == (2.0, 3.0, 9.0, 5.0)
    assert found["rail:1520>rail:1435"] == (30.0, 30.0, 30.0, 300.0)  # node fallback


def test_route_ranges_sum_the_legs_and_name_the_regime_source() -> None:
    net = two_country_network(
        [
            regime("b", "border", "rail", "CN>RU", 1, 2, 4, 10),
            regime("c", "gauge_change", "rail", "1435>1520", 2, 3, 9, 5),
        ]
    )
    best = amur.route(net, "a", "d", by="time", modes=frozenset({"rail"}))[0]
    assert best.time_h_low == pytest.approx(sum(leg.time_h_low for leg in best.legs))
    assert best.time_h_high == pytest.approx(sum(leg.time_h_high for leg in best.legs))
    border = next(leg for leg in best.legs if leg.kind == "border")
    assert (border.time_h_low, border.time_h, border.time_h_high) == (1.0 + 11, 2.0 + 11, 4.0 + 11)
    payload = best.to_dict()
    assert payload["time_h_low"] <= payload["time_h"] <= payload["time_h_high"]
    assert payload["time_h_high"] - payload["time_h_low"] == pytest.approx(3.0 + 7.0)


def test_a_customs_union_has_no_border_between_members_from_its_year() -> None:
    union = CustomsUnion("EAEU", 2011, (("RU", 2011), ("CN", 2020)))
    net = two_country_network(unions=(union,))
    # two rail gauges and a road, both ways; CN joins in 2020
    assert (expand(net, year=2019).kind == ArcKind.BORDER).sum() == 6
    assert not (expand(net, year=2020).kind == ArcKind.BORDER).any()
    assert not (expand(net).kind == ArcKind.BORDER).any()  # no year: every member counts
    assert len(border_arcs(two_country_network())) == 4


@st.composite
def regime_networks(draw: st.DrawFn) -> Network:
    """Chains of places in three countries by rail (dual or not) and road, with random
    regimes (ranges drawn low <= typical <= high) and random node figures."""
    n = draw(st.integers(2, 7))
    countries = draw(st.lists(st.sampled_from(["CN", "RU", "MN"]), min_size=n, max_size=n))
    hours = st.floats(0.0, 40.0)
    maybe = st.one_of(st.just(np.nan), hours)
    nodes = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "name": [f"P{i}" for i in range(n)],
            "country": countries,
            "lat": [40.0] * n,
            "lon": [100.0 + i for i in range(n)],
            "kind": "city",
            "border_time_h": draw(st.lists(maybe, min_size=n, max_size=n)),
            "gauge_change_time_h": draw(st.lists(maybe, min_size=n, max_size=n)),
            "handling_time_h": draw(st.lists(maybe, min_size=n, max_size=n)),
        }
    )
    rows = []
    for i in range(n - 1):
        what = draw(st.sampled_from(["1435", "1520", "dual", "road"]))
        rows.append(
            {
                "id": f"l{i}",
                "from_node": f"p{i}",
                "to_node": f"p{i + 1}",
                "mode": "road" if what == "road" else "rail",
                "gauge": None if what == "road" else what,
                "length_km": 50.0,
                "speed_kmh": 50.0,
            }
        )
    regimes = {}
    for _ in range(draw(st.integers(0, 8))):
        place = f"p{draw(st.integers(0, n - 1))}"
        kind = draw(st.sampled_from(["border", "gauge_change", "port"]))
        if kind == "border":
            a, b = draw(
                st.lists(st.sampled_from(["CN", "RU", "MN"]), min_size=2, max_size=2, unique=True)
            )
            direction = draw(st.sampled_from([f"{a}>{b}", "both"]))
            mode = draw(st.sampled_from(["rail", "road", "any"]))
        elif kind == "gauge_change":
            direction = draw(st.sampled_from(["1435>1520", "1520>1435", "both"]))
            mode = "rail"
        else:
            direction = draw(st.sampled_from(["road>rail", "rail>road", "both"]))
            mode = draw(st.sampled_from(["rail", "road", "any"]))
        low, typical, high = sorted(draw(st.lists(hours, min_size=3, max_size=3)))
        regimes[(place, kind, mode, direction)] = regime(
            place, kind, mode, direction, low, typical, high, 1.0
        )
    sources = pd.DataFrame({"id": ["user"], "kind": ["user"], "title": ["tests"]})
    frame = pd.DataFrame(list(regimes.values())) if regimes else None
    return Network.from_frames(nodes, pd.DataFrame(rows), sources, regimes=frame)


@SETTINGS
@given(regime_networks(), st.data())
def test_time_ranges_hold_on_every_arc_and_route(net: Network, data: st.DataObject) -> None:
    g = expand(net)
    assert (g.time_h_low <= g.time_h + 1e-12).all()
    assert (g.time_h <= g.time_h_high + 1e-12).all()
    links = g.kind == ArcKind.LINK
    assert (g.time_h_low[links] == g.time_h[links]).all()
    assert (g.time_h_high[links] == g.time_h[links]).all()
    n = len(net.nodes)
    o, d = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    try:
        best = amur.route(net, f"p{o}", f"p{d}", by="time")[0]
    except NoRouteError:
        return
    assert best.time_h_low <= best.time_h + 1e-9 <= best.time_h_high + 2e-9
    assert best.time_h_low == pytest.approx(sum(leg.time_h_low for leg in best.legs))
    assert best.time_h == pytest.approx(sum(leg.time_h for leg in best.legs))
    for leg in best.legs:
        assert leg.time_h_low <= leg.time_h + 1e-9 and leg.time_h <= leg.time_h_high + 1e-9
        if leg.kind == "link":
            assert leg.time_h_low == leg.time_h == leg.time_h_high


def test_warsaw_to_hamburg_has_no_border_and_harbin_hamburg_none_inside_the_eu() -> None:
    net = amur.load("northeast-asia")
    warsaw = amur.route(net, "Warsaw", "Hamburg")[0]
    assert [leg for leg in warsaw.legs if leg.kind == "border"] == []
    country = dict(zip(net.nodes["id"], net.nodes["country"], strict=True))
    eu = next(u for u in net.unions if u.name == "EU").members_in(None)
    # on the links alone (today's route rides a block train, whose borders are inside it)
    import dataclasses

    from amur.network.services import empty_services

    links_only = dataclasses.replace(net, services=empty_services(), name="links-only")
    harbin = amur.route(links_only, "Harbin", "Hamburg", by="time")[0]
    borders = [leg for leg in harbin.legs if leg.kind == "border"]
    assert borders, "the route crosses borders"
    for leg in borders:
        assert not {country[leg.from_node], country[leg.to_node]} <= eu
    # EU import clearance once: at the external border, Belarus to Poland
    assert [(country[b.from_node], country[b.to_node]) for b in borders][-1] == ("BY", "PL")
