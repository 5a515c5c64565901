"""Properties of the expanded graph on random networks.

A rail route may change gauge only through a gauge-change arc at a place with gauge-change
figures; a border arc follows exactly the links between countries and carries both sides'
border figures; links are in or out by year and month as ``Network.in_service`` says;
pipelines are left out by default; and expanding never modifies the network.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amur
from amur.errors import NoRouteError
from amur.graph import ArcKind, expand
from amur.network import Network

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONTH_FIELDS = [None, "all", "5-10", "12-3", "1,2,3", "11", "1-3,12"]
MONTHS_OF = {
    None: set(range(1, 13)),
    "all": set(range(1, 13)),
    "5-10": {5, 6, 7, 8, 9, 10},
    "12-3": {12, 1, 2, 3},
    "1,2,3": {1, 2, 3},
    "11": {11},
    "1-3,12": {1, 2, 3, 12},
}


def maybe(figure: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    return st.one_of(st.just(np.nan), figure)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    """Places in two or three countries, some with gauge-change, border and handling figures;
    rail links of 1435, 1520 or dual gauge, roads, and now and then a pipeline; seasonal and
    dated links."""
    n = draw(st.integers(2, 8))
    figure = st.floats(0.0, 50.0)
    nodes = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "name": [f"Place {i}" for i in range(n)],
            "country": draw(st.lists(st.sampled_from(["CN", "RU", "MN"]), min_size=n, max_size=n)),
            "lat": [40.0 + i for i in range(n)],
            "lon": [120.0 + i for i in range(n)],
            "kind": "city",
            "gauge_change_time_h": draw(st.lists(maybe(figure), min_size=n, max_size=n)),
            "gauge_change_cost_usd_per_teu": draw(st.lists(maybe(figure), min_size=n, max_size=n)),
            "border_time_h": draw(st.lists(maybe(figure), min_size=n, max_size=n)),
            "border_fee_usd_per_teu": draw(st.lists(maybe(figure), min_size=n, max_size=n)),
            "handling_time_h": draw(st.lists(maybe(figure), min_size=n, max_size=n)),
            "handling_cost_usd_per_teu": draw(st.lists(maybe(figure), min_size=n, max_size=n)),
        }
    )
    kind = st.sampled_from(["1435", "1520", "dual", "1435", "1520", "dual", "road", "pipeline"])
    specs = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                kind,
                st.booleans(),
                st.sampled_from(MONTH_FIELDS),
                st.sampled_from(["operating", "operating", "planned", "closed"]),
                st.one_of(st.none(), st.integers(1990, 2030)),
                st.one_of(st.none(), st.integers(0, 20)),
            ),
            min_size=1,
            max_size=14,
        )
    )
    rows = []
    for i, (a, b, what, both, months, status, opened, lasted) in enumerate(specs):
        if a == b:
            b = (a + 1) % n
        rail = what not in ("road", "pipeline")
        rows.append(
            {
                "id": f"l{i}",
                "from_node": f"p{a}",
                "to_node": f"p{b}",
                "mode": "rail" if rail else what,
                "gauge": what if rail else None,
                "length_km": 100.0 + i,
                "speed_kmh": 40.0,
                "cost_usd_per_teu_km": 0.3,
                "co2_kg_per_tkm": 0.01,
                "bidirectional": both,
                "months": months,
                "status": status,
                "opened": opened,
                "closed": None if opened is None or lasted is None else opened + lasted,
            }
        )
    net = Network.from_frames(nodes, pd.DataFrame(rows))
    # now and then an open border (a customs union), from some year on
    for pair in draw(st.sets(st.sampled_from(["CN-RU", "MN-RU", "CN-MN"]), max_size=2)):
        net.parameters[f"open_border:{pair}"] = float(draw(st.integers(1990, 2030)))
    return net


def _has_gauge_change(net: Network, node: int) -> bool:
    rec = net.nodes.iloc[node]
    return not (
        np.isnan(rec["gauge_change_time_h"]) and np.isnan(rec["gauge_change_cost_usd_per_teu"])
    )


@SETTINGS
@given(networks())
def test_gauge_changes_only_through_gauge_change_arcs(net: Network) -> None:
    g = expand(net)
    layer = np.array((*g.layers, "<border>"))[g.state_layer]  # -1 picks "<border>"
    for a in range(g.n_arcs):
        t, h, kind = layer[g.tail[a]], layer[g.head[a]], int(g.kind[a])
        if kind == ArcKind.LINK:
            mode = net.links["mode"].iat[g.link[a]]
            gauge = net.links["gauge"].iat[g.link[a]]
            expected = "road" if mode == "road" else f"rail:{gauge}"
            assert t == h or h == "<border>", f"link arc {a} joins layers {t} and {h}"
            assert t == expected or (gauge == "dual" and t in ("rail:1435", "rail:1520"))
        if t.startswith("rail:") and h.startswith("rail:") and t != h:
            assert kind == ArcKind.GAUGE_CHANGE
            node = int(g.state_node[g.tail[a]])
            assert node == g.state_node[g.head[a]] == g.node[a]
            assert _has_gauge_change(net, node), "gauge change at a place without figures"
        if kind == ArcKind.GAUGE_CHANGE:
            assert t.startswith("rail:") and h.startswith("rail:") and t != h


@SETTINGS
@given(networks(), st.data())
def test_routes_change_gauge_only_at_transfer_places(net: Network, data: st.DataObject) -> None:
    n = len(net.nodes)
    o, d = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    try:
        best = amur.route(net, f"p{o}", f"p{d}", by="time")[0]
    except NoRouteError:
        return
    ridden = None
    for leg in best.legs:
        if leg.kind == "gauge_change":
            assert _has_gauge_change(net, net.node_index[leg.from_node])
            before, after = leg.gauge.split(">")
            assert ridden is None or ridden == before
            ridden = after
        elif leg.kind == "link" and leg.mode == "rail":
            assert ridden is None or leg.gauge == ridden, (
                f"gauge changes from {ridden} to {leg.gauge} without a gauge-change leg"
            )
            ridden = leg.gauge
        elif leg.kind == "handling":
            ridden = None  # left the rail layer
    assert set(best.gauge_changes) == {
        leg.from_node for leg in best.legs if leg.kind == "gauge_change"
    }


@SETTINGS
@given(networks(), st.one_of(st.none(), st.integers(1985, 2035)))
def test_border_arcs_follow_exactly_the_links_between_countries(
    net: Network, year: int | None
) -> None:
    g = expand(net, year)
    open_ = {
        frozenset(name.split(":")[1].split("-"))
        for name, since in net.parameters.items()
        if name.startswith("open_border:") and (year is None or year >= since)
    }
    nodes, links = net.nodes, net.links
    country = nodes["country"].to_numpy()
    b_time = np.nan_to_num(nodes["border_time_h"].to_numpy(np.float64))
    b_fee = np.nan_to_num(nodes["border_fee_usd_per_teu"].to_numpy(np.float64))
    link_arcs = np.flatnonzero(g.kind == ArcKind.LINK)
    crossings = 0
    for a in link_arcs:
        row = int(g.link[a])
        start = net.node_index[links["from_node"].iat[row]]
        end = net.node_index[links["to_node"].iat[row]]
        if not g.forward[a]:
            start, end = end, start
        assert g.state_node[g.tail[a]] == start
        h = int(g.head[a])
        if country[start] == country[end] or {country[start], country[end]} in open_:
            assert g.state_layer[h] >= 0 and g.state_node[h] == end
            continue
        crossings += 1
        assert g.state_layer[h] == -1, "a link between countries must lead to a border state"
        out = np.arange(g.indptr[h], g.indptr[h + 1])
        assert len(out) == 1 and g.kind[out[0]] == ArcKind.BORDER
        b = int(out[0])
        assert g.state_node[g.head[b]] == end == g.node[b]
        assert g.state_layer[g.head[b]] == g.state_layer[g.tail[a]]
        assert g.time_h[b] == pytest.approx(b_time[start] + b_time[end])
        assert g.cost_usd[b] == pytest.approx(b_fee[start] + b_fee[end])
        assert g.length_km[b] == 0.0 and g.co2_kg[b] == 0.0
    assert int((g.kind == ArcKind.BORDER).sum()) == crossings
    # border states are entered only by link arcs
    border_states = np.flatnonzero(g.state_layer == -1)
    entering = np.isin(g.head, border_states)
    assert np.all(g.kind[entering] == ArcKind.LINK)


@SETTINGS
@given(
    networks(),
    st.one_of(st.none(), st.integers(1985, 2060)),
    st.one_of(st.none(), st.integers(1, 12)),
)
def test_links_in_or_out_by_year_and_month(
    net: Network, year: int | None, month: int | None
) -> None:
    links = net.links
    # the oracle: the rule as documented, computed row by row
    expected_service = []
    for rec in links.to_dict("records"):
        ok = rec["status"] == "operating"
        if year is not None:
            ok &= pd.isna(rec["opened"]) or rec["opened"] <= year
            ok &= pd.isna(rec["closed"]) or rec["closed"] > year
        if month is not None:
            ok &= month in MONTHS_OF[rec["months"] if isinstance(rec["months"], str) else None]
        expected_service.append(bool(ok))
    service = net.in_service(year, month)
    assert service.tolist() == expected_service
    g = expand(net, year=year, month=month)
    used = set(g.link[g.kind == ArcKind.LINK].tolist())
    expected = {
        i for i in range(len(links)) if expected_service[i] and links["mode"].iat[i] != "pipeline"
    }
    assert used == expected
    # every link runs forward, and backward exactly when bidirectional
    for i in expected:
        arcs = np.flatnonzero((g.link == i) & (g.kind == ArcKind.LINK))
        copies = 2 if links["gauge"].iat[i] == "dual" else 1
        assert int(g.forward[arcs].sum()) == copies
        assert int((~g.forward[arcs]).sum()) == (copies if links["bidirectional"].iat[i] else 0)


@SETTINGS
@given(networks())
def test_pipelines_only_when_asked_for(net: Network) -> None:
    pipelines = set(
        np.flatnonzero((net.links["mode"] == "pipeline").to_numpy() & net.in_service()).tolist()
    )
    default = expand(net)
    assert not pipelines & set(default.link.tolist())
    assert "pipeline" not in default.layers
    every = expand(net, modes=frozenset({"rail", "road", "pipeline"}))
    assert pipelines <= set(every.link.tolist())
    if pipelines:
        assert "pipeline" in every.layers


@SETTINGS
@given(networks(), st.one_of(st.none(), st.integers(1, 12)))
def test_expand_does_not_modify_the_network(net: Network, month: int | None) -> None:
    before = {t: copy.deepcopy(getattr(net, t)) for t in ("nodes", "links", "sources")}
    params = dict(net.parameters)
    g = expand(net, year=2020, month=month)
    g.weights("generalized")
    for table, frame in before.items():
        pd.testing.assert_frame_equal(getattr(net, table), frame)
    assert net.parameters == params
    assert not g.head.flags.writeable and not g.time_h.flags.writeable


def test_csr_structure_of_the_tiny_network(tiny: Network) -> None:
    g = expand(tiny)
    assert g.indptr[0] == 0 and g.indptr[-1] == g.n_arcs
    assert np.all(np.diff(g.tail) >= 0)
    for s in range(g.n_states):
        assert np.all(g.tail[g.indptr[s] : g.indptr[s + 1]] == s)
    for v in range(len(tiny.nodes)):
        assert np.all(g.state_node[g.states_of(v)] == v)
        assert np.all(g.state_layer[g.states_of(v)] >= 0)
    # b and c carry both rail gauges (dual track b-c) and have gauge-change figures
    b = tiny.node_index["b"]
    gauge_arcs = np.flatnonzero(g.kind == ArcKind.GAUGE_CHANGE)
    assert set(g.node[gauge_arcs].tolist()) == {b, tiny.node_index["c"]}
    assert np.all(g.time_h[gauge_arcs] == 24.0) and np.all(g.cost_usd[gauge_arcs] == 150.0)
    # a (1435 rail only, no figures) has no transfer arcs at all
    a = tiny.node_index["a"]
    assert not np.any((g.node == a) & (g.kind != ArcKind.LINK))
