"""Algorithm B (Dial 2006): origin-based bushes and Newton flow shifts, compiled with numba.

Each origin keeps a bush, an acyclic set of links rooted at it carrying all its flow. An
iteration first updates the bushes, in parallel threads at the costs it starts from: it
restores exact flow conservation in each (the shifts' rounding would otherwise leave orphan
flow that stalls the method, see :func:`amur.assign.bush_steps._conserve_and_drop`), drops
unused links, and adds links that shorten the longest bush paths (which keeps the bush
acyclic). Then, in one thread, Newton shift passes visit every bush: at every node, in
descending topological order, flow moves from the longest used path to the shortest path by a
Newton step, between the node and the point where the two paths diverge, and the link costs
follow. A bush that made no shift sits out the rest of the iteration's passes; an origin whose
excess cost is well below its share of the gap skips the next update. The treatment follows
Boyles, Lownes & Unnikrishnan, *Transportation Network Analysis*, ch. 6.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numba
import numpy as np
from numpy.typing import NDArray

from amur.assign.bush_sweeps import (
    _bush_costs,
    _initial_bushes,
    _shift_all,
    _sum_flows,
    _update_all,
)
from amur.assign.graph import AssignmentGraph
from amur.assign.monitor import Monitor
from amur.assign.paths import all_or_nothing
from amur.assign.result import AssignmentResult, TrafficClass, beckmann_objective, costs
from amur.assign.vdf import CostParameters, link_costs
from amur.paths.kernel import dynamic_schedule, n_chunks

__all__ = ["algorithm_b"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]
Bushes = tuple[BoolArray, FloatArray, IntArray, IntArray]
VdfParams = tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, int, bool]


def _iteration(
    origins: IntArray,
    demand: FloatArray,
    blocked_zones: int,
    csr: tuple[IntArray, IntArray, IntArray],
    bushes: Bushes,
    flow: FloatArray,
    vdf_params: VdfParams,
    inner_passes: int,
    tolerance: float,
    active: BoolArray,
) -> None:
    """One main iteration: update the ``active`` bushes, then ``inner_passes + 1`` Newton
    shift passes over all.

    Links are in CSR order; ``csr`` is ``(out_start, init, term)``, ``bushes`` is ``(on,
    bush_flow, orders, counts)`` with a topological order of each bush, ``flow`` the total
    link flows (summed again from the bushes on the way), ``vdf_params`` is ``(t0, capacity,
    b, power, fixed_cost, vdf, system_optimum)``. The bushes are updated in parallel threads at
    the costs of ``flow``; the shifts run in one thread, each seeing the costs the previous
    ones left.
    """
    cost = np.empty(flow.size)
    _link_costs(flow, vdf_params, cost)
    with dynamic_schedule():
        _update_all(
            origins,
            demand,
            blocked_zones,
            csr,
            cost,
            bushes,
            active,
            n_chunks(origins.size, per_thread=4),
        )
    _sum_flows(bushes[1], flow)
    _shift_all(csr, bushes, flow, vdf_params, inner_passes + 1, tolerance)
    _sum_flows(bushes[1], flow)


@contextmanager
def _threads_for(work: int) -> Iterator[None]:
    """One numba thread for problems under ``PARALLEL_MIN_WORK`` (origins times links).

    A parallel loop waits for every thread it starts; on a busy machine a thread that is not
    scheduled costs milliseconds, which a small network's bush updates do not repay.
    """
    previous = numba.get_num_threads()
    if work < PARALLEL_MIN_WORK:
        numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def _link_costs(flow: FloatArray, vdf_params: VdfParams, cost: FloatArray) -> None:
    t0, cap, b, p, fixed, vdf, system_optimum = vdf_params
    link_costs(flow, CostParameters(t0, cap, b, p, fixed), vdf, system_optimum, cost)


#: An iteration that leaves the relative gap above this share of the last one has stalled.
STALL_RATIO = 0.9
#: Most shift-only passes an iteration may make after stalls.
MAX_INNER_PASSES = 64
#: Below this many origins times links, the bush kernels run in one thread.
PARALLEL_MIN_WORK = 500_000
#: An origin whose excess cost (its flows' cost less its demand's shortest path cost) is
#: below this share of the mean over origins skips the next bush update.
SKIP_SHARE = 0.1


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
    bush_demand = np.asarray(rows, dtype=np.float64).reshape(-1, graph.n_zones)
    # The bushes number links in CSR order (``csr_link[k]`` is the link at position k).
    csr_link = graph.out_links
    csr = (graph.out_start, np.ascontiguousarray(graph.init[csr_link]), graph.out_term)
    t0, capacity, b, power, fixed = (
        np.ascontiguousarray(x[csr_link]) for x in graph.cost_parameters
    )
    vdf_params: VdfParams = (t0, capacity, b, power, fixed, vdf, system_optimum)
    bushes: Bushes = (
        np.zeros((origins.size, graph.n_links), dtype=np.bool_),
        np.zeros((origins.size, graph.n_links)),
        np.zeros((origins.size, graph.n_nodes), dtype=np.int32),
        np.zeros(origins.size, dtype=np.int32),
    )
    free_cost = costs(graph, np.zeros(graph.n_links), vdf, system_optimum)[csr_link]
    work = origins.size * graph.n_links
    with _threads_for(work), dynamic_schedule():
        lost = _initial_bushes(
            origins,
            bush_demand,
            graph.blocked_zones,
            csr,
            free_cost,
            bushes,
            n_chunks(origins.size, per_thread=4),
        )
    if lost > 0:
        raise InputError(f"demand: {lost:g} flow units have no path from origin to destination")
    csr_flow = np.zeros(graph.n_links)
    with _threads_for(work):
        _sum_flows(bushes[1], csr_flow)
    flow = np.empty(graph.n_links)
    flow[csr_link] = csr_flow
    history: list[tuple[int, float, float]] = []
    relative = np.inf
    iteration = 0
    passes = inner_passes
    active = np.ones(origins.size, dtype=np.bool_)
    by_origin = np.zeros(graph.n_zones)
    while iteration < max_iterations and time.perf_counter() - start < max_seconds:
        iteration += 1
        tolerance = max(min(relative, 1.0) * 1e-3, 1e-14)
        previous = relative
        with _threads_for(work):
            _iteration(
                origins,
                bush_demand,
                graph.blocked_zones,
                csr,
                bushes,
                csr_flow,
                vdf_params,
                passes,
                tolerance,
                active,
            )
        flow[csr_link] = csr_flow
        cost = costs(graph, flow, vdf, system_optimum)
        _, shortest = all_or_nothing(graph, cost, demand, by_origin=by_origin)
        tstt = float(flow @ cost)
        relative = (tstt - shortest) / tstt if tstt > 0 else 0.0
        # An origin whose own excess cost is well below its share of the gap skips the next
        # bush update (its bush still takes part in the shift passes).
        bush_cost = np.empty(origins.size)
        with _threads_for(work):
            _bush_costs(bushes[1], np.ascontiguousarray(cost[csr_link]), bush_cost)
        excess = np.bincount(origins, bush_cost, graph.n_zones) - by_origin
        active = excess[origins] > SKIP_SHARE * (tstt - shortest) / max(origins.size, 1)
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
        class_flow=_class_flows(classes, np.asarray(owner, dtype=np.int64), bushes[1], csr_link),
    )


def _class_flows(
    classes: Sequence[TrafficClass],
    owner: NDArray[np.int64],
    bush_flow: FloatArray,
    csr_link: IntArray,
) -> FloatArray:
    """Link flow of each class, in its own unit: its bushes' PCE flow divided by its PCE.

    ``bush_flow`` is in CSR order, ``csr_link`` the link at each CSR position.
    """
    out = np.zeros((len(classes), bush_flow.shape[1]))
    for k, c in enumerate(classes):
        if c.pce > 0:
            out[k, csr_link] = bush_flow[owner == k].sum(axis=0) / c.pce
    return out
