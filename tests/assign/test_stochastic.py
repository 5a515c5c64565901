"""Dial's loading against path enumeration, and the logit equilibrium as a fixed point."""

from __future__ import annotations

import glob
from itertools import pairwise

import networkx as nx
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from amur.assign import assign, graph_from_tntp
from amur.assign.graph import build_graph
from amur.assign.result import costs
from amur.assign.stochastic import dial_loading
from amur.io.tntp import read_tntp_network, read_tntp_trips

TNTP = "/work/shared/benchmarks/tntp"


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
    n = draw(st.integers(3, 7))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
            min_size=n,
            max_size=16,
            unique=True,
        )
    )
    pairs = [(a, b) for a, b in pairs if a != b] + [(k, k + 1) for k in range(n - 1)]
    pairs = list(dict.fromkeys(pairs))
    init, term = [a for a, _ in pairs], [b for _, b in pairs]
    reference = np.array(
        draw(st.lists(st.floats(0.5, 10.0), min_size=len(pairs), max_size=len(pairs)))
    )
    current = np.array(
        draw(st.lists(st.floats(0.5, 10.0), min_size=len(pairs), max_size=len(pairs)))
    )
    return init, term, reference, current


@settings(max_examples=60, deadline=None)
@given(graphs(), st.floats(0.1, 2.0))
def test_dial_loading_is_the_logit_split_over_efficient_paths(
    case: tuple[list[int], list[int], np.ndarray, np.ndarray], theta: float
) -> None:
    init, term, reference, current = case
    n = max(max(init), max(term)) + 1
    g = build_graph(init, term, np.ones(len(init)), reference, n_nodes=n, n_zones=n)
    demand = np.zeros((n, n))
    demand[0, 1:] = np.arange(1, n) * 10.0
    flow = dial_loading(g, current, demand, theta, reference)
    # oracle: every path from 0 along links that lead away from 0 by the reference costs,
    # each taking a share exp(-theta x its current cost) of its destination's demand
    dist = nx.single_source_dijkstra_path_length(
        nx.DiGraph([(a, b, {"w": w}) for a, b, w in zip(init, term, reference, strict=True)]),
        0,
        weight="w",
    )
    # Dial's efficient links are r(i) < r(j); amur orders ties by Dijkstra's settle order
    # (so zero-cost connectors stay usable), which only differs where distances tie
    values = sorted(dist.values())
    assume(all(b - a > 1e-9 for a, b in pairwise(values)))
    efficient = nx.MultiDiGraph()
    efficient.add_nodes_from(range(n))
    for k, (a, b) in enumerate(zip(init, term, strict=True)):
        if a in dist and b in dist and dist[a] < dist[b]:
            efficient.add_edge(a, b, key=k)
    expected = np.zeros(len(init))
    for d in range(1, n):
        if d not in dist:
            continue
        paths = [[k for _, _, k in path] for path in nx.all_simple_edge_paths(efficient, 0, d)]
        weights = np.array([np.exp(-theta * current[p].sum()) for p in paths])
        for p, w in zip(paths, weights / weights.sum(), strict=True):
            expected[p] += demand[0, d] * w
    reached = [d for d in range(1, n) if d in dist]
    if len(reached) < n - 1:
        return  # some demand has no path: dial_loading raises, as another test checks
    np.testing.assert_allclose(flow, expected, rtol=1e-9, atol=1e-9)


def test_without_a_reference_the_efficient_links_follow_the_costs() -> None:
    g = build_graph([0, 0, 1], [1, 2, 2], [1.0, 1.0, 1.0], [1.0, 5.0, 1.0])
    demand = np.array([[0.0, 0.0, 10.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    cost = np.array([1.0, 5.0, 1.0])
    np.testing.assert_allclose(
        dial_loading(g, cost, demand, 1.0), dial_loading(g, cost, demand, 1.0, cost), rtol=1e-12
    )


@pytest.mark.parametrize("paths", ["free_flow", "equilibrium"])
def test_logit_equilibrium_on_siouxfalls_is_a_fixed_point(paths: str) -> None:
    net = read_tntp_network(glob.glob(f"{TNTP}/SiouxFalls/*_net.tntp")[0])
    g = graph_from_tntp(net)
    trips = read_tntp_trips(glob.glob(f"{TNTP}/SiouxFalls/*_trips.tntp")[0], net.n_nodes)
    result = assign(
        g, trips, "msa", logit_theta=0.5, logit_paths=paths, gap=1e-6, max_iterations=2000
    )
    assert result.relative_gap <= 1e-6 and result.iterations < 2000
    # the loading on the equilibrium costs, over the efficient links of the reference,
    # gives the flows back
    reference = (
        costs(g, np.zeros(g.n_links), 0, False)
        if paths == "free_flow"
        else assign(g, trips, "b", gap=1e-6).cost
    )
    again = dial_loading(g, result.cost, trips, 0.5, reference)
    assert np.abs(again - result.flow).sum() / result.flow.sum() < 1e-5
    # every trip is loaded: flow out of each origin equals its demand
    out = np.bincount(g.init, weights=result.flow, minlength=g.n_nodes)
    into = np.bincount(g.term, weights=result.flow, minlength=g.n_nodes)
    z = trips.shape[0]
    np.testing.assert_allclose(
        (out - into)[:z], trips.sum(axis=1) - trips.sum(axis=0), rtol=1e-9, atol=1e-6
    )


def test_unknown_logit_paths_is_an_input_error() -> None:
    from amur.errors import InputError

    g = build_graph([0], [1], [1.0], [1.0])
    with pytest.raises(InputError, match="logit_paths"):
        assign(g, np.array([[0.0, 1.0], [0.0, 0.0]]), "b", logit_theta=1.0, logit_paths="shortest")


def test_a_destination_zone_is_reached_from_every_state_of_its_place() -> None:
    # zone 0 -> zone 1 through two states of place 1 (nodes 2 and 3), each with a zero-cost
    # connector into zone 1; zones are not passed through. State 3 is farther from the
    # origin than state 2, yet its connector counts, so both routes carry logit shares.
    init, term = [0, 0, 2, 3], [2, 3, 1, 1]
    cost = np.array([1.0, 3.0, 0.0, 0.0])
    g = build_graph(init, term, np.ones(4), cost, n_nodes=4, n_zones=2, first_thru_node=2)
    flow = dial_loading(g, cost, np.array([[0.0, 10.0], [0.0, 0.0]]), 0.5)
    share = np.exp(-0.5 * 1.0) / (np.exp(-0.5 * 1.0) + np.exp(-0.5 * 3.0))
    np.testing.assert_allclose(
        flow, [10 * share, 10 * (1 - share), 10 * share, 10 * (1 - share)], rtol=1e-12
    )
