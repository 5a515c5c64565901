"""Shortest-path trees (Dijkstra, binary heap) and all-or-nothing loading, compiled with numba.

Zone nodes below the graph's first through node are never passed through: a tree only relaxes
the links leaving such a zone when it is the tree's origin.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from amur.assign.graph import AssignmentGraph
from amur.errors import InputError

__all__ = ["all_or_nothing", "shortest_path_tree", "skim"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]


@njit(cache=True)
def _heap_push(keys: FloatArray, items: IntArray, size: int, key: float, item: int) -> int:
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        items[i] = items[parent]
        i = parent
    keys[i] = key
    items[i] = item
    return size + 1


@njit(cache=True)
def _heap_pop(keys: FloatArray, items: IntArray, size: int) -> int:
    """Remove the root (read it before calling); return the new size."""
    size -= 1
    key = keys[size]
    item = items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i] = keys[child]
        items[i] = items[child]
        i = child
    keys[i] = key
    items[i] = item
    return size


@njit(cache=True)
def dijkstra(
    out_start: IntArray,
    out_links: IntArray,
    term: IntArray,
    cost: FloatArray,
    origin: int,
    blocked_zones: int,
    dist: FloatArray,
    pred_link: IntArray,
    order: IntArray,
    heap_keys: FloatArray,
    heap_items: IntArray,
) -> int:
    """One-to-all shortest paths from ``origin`` into preallocated arrays.

    Fills ``dist`` (inf where unreachable), ``pred_link`` (-1 at the origin and unreachable
    nodes) and ``order`` (nodes in the order settled, non-decreasing distance); returns the
    number of nodes settled. ``heap_*`` need ``len(cost) + 1`` slots.
    """
    n = dist.size
    for i in range(n):
        dist[i] = np.inf
        pred_link[i] = -1
    settled = np.zeros(n, dtype=np.bool_)
    dist[origin] = 0.0
    size = _heap_push(heap_keys, heap_items, 0, 0.0, origin)
    count = 0
    while size > 0:
        d = heap_keys[0]
        u = heap_items[0]
        size = _heap_pop(heap_keys, heap_items, size)
        if settled[u] or d > dist[u]:
            continue
        settled[u] = True
        order[count] = u
        count += 1
        if u < blocked_zones and u != origin:
            continue
        for k in range(out_start[u], out_start[u + 1]):
            link = out_links[k]
            v = term[link]
            nd = d + cost[link]
            if nd < dist[v]:
                dist[v] = nd
                pred_link[v] = link
                size = _heap_push(heap_keys, heap_items, size, nd, v)
    return count


@njit(cache=True)
def _load_tree(
    init: IntArray,
    demand_row: FloatArray,
    dist: FloatArray,
    pred_link: IntArray,
    order: IntArray,
    count: int,
    node_flow: FloatArray,
    flow: FloatArray,
) -> tuple[float, float]:
    """Load one origin's demand on its tree; return (demand x path cost, unroutable demand)."""
    n_zones = demand_row.size
    node_flow[:] = 0.0
    routed = 0.0
    lost = 0.0
    for z in range(n_zones):
        q = demand_row[z]
        if q > 0.0:
            if np.isfinite(dist[z]):
                node_flow[z] = q
                routed += q * dist[z]
            else:
                lost += q
    for k in range(count - 1, 0, -1):
        u = order[k]
        q = node_flow[u]
        if q != 0.0:
            link = pred_link[u]
            flow[link] += q
            node_flow[init[link]] += q
    return routed, lost


@njit(cache=True, parallel=True)
def _aon_kernel(
    out_start: IntArray,
    out_links: IntArray,
    init: IntArray,
    term: IntArray,
    cost: FloatArray,
    demand: FloatArray,
    blocked_zones: int,
    n_chunks: int,
) -> tuple[FloatArray, float, float]:
    n_nodes = out_start.size - 1
    n_links = cost.size
    n_zones = demand.shape[0]
    flows = np.zeros((n_chunks, n_links))
    routed = np.zeros(n_chunks)
    lost = np.zeros(n_chunks)
    for chunk in prange(n_chunks):
        dist = np.empty(n_nodes)
        pred = np.empty(n_nodes, dtype=np.int32)
        order = np.empty(n_nodes, dtype=np.int32)
        keys = np.empty(n_links + 1)
        items = np.empty(n_links + 1, dtype=np.int32)
        node_flow = np.empty(n_nodes)
        for origin in range(chunk, n_zones, n_chunks):
            if demand[origin].sum() <= 0.0:
                continue
            count = dijkstra(
                out_start,
                out_links,
                term,
                cost,
                origin,
                blocked_zones,
                dist,
                pred,
                order,
                keys,
                items,
            )
            r, q_lost = _load_tree(
                init, demand[origin], dist, pred, order, count, node_flow, flows[chunk]
            )
            routed[chunk] += r
            lost[chunk] += q_lost
    total = np.zeros(n_links)
    for chunk in range(n_chunks):
        total += flows[chunk]
    return total, routed.sum(), lost.sum()


def _check_demand(graph: AssignmentGraph, demand: NDArray[np.float64]) -> FloatArray:
    matrix = np.ascontiguousarray(demand, dtype=np.float64)
    if matrix.shape != (graph.n_zones, graph.n_zones):
        raise InputError(
            f"demand: shape {matrix.shape}; expected ({graph.n_zones}, {graph.n_zones}), "
            "zones by zones"
        )
    return matrix


def all_or_nothing(
    graph: AssignmentGraph, cost: FloatArray, demand: FloatArray
) -> tuple[FloatArray, float]:
    """Load every origin-destination demand on its shortest path.

    Parameters
    ----------
    graph : AssignmentGraph
        The network.
    cost : ndarray of float64, shape (n_links,)
        Link costs, in time units; must be >= 0.
    demand : ndarray of float64, shape (n_zones, n_zones)
        Demand from each zone to each zone, in flow units per period.

    Returns
    -------
    flow : ndarray of float64, shape (n_links,)
        Link flows, in flow units per period.
    shortest_cost : float
        Sum over origin-destination pairs of demand times shortest path cost.

    Raises
    ------
    InputError
        If some demand has no path from its origin to its destination.

    Examples
    --------
    >>> from amur.assign.graph import build_graph
    >>> g = build_graph([0, 1, 0], [1, 2, 2], [1, 1, 1], [1.0, 1.0, 3.0])
    >>> d = np.zeros((3, 3)); d[0, 2] = 5.0
    >>> all_or_nothing(g, g.free_flow_time, d)[0].tolist()
    [5.0, 5.0, 0.0]
    """
    matrix = _check_demand(graph, demand)
    n_chunks = max(1, min(numba.get_num_threads(), graph.n_zones))
    flow, routed, lost = _aon_kernel(
        graph.out_start,
        graph.out_links,
        graph.init,
        graph.term,
        np.ascontiguousarray(cost, dtype=np.float64),
        matrix,
        graph.blocked_zones,
        n_chunks,
    )
    if lost > 0:
        raise InputError(
            f"demand: {lost:g} flow units have no path from origin to destination; "
            "check that every zone with demand is connected"
        )
    return flow, float(routed)


def shortest_path_tree(
    graph: AssignmentGraph, cost: FloatArray, origin: int
) -> tuple[FloatArray, IntArray]:
    """Shortest-path tree from one node.

    Parameters
    ----------
    graph : AssignmentGraph
    cost : ndarray of float64, shape (n_links,)
        Link costs, in time units; must be >= 0.
    origin : int
        0-based node.

    Returns
    -------
    dist : ndarray of float64, shape (n_nodes,)
        Shortest path cost to each node; inf where unreachable.
    pred_link : ndarray of int32, shape (n_nodes,)
        Last link of the shortest path to each node; -1 at the origin and unreachable nodes.
    """
    n = graph.n_nodes
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int32)
    order = np.empty(n, dtype=np.int32)
    keys = np.empty(graph.n_links + 1)
    items = np.empty(graph.n_links + 1, dtype=np.int32)
    dijkstra(
        graph.out_start,
        graph.out_links,
        graph.term,
        np.ascontiguousarray(cost, dtype=np.float64),
        int(origin),
        graph.blocked_zones,
        dist,
        pred,
        order,
        keys,
        items,
    )
    return dist, pred


@njit(cache=True, parallel=True)
def _skim_kernel(
    out_start: IntArray,
    out_links: IntArray,
    term: IntArray,
    cost: FloatArray,
    n_zones: int,
    blocked_zones: int,
    n_chunks: int,
) -> FloatArray:
    n_nodes = out_start.size - 1
    n_links = cost.size
    result = np.empty((n_zones, n_zones))
    for chunk in prange(n_chunks):
        dist = np.empty(n_nodes)
        pred = np.empty(n_nodes, dtype=np.int32)
        order = np.empty(n_nodes, dtype=np.int32)
        keys = np.empty(n_links + 1)
        items = np.empty(n_links + 1, dtype=np.int32)
        for origin in range(chunk, n_zones, n_chunks):
            dijkstra(
                out_start,
                out_links,
                term,
                cost,
                origin,
                blocked_zones,
                dist,
                pred,
                order,
                keys,
                items,
            )
            result[origin, :] = dist[:n_zones]
    return result


def skim(graph: AssignmentGraph, cost: FloatArray, n_threads: int | None = None) -> FloatArray:
    """Zone-to-zone shortest path costs: one tree per zone, in parallel threads.

    Parameters
    ----------
    graph : AssignmentGraph
    cost : ndarray of float64, shape (n_links,)
        Link costs, in time units.
    n_threads : int, optional
        Threads to use; defaults to numba's thread count.

    Returns
    -------
    ndarray of float64, shape (n_zones, n_zones)
        Cost of the shortest path from each zone to each zone, in time units; inf where none.
    """
    threads = numba.get_num_threads() if n_threads is None else int(n_threads)
    return _skim_kernel(
        graph.out_start,
        graph.out_links,
        graph.term,
        np.ascontiguousarray(cost, dtype=np.float64),
        graph.n_zones,
        graph.blocked_zones,
        max(1, threads),
    )
