"""Shortest-path trees and all-or-nothing loading against networkx and scipy."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from amur.assign.compress import compressed
from amur.assign.graph import AssignmentGraph, build_graph
from amur.assign.paths import all_or_nothing, shortest_path_tree, skim
from amur.errors import InputError

from .networks import Case, expected_balance, networks, node_balance, relaxed


def reference_graph(graph: AssignmentGraph, origin: int) -> nx.DiGraph:
    """The graph as networkx sees it from ``origin``: links leaving other blocked zones gone."""
    nxg = nx.DiGraph()
    nxg.add_nodes_from(range(graph.n_nodes))
    for a in range(graph.n_links):
        i, j = int(graph.init[a]), int(graph.term[a])
        if i < graph.blocked_zones and i != origin:
            continue
        w = float(graph.cost_parameters.free_flow_time[a])
        if not nxg.has_edge(i, j) or nxg[i][j]["weight"] > w:
            nxg.add_edge(i, j, weight=w)
    return nxg


@relaxed
@given(networks())
def test_tree_distances_match_networkx(case: Case) -> None:
    g = case.graph
    for origin in range(g.n_nodes):
        dist, pred = shortest_path_tree(g, g.cost_parameters.free_flow_time, origin)
        expected = nx.single_source_dijkstra_path_length(reference_graph(g, origin), origin)
        for node in range(g.n_nodes):
            assert dist[node] == pytest.approx(expected.get(node, np.inf), abs=1e-9)
            if node != origin and np.isfinite(dist[node]):
                link = pred[node]
                assert g.term[link] == node
                assert dist[g.init[link]] + g.cost_parameters.free_flow_time[link] == pytest.approx(
                    dist[node]
                )


@relaxed
@given(networks())
def test_skim_matches_scipy_without_blocked_zones(case: Case) -> None:
    g = case.graph
    if g.blocked_zones:
        return
    # scipy keeps the smallest of parallel links only when summed duplicates are avoided.
    best: dict[tuple[int, int], float] = {}
    for i, j, w in zip(g.init, g.term, g.cost_parameters.free_flow_time, strict=True):
        best[(int(i), int(j))] = min(best.get((int(i), int(j)), np.inf), float(w) + 1e-300)
    rows, cols = zip(*best, strict=True)
    matrix = coo_matrix((list(best.values()), (rows, cols)), shape=(g.n_nodes, g.n_nodes))
    expected = scipy_dijkstra(matrix.tocsr(), directed=True)[: g.n_zones, : g.n_zones]
    np.testing.assert_allclose(skim(g, g.cost_parameters.free_flow_time), expected, atol=1e-9)
    np.testing.assert_allclose(
        skim(g, g.cost_parameters.free_flow_time, n_threads=1), expected, atol=1e-9
    )


@relaxed
@given(networks())
def test_all_or_nothing_loads_shortest_paths(case: Case) -> None:
    g, demand = case.graph, case.demand
    flow, shortest = all_or_nothing(g, g.cost_parameters.free_flow_time, demand)
    expected = 0.0
    for origin in range(g.n_zones):
        lengths = nx.single_source_dijkstra_path_length(reference_graph(g, origin), origin)
        expected += sum(demand[origin, d] * lengths[d] for d in range(g.n_zones))
    assert shortest == pytest.approx(expected, rel=1e-9, abs=1e-9)
    # Every trip is on a shortest path exactly when the loaded cost equals the shortest cost.
    assert flow @ g.cost_parameters.free_flow_time == pytest.approx(expected, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(node_balance(g, flow), expected_balance(g, demand), atol=1e-9)
    assert np.all(flow >= 0)


def test_paths_never_pass_through_other_zones() -> None:
    # 0 -> 1 -> 2 through zone 1 costs 2; the detour 0 -> 3 -> 2 costs 10.
    g = build_graph(
        [0, 1, 0, 3],
        [1, 2, 3, 2],
        [1.0] * 4,
        [1.0, 1.0, 5.0, 5.0],
        n_nodes=4,
        n_zones=3,
        first_thru_node=3,
    )
    demand = np.zeros((3, 3))
    demand[0, 2] = 7.0
    flow, shortest = all_or_nothing(g, g.cost_parameters.free_flow_time, demand)
    assert flow.tolist() == [0.0, 0.0, 7.0, 7.0]
    assert shortest == pytest.approx(70.0)
    open_graph = build_graph(
        [0, 1, 0, 3], [1, 2, 3, 2], [1.0] * 4, [1.0, 1.0, 5.0, 5.0], n_nodes=4, n_zones=3
    )
    assert all_or_nothing(open_graph, open_graph.cost_parameters.free_flow_time, demand)[
        0
    ].tolist() == [
        7.0,
        7.0,
        0.0,
        0.0,
    ]


def test_unreachable_demand_is_an_input_error() -> None:
    g = build_graph([0], [1], [1.0], [1.0], n_nodes=3)
    demand = np.zeros((3, 3))
    demand[0, 2] = 1.0
    with pytest.raises(InputError, match="no path"):
        all_or_nothing(g, g.cost_parameters.free_flow_time, demand)
    with pytest.raises(InputError, match="shape"):
        all_or_nothing(g, g.cost_parameters.free_flow_time, np.zeros((2, 2)))


@relaxed
@given(networks(max_nodes=12))
def test_compressed_arcs_cover_every_link_once_with_its_chain(case: Case) -> None:
    g = case.graph
    c = compressed(g)
    links = c.segment_links.tolist()
    assert len(links) == len(set(links))  # no link in two compressed arcs
    for u in range(g.n_nodes):
        for k in range(c.out_start[u], c.out_start[u + 1]):
            chain = c.segment_links[c.segment_start[k] : c.segment_start[k + 1]]
            # the chain is a walk from u to the arc's head through pass-through nodes only
            assert g.init[chain[0]] == u
            assert g.term[chain[-1]] == c.out_term[k]
            assert np.all(g.term[chain[:-1]] == g.init[chain[1:]])
            assert np.all(g.term[chain[:-1]] >= g.n_zones)
    # the ring's nodes are all reachable from a kept node, so every link is in some chain
    assert sorted(links) == list(range(g.n_links))


def test_long_chains_are_contracted_and_still_loaded() -> None:
    # zones 0 and 1 joined by a two-way chain of 20 nodes and a one-way chain of 5
    two_way = [0, *range(2, 22), 1]
    one_way = [1, *range(22, 27), 0]
    init, term = [], []
    for a, b in pairwise(two_way):
        init += [a, b]
        term += [b, a]
    for a, b in pairwise(one_way):
        init.append(a)
        term.append(b)
    fft = np.linspace(1.0, 2.0, len(init))
    g = build_graph(init, term, np.ones(len(init)), fft, n_zones=2, first_thru_node=2)
    c = compressed(g)
    assert c.out_term.size == 3  # 0 -> 1, 1 -> 0 along the two-way chain, 1 -> 0 one way
    demand = np.array([[0.0, 3.0], [4.0, 0.0]])
    flow, shortest = all_or_nothing(g, g.cost_parameters.free_flow_time, demand)
    graph = nx.DiGraph()
    for i, (a, b) in enumerate(zip(init, term, strict=True)):
        graph.add_edge(a, b, weight=fft[i], link=i)
    expected = np.zeros(len(init))
    total = 0.0
    for o, d in ((0, 1), (1, 0)):
        path = nx.dijkstra_path(graph, o, d)
        total += demand[o, d] * nx.path_weight(graph, path, "weight")
        for a, b in pairwise(path):
            expected[graph[a][b]["link"]] += demand[o, d]
    np.testing.assert_allclose(flow, expected)
    assert shortest == pytest.approx(total)
    np.testing.assert_allclose(
        skim(g, g.cost_parameters.free_flow_time),
        [[0.0, total_cost(graph, 0, 1)], [total_cost(graph, 1, 0), 0.0]],
    )


def total_cost(graph: nx.DiGraph, o: int, d: int) -> float:
    return float(nx.dijkstra_path_length(graph, o, d))
