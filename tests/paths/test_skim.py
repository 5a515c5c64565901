"""Skims against single routes (amur.route) and against networkx on random networks."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amur
from amur.errors import InputError, UnknownPlaceError
from amur.graph import expand
from amur.network import Network
from amur.paths.skim import skim

PLACES = ["a", "b", "c", "d", "e", "f"]


@pytest.mark.parametrize("by", ["cost", "time", "co2", "length", "generalized"])
def test_skim_matches_route_on_every_pair(tiny: Network, by: str) -> None:
    g = expand(tiny)
    s = skim(g, PLACES, by=by)
    field = {
        "cost": "cost_usd_per_teu",
        "time": "time_h",
        "co2": "co2_kg_per_teu",
        "length": "length_km",
        "generalized": "generalized_usd_per_teu",
    }[by]
    for (i, o), (j, d) in itertools.product(enumerate(PLACES), enumerate(PLACES)):
        if o == d:
            assert s.cost_usd_per_teu[i, j] == 0.0
            continue
        best = amur.route(tiny, o, d, by=by, graph=g)[0]
        route_value = {
            "cost_usd_per_teu": best.cost_usd_per_teu,
            "time_h": best.time_h,
            "co2_kg_per_teu": best.co2_kg_per_teu,
            "length_km": best.length_km,
        }
        usd_per_h = 50_000.0 * 0.01 / 24.0
        route_value["generalized_usd_per_teu"] = best.cost_usd_per_teu + usd_per_h * best.time_h
        assert getattr(s, field)[i, j] == pytest.approx(route_value[field], rel=1e-12)
        # On this network no two paths tie, so every other criterion matches too.
        for name, value in route_value.items():
            assert getattr(s, name)[i, j] == pytest.approx(value, rel=1e-12), (o, d, name)


def test_skim_of_the_gauge_break_route_adds_transfer_and_border(tiny: Network) -> None:
    s = skim(expand(tiny), ["a"], ["d"], by="time")
    # rail a-b 550 km + b-c 26 km + c-d 210 km at 40 and 20 km/h, a 24 h gauge change
    # at b, and 6 h of border dwell at each side of b-c.
    assert s.time_h[0, 0] == pytest.approx(550 / 40 + 26 / 20 + 210 / 40 + 24 + 12)
    assert s.cost_usd_per_teu[0, 0] == pytest.approx(
        550 * 0.23 + 26 * 0.47 + 210 * 0.23 + 150 + 200
    )
    assert s.length_km[0, 0] == pytest.approx(786.0)


def test_unreachable_pairs_are_infinite(tiny: Network) -> None:
    # In 1900 only the sea links (no opening year) run: a has no link at all.
    s = skim(expand(tiny, year=1900), ["a", "d"], ["e"], by="cost")
    assert np.isinf(s.cost_usd_per_teu[0, 0])
    assert np.isinf(s.time_h[0, 0])
    assert np.isfinite(s.cost_usd_per_teu[1, 0])


def test_skim_rejects_bad_arguments(tiny: Network) -> None:
    g = expand(tiny)
    with pytest.raises(InputError, match="criterion"):
        skim(g, ["a"], by="price")
    with pytest.raises(UnknownPlaceError):
        skim(g, ["Atlantis"])
    with pytest.raises(InputError, match="value_usd_per_teu"):
        skim(g, ["a"], value_usd_per_teu=0.0)


@st.composite
def road_networks(draw: st.DrawFn) -> tuple[Network, list[tuple[int, int, float, float]]]:
    n = draw(st.integers(2, 8))
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.integers(1, 500),
                st.sampled_from([20.0, 40.0, 60.0, 80.0]),
            ),
            min_size=1,
            max_size=20,
        )
    )
    edges = [(u, v, float(km), kmh) for u, v, km, kmh in edges if u != v]
    nodes = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(n)],
            "name": [f"N{i}" for i in range(n)],
            "country": "CN",
            "lat": [40.0 + i * 0.1 for i in range(n)],
            "lon": [120.0 + i * 0.1 for i in range(n)],
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "id": [f"l{k}" for k in range(len(edges))],
            "from_node": [f"n{u}" for u, _, _, _ in edges],
            "to_node": [f"n{v}" for _, v, _, _ in edges],
            "mode": "road",
            "length_km": [km for _, _, km, _ in edges],
            "speed_kmh": [kmh for _, _, _, kmh in edges],
            "cost_usd_per_teu_km": 0.63,
            "bidirectional": False,
        },
        columns=[
            "id",
            "from_node",
            "to_node",
            "mode",
            "length_km",
            "speed_kmh",
            "cost_usd_per_teu_km",
            "bidirectional",
        ],
    )
    return Network.from_frames(nodes, links, name="random"), edges


@settings(max_examples=60, deadline=None)
@given(road_networks())
def test_skim_agrees_with_networkx(
    case: tuple[Network, list[tuple[int, int, float, float]]],
) -> None:
    net, edges = case
    n = len(net.nodes)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(n))
    for u, v, km, kmh in edges:
        # parallel links: the shortest and the fastest may differ; keep the best of each
        if digraph.has_edge(u, v):
            edge = digraph[u][v]
            edge["km"], edge["h"] = min(edge["km"], km), min(edge["h"], km / kmh)
        else:
            digraph.add_edge(u, v, km=km, h=km / kmh)
    ids = [f"n{i}" for i in range(n)]
    by_length = skim(expand(net), ids, by="length")
    by_time = skim(expand(net), ids, by="time")
    for o in range(n):
        km = nx.single_source_dijkstra_path_length(digraph, o, weight="km")
        h = nx.single_source_dijkstra_path_length(digraph, o, weight="h")
        for d in range(n):
            if d in km:
                assert by_length.length_km[o, d] == pytest.approx(km[d], rel=1e-9)
                assert by_time.time_h[o, d] == pytest.approx(h[d], rel=1e-9)
                # the other criteria are summed along the chosen path: cost is rate x km
                assert by_length.cost_usd_per_teu[o, d] == pytest.approx(0.63 * km[d], rel=1e-9)
            else:
                assert np.isinf(by_length.length_km[o, d])
                assert np.isinf(by_time.time_h[o, d])
