"""Property tests of the compiled kernels against oracles: networkx, scipy and brute force.

``dijkstra`` must give the same distances as networkx and scipy on random directed graphs with
non-negative weights, its predecessor arcs must spell a path of exactly that weight, and its
options (early exit at targets, blocked states, several sources with offsets, an A*
potential) must not change the optimum. ``pareto_labels`` + ``pareto_front`` must give the
Pareto set found by enumerating every simple path.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from amur.graph import expand, haversine_km
from amur.network import Network
from amur.paths import astar_potential, dijkstra, pareto_front, pareto_labels

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Csr:
    """A random directed multigraph as CSR arrays, plus its arc list."""

    def __init__(self, n: int, arcs: list[tuple[int, int, float]]) -> None:
        self.n = n
        arcs = sorted(arcs, key=lambda a: a[0])  # stable: arc order within a tail is kept
        self.tail = np.array([a[0] for a in arcs], dtype=np.int64)
        self.head = np.array([a[1] for a in arcs], dtype=np.int64)
        self.weight = np.array([a[2] for a in arcs], dtype=np.float64)
        self.indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(self.tail, minlength=n), out=self.indptr[1:])

    def nx_graph(self, blocked: np.ndarray | None = None) -> nx.DiGraph:
        """The simple digraph with the lightest of parallel arcs (what a shortest path uses)."""
        g = nx.DiGraph()
        g.add_nodes_from(range(self.n))
        for u, v, w in zip(self.tail, self.head, self.weight, strict=True):
            if blocked is not None and (blocked[u] or blocked[v]):
                continue
            if not g.has_edge(u, v) or g[u][v]["weight"] > w:
                g.add_edge(int(u), int(v), weight=float(w))
        return g

    def scipy_matrix(self) -> sp.csr_array:
        """Lightest parallel arc per pair, as a CSR matrix with explicit (zero) entries kept."""
        best: dict[tuple[int, int], float] = {}
        for u, v, w in zip(self.tail, self.head, self.weight, strict=True):
            key = (int(u), int(v))
            best[key] = min(best.get(key, math.inf), float(w))
        rows = np.array([k[0] for k in best], dtype=np.int64)
        cols = np.array([k[1] for k in best], dtype=np.int64)
        data = np.array(list(best.values()), dtype=np.float64)
        order = np.lexsort((cols, rows))
        indptr = np.zeros(self.n + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=self.n), out=indptr[1:])
        return sp.csr_array((data[order], cols[order], indptr), shape=(self.n, self.n))

    def run(
        self,
        sources: list[int],
        source_dist: list[float] | None = None,
        is_target: np.ndarray | None = None,
        blocked: np.ndarray | None = None,
        potential: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, int]:
        n = self.n
        return dijkstra(
            self.indptr,
            self.head,
            self.weight,
            np.asarray(sources, dtype=np.int64),
            np.asarray(
                source_dist if source_dist is not None else [0.0] * len(sources), dtype=np.float64
            ),
            is_target if is_target is not None else np.zeros(n, np.bool_),
            blocked if blocked is not None else np.zeros(n, np.bool_),
            potential if potential is not None else np.zeros(n),
        )


@st.composite
def graphs(
    draw: st.DrawFn, max_nodes: int = 12, max_arcs: int = 40, integer_weights: bool = False
) -> Csr:
    n = draw(st.integers(1, max_nodes))
    node = st.integers(0, n - 1)
    if integer_weights:
        weight = st.integers(0, 9).map(float)
    else:
        # zero weights included on purpose: ties and zero-weight cycles are where kernels slip
        weight = st.one_of(st.just(0.0), st.floats(0.0, 100.0, allow_nan=False))
    arcs = draw(st.lists(st.tuples(node, node, weight), max_size=max_arcs))
    return Csr(n, arcs)


def _tree_dist(g: nx.DiGraph, sources: dict[int, float], n: int) -> np.ndarray:
    """Oracle: multi-source distances with offsets, via a super source in networkx."""
    h = g.copy()
    h.add_node("s*")
    for s, offset in sources.items():
        h.add_edge("s*", s, weight=offset)
    lengths = nx.single_source_dijkstra_path_length(h, "s*")
    return np.array([lengths.get(v, math.inf) for v in range(n)])


def _assert_pred_paths(
    c: Csr,
    dist: np.ndarray,
    pred: np.ndarray,
    sources: list[int],
    source_dist: list[float],
    states: np.ndarray,
) -> None:
    """Every predecessor chain reaches a source, and its weight plus that source's offset is
    the state's distance."""
    offset = {}
    for s, d in zip(sources, source_dist, strict=True):
        offset[s] = min(offset.get(s, math.inf), d)
    for v in states:
        total, state, steps = 0.0, int(v), 0
        while pred[state] >= 0:
            arc = int(pred[state])
            assert c.head[arc] == state, "pred arc does not end at the state it is stored for"
            total += c.weight[arc]
            state = int(c.tail[arc])
            steps += 1
            assert steps <= c.n, "predecessor arcs form a cycle"
        assert state in offset, f"the chain of state {v} ends at {state}, not a source"
        assert total + offset[state] == pytest.approx(dist[v], rel=1e-9, abs=1e-9)


@SETTINGS
@given(graphs(), st.data())
def test_full_tree_matches_networkx_and_scipy(c: Csr, data: st.DataObject) -> None:
    source = data.draw(st.integers(0, c.n - 1))
    dist, pred, target = c.run([source])
    expected = _tree_dist(c.nx_graph(), {source: 0.0}, c.n)
    np.testing.assert_allclose(dist, expected, rtol=1e-9, atol=1e-9)
    by_scipy = scipy_dijkstra(c.scipy_matrix(), directed=True, indices=source)
    np.testing.assert_allclose(dist, by_scipy, rtol=1e-9, atol=1e-9)
    assert target == -1
    assert pred[source] == -1
    assert np.all(pred[~np.isfinite(dist)] == -1)
    _assert_pred_paths(c, dist, pred, [source], [0.0], np.flatnonzero(np.isfinite(dist)))


@SETTINGS
@given(graphs(), st.data())
def test_early_exit_settles_the_nearest_target(c: Csr, data: st.DataObject) -> None:
    source = data.draw(st.integers(0, c.n - 1))
    targets = data.draw(st.lists(st.integers(0, c.n - 1), min_size=1, max_size=3, unique=True))
    is_target = np.zeros(c.n, np.bool_)
    is_target[targets] = True
    dist, pred, target = c.run([source], is_target=is_target)
    expected = _tree_dist(c.nx_graph(), {source: 0.0}, c.n)
    nearest = min(expected[t] for t in targets)
    if math.isinf(nearest):
        assert target == -1
        return
    assert is_target[target]
    assert dist[target] == pytest.approx(nearest, abs=1e-9)
    _assert_pred_paths(c, dist, pred, [source], [0.0], np.array([target]))


@SETTINGS
@given(graphs(), st.data())
def test_blocked_states_are_never_entered(c: Csr, data: st.DataObject) -> None:
    source = data.draw(st.integers(0, c.n - 1))
    blocked = np.array(
        data.draw(st.lists(st.booleans(), min_size=c.n, max_size=c.n)), dtype=np.bool_
    )
    dist, pred, _ = c.run([source], blocked=blocked)
    if blocked[source]:
        assert np.all(np.isinf(dist)), "a blocked source must not start the search"
        return
    expected = _tree_dist(c.nx_graph(blocked), {source: 0.0}, c.n)
    np.testing.assert_allclose(dist, expected, rtol=1e-9, atol=1e-9)
    assert np.all(np.isinf(dist[blocked]))
    _assert_pred_paths(c, dist, pred, [source], [0.0], np.flatnonzero(np.isfinite(dist)))


@SETTINGS
@given(graphs(), st.data())
def test_several_sources_with_offsets(c: Csr, data: st.DataObject) -> None:
    sources = data.draw(st.lists(st.integers(0, c.n - 1), min_size=1, max_size=4))
    offsets = data.draw(
        st.lists(st.floats(0.0, 50.0), min_size=len(sources), max_size=len(sources))
    )
    dist, pred, _ = c.run(sources, source_dist=offsets)
    best: dict[int, float] = {}
    for s, d in zip(sources, offsets, strict=True):
        best[s] = min(best.get(s, math.inf), d)
    expected = _tree_dist(c.nx_graph(), best, c.n)
    np.testing.assert_allclose(dist, expected, rtol=1e-9, atol=1e-9)
    by_scipy = scipy_dijkstra(c.scipy_matrix(), directed=True, indices=sources, min_only=True)
    if all(d == 0.0 for d in offsets):
        np.testing.assert_allclose(dist, by_scipy, rtol=1e-9, atol=1e-9)
    _assert_pred_paths(c, dist, pred, sources, offsets, np.flatnonzero(np.isfinite(dist)))


# -- A* on a geometric network -------------------------------------------------------------


@st.composite
def geometric_networks(draw: st.DrawFn) -> Network:
    """Places at random coordinates; links no shorter than the great circle between their
    ends, with random speeds and rates, by rail (one gauge) or road."""
    n = draw(st.integers(2, 10))
    coord = st.tuples(st.floats(40.0, 50.0), st.floats(120.0, 135.0))
    points = draw(st.lists(coord, min_size=n, max_size=n))
    nodes = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "name": [f"Place {i}" for i in range(n)],
            "country": "CN",
            "lat": [p[0] for p in points],
            "lon": [p[1] for p in points],
            "kind": "city",
            "handling_time_h": 2.0,
            "handling_cost_usd_per_teu": 30.0,
        }
    )
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.floats(1.0, 2.0),
                st.floats(10.0, 90.0),
                st.floats(0.05, 2.0),
                st.sampled_from(["rail", "road"]),
                st.booleans(),
            ),
            min_size=1,
            max_size=3 * n,
        )
    )
    rows = []
    for i, (a, b, circuity, speed, rate, mode, both) in enumerate(pairs):
        if a == b:
            continue
        gc = float(haversine_km(points[a][0], points[a][1], points[b][0], points[b][1]))
        rows.append(
            {
                "id": f"l{i}",
                "from_node": f"p{a}",
                "to_node": f"p{b}",
                "mode": mode,
                "gauge": "1435" if mode == "rail" else None,
                "length_km": max(gc * circuity, 0.1),
                "speed_kmh": speed,
                "cost_usd_per_teu_km": rate,
                "co2_kg_per_tkm": 0.01,
                "bidirectional": both,
            }
        )
    if not rows:
        rows.append(
            {
                "id": "l",
                "from_node": "p0",
                "to_node": "p1",
                "mode": "road",
                "gauge": None,
                "length_km": 500.0,
                "speed_kmh": 50.0,
                "cost_usd_per_teu_km": 1.0,
                "co2_kg_per_tkm": 0.01,
                "bidirectional": True,
            }
        )
    return Network.from_frames(nodes, pd.DataFrame(rows))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(geometric_networks(), st.data(), st.sampled_from(["time", "cost", "length"]))
def test_astar_potential_keeps_the_optimum(net: Network, data: st.DataObject, by: str) -> None:
    g = expand(net)
    weight = g.weights(by)
    n_nodes = len(net.nodes)
    origin = data.draw(st.integers(0, n_nodes - 1))
    dest = data.draw(st.integers(0, n_nodes - 1))
    sources = g.states_of(origin)
    targets = g.states_of(dest)
    if len(sources) == 0 or len(targets) == 0:
        return
    potential = astar_potential(g, weight, dest)
    assert np.all(potential >= 0.0)
    assert np.all(potential[targets] == 0.0)
    # consistency: no arc's reduced weight is negative
    reduced = weight + potential[g.head] - potential[g.tail]
    assert reduced.min() >= -1e-9 * max(1.0, float(weight.max(initial=0.0)))
    is_target = np.zeros(g.n_states, np.bool_)
    is_target[targets] = True
    blocked = np.zeros(g.n_states, np.bool_)
    zeros = np.zeros(len(sources))
    d0, _, t0 = dijkstra(
        g.indptr, g.head, weight, sources, zeros, is_target, blocked, np.zeros(g.n_states)
    )
    d1, p1, t1 = dijkstra(g.indptr, g.head, weight, sources, zeros, is_target, blocked, potential)
    assert (t0 < 0) == (t1 < 0)
    if t0 < 0:
        return
    assert d1[t1] == pytest.approx(d0[t0], rel=1e-9, abs=1e-9)
    # the A* path really has that weight
    total, state = 0.0, int(t1)
    while p1[state] >= 0:
        total += weight[p1[state]]
        state = int(g.tail[p1[state]])
    assert state in set(sources.tolist())
    assert total == pytest.approx(d0[t0], rel=1e-9, abs=1e-9)


# -- Pareto labels against brute force -----------------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_pareto_labels_match_enumerated_simple_paths(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 7))
    node = st.integers(0, n - 1)
    cost = st.integers(0, 9).map(float)
    arcs = data.draw(st.lists(st.tuples(node, node, cost, cost), max_size=16))
    arcs = [a for a in arcs if a[0] != a[1]]
    arcs.sort(key=lambda a: a[0])
    source, target = data.draw(st.lists(node, min_size=2, max_size=2, unique=True))
    tail = np.array([a[0] for a in arcs], dtype=np.int64)
    head = np.array([a[1] for a in arcs], dtype=np.int64)
    w1 = np.array([a[2] for a in arcs], dtype=np.float64)
    w2 = np.array([a[3] for a in arcs], dtype=np.float64)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    is_target = np.zeros(n, np.bool_)
    is_target[target] = True
    c1, c2, state, pred, arc, count = pareto_labels(
        indptr, head, w1, w2, np.array([source], np.int64), is_target, 10_000
    )
    assert count >= 0
    at_target = np.flatnonzero((state[:count] >= 0) & (state[:count] == target))
    front = at_target[pareto_front(np.column_stack([c1[at_target], c2[at_target]]))]
    found = sorted((c1[k], c2[k]) for k in front)

    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    for i, (u, v, a, b) in enumerate(arcs):
        g.add_edge(u, v, key=i, c1=a, c2=b)
    values = [
        (sum(g.edges[e]["c1"] for e in path), sum(g.edges[e]["c2"] for e in path))
        for path in nx.all_simple_edge_paths(g, source, target)
    ]
    if not values:
        assert found == []
        return
    points = np.array(values, dtype=np.float64)
    expected = sorted(map(tuple, points[pareto_front(points)].tolist()))
    assert found == expected
    # every Pareto label's chain of arcs spells a path from the source with its criteria
    for k in front:
        s1 = s2 = 0.0
        label = int(k)
        while pred[label] >= 0:
            a = int(arc[label])
            assert head[a] == state[label]
            s1 += w1[a]
            s2 += w2[a]
            label = int(pred[label])
        assert state[label] == source
        assert (s1, s2) == (c1[k], c2[k])


def test_pareto_front_drops_dominated_and_duplicate_points() -> None:
    points = np.array([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0], [2.0, 3.0], [1.0, 3.0], [4.0, 1.0]])
    keep = pareto_front(points)
    assert sorted(map(tuple, points[keep].tolist())) == [(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)]
    assert list(points[keep][:, 0]) == sorted(points[keep][:, 0])


def test_pareto_labels_report_overflow() -> None:
    # a chain of diamonds has 2**k Pareto paths; a bound of 4 labels must overflow
    c = Csr(5, [(0, 1, 1.0), (0, 2, 2.0), (1, 3, 1.0), (2, 3, 0.0), (3, 4, 1.0)])
    w2 = np.array([2.0, 1.0, 1.0, 0.0, 1.0])
    is_target = np.zeros(5, np.bool_)
    is_target[4] = True
    *_, count = pareto_labels(c.indptr, c.head, c.weight, w2, np.array([0], np.int64), is_target, 3)
    assert count == -1
