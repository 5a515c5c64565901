"""Shortest-path trees and all-or-nothing loading on an assignment graph, compiled with numba.

The trees come from the one path kernel, :func:`amur.paths.kernel.search`.

Zone nodes below the graph's first through node are never passed through: a tree only relaxes
the links leaving such a zone when it is the tree's origin.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from amur.assign.arrays import BoolArray, FloatArray, IntArray
from amur.assign.compress import Compressed, _segment_costs, compressed
from amur.assign.graph import AssignmentGraph
from amur.errors import InputError
from amur.paths.kernel import dynamic_schedule, n_chunks, search
from amur.paths.trees import skim_trees

__all__ = [
    "Compressed",
    "all_or_nothing",
    "compressed",
    "shortest_path_tree",
    "skim",
    "tree",
]


class TreeWork(NamedTuple):
    """The arrays one shortest-path tree fills, reused from one origin to the next.

    Attributes
    ----------
    dist : ndarray of float64, shape (n_nodes,)
        Path cost to each settled node.
    pred : ndarray of int32, shape (n_nodes,)
        CSR position of the arc each settled node is reached by (``out_links`` maps it to a
        link); -1 at the origin.
    order : ndarray of int32, shape (n_nodes,)
        The settled nodes, in the order they were settled.
    keys, items : ndarray, shape (n_arcs + 2,)
        The heap's keys (float64) and items (int32).
    """

    dist: FloatArray
    pred: IntArray
    order: IntArray
    keys: FloatArray
    items: IntArray


@njit(cache=True)
def tree_work(n_nodes: int, n_arcs: int) -> TreeWork:
    """Uninitialised :class:`TreeWork` for a graph of ``n_nodes`` nodes and ``n_arcs`` arcs."""
    return TreeWork(
        np.empty(n_nodes),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_arcs + 2),
        np.empty(n_arcs + 2, dtype=np.int32),
    )


@njit(cache=True)
def tree(
    out_start: IntArray,
    out_term: IntArray,
    csr_cost: FloatArray,
    origin: int,
    blocked_zones: int,
    is_target: BoolArray,
    stop_after: int,
    work: TreeWork,
) -> int:
    """One-to-all shortest paths from ``origin`` (:func:`amur.paths.kernel.search`).

    Arcs are CSR positions (``work.pred`` holds positions; ``out_links`` maps them to links)
    and ``csr_cost`` is the link cost in that order. Fills ``work``'s ``dist``, ``pred`` and
    ``order`` and returns the number of nodes settled; stops after ``stop_after`` targets
    (0: full tree).
    """
    n = out_start.size - 1
    count, _ = search(
        out_start,
        out_term,
        csr_cost,
        np.array([origin], np.int32),
        np.zeros(1),
        blocked_zones,
        np.zeros(0, np.bool_),
        is_target,
        stop_after,
        np.zeros((0, n)),
        np.zeros(0),
        np.zeros((0, n)),
        np.zeros(0),
        work.dist,
        work.pred,
        work.order,
        work.keys,
        work.items,
    )
    return count


@njit(cache=True)
def _load_tree(
    graph: Compressed,
    init: IntArray,
    demand_row: FloatArray,
    work: TreeWork,
    count: int,
    node_flow: FloatArray,
    flow: FloatArray,
) -> tuple[float, float]:
    """Load one origin's demand on its tree; return (demand x path cost, unroutable demand)."""
    segment_start, segment_links = graph.segment_start, graph.segment_links
    dist, pred, order = work.dist, work.pred, work.order
    n_zones = demand_row.size
    for k in range(count):
        node_flow[order[k]] = 0.0
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
            arc = pred[u]
            for p in range(segment_start[arc], segment_start[arc + 1]):
                flow[segment_links[p]] += q
            node_flow[init[segment_links[segment_start[arc]]]] += q
    return routed, lost


@njit(cache=True, parallel=True)
def _aon_kernel(
    graph: Compressed,
    init: IntArray,
    cost: FloatArray,
    demand: FloatArray,
    blocked_zones: int,
    n_chunks: int,
    by_origin: FloatArray,
) -> tuple[FloatArray, float, float]:
    n_nodes = graph.out_start.size - 1
    n_links = cost.size
    n_zones = demand.shape[0]
    csr_cost = _segment_costs(graph.segment_start, graph.segment_links, cost)
    flows = np.zeros((n_chunks, n_links))
    routed = np.zeros(n_chunks)
    lost = np.zeros(n_chunks)
    for chunk in prange(n_chunks):
        work = tree_work(n_nodes, csr_cost.size)
        node_flow = np.zeros(n_nodes)
        is_target = np.zeros(n_nodes, dtype=np.bool_)
        for origin in range(chunk, n_zones, n_chunks):
            # stop the tree once every zone this origin sends to is settled
            wanted = 0
            for z in range(n_zones):
                if demand[origin, z] > 0.0 and z != origin:
                    is_target[z] = True
                    wanted += 1
            if wanted == 0:
                continue  # demand within the zone, if any, costs nothing and loads no link
            count = tree(
                graph.out_start,
                graph.out_term,
                csr_cost,
                origin,
                blocked_zones,
                is_target,
                wanted,
                work,
            )
            for z in range(n_zones):
                is_target[z] = False
            r, q_lost = _load_tree(
                graph, init, demand[origin], work, count, node_flow, flows[chunk]
            )
            routed[chunk] += r
            lost[chunk] += q_lost
            if by_origin.size:
                by_origin[origin] = r
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
    graph: AssignmentGraph,
    cost: FloatArray,
    demand: FloatArray,
    *,
    by_origin: FloatArray | None = None,
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
    by_origin : ndarray of float64, shape (n_zones,), optional
        Filled with each origin's demand times shortest path cost (the terms of
        ``shortest_cost``; origins without demand are left as they were).

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

    Notes
    -----
    One tree per origin with demand, in parallel threads; a tree stops once every zone its
    origin sends to is settled.

    Examples
    --------
    >>> import numpy as np
    >>> from amur.assign.graph import build_graph
    >>> g = build_graph([0, 1, 0], [1, 2, 2], [1, 1, 1], [1.0, 1.0, 3.0])
    >>> d = np.zeros((3, 3)); d[0, 2] = 5.0
    >>> all_or_nothing(g, g.cost_parameters.free_flow_time, d)[0].tolist()
    [5.0, 5.0, 0.0]
    """
    matrix = _check_demand(graph, demand)
    # a few units per thread (each holds a flow vector): enough to even out a busy machine
    chunks = n_chunks(graph.n_zones, per_thread=4)
    c = compressed(graph)
    with dynamic_schedule():
        flow, routed, lost = _aon_kernel(
            c,
            graph.init,
            np.ascontiguousarray(cost, dtype=np.float64),
            matrix,
            graph.blocked_zones,
            chunks,
            np.zeros(0) if by_origin is None else by_origin,
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
    work = tree_work(graph.n_nodes, graph.n_links)
    csr_cost = np.ascontiguousarray(np.asarray(cost, dtype=np.float64)[graph.out_links])
    tree(
        graph.out_start,
        graph.out_term,
        csr_cost,
        int(origin),
        graph.blocked_zones,
        np.zeros(0, np.bool_),
        0,
        work,
    )
    dist, pred = work.dist, work.pred
    pred_link = np.where(pred >= 0, graph.out_links[np.maximum(pred, 0)], -1).astype(np.int32)
    return dist, pred_link


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

    Notes
    -----
    The same kernel as the place skims (:func:`amur.paths.kernel.skim_trees`); each tree
    stops once every zone is settled.

    Examples
    --------
    >>> from amur.assign.graph import build_graph
    >>> g = build_graph([0, 1, 0], [1, 2, 2], [1, 1, 1], [1.0, 1.0, 3.0])
    >>> skim(g, g.cost_parameters.free_flow_time).tolist()
    [[0.0, 1.0, 2.0], [inf, 0.0, 1.0], [inf, inf, 0.0]]
    """
    threads = numba.get_num_threads() if n_threads is None else int(n_threads)
    zones = np.arange(graph.n_zones, dtype=np.int64)
    ptr = np.arange(graph.n_zones + 1, dtype=np.int64)
    c = compressed(graph)
    csr_cost = _segment_costs(
        c.segment_start, c.segment_links, np.ascontiguousarray(cost, dtype=np.float64)
    )
    previous = numba.get_num_threads()
    most = int(getattr(numba.config, "NUMBA_NUM_THREADS"))  # noqa: B009 (untyped module)
    numba.set_num_threads(max(1, min(threads, most)))
    try:
        with dynamic_schedule():
            out = skim_trees(
                c.out_start,
                c.out_term,
                np.zeros(0, np.int32),
                csr_cost,
                graph.blocked_zones,
                ptr,
                zones,
                ptr,
                zones,
                np.zeros((0, csr_cost.size)),
                0,
                n_chunks(graph.n_zones, threads),
            )
    finally:
        numba.set_num_threads(previous)
    return out[0]
