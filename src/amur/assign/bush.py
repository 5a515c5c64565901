"""Algorithm B (Dial 2006): origin-based bushes and Newton flow shifts, compiled with numba.

Each origin keeps a bush, an acyclic set of links rooted at it carrying all its flow. An
iteration visits every origin: it restores exact flow conservation in the bush (the shifts'
rounding would otherwise leave orphan flow that stalls the method, see
:func:`amur.assign.bush_steps._conserve`), drops unused links from the bush, adds links that shorten
the longest bush paths (which keeps the bush acyclic), and at every node, in descending
topological order, shifts flow from the longest used path to the shortest path by a Newton
step, between the node and the point where the two paths diverge. The treatment follows
Boyles, Lownes & Unnikrishnan, *Transportation Network Analysis*, ch. 6.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

from amur.assign.arrays import BoolArray, FloatArray, IntArray, LinkGraph
from amur.assign.bush_steps import (
    LinkState,
    _shift_flows,
    _update_bush,
    update_link,
    workspace,
)
from amur.assign.graph import AssignmentGraph
from amur.assign.monitor import Monitor
from amur.assign.paths import all_or_nothing, tree, tree_work
from amur.assign.result import AssignmentResult, TrafficClass, beckmann_objective, costs
from amur.assign.vdf import CostParameters

__all__ = ["algorithm_b"]


class Bushes(NamedTuple):
    """The bushes, a row each: origin node, demand to each zone, and per link whether it is
    in the bush and the bush's flow on it (flow units per period).
    """

    origin: IntArray
    demand: FloatArray
    on: BoolArray
    flow: FloatArray


@njit(cache=True)
def _initial_bushes(
    bushes: Bushes, blocked_zones: int, graph: LinkGraph, cost: FloatArray
) -> float:
    """Shortest path tree at ``cost`` as each origin's bush, loaded all-or-nothing.

    Returns the demand with no path.
    """
    origins, demand, on, bush_flow = bushes
    out_start, out_links, init = graph.out_start, graph.out_links, graph.init
    n_nodes = out_start.size - 1
    work = tree_work(n_nodes, cost.size)
    csr_cost = np.empty(cost.size)
    for k in range(cost.size):
        csr_cost[k] = cost[out_links[k]]
    no_target = np.zeros(0, dtype=np.bool_)
    node_flow = np.zeros(n_nodes)
    lost = 0.0
    for r in range(origins.size):
        o = origins[r]
        # full trees: a node beyond the last zone may join a shortest path under congestion
        count = tree(out_start, graph.out_term, csr_cost, o, blocked_zones, no_target, 0, work)
        node_flow[:] = 0.0
        for z in range(demand.shape[1]):
            q = demand[r, z]
            if q > 0.0:
                if np.isfinite(work.dist[z]):
                    node_flow[z] = q
                else:
                    lost += q
        for k in range(count - 1, 0, -1):
            u = work.order[k]
            a = out_links[work.pred[u]]
            on[r, a] = True
            bush_flow[r, a] += node_flow[u]
            node_flow[init[a]] += node_flow[u]
    return lost


@njit(cache=True)
def _iteration(
    bushes: Bushes,
    blocked_zones: int,
    graph: LinkGraph,
    flow: FloatArray,
    parameters: CostParameters,
    vdf: int,
    system_optimum: bool,
    inner_passes: int,
    tolerance: float,
) -> None:
    """One main iteration: update and equilibrate every bush, then extra shift-only passes."""
    n_links = graph.init.size
    links = LinkState(flow, np.empty(n_links), np.empty(n_links))
    flow[:] = 0.0
    for r in range(bushes.origin.size):
        flow += bushes.flow[r]
    for a in range(n_links):
        update_link(a, links, parameters, vdf, system_optimum)
    work = workspace(graph.out_start.size - 1)
    # Pass 0 updates each bush and equilibrates it; the extra passes only shift flows.
    for step in range(inner_passes + 1):
        for r in range(bushes.origin.size):
            o = bushes.origin[r]
            on, bush_flow = bushes.on[r], bushes.flow[r]
            if step == 0:
                _update_bush(o, blocked_zones, graph, on, bush_flow, links, bushes.demand[r], work)
            _shift_flows(
                o, graph, on, bush_flow, links, parameters, vdf, system_optimum, work, tolerance
            )
    flow[:] = 0.0
    for r in range(bushes.origin.size):
        flow += bushes.flow[r]


#: An iteration that leaves the relative gap above this share of the last one has stalled.
STALL_RATIO = 0.9
#: Most shift-only passes an iteration may make after stalls.
MAX_INNER_PASSES = 64


def algorithm_b(
    graph: AssignmentGraph,
    classes: Sequence[TrafficClass],
    *,
    gap: float = 1e-6,
    max_iterations: int = 1000,
    max_seconds: float = float("inf"),
    vdf: int = 0,
    system_optimum: bool = False,
    inner_passes: int = 4,
    monitor: Monitor | None = None,
) -> AssignmentResult:
    """Equilibrium (or system optimum) link flows by Algorithm B.

    Parameters
    ----------
    graph : AssignmentGraph
    classes : sequence of TrafficClass
        Demand by class, sharing capacity through their PCE factors; each class keeps its
        own bush at each origin, so class flows are exact.
    gap, max_iterations, max_seconds, vdf, system_optimum, monitor
        As for :func:`amur.assign.frank_wolfe.frank_wolfe`.
    inner_passes : int, default 4
        Shift-only passes over all bushes after each bush update. Where an iteration cuts
        the relative gap by less than ``STALL_RATIO``, the passes double for the next ones
        (up to ``MAX_INNER_PASSES``): on some steep networks four passes move flow too
        little per iteration and the gap falls by about 1 % an iteration.

    Returns
    -------
    AssignmentResult

    Raises
    ------
    InputError
        If some demand has no path.
    """
    from amur.errors import InputError

    monitor = monitor or Monitor("b", gap, max_iterations)
    start = time.perf_counter()
    demand = np.zeros((graph.n_zones, graph.n_zones))
    # One bush per origin and class, carrying the class's PCE-weighted flow: exact class flows.
    rows, origin_list, owner = [], [], []
    for k, c in enumerate(classes):
        matrix = c.pce * np.asarray(c.demand, dtype=np.float64)
        demand += matrix
        for o in np.flatnonzero(matrix.sum(axis=1) > 0):
            rows.append(matrix[o])
            origin_list.append(o)
            owner.append(k)
    origins = np.asarray(origin_list, dtype=np.int32)
    bushes = Bushes(
        origin=origins,
        demand=np.asarray(rows, dtype=np.float64).reshape(-1, graph.n_zones),
        on=np.zeros((origins.size, graph.n_links), dtype=np.bool_),
        flow=np.zeros((origins.size, graph.n_links)),
    )
    free_cost = costs(graph, np.zeros(graph.n_links), vdf, system_optimum)
    lost = _initial_bushes(bushes, graph.blocked_zones, graph.link_graph, free_cost)
    if lost > 0:
        raise InputError(f"demand: {lost:g} flow units have no path from origin to destination")
    flow = bushes.flow.sum(axis=0)
    history: list[tuple[int, float, float]] = []
    relative = np.inf
    iteration = 0
    passes = inner_passes
    while iteration < max_iterations and time.perf_counter() - start < max_seconds:
        iteration += 1
        tolerance = max(min(relative, 1.0) * 1e-3, 1e-14)
        previous = relative
        _iteration(
            bushes,
            graph.blocked_zones,
            graph.link_graph,
            flow,
            graph.cost_parameters,
            vdf,
            system_optimum,
            passes,
            tolerance,
        )
        cost = costs(graph, flow, vdf, system_optimum)
        _, shortest = all_or_nothing(graph, cost, demand)
        tstt = float(flow @ cost)
        relative = (tstt - shortest) / tstt if tstt > 0 else 0.0
        if relative > STALL_RATIO * previous:
            passes = min(2 * passes, MAX_INNER_PASSES)
        elapsed = time.perf_counter() - start
        history.append((iteration, relative, elapsed))
        monitor.update(iteration, relative, elapsed)
        if relative <= gap:
            break
    monitor.close()
    cost = costs(graph, flow, vdf, system_optimum)
    if iteration == 0:
        tstt = float(flow @ cost)
        _, shortest = all_or_nothing(graph, cost, demand)
        relative = (tstt - shortest) / tstt if tstt > 0 else 0.0
    return AssignmentResult(
        flow=flow.copy(),
        cost=cost,
        iterations=iteration,
        relative_gap=float(relative),
        objective=beckmann_objective(graph, flow, vdf, system_optimum),
        history=history,
        algorithm="b",
        class_flow=_class_flows(classes, np.asarray(owner, dtype=np.int64), bushes.flow),
    )


def _class_flows(
    classes: Sequence[TrafficClass], owner: NDArray[np.int64], bush_flow: FloatArray
) -> FloatArray:
    """Link flow of each class, in its own unit: its bushes' PCE flow divided by its PCE."""
    out = np.zeros((len(classes), bush_flow.shape[1]))
    for k, c in enumerate(classes):
        if c.pce > 0:
            out[k] = bush_flow[owner == k].sum(axis=0) / c.pce
    return out
