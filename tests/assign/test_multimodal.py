"""Assignment on a physical multimodal network: conservation, full loading, decoding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amur.assign.multimodal import assign_network, build_network_graph, decode_link_flows
from amur.assign.options import AssignmentOptions
from amur.assign.services import carries_link
from amur.data import load
from amur.demand.builtin import builtin_demand, builtin_setting
from amur.graph.expand import expand
from amur.network import Network
from two_places import two_places


def _conserved(ng, flow, demand):  # type: ignore[no-untyped-def]
    g = ng.graph
    net = np.bincount(g.term, weights=flow, minlength=g.n_nodes) - np.bincount(
        g.init, weights=flow, minlength=g.n_nodes
    )
    z = ng.n_zones
    np.testing.assert_allclose(net[z:], 0.0, atol=1e-6 * max(demand.sum(), 1.0))
    np.testing.assert_allclose(
        net[:z], demand.sum(axis=0) - demand.sum(axis=1), atol=1e-6 * max(demand.sum(), 1.0)
    )


def test_builtin_conservation_full_loading_and_decoding() -> None:
    net = load("northeast-asia")
    od = builtin_demand()
    ng = builtin_setting(net, "northeast-asia", 2018, 7, None, zones=list(od.zones)).seasons.graphs[
        0
    ]
    matrix = od.combined()
    result = assign_network(ng, matrix, AssignmentOptions("b", 1e-5))
    flow = result.result.flow
    _conserved(ng, flow, matrix)
    # full loading: flow out of the origin connectors equals the demand
    assert flow[ng.expanded.n_arcs :].sum() == pytest.approx(2 * matrix.sum(), rel=1e-9)
    links = result.links
    link_arcs = carries_link(ng.expanded)  # link arcs and the services' ride arcs
    assert links["flow_t_per_year"].sum() == pytest.approx(
        flow[: ng.expanded.n_arcs][link_arcs].sum(), rel=1e-12
    )
    physical = result.physical_flows()
    assert physical["flow_t_per_year"].sum() == pytest.approx(
        links["flow_t_per_year"].sum(), rel=1e-12
    )


def test_decoding_sums_layers_and_directions() -> None:
    net = two_places(
        {
            "id": ["ab"],
            "from_node": ["a"],
            "to_node": ["b"],
            "mode": ["rail"],
            "gauge": ["dual"],
            "length_km": [100.0],
            "speed_kmh": [50.0],
            "cost_usd_per_teu_km": [1.0],
            "capacity_t_per_year": [400.0],
        },
        name="tiny",
    )
    ng = build_network_graph(expand(net), ["a", "b"])
    flow = np.arange(ng.graph.n_links, dtype=float) + 1.0
    table = decode_link_flows(ng, flow, np.ones(ng.graph.n_links))
    g = ng.expanded
    for forward, (a, b) in ((True, ("a", "b")), (False, ("b", "a"))):
        expected = flow[: g.n_arcs][(g.kind == 0) & (g.forward == forward)].sum()
        row = table[(table["from"] == a) & (table["to"] == b)].iloc[0]
        assert row["flow_t_per_year"] == pytest.approx(expected)
        assert row["capacity_t_per_year"] == pytest.approx(200.0)  # half of two-way


@settings(max_examples=15, deadline=None)
@given(st.integers(3, 7), st.integers(0, 10_000), st.sampled_from(["b", "bfw"]))
def test_random_multimodal_networks_conserve_flow(n: int, seed: int, algorithm: str) -> None:
    rng = np.random.default_rng(seed)
    ids = [f"p{k}" for k in range(n)]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "country": rng.choice(["CN", "RU"], n),
            "lat": rng.uniform(40, 50, n),
            "lon": rng.uniform(120, 130, n),
            "kind": "city",
            "handling_time_h": 5.0,
            "handling_cost_usd_per_teu": 50.0,
            "border_time_h": 10.0,
        }
    )
    rows = []
    for k in range(n):  # a ring of rail and road so that every pair is connected
        j = (k + 1) % n
        for mode in ("rail", "road"):
            rows.append(
                {
                    "id": f"{mode}{k}",
                    "from_node": ids[k],
                    "to_node": ids[j],
                    "mode": mode,
                    "gauge": "1435" if mode == "rail" else "",
                    "length_km": float(rng.uniform(50, 500)),
                    "speed_kmh": 40.0,
                    "cost_usd_per_teu_km": float(rng.uniform(0.2, 2.0)),
                    "capacity_t_per_year": float(rng.uniform(1e3, 1e5)),
                }
            )
    net = Network.from_frames(nodes, pd.DataFrame(rows), name="random")
    zones = ids[: max(2, n - 1)]
    ng = build_network_graph(expand(net), zones)
    demand = rng.uniform(0, 1e4, (len(zones), len(zones)))
    np.fill_diagonal(demand, 0.0)
    result = assign_network(ng, demand, AssignmentOptions(algorithm, 1e-4))
    _conserved(ng, result.result.flow, demand)
    assert result.result.flow[ng.expanded.n_arcs :].sum() == pytest.approx(2 * demand.sum())
