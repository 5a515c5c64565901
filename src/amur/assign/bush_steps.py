"""The compiled steps of Algorithm B inside one bush: topological order, min and max path
labels, the bush update, and the Newton flow shift between the longest and shortest paths
(see :mod:`amur.assign.bush`).

The steps take their arrays in bundles (named tuples, resolved when numba compiles). The
small ones, called several times per bush and pass, are inlined (``inline="always"``): a call
would hand over every array of every bundle, one by one, which on small networks costs more
than the step itself.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from amur.assign.arrays import BoolArray, FloatArray, IntArray, LinkGraph
from amur.assign.vdf import CostParameters, link_cost, link_cost_derivative


class LinkState(NamedTuple):
    """Each link's flow over all bushes and its cost and cost derivative at that flow."""

    flow: FloatArray
    cost: FloatArray
    derivative: FloatArray


class Workspace(NamedTuple):
    """Scratch arrays of one bush step, a slot per node, reused from one bush to the next.

    ``order`` holds the bush's nodes in topological order and ``position`` each node's place
    in it; ``low``/``low_pred`` and ``high``/``high_pred`` are the shortest and longest bush
    path labels and the links they arrive by; ``scale`` and ``feed`` are the approach
    proportions of :func:`_conserve`.
    """

    indegree: IntArray
    order: IntArray
    position: IntArray
    low: FloatArray
    low_pred: IntArray
    high: FloatArray
    high_pred: IntArray
    scale: FloatArray
    feed: FloatArray


@njit(cache=True)
def workspace(n_nodes: int) -> Workspace:
    """Uninitialised scratch arrays for a graph of ``n_nodes`` nodes."""
    return Workspace(
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes),
        np.empty(n_nodes),
    )


@njit(cache=True, inline="always")
def update_link(
    a: int, links: LinkState, parameters: CostParameters, vdf: int, system_optimum: bool
) -> None:
    """Recompute link ``a``'s cost and cost derivative at its current flow."""
    links.cost[a] = link_cost(a, links.flow[a], parameters, vdf, system_optimum)
    links.derivative[a] = link_cost_derivative(a, links.flow[a], parameters, vdf, system_optimum)


@njit(cache=True, inline="always")
def _topological_order(origin: int, graph: LinkGraph, on: BoolArray, work: Workspace) -> int:
    """Kahn's algorithm on the bush; returns the number of nodes ordered (reachable ones)."""
    out_start, out_links, term = graph.out_start, graph.out_links, graph.term
    indegree, order = work.indegree, work.order
    indegree[:] = 0
    for a in range(on.size):
        if on[a]:
            indegree[term[a]] += 1
    order[0] = origin
    head, tail = 0, 1
    while head < tail:
        u = order[head]
        head += 1
        for k in range(out_start[u], out_start[u + 1]):
            a = out_links[k]
            if on[a]:
                v = term[a]
                indegree[v] -= 1
                if indegree[v] == 0:
                    order[tail] = v
                    tail += 1
    return tail


@njit(cache=True, inline="always")
def _labels(
    count: int,
    graph: LinkGraph,
    on: BoolArray,
    bush_flow: FloatArray,
    cost: FloatArray,
    used_only: bool,
    work: Workspace,
) -> None:
    """Shortest bush path labels, and longest (used, or any) bush path labels, in topo order.

    Reads the first ``count`` nodes of ``work.order``; writes ``work``'s labels in place.
    """
    out_start, out_links, term = graph.out_start, graph.out_links, graph.term
    order, low, low_pred, high, high_pred = (
        work.order,
        work.low,
        work.low_pred,
        work.high,
        work.high_pred,
    )
    for k in range(count):
        u = order[k]
        low[u] = np.inf
        high[u] = -np.inf
        low_pred[u] = -1
        high_pred[u] = -1
    low[order[0]] = 0.0
    high[order[0]] = 0.0
    for k in range(count):
        u = order[k]
        lu = low[u]
        hu = high[u]
        for j in range(out_start[u], out_start[u + 1]):
            a = out_links[j]
            if not on[a]:
                continue
            v = term[a]
            c = cost[a]
            if lu + c < low[v]:
                low[v] = lu + c
                low_pred[v] = a
            if hu > -np.inf and (not used_only or bush_flow[a] > 0.0) and hu + c > high[v]:
                high[v] = hu + c
                high_pred[v] = a


@njit(cache=True, inline="always")
def _conserve(
    count: int,
    graph: LinkGraph,
    on: BoolArray,
    bush_flow: FloatArray,
    flow: FloatArray,
    demand: FloatArray,
    work: Workspace,
) -> None:
    """Make the bush's link flows conserve its demand exactly, as approach proportions.

    The Newton shifts move flow link by link, and snapping rounding residue to zero on one
    link but not the next leaves chains of "orphan" flow (about 1e-9 on links whose flows
    once reached 1e7) that no used path from the origin feeds. ``_shift_flows`` cannot see
    them (its longest used labels stop where the used flow starts from nothing), yet they count
    as used, stay in the bush and raise the longest-path labels of the add rule, which then
    refuses the shortcuts equilibrium needs: Algorithm B stalls. This is the step Boyles'
    TAP-B takes each bush update (``calculateBushFlows`` in ``src/bush.c``, github.com/
    spartalab/tap-b), which keeps approach proportions rather than link flows: node by node
    in descending topological order, the throughput (demand plus outflow) is split over the
    incoming bush links in proportion to their flows, or sent whole along the shortest path
    link where none has flow. ``flow`` (all origins) follows the change, by at most rounding
    residue; costs are left to the next iteration's recomputation.
    """
    out_start, out_links, term = graph.out_start, graph.out_links, graph.term
    order, low_pred, scale, feed = work.order, work.low_pred, work.scale, work.feed
    n_zones = demand.size
    for k in range(count):
        scale[order[k]] = 0.0
    for a in range(on.size):
        if on[a]:
            scale[term[a]] += bush_flow[a]
    for k in range(count - 1, 0, -1):
        j = order[k]
        through = demand[j] if j < n_zones else 0.0
        for m in range(out_start[j], out_start[j + 1]):
            a = out_links[m]
            if on[a]:
                v = term[a]
                through += bush_flow[a] * scale[v] + (feed[v] if low_pred[v] == a else 0.0)
        inflow = scale[j]  # the incoming bush flow, until j's own ratio replaces it
        scale[j] = 0.0
        feed[j] = 0.0
        if inflow > 0.0:
            scale[j] = through / inflow
        else:
            feed[j] = through
    o = order[0]
    for k in range(count):
        u = order[k]
        for m in range(out_start[u], out_start[u + 1]):
            a = out_links[m]
            if not on[a]:
                continue
            v = term[a]
            if v == o:
                continue
            new = bush_flow[a] * scale[v] + (feed[v] if low_pred[v] == a else 0.0)
            flow[a] = max(flow[a] + new - bush_flow[a], 0.0)
            bush_flow[a] = new


@njit(cache=True)
def _update_bush(
    origin: int,
    blocked_zones: int,
    graph: LinkGraph,
    on: BoolArray,
    bush_flow: FloatArray,
    links: LinkState,
    demand: FloatArray,
    work: Workspace,
) -> None:
    """Restore conservation, drop unused links (keeping the shortest path tree), then add
    longest-path shortcuts.
    """
    init, term, cost = graph.init, graph.term, links.cost
    order, low_pred, high = work.order, work.low_pred, work.high
    count = _topological_order(origin, graph, on, work)
    _labels(count, graph, on, bush_flow, cost, False, work)
    _conserve(count, graph, on, bush_flow, links.flow, demand, work)
    _labels(count, graph, on, bush_flow, cost, False, work)
    for a in range(on.size):
        if on[a] and bush_flow[a] <= 0.0 and low_pred[term[a]] != a:
            on[a] = False
            bush_flow[a] = 0.0
    count = _topological_order(origin, graph, on, work)
    _labels(count, graph, on, bush_flow, cost, False, work)
    reached = np.zeros(high.size, dtype=np.bool_)
    for k in range(count):
        reached[order[k]] = True
    for a in range(on.size):
        if on[a]:
            continue
        i = init[a]
        j = term[a]
        if not reached[i] or not reached[j] or (i < blocked_zones and i != origin):
            continue
        # Strictly below the longest-path label: the bush stays acyclic (zero-cost links too).
        if high[i] + cost[a] < high[j]:
            on[a] = True


@njit(cache=True)
def _shift_flows(
    origin: int,
    graph: LinkGraph,
    on: BoolArray,
    bush_flow: FloatArray,
    links: LinkState,
    parameters: CostParameters,
    vdf: int,
    system_optimum: bool,
    work: Workspace,
    tolerance: float,
) -> None:
    """Newton shifts from longest used to shortest path at each node, in descending order."""
    init, flow, cost, derivative = graph.init, links.flow, links.cost, links.derivative
    order, position = work.order, work.position
    low, low_pred, high, high_pred = work.low, work.low_pred, work.high, work.high_pred
    count = _topological_order(origin, graph, on, work)
    for k in range(count):
        position[order[k]] = k
    _labels(count, graph, on, bush_flow, cost, True, work)
    for k in range(count - 1, 0, -1):
        j = order[k]
        if high_pred[j] < 0 or high[j] - low[j] <= tolerance * (1.0 + high[j]):
            continue
        # Walk both paths back, always stepping the one further down the topological order:
        # they first meet where they diverge, without tracing either back to the origin.
        up = init[high_pred[j]]
        down = init[low_pred[j]]
        while up != down:
            if position[up] > position[down]:
                up = init[high_pred[up]]
            else:
                down = init[low_pred[down]]
        divergence = up
        excess = 0.0
        slope = 0.0
        room = np.inf
        node = j
        while node != divergence:
            a = high_pred[node]
            excess += cost[a]
            slope += derivative[a]
            if bush_flow[a] < room:
                room = bush_flow[a]
            node = init[a]
        node = j
        while node != divergence:
            a = low_pred[node]
            excess -= cost[a]
            slope += derivative[a]
            node = init[a]
        if excess <= 0.0 or room <= 0.0:
            continue
        shift = room if slope <= 0.0 else min(room, excess / slope)
        node = j
        while node != divergence:
            a = high_pred[node]
            # Snap rounding residue to zero: a link left with 1e-16 of flow would count as used
            # and hold the longest-path labels (and so the bush) away from equilibrium.
            if bush_flow[a] - shift <= 1e-12 * bush_flow[a]:
                bush_flow[a] = 0.0
            else:
                bush_flow[a] -= shift
            flow[a] = max(flow[a] - shift, 0.0)
            update_link(a, links, parameters, vdf, system_optimum)
            node = init[a]
        node = j
        while node != divergence:
            a = low_pred[node]
            bush_flow[a] += shift
            flow[a] += shift
            update_link(a, links, parameters, vdf, system_optimum)
            node = init[a]
