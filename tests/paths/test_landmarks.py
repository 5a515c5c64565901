"""Landmark (ALT) bounds: admissible and consistent, so A* with them finds Dijkstra's optimum.

Oracles: plain Dijkstra (itself checked against networkx and scipy in test_kernel.py) and
networkx on the same random graphs; and, on a generated network, routes found with landmarks
against routes found without.
"""

from __future__ import annotations

import importlib
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amur.paths.kernel import no_bounds, search
from amur.paths.landmarks import reverse_csr, select_landmarks

from .test_kernel import Csr, graphs

route_module = importlib.import_module("amur.paths.route")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(c: Csr, sources: list[int], targets: list[int], bounds: tuple) -> tuple[float, list]:
    n = c.n
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    keys = np.empty(len(c.head) + n + 2)
    items = np.empty(len(c.head) + n + 2, np.int64)
    is_target = np.zeros(n, np.bool_)
    is_target[targets] = True
    _, target = search(
        c.indptr,
        c.head,
        c.weight,
        np.array(sources, np.int64),
        np.zeros(len(sources)),
        0,
        np.zeros(0, np.bool_),
        is_target,
        1,
        *bounds,
        dist,
        pred,
        order,
        keys,
        items,
    )
    if target < 0:
        return math.inf, []
    arcs, state = [], target
    while pred[state] >= 0:
        arcs.append(int(pred[state]))
        state = int(c.tail[pred[state]])
    assert state in sources
    return float(dist[target]), arcs[::-1]


@SETTINGS
@given(graphs(max_nodes=14, max_arcs=50), st.data())
def test_landmark_bounds_are_admissible_and_consistent(c: Csr, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, 4))
    lm = select_landmarks(c.indptr, c.head, c.tail, c.weight, k=k)
    targets = data.draw(st.lists(st.integers(0, c.n - 1), min_size=1, max_size=3, unique=True))
    bound_to, to_offset, bound_from, from_offset = lm.bounds(np.array(targets, np.int64))
    with np.errstate(invalid="ignore"):
        terms = np.vstack([bound_to - to_offset[:, None], from_offset[:, None] - bound_from])
    potential = np.max(np.where(np.isnan(terms), 0.0, terms), axis=0, initial=0.0)
    g = c.nx_graph()
    exact = nx.multi_source_dijkstra_path_length(g.reverse(), set(targets))
    for v in range(c.n):
        # admissible: never above the true distance to the nearest target
        assert potential[v] <= exact.get(v, math.inf) + 1e-9
    # consistent: no arc's reduced weight is negative (where the bound is finite)
    finite = np.isfinite(potential[c.tail]) & np.isfinite(potential[c.head])
    reduced = c.weight[finite] + potential[c.head[finite]] - potential[c.tail[finite]]
    assert np.all(reduced >= -1e-9)


@SETTINGS
@given(graphs(max_nodes=14, max_arcs=50), st.data())
def test_astar_with_landmarks_returns_dijkstras_cost(c: Csr, data: st.DataObject) -> None:
    lm = select_landmarks(c.indptr, c.head, c.tail, c.weight, k=data.draw(st.integers(1, 4)))
    sources = data.draw(st.lists(st.integers(0, c.n - 1), min_size=1, max_size=2, unique=True))
    targets = data.draw(st.lists(st.integers(0, c.n - 1), min_size=1, max_size=3, unique=True))
    plain, _ = _run(c, sources, targets, no_bounds(c.n))
    astar, arcs = _run(c, sources, targets, lm.bounds(np.array(targets, np.int64)))
    assert astar == pytest.approx(plain, rel=1e-9, abs=1e-9) or plain == astar == math.inf
    if math.isfinite(astar):
        # the path it returns really costs that much
        assert sum(c.weight[a] for a in arcs) == pytest.approx(astar, rel=1e-9, abs=1e-9)


def test_reverse_csr_turns_every_arc_around() -> None:
    c = Csr(4, [(0, 1, 1.0), (0, 2, 2.0), (2, 1, 3.0), (3, 0, 4.0)])
    indptr, head, arc = reverse_csr(c.indptr, c.head, c.tail)
    reversed_arcs = sorted(
        (int(v), int(head[p]), float(c.weight[arc[p]]))
        for v in range(4)
        for p in range(indptr[v], indptr[v + 1])
    )
    assert reversed_arcs == sorted(
        (int(h), int(t), float(w)) for t, h, w in zip(c.tail, c.head, c.weight, strict=True)
    )


def test_landmarks_are_far_apart_on_a_path() -> None:
    # a two-way path 0 - 1 - ... - 9: the first landmark is an end, the second the other end
    arcs = [(i, i + 1, 1.0) for i in range(9)] + [(i + 1, i, 1.0) for i in range(9)]
    c = Csr(10, arcs)
    lm = select_landmarks(c.indptr, c.head, c.tail, c.weight, k=2, seed_state=3)
    assert sorted(lm.states.tolist()) == [0, 9]
    assert lm.from_landmark[list(lm.states).index(0)].tolist() == [float(i) for i in range(10)]


def test_routes_with_landmarks_equal_routes_without(monkeypatch: pytest.MonkeyPatch) -> None:
    import amur

    net = amur.load("northeast-asia")
    pairs = [("Harbin", "Hamburg"), ("Harbin", "Vladivostok"), ("Changchun", "Niigata")]
    plain = {p: amur.route(net, *p, alternatives=2) for p in pairs}
    monkeypatch.setattr(route_module, "LANDMARK_MIN_STATES", 0)
    route_module.route_landmarks.cache_clear()
    for p in pairs:
        with_landmarks = amur.route(net, *p, alternatives=2)
        # the same best score (paths may differ only where two tie exactly)
        assert [r.score for r in with_landmarks] == pytest.approx([r.score for r in plain[p]])
        assert with_landmarks[0].corridor == plain[p][0].corridor
    route_module.route_landmarks.cache_clear()
