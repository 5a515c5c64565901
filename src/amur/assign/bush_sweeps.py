"""Algorithm B's sweeps over all bushes: the first bushes, the bush updates (in parallel
threads over origins), the link flow sums and the Newton shift passes (one thread, in origin
order: each shift sees the costs the shifts before it left).

Links are numbered in CSR order, as in :mod:`amur.assign.bush_steps`. The bush updates only
read the link costs, so the bushes of different origins are updated at once at the costs the
sweep starts from; the shifts change the costs that every other bush reads and stay sequential.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from amur.assign.bush_steps import _shift_flows, _update_bush
from amur.assign.paths import TreeWork, tree
from amur.assign.vdf import cost_derivative_scalar, cost_scalar

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]

#: Links summed together by one thread in :func:`_sum_flows`.
LINK_BLOCK = 2048


@njit(cache=True, parallel=True)
def _initial_bushes(
    origins: IntArray,
    demand: FloatArray,
    blocked_zones: int,
    csr: tuple[IntArray, IntArray, IntArray],
    cost: FloatArray,
    bushes: tuple[BoolArray, FloatArray, IntArray, IntArray],
    n_chunks: int,
) -> float:
    """Shortest path tree at ``cost`` as each origin's bush, loaded all-or-nothing.

    ``csr`` is ``(out_start, init, term)``; ``bushes`` is ``(on, bush_flow, orders, counts)``,
    filled in place (``orders[r, :counts[r]]``: the tree's nodes in the order they were
    settled, a topological order of the tree). Returns the demand with no path.
    """
    out_start, init, term = csr
    on, bush_flow, orders, counts = bushes
    n_nodes = out_start.size - 1
    lost = np.zeros(n_chunks)
    for chunk in prange(n_chunks):
        dist = np.empty(n_nodes)
        pred = np.empty(n_nodes, dtype=np.int32)
        keys = np.empty(cost.size + 2)
        items = np.empty(cost.size + 2, dtype=np.int32)
        no_target = np.zeros(0, dtype=np.bool_)
        node_flow = np.zeros(n_nodes)
        for r in range(chunk, origins.size, n_chunks):
            order = orders[r]
            # full trees: a node beyond the last zone may join a shortest path under congestion
            count = tree(
                out_start,
                term,
                cost,
                origins[r],
                blocked_zones,
                no_target,
                0,
                TreeWork(dist, pred, order, keys, items),
            )
            counts[r] = count
            node_flow[:] = 0.0
            for z in range(demand.shape[1]):
                q = demand[r, z]
                if q > 0.0:
                    if np.isfinite(dist[z]):
                        node_flow[z] = q
                    else:
                        lost[chunk] += q
            for k in range(count - 1, 0, -1):
                u = order[k]
                a = pred[u]
                on[r, a] = True
                bush_flow[r, a] += node_flow[u]
                node_flow[init[a]] += node_flow[u]
    return lost.sum()


@njit(cache=True, parallel=True)
def _update_all(
    origins: IntArray,
    demand: FloatArray,
    blocked_zones: int,
    csr: tuple[IntArray, IntArray, IntArray],
    cost: FloatArray,
    bushes: tuple[BoolArray, FloatArray, IntArray, IntArray],
    active: BoolArray,
    n_chunks: int,
) -> None:
    """Update every ``active`` bush (:func:`amur.assign.bush_steps._update_bush`) at the same
    ``cost``.

    The total link flows are not touched: the caller sums them again from the bushes.
    """
    on, bush_flow, orders, counts = bushes
    n_nodes = csr[0].size - 1
    for chunk in prange(n_chunks):
        scratch = (
            np.empty(n_nodes, dtype=np.int32),
            np.empty(n_nodes),
            np.empty(n_nodes, dtype=np.int32),
            np.empty(n_nodes),
            np.empty(n_nodes, dtype=np.int32),
            np.empty(n_nodes),
            np.empty(n_nodes),
        )
        reached = np.zeros(n_nodes, dtype=np.bool_)
        for r in range(chunk, origins.size, n_chunks):
            if not active[r]:
                continue
            counts[r] = _update_bush(
                origins[r],
                blocked_zones,
                csr,
                on[r],
                bush_flow[r],
                demand[r],
                cost,
                counts[r],
                orders[r],
                scratch,
                reached,
            )


@njit(cache=True, parallel=True)
def _sum_flows(bush_flow: FloatArray, flow: FloatArray) -> None:
    """``flow = bush_flow.sum(axis=0)``, in blocks of links, adding origins in order."""
    n_links = flow.size
    n_blocks = (n_links + LINK_BLOCK - 1) // LINK_BLOCK
    for block in prange(n_blocks):
        start = block * LINK_BLOCK
        stop = min(start + LINK_BLOCK, n_links)
        flow[start:stop] = 0.0
        for r in range(bush_flow.shape[0]):
            for a in range(start, stop):
                flow[a] += bush_flow[r, a]


@njit(cache=True)
def _costs(
    flow: FloatArray,
    vdf_params: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, int, bool],
    cost: FloatArray,
    derivative: FloatArray,
) -> None:
    """Link costs and their derivatives at ``flow``, written to ``cost`` and ``derivative``."""
    t0, cap, b, p, fixed, vdf, system_optimum = vdf_params
    for a in range(flow.size):
        cost[a] = fixed[a] + cost_scalar(flow[a], t0[a], cap[a], b[a], p[a], vdf, system_optimum)
        derivative[a] = cost_derivative_scalar(
            flow[a], t0[a], cap[a], b[a], p[a], vdf, system_optimum
        )


@njit(cache=True)
def _shift_all(
    csr: tuple[IntArray, IntArray, IntArray],
    bushes: tuple[BoolArray, FloatArray, IntArray, IntArray],
    flow: FloatArray,
    vdf_params: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, int, bool],
    passes: int,
    tolerance: float,
) -> None:
    """``passes`` Newton shift passes over every bush, in origin order, from the costs at
    ``flow``.
    """
    on, bush_flow, orders, counts = bushes
    n_nodes = csr[0].size - 1
    cost = np.empty(flow.size)
    derivative = np.empty(flow.size)
    _costs(flow, vdf_params, cost, derivative)
    labels = (
        np.empty(n_nodes),
        np.empty(n_nodes, dtype=np.int32),
        np.empty(n_nodes),
        np.empty(n_nodes, dtype=np.int32),
    )
    position = np.zeros(n_nodes, dtype=np.int64)
    # An origin whose bush made no shift in a pass sits out the rest of the call: the others'
    # shifts move its costs little, and its next update starts a new call.
    moved = np.ones(counts.size, dtype=np.bool_)
    for _ in range(passes):
        for r in range(counts.size):
            if not moved[r]:
                continue
            moved[r] = (
                _shift_flows(
                    csr,
                    on[r],
                    bush_flow[r],
                    flow,
                    cost,
                    derivative,
                    vdf_params,
                    counts[r],
                    orders[r],
                    labels,
                    position,
                    tolerance,
                )
                > 0
            )


@njit(cache=True, parallel=True)
def _bush_costs(bush_flow: FloatArray, cost: FloatArray, out: FloatArray) -> None:
    """Each bush's flow times cost (``out[r] = bush_flow[r] @ cost``), without BLAS threads."""
    for r in prange(bush_flow.shape[0]):
        total = 0.0
        for a in range(cost.size):
            total += bush_flow[r, a] * cost[a]
        out[r] = total
