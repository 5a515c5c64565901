"""The path engine: one heap, one Dijkstra/A* kernel over CSR arrays, and label setting.

Every shortest-path search in amur runs through :func:`search`: route queries (A* with
landmark bounds, early stop at the destination, blocked places), skims (full trees, in
parallel over origins), all-or-nothing loading, Algorithm B's first bushes and Dial's
loading (trees that do not pass through zones). The kernels take and return plain arrays
(the scipy.sparse.csgraph contract) and never see a Network or an assignment graph. The arc
arrays are in CSR order: the arcs out of state ``s`` are ``indptr[s]:indptr[s + 1]``, and
``head`` and ``weight`` are read in that order, with no indirection.

Compiled with numba; the first call in a process compiles (or loads the on-disk cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba
import numpy as np
import numpy.typing as npt
from numba import njit, prange

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Children per heap node. Four halves the depth of a binary heap and keeps a node's
#: children in one cache line; pushes (one per relaxation) outnumber pops in these graphs.
ARITY = 4


#: Work units per thread in the parallel loops over origins: a thread that finishes early
#: (the machine is busy, or its origins are near the edge) takes the next unit.
CHUNKS_PER_THREAD = 16


def n_chunks(n_items: int, threads: int | None = None, per_thread: int = CHUNKS_PER_THREAD) -> int:
    """How many work units to cut ``n_items`` origins into for ``threads`` threads."""
    threads = numba.get_num_threads() if threads is None else max(1, int(threads))
    return max(1, min(n_items, threads * per_thread))


@contextmanager
def dynamic_schedule() -> Iterator[None]:
    """Hand out the iterations of numba's parallel loops one at a time, as threads free up."""
    previous = numba.set_parallel_chunksize(1)
    try:
        yield
    finally:
        numba.set_parallel_chunksize(previous)


@njit(cache=True, inline="always")
def heap_push(
    keys: FloatArray, items: npt.NDArray[np.integer], size: int, key: float, item: int
) -> int:
    """Insert ``item`` with ``key`` into a 4-ary min-heap of ``size`` entries.

    Returns the new size. ``keys`` and ``items`` need room for every entry pushed.
    """
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        items[i] = items[parent]
        i = parent
    keys[i] = key
    items[i] = item
    return size + 1


@njit(cache=True, inline="always")
def heap_pop(keys: FloatArray, items: npt.NDArray[np.integer], size: int) -> int:
    """Remove the root of a 4-ary min-heap (read ``keys[0]``, ``items[0]`` first).

    Returns the new size.
    """
    size -= 1
    key = keys[size]
    item = items[size]
    i = 0
    while True:
        first = 4 * i + 1
        if first >= size:
            break
        child = first
        best = keys[first]
        last = min(first + 4, size)
        for c in range(first + 1, last):
            if keys[c] < best:
                best = keys[c]
                child = c
        if best >= key:
            break
        keys[i] = best
        items[i] = items[child]
        i = child
    keys[i] = key
    items[i] = item
    return size


@njit(cache=True)
def search(
    indptr: npt.NDArray[np.integer],
    head: npt.NDArray[np.integer],
    weight: FloatArray,
    sources: npt.NDArray[np.integer],
    source_dist: FloatArray,
    first_through: int,
    blocked: BoolArray,
    is_target: BoolArray,
    stop_after: int,
    bound_to: FloatArray,
    bound_to_offset: FloatArray,
    bound_from: FloatArray,
    bound_from_offset: FloatArray,
    dist: FloatArray,
    pred: npt.NDArray[np.integer],
    order: npt.NDArray[np.integer],
    keys: FloatArray,
    items: npt.NDArray[np.integer],
) -> tuple[int, int]:
    """Shortest paths from several sources into preallocated arrays: Dijkstra, or A*.

    Parameters
    ----------
    indptr, head : ndarray of int
        CSR structure: arcs out of state ``s`` are ``indptr[s]:indptr[s + 1]``; ``head[a]``
        is the state arc ``a`` enters.
    weight : ndarray of float64
        Non-negative arc weights, in arc order (``inf`` closes an arc).
    sources : ndarray of int
        Start states.
    source_dist : ndarray of float64
        Distance already travelled at each start state (0 for a plain query).
    first_through : int
        States below this number are reached but never passed through, unless they are
        sources (an assignment's zones); 0 lets every state be passed through.
    blocked : ndarray of bool, length n or 0
        States the path may not enter; empty for none.
    is_target : ndarray of bool, length n or 0
        Target states; empty for none.
    stop_after : int
        Stop once this many target states are settled (1: stop at the nearest target);
        0 builds the full tree.
    bound_to, bound_to_offset : ndarray of float64, shapes (k, n) and (k,)
        Rows of distances *to* a landmark, and each row's largest value over the targets:
        ``bound_to[i, v] - bound_to_offset[i]`` is a lower bound on the distance from ``v``
        to the targets. A precomputed consistent potential is one row with offset 0.
    bound_from, bound_from_offset : ndarray of float64, shapes (k, n) and (k,)
        Rows of distances *from* a landmark, and each row's least value over the targets:
        ``bound_from_offset[i] - bound_from[i, v]`` is another lower bound. With no rows of
        either kind the search is Dijkstra; with some it is A* (the bounds of the ALT
        algorithm, consistent by the triangle inequality), evaluated only at states reached.
    dist : ndarray of float64, length n
        Out: distance of every settled state (``inf`` where not reached; labels of reached
        but unsettled states are upper bounds).
    pred : ndarray of int, length n
        Out: arc into each state on its shortest path (-1 at sources and unreached states).
    order : ndarray of int, length n
        Out: states in the order settled (non-decreasing distance for Dijkstra).
    keys, items : ndarray
        Heap storage, room for ``len(head) + len(sources) + 1`` entries.

    Returns
    -------
    count : int
        Number of states settled (the filled prefix of ``order``).
    target : int
        The target state settled last (the nearest one when ``stop_after`` is 1), or -1.

    Notes
    -----
    O((n + m) log n) with a 4-ary heap and lazy deletion; states are settled once.
    """
    n = indptr.shape[0] - 1
    use_blocked = blocked.shape[0] > 0
    use_targets = is_target.shape[0] > 0 and stop_after > 0
    n_to = bound_to.shape[0]
    n_from = bound_from.shape[0]
    astar = n_to + n_from > 0
    potential = np.zeros(n if astar else 0)
    for v in range(n):
        dist[v] = np.inf
        pred[v] = -1
    done = np.zeros(n, np.bool_)
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        if use_blocked and blocked[s]:
            continue
        if source_dist[i] < dist[s]:
            if astar and dist[s] == np.inf:
                potential[s] = _bound(s, bound_to, bound_to_offset, bound_from, bound_from_offset)
            dist[s] = source_dist[i]
            key = dist[s] + potential[s] if astar else dist[s]
            size = heap_push(keys, items, size, key, s)
    count = 0
    found = 0
    target = -1
    while size > 0:
        u = items[0]
        size = heap_pop(keys, items, size)
        if done[u]:
            continue
        done[u] = True
        order[count] = u
        count += 1
        if use_targets and is_target[u]:
            target = u
            found += 1
            if found >= stop_after:
                break
        if u < first_through and pred[u] >= 0:
            continue
        du = dist[u]
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            nd = du + weight[a]
            if nd < dist[v]:
                if done[v] or (use_blocked and blocked[v]):
                    continue
                if astar and dist[v] == np.inf:
                    potential[v] = _bound(
                        v, bound_to, bound_to_offset, bound_from, bound_from_offset
                    )
                dist[v] = nd
                pred[v] = a
                key = nd + potential[v] if astar else nd
                size = heap_push(keys, items, size, key, v)
    return count, target


@njit(cache=True, inline="always")
def _bound(
    v: int,
    bound_to: FloatArray,
    bound_to_offset: FloatArray,
    bound_from: FloatArray,
    bound_from_offset: FloatArray,
) -> float:
    """The ALT lower bound at state ``v``: the largest landmark bound, at least 0.

    A bound that is ``nan`` (a landmark that neither ``v`` nor the targets reach) does not
    count; ``inf`` means ``v`` cannot reach the targets at all.
    """
    best = 0.0
    for i in range(bound_to.shape[0]):
        b = bound_to[i, v] - bound_to_offset[i]
        if b > best:
            best = b
    for i in range(bound_from.shape[0]):
        b = bound_from_offset[i] - bound_from[i, v]
        if b > best:
            best = b
    return best


def no_bounds(n: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Empty landmark arrays for :func:`search`: plain Dijkstra over ``n`` states."""
    empty_rows = np.zeros((0, n))
    return empty_rows, np.zeros(0), empty_rows, np.zeros(0)


def dijkstra(
    indptr: IntArray,
    head: IntArray,
    weight: FloatArray,
    sources: IntArray,
    source_dist: FloatArray,
    is_target: BoolArray,
    blocked: BoolArray,
    potential: FloatArray,
) -> tuple[FloatArray, IntArray, int]:
    """Shortest paths from several sources, stopping at the first target settled.

    A convenience over :func:`search` that allocates its own arrays.

    Parameters
    ----------
    indptr, head : ndarray of int64
        CSR structure: arcs out of state ``s`` are ``indptr[s]:indptr[s + 1]``.
    weight : ndarray of float64
        Non-negative arc weights.
    sources : ndarray of int64
        Start states.
    source_dist : ndarray of float64
        Distance already travelled at each start state (0 for a plain query).
    is_target : ndarray of bool
        States where the search may stop; all False to build the full tree.
    blocked : ndarray of bool
        States the path may not enter.
    potential : ndarray of float64
        A consistent lower bound on the distance to the targets (A*); zeros for Dijkstra.

    Returns
    -------
    dist : ndarray of float64
        Distance of every settled state (inf where not reached; labels of unsettled states
        are upper bounds).
    pred : ndarray of int64
        Arc into each state on its shortest path (-1 at sources and unreached states).
    target : int
        The target state settled first, or -1.

    Examples
    --------
    >>> import numpy as np
    >>> indptr, head = np.array([0, 2, 3, 3]), np.array([1, 2, 2])
    >>> weight = np.array([1.0, 5.0, 1.0])
    >>> none = np.zeros(3, np.bool_)
    >>> dist, pred, target = dijkstra(indptr, head, weight, np.array([0]), np.zeros(1),
    ...                               none, none, np.zeros(3))
    >>> dist.tolist(), pred.tolist(), target
    ([0.0, 1.0, 2.0], [-1, 0, 2], -1)
    """
    n = indptr.shape[0] - 1
    dist = np.empty(n)
    pred = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    capacity = head.shape[0] + sources.shape[0] + 1
    keys = np.empty(capacity)
    items = np.empty(capacity, np.int64)
    potential = np.ascontiguousarray(potential, dtype=np.float64)
    if potential.any():
        bound_to, to_offset = potential.reshape(1, n), np.zeros(1)
    else:
        bound_to, to_offset = np.zeros((0, n)), np.zeros(0)
    targets = np.asarray(is_target, dtype=np.bool_)
    _, target = search(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(head, dtype=np.int64),
        np.ascontiguousarray(weight, dtype=np.float64),
        np.asarray(sources, dtype=np.int64),
        np.asarray(source_dist, dtype=np.float64),
        0,
        np.asarray(blocked, dtype=np.bool_),
        targets,
        1 if targets.any() else 0,
        bound_to,
        to_offset,
        np.zeros((0, n)),
        np.zeros(0),
        dist,
        pred,
        order,
        keys,
        items,
    )
    return dist, pred, target


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
