"""Whole shortest-path trees in parallel over origins: skims (costs and path totals between
zones) and full trees (landmark distances), on the kernel's heap.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from amur.paths.kernel import search

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@njit(cache=True)
def _path_totals(
    pred: npt.NDArray[np.integer], tail: npt.NDArray[np.integer], values: FloatArray, state: int
) -> FloatArray:
    """Sums of each row of ``values`` (criteria x arcs) along the tree path into ``state``."""
    out = np.zeros(values.shape[0])
    while pred[state] >= 0:
        arc = pred[state]
        for k in range(values.shape[0]):
            out[k] += values[k, arc]
        state = tail[arc]
    return out


@njit(cache=True, parallel=True)
def skim_trees(
    indptr: npt.NDArray[np.integer],
    head: npt.NDArray[np.integer],
    tail: npt.NDArray[np.integer],
    weight: FloatArray,
    first_through: int,
    origin_ptr: IntArray,
    origin_states: IntArray,
    dest_ptr: IntArray,
    dest_states: IntArray,
    values: FloatArray,
    tie_row: int,
    n_chunks: int,
) -> FloatArray:
    """Origin-destination matrices from one :func:`search` tree per origin, in parallel.

    Parameters
    ----------
    indptr, head, tail, weight : ndarray
        CSR arrays as for :func:`search`, with the tail of each arc (needed only when
        ``values`` has rows).
    first_through : int
        As for :func:`search`.
    origin_ptr, origin_states : ndarray of int64
        Start states of origin ``i``: ``origin_states[origin_ptr[i]:origin_ptr[i + 1]]``.
    dest_ptr, dest_states : ndarray of int64
        States of destination ``j``, the same way; the best of them is reported.
    values : ndarray of float64, shape (k, n_arcs)
        Criteria to sum along each best path (k may be 0).
    tie_row : int
        Row of ``values`` that breaks ties between a destination's states at the same
        distance (the least wins); ignored when ``values`` has no rows.
    n_chunks : int
        Work units (threads); origin ``i`` goes to chunk ``i % n_chunks``.

    Returns
    -------
    ndarray of float64, shape (1 + k, n_origins, n_destinations)
        Row 0 is the distance, rows 1.. the sums of ``values``; ``inf`` where no path.

    Notes
    -----
    A tree stops once every destination state is settled.
    """
    n = indptr.shape[0] - 1
    n_o = origin_ptr.shape[0] - 1
    n_d = dest_ptr.shape[0] - 1
    n_k = values.shape[0]
    out = np.full((1 + n_k, n_o, n_d), np.inf)
    is_dest = np.zeros(n, np.bool_)
    n_dest = 0
    for p in range(dest_states.shape[0]):
        if not is_dest[dest_states[p]]:
            is_dest[dest_states[p]] = True
            n_dest += 1
    no_block = np.zeros(0, np.bool_)
    no_rows = np.zeros((0, n))
    no_offset = np.zeros(0)
    for chunk in prange(n_chunks):
        dist = np.empty(n)
        pred = np.empty(n, indptr.dtype)
        order = np.empty(n, indptr.dtype)
        capacity = head.shape[0] + n + 1
        keys = np.empty(capacity)
        items = np.empty(capacity, indptr.dtype)
        for i in range(chunk, n_o, n_chunks):
            sources = origin_states[origin_ptr[i] : origin_ptr[i + 1]]
            if sources.shape[0] == 0:
                continue
            search(
                indptr,
                head,
                weight,
                sources,
                np.zeros(sources.shape[0]),
                first_through,
                no_block,
                is_dest,
                n_dest,
                no_rows,
                no_offset,
                no_rows,
                no_offset,
                dist,
                pred,
                order,
                keys,
                items,
            )
            for j in range(n_d):
                best = np.inf
                best_tie = np.inf
                best_state = -1
                for p in range(dest_ptr[j], dest_ptr[j + 1]):
                    s = dest_states[p]
                    if not (dist[s] <= best and dist[s] < np.inf):
                        continue
                    if n_k == 0:
                        if dist[s] < best:
                            best = dist[s]
                            best_state = s
                        continue
                    # Among states tied on the criterion (a gauge or mode change that costs
                    # nothing of it), keep the one with the least tie-break value.
                    tie = _path_totals(pred, tail, values[tie_row : tie_row + 1], s)[0]
                    if dist[s] < best or tie < best_tie:
                        best = dist[s]
                        best_tie = tie
                        best_state = s
                if best_state < 0:
                    continue
                out[0, i, j] = best
                if n_k > 0:
                    totals = _path_totals(pred, tail, values, best_state)
                    for k in range(n_k):
                        out[1 + k, i, j] = totals[k]
    return out


@njit(cache=True, parallel=True)
def full_trees(
    indptr: IntArray,
    head: IntArray,
    weight: FloatArray,
    roots: IntArray,
) -> FloatArray:
    """Distances from each root to every state: one full :func:`search` tree per root.

    Returns
    -------
    ndarray of float64, shape (len(roots), n)
        ``inf`` where a state is not reached. Runs in parallel over the roots.
    """
    n = indptr.shape[0] - 1
    k = roots.shape[0]
    out = np.empty((k, n))
    no_block = np.zeros(0, np.bool_)
    no_rows = np.zeros((0, n))
    no_offset = np.zeros(0)
    for i in prange(k):
        dist = np.empty(n)
        pred = np.empty(n, np.int64)
        order = np.empty(n, np.int64)
        keys = np.empty(head.shape[0] + 2)
        items = np.empty(head.shape[0] + 2, np.int64)
        search(
            indptr,
            head,
            weight,
            roots[i : i + 1],
            np.zeros(1),
            0,
            no_block,
            no_block,
            0,
            no_rows,
            no_offset,
            no_rows,
            no_offset,
            dist,
            pred,
            order,
            keys,
            items,
        )
        out[i] = dist
    return out
