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

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager

import numba
import numpy as np
import numpy.typing as npt
from numba import njit


def _probe_blas_without_scipy() -> None:
    """Let numba learn that BLAS is there without importing ``scipy.linalg``.

    When numba first compiles or loads a kernel, it imports ``numba.np.arraymath``, whose
    module-level probe imports ``scipy.linalg.cython_blas`` and so all of ``scipy.linalg``
    (0.2-0.4 s, a third of a warm ``amur route``). No amur kernel calls BLAS. Here the probe
    is answered by finding ``scipy.linalg`` without importing it (and numba's own check of
    the LAPACK integer width); numba's function is put back at once, so any later
    compilation of a BLAS or LAPACK call imports scipy and checks as before. A numba
    without these names, or one already set up, is left alone.
    """
    import sys

    if "numba.np.arraymath" in sys.modules:
        return
    from numba.np import linalg

    real = getattr(linalg, "ensure_blas", None)
    width = getattr(linalg, "_check_lapack_int_width", None)
    if real is None or width is None:
        return

    def probe() -> None:
        if importlib.util.find_spec("scipy.linalg") is None:
            raise ImportError("scipy.linalg is not installed")
        width()

    linalg.ensure_blas = probe
    try:
        from numba.np import arraymath
    finally:
        linalg.ensure_blas = real
    if getattr(arraymath, "ensure_blas", None) is probe:
        setattr(arraymath, "ensure_blas", real)  # noqa: B010  (not an exported name)


_probe_blas_without_scipy()

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
