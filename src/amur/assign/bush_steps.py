"""The compiled steps of Algorithm B inside one bush: topological order, min and max path
labels, the bush update, and the Newton flow shift between the longest and shortest paths
(see :mod:`amur.assign.bush`).

Links are numbered in CSR order (the links out of node ``u`` are ``out_start[u]`` to
``out_start[u + 1] - 1``), so the per-bush arrays ``on`` and ``bush_flow`` are read node by
node in memory order, with no indirection. Each bush keeps a topological order of its nodes
(``order[:count]``): the shifts do not change which links a bush holds, so the order made at
the bush update serves every shift pass until the next update.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from amur.assign.vdf import cost_derivative_scalar, cost_scalar

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]


@njit(cache=True)
def _topological_order(
    origin: int,
    out_start: IntArray,
    term: IntArray,
    on: BoolArray,
    indegree: IntArray,
    order: IntArray,
) -> int:
    """Kahn's algorithm on the bush; returns the number of nodes ordered (reachable ones)."""
    indegree[:] = 0
    for a in range(on.size):
        if on[a]:
            indegree[term[a]] += 1
    order[0] = origin
    head, tail = 0, 1
    while head < tail:
        u = order[head]
        head += 1
        for a in range(out_start[u], out_start[u + 1]):
            if on[a]:
                v = term[a]
                indegree[v] -= 1
                if indegree[v] == 0:
                    order[tail] = v
                    tail += 1
    return tail


@njit(cache=True)
def _labels(
    count: int,
    order: IntArray,
    csr: tuple[IntArray, IntArray],
    on: BoolArray,
    bush_flow: FloatArray,
    cost: FloatArray,
    used_only: bool,
    labels: tuple[FloatArray, IntArray, FloatArray, IntArray],
    inflow: FloatArray,
) -> None:
    """Shortest bush path labels, and longest (used, or any) bush path labels, in topo order.

    ``csr`` is ``(out_start, term)``; ``labels`` is ``(low, low_pred, high, high_pred)``,
    written in place. Unless ``inflow`` is empty, the bush flow into each node is summed
    into it on the way (the same pass over the bush).
    """
    out_start, term = csr
    low, low_pred, high, high_pred = labels
    sum_inflow = inflow.size > 0
    for k in range(count):
        u = order[k]
        low[u] = np.inf
        high[u] = -np.inf
        low_pred[u] = -1
        high_pred[u] = -1
        if sum_inflow:
            inflow[u] = 0.0
    low[order[0]] = 0.0
    high[order[0]] = 0.0
    for k in range(count):
        u = order[k]
        lu = low[u]
        hu = high[u]
        for a in range(out_start[u], out_start[u + 1]):
            if not on[a]:
                continue
            v = term[a]
            c = cost[a]
            if sum_inflow:
                inflow[v] += bush_flow[a]
            if lu + c < low[v]:
                low[v] = lu + c
                low_pred[v] = a
            if hu > -np.inf and (not used_only or bush_flow[a] > 0.0) and hu + c > high[v]:
                high[v] = hu + c
                high_pred[v] = a


@njit(cache=True)
def _conserve_and_drop(
    count: int,
    order: IntArray,
    out_start: IntArray,
    term: IntArray,
    on: BoolArray,
    bush_flow: FloatArray,
    demand: FloatArray,
    cost: FloatArray,
    low_pred: IntArray,
    high: FloatArray,
    scale: FloatArray,
    feed: FloatArray,
) -> None:
    """Make the bush's link flows conserve its demand exactly, as approach proportions, then
    drop the links left unused (except each node's shortest path link) and write to ``high``
    the longest path labels over the links kept.

    ``scale`` must hold the bush flow into each node and ``low_pred`` the shortest path
    labels' links (:func:`_labels`). The Newton shifts move flow link by link, and snapping
    rounding residue to zero on one link but not the next leaves chains of "orphan" flow
    (about 1e-9 on links whose flows once reached 1e7) that no used path from the origin
    feeds. ``_shift_flows`` cannot see them (its longest used labels stop where the used flow
    starts from nothing), yet they count as used, stay in the bush and raise the longest-path
    labels of the add rule, which then refuses the shortcuts equilibrium needs: Algorithm B
    stalls. This is the step Boyles' TAP-B takes each bush update (``calculateBushFlows`` in
    ``src/bush.c``, github.com/spartalab/tap-b), which keeps approach proportions rather than
    link flows: node by node in descending topological order, the throughput (demand plus
    outflow) is split over the incoming bush links in proportion to their flows, or sent whole
    along the shortest path link where none has flow. The total link flows change by at most
    rounding residue; the caller sums them again from the bushes.
    """
    n_zones = demand.size
    for k in range(count - 1, 0, -1):
        j = order[k]
        through = demand[j] if j < n_zones else 0.0
        for a in range(out_start[j], out_start[j + 1]):
            if on[a]:
                v = term[a]
                through += bush_flow[a] * scale[v] + (feed[v] if low_pred[v] == a else 0.0)
        inflow = scale[j]  # the incoming bush flow, until j's own ratio replaces it
        scale[j] = 0.0
        feed[j] = 0.0
        high[j] = -np.inf
        if inflow > 0.0:
            scale[j] = through / inflow
        else:
            feed[j] = through
    o = order[0]
    high[o] = 0.0
    for k in range(count):
        u = order[k]
        hu = high[u]
        for a in range(out_start[u], out_start[u + 1]):
            if not on[a]:
                continue
            v = term[a]
            if v == o:
                continue
            new = bush_flow[a] * scale[v] + (feed[v] if low_pred[v] == a else 0.0)
            if new <= 0.0 and low_pred[v] != a:
                on[a] = False
                bush_flow[a] = 0.0
                continue
            bush_flow[a] = new
            if hu + cost[a] > high[v]:
                high[v] = hu + cost[a]


@njit(cache=True)
def _update_bush(
    origin: int,
    blocked_zones: int,
    csr: tuple[IntArray, IntArray, IntArray],
    on: BoolArray,
    bush_flow: FloatArray,
    demand: FloatArray,
    cost: FloatArray,
    count: int,
    order: IntArray,
    scratch: tuple[IntArray, FloatArray, IntArray, FloatArray, IntArray, FloatArray, FloatArray],
    reached: BoolArray,
) -> int:
    """Restore conservation, drop unused links (keeping the shortest path tree), then add
    longest-path shortcuts; returns the size of the topological order left in ``order``.

    ``csr`` is ``(out_start, init, term)``; ``order[:count]`` must be a topological order of
    the bush as given. ``scratch`` is ``(indegree, low, low_pred, high, high_pred, scale,
    feed)``; ``reached`` must be all False and is left so.

    Four passes over the bush: labels and inflows; conservation backwards; new flows, the
    drop and the longest path labels ``high`` of the links kept, forwards; the add rule
    ``high[i] + cost < high[j]``. The shortest path labels do not depend on the flows and
    keep their links through the drop, so they stay those of the first pass. Every link kept
    satisfies ``high[i] + cost <= high[j]`` and every link added satisfies it strictly, so a
    cycle would need a positive sum of ``high[j] - high[i] - cost`` around it, which is minus
    its cost: the bush stays acyclic (zero-cost links too). Every node stays reached and the
    order stays topological through the drop; a new order is made only when a link is added.
    """
    out_start, _, term = csr
    indegree, low, low_pred, high, high_pred, scale, feed = scratch
    labels = (low, low_pred, high, high_pred)
    _labels(count, order, (out_start, term), on, bush_flow, cost, False, labels, scale)
    _conserve_and_drop(
        count, order, out_start, term, on, bush_flow, demand, cost, low_pred, high, scale, feed
    )
    for k in range(count):
        reached[order[k]] = True
    added = False
    for k in range(count):
        i = order[k]
        if i < blocked_zones and i != origin:
            continue
        hi = high[i]
        for a in range(out_start[i], out_start[i + 1]):
            if not on[a]:
                j = term[a]
                if reached[j] and hi + cost[a] < high[j]:
                    on[a] = True
                    added = True
    for k in range(count):
        reached[order[k]] = False
    if not added:
        return count
    return _topological_order(origin, out_start, term, on, indegree, order)


@njit(cache=True)
def _shift_flows(
    csr: tuple[IntArray, IntArray, IntArray],
    on: BoolArray,
    bush_flow: FloatArray,
    flow: FloatArray,
    cost: FloatArray,
    derivative: FloatArray,
    vdf_params: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, int, bool],
    count: int,
    order: IntArray,
    labels: tuple[FloatArray, IntArray, FloatArray, IntArray],
    position: NDArray[np.int64],
    tolerance: float,
) -> int:
    """Newton shifts from longest used to shortest path at each node, in descending order.

    ``csr`` is ``(out_start, init, term)``; ``vdf_params`` is ``(t0, cap, b, p, fixed, vdf,
    system_optimum)``; ``order[:count]`` is the bush's topological order. ``flow``, ``cost``
    and ``derivative`` of the links on both paths follow each shift. Returns the number of
    shifts made.
    """
    out_start, init, term = csr
    t0, cap, b, p, fixed, vdf, system_optimum = vdf_params
    low, low_pred, high, high_pred = labels
    for k in range(count):
        position[order[k]] = k
    _labels(count, order, (out_start, term), on, bush_flow, cost, True, labels, low[:0])
    shifts = 0
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
        shifts += 1
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
            cost[a] = fixed[a] + cost_scalar(
                flow[a], t0[a], cap[a], b[a], p[a], vdf, system_optimum
            )
            derivative[a] = cost_derivative_scalar(
                flow[a], t0[a], cap[a], b[a], p[a], vdf, system_optimum
            )
            node = init[a]
        node = j
        while node != divergence:
            a = low_pred[node]
            bush_flow[a] += shift
            flow[a] += shift
            cost[a] = fixed[a] + cost_scalar(
                flow[a], t0[a], cap[a], b[a], p[a], vdf, system_optimum
            )
            derivative[a] = cost_derivative_scalar(
                flow[a], t0[a], cap[a], b[a], p[a], vdf, system_optimum
            )
            node = init[a]
    return shifts
