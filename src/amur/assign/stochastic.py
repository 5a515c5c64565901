"""Logit stochastic user equilibrium: the method of successive averages over Dial's loading.

Dial's STOCH loading (1971) spreads each origin's demand over its *efficient* links, those
leading away from the origin, with logit weights ``exp(-theta * excess cost)``, in one forward
and one backward pass over the nodes in shortest-path order. A link ``(i, j)`` is efficient
when ``i`` is settled before ``j`` by Dijkstra from the origin, which with positive costs is
Dial's ``r(i) < r(j)`` and also orders ties on zero-cost links without cycles.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from numba import njit
from numpy.typing import NDArray

from amur.assign.graph import AssignmentGraph
from amur.assign.monitor import Monitor
from amur.assign.paths import dijkstra
from amur.assign.result import AssignmentResult, TrafficClass, beckmann_objective, costs
from amur.errors import InputError

__all__ = ["dial_loading", "stochastic_assignment"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]


@njit(cache=True)
def _dial_kernel(
    out_start: IntArray,
    out_links: IntArray,
    in_start: IntArray,
    in_links: IntArray,
    init: IntArray,
    term: IntArray,
    cost: FloatArray,
    demand: FloatArray,
    blocked_zones: int,
    theta: float,
) -> tuple[FloatArray, float]:
    n_nodes = out_start.size - 1
    n_links = cost.size
    n_zones = demand.shape[0]
    flow = np.zeros(n_links)
    dist = np.empty(n_nodes)
    pred = np.empty(n_nodes, dtype=np.int32)
    order = np.empty(n_nodes, dtype=np.int32)
    position = np.empty(n_nodes, dtype=np.int64)
    keys = np.empty(n_links + 1)
    items = np.empty(n_links + 1, dtype=np.int32)
    node_weight = np.zeros(n_nodes)
    link_weight = np.zeros(n_links)
    node_flow = np.zeros(n_nodes)
    lost = 0.0
    for origin in range(n_zones):
        if demand[origin].sum() <= 0.0:
            continue
        count = dijkstra(
            out_start, out_links, term, cost, origin, blocked_zones, dist, pred, order, keys, items
        )
        position[:] = n_nodes
        for k in range(count):
            position[order[k]] = k
            node_weight[order[k]] = 0.0
        node_weight[origin] = 1.0
        for k in range(count):
            i = order[k]
            if i < blocked_zones and i != origin:
                continue
            for s in range(out_start[i], out_start[i + 1]):
                a = out_links[s]
                j = term[a]
                if position[j] > k and position[j] < n_nodes:
                    w = np.exp(theta * (dist[j] - dist[i] - cost[a])) * node_weight[i]
                    link_weight[a] = w
                    node_weight[j] += w
                else:
                    link_weight[a] = 0.0
        for k in range(count):
            node_flow[order[k]] = 0.0
        for z in range(n_zones):
            q = demand[origin, z]
            if q > 0.0:
                if np.isfinite(dist[z]):
                    node_flow[z] += q
                else:
                    lost += q
        for k in range(count - 1, 0, -1):
            j = order[k]
            q = node_flow[j]
            if q == 0.0:
                continue
            for s in range(in_start[j], in_start[j + 1]):
                a = in_links[s]
                i = init[a]
                if position[i] < k and not (i < blocked_zones and i != origin):
                    x = q * link_weight[a] / node_weight[j]
                    flow[a] += x
                    node_flow[i] += x
    return flow, lost


def _in_star(graph: AssignmentGraph) -> tuple[IntArray, IntArray]:
    in_links = np.argsort(graph.term, kind="stable").astype(np.int32)
    in_start = np.zeros(graph.n_nodes + 1, dtype=np.int32)
    np.cumsum(np.bincount(graph.term, minlength=graph.n_nodes), out=in_start[1:])
    return in_start, in_links


def dial_loading(
    graph: AssignmentGraph, cost: FloatArray, demand: FloatArray, theta: float
) -> FloatArray:
    """Logit loading of demand on efficient links by Dial's STOCH algorithm.

    Parameters
    ----------
    graph : AssignmentGraph
    cost : ndarray of float64, shape (n_links,)
        Link costs, in time units; must be >= 0.
    demand : ndarray of float64, shape (n_zones, n_zones)
        In flow units per period.
    theta : float
        Logit dispersion, per time unit; must be > 0. Large values approach all-or-nothing.

    Returns
    -------
    ndarray of float64, shape (n_links,)
        Link flows, in flow units per period.

    Raises
    ------
    InputError
        If ``theta`` is not > 0 or some demand has no path.
    """
    if not theta > 0:
        raise InputError(f"logit_theta: {theta!r}; expected a number > 0", field="logit_theta")
    in_start, in_links = _in_star(graph)
    flow, lost = _dial_kernel(
        graph.out_start,
        graph.out_links,
        in_start,
        in_links,
        graph.init,
        graph.term,
        np.ascontiguousarray(cost, dtype=np.float64),
        np.ascontiguousarray(demand, dtype=np.float64),
        graph.blocked_zones,
        float(theta),
    )
    if lost > 0:
        raise InputError(f"demand: {lost:g} flow units have no path from origin to destination")
    return flow


def stochastic_assignment(
    graph: AssignmentGraph,
    classes: Sequence[TrafficClass],
    theta: float,
    *,
    gap: float = 1e-4,
    max_iterations: int = 1000,
    max_seconds: float = float("inf"),
    vdf: int = 0,
    system_optimum: bool = False,
    monitor: Monitor | None = None,
) -> AssignmentResult:
    """Logit stochastic user equilibrium by MSA over Dial's loading.

    Each iteration loads every class by :func:`dial_loading` on the current costs and moves
    the flows ``1 / k`` of the way towards that loading. The convergence measure, reported as
    ``relative_gap``, is the relative change ``sum |y - x| / sum x`` between the loading ``y``
    and the current flows ``x``.

    Parameters
    ----------
    graph : AssignmentGraph
    classes : sequence of TrafficClass
    theta : float
        Logit dispersion, per time unit.
    gap, max_iterations, max_seconds, vdf, system_optimum, monitor
        As for :func:`amur.assign.frank_wolfe.frank_wolfe`.

    Returns
    -------
    AssignmentResult
    """
    monitor = monitor or Monitor("sue", gap, max_iterations)
    start = time.perf_counter()
    pce = np.array([c.pce for c in classes])
    cost = costs(graph, np.zeros(graph.n_links), vdf, system_optimum)
    x = [dial_loading(graph, cost, c.demand, theta) for c in classes]
    history: list[tuple[int, float, float]] = []
    change = np.inf
    iteration = 0
    while iteration < max_iterations and time.perf_counter() - start < max_seconds:
        iteration += 1
        volume = sum(p * xc for p, xc in zip(pce, x, strict=True))
        cost = costs(graph, np.asarray(volume), vdf, system_optimum)
        y = [dial_loading(graph, cost, c.demand, theta) for c in classes]
        new_volume = sum(p * yc for p, yc in zip(pce, y, strict=True))
        total = float(np.sum(volume))
        change = float(np.abs(new_volume - volume).sum()) / total if total > 0 else 0.0
        step = 1.0 / (iteration + 1)
        x = [xc + step * (yc - xc) for xc, yc in zip(x, y, strict=True)]
        elapsed = time.perf_counter() - start
        history.append((iteration, change, elapsed))
        monitor.update(iteration, change, elapsed)
        if change <= gap:
            break
    monitor.close()
    volume = np.asarray(sum(p * xc for p, xc in zip(pce, x, strict=True)), dtype=np.float64)
    return AssignmentResult(
        flow=volume,
        cost=costs(graph, volume, vdf, system_optimum),
        iterations=iteration,
        relative_gap=change,
        objective=beckmann_objective(graph, volume, vdf, system_optimum),
        history=history,
        algorithm="sue",
        class_flow=np.vstack(x),
    )
