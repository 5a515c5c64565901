"""Compiled shortest-path kernels on CSR arrays: Dijkstra/A* and bi-objective label setting.

They take and return plain arrays (the scipy.sparse.csgraph contract) and never see a
Network. Compiled with numba; the first call in a process compiles (or loads the cache).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@njit(cache=True, inline="always")
def _push(heap_key: FloatArray, heap_val: IntArray, size: int, key: float, val: int) -> int:
    i = size
    heap_key[i] = key
    heap_val[i] = val
    while i > 0:
        parent = (i - 1) >> 1
        if heap_key[parent] <= heap_key[i]:
            break
        heap_key[parent], heap_key[i] = heap_key[i], heap_key[parent]
        heap_val[parent], heap_val[i] = heap_val[i], heap_val[parent]
        i = parent
    return size + 1


@njit(cache=True, inline="always")
def _pop(heap_key: FloatArray, heap_val: IntArray, size: int) -> int:
    size -= 1
    heap_key[0] = heap_key[size]
    heap_val[0] = heap_val[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and heap_key[left + 1] < heap_key[left]:
            child = left + 1
        if heap_key[i] <= heap_key[child]:
            break
        heap_key[child], heap_key[i] = heap_key[i], heap_key[child]
        heap_val[child], heap_val[i] = heap_val[i], heap_val[child]
        i = child
    return size


@njit(cache=True)
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

    Notes
    -----
    O((n + m) log n) with a binary heap and lazy deletion.
    """
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, np.int64)
    done = np.zeros(n, np.bool_)
    capacity = head.shape[0] + sources.shape[0] + 1
    heap_key = np.empty(capacity, np.float64)
    heap_val = np.empty(capacity, np.int64)
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        if blocked[s]:
            continue
        if source_dist[i] < dist[s]:
            dist[s] = source_dist[i]
            size = _push(heap_key, heap_val, size, dist[s] + potential[s], s)
    while size > 0:
        u = heap_val[0]
        size = _pop(heap_key, heap_val, size)
        if done[u]:
            continue
        done[u] = True
        if is_target[u]:
            return dist, pred, u
        du = dist[u]
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            if blocked[v] or done[v]:
                continue
            nd = du + weight[a]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = a
                size = _push(heap_key, heap_val, size, nd + potential[v], v)
    return dist, pred, -1


@njit(cache=True)
def pareto_labels(
    indptr: IntArray,
    head: IntArray,
    weight1: FloatArray,
    weight2: FloatArray,
    sources: IntArray,
    is_target: BoolArray,
    max_labels: int,
) -> tuple[FloatArray, FloatArray, IntArray, IntArray, IntArray, int]:
    """Bi-objective label setting (Martins' algorithm for two criteria).

    Labels leave the heap in lexicographic order of (criterion 1, criterion 2), so a label is
    Pareto-optimal at its state exactly when its second criterion is below every label
    already settled there; one number per state records that.

    Returns
    -------
    c1, c2 : ndarray of float64
        Criteria of every label created.
    state, pred_label, arc : ndarray of int64
        State of each label, the label it extends (-1 at a source) and the arc used.
    count : int
        Number of labels created; -1 if ``max_labels`` was exceeded.

    Notes
    -----
    Settled labels at target states are the Pareto set; the caller filters them with
    :func:`amur.paths.pareto.pareto_front`.
    """
    n = indptr.shape[0] - 1
    c1 = np.empty(max_labels, np.float64)
    c2 = np.empty(max_labels, np.float64)
    state = np.empty(max_labels, np.int64)
    pred = np.empty(max_labels, np.int64)
    arc = np.empty(max_labels, np.int64)
    settled = np.zeros(max_labels, np.bool_)
    best2 = np.full(n, np.inf)
    heap_k1 = np.empty(max_labels, np.float64)
    heap_k2 = np.empty(max_labels, np.float64)
    heap_v = np.empty(max_labels, np.int64)
    size = 0
    count = 0
    for s in sources:
        c1[count] = 0.0
        c2[count] = 0.0
        state[count] = s
        pred[count] = -1
        arc[count] = -1
        heap_k1[size] = 0.0
        heap_k2[size] = 0.0
        heap_v[size] = count
        size += 1
        count += 1
    while size > 0:
        # pop the lexicographic minimum
        lab = heap_v[0]
        size -= 1
        heap_k1[0] = heap_k1[size]
        heap_k2[0] = heap_k2[size]
        heap_v[0] = heap_v[size]
        i = 0
        while True:
            left = 2 * i + 1
            if left >= size:
                break
            child = left
            right = left + 1
            if right < size and (heap_k1[right] < heap_k1[left] or (
                    heap_k1[right] == heap_k1[left] and heap_k2[right] < heap_k2[left])):
                child = right
            if heap_k1[i] < heap_k1[child] or (
                    heap_k1[i] == heap_k1[child] and heap_k2[i] <= heap_k2[child]):
                break
            heap_k1[child], heap_k1[i] = heap_k1[i], heap_k1[child]
            heap_k2[child], heap_k2[i] = heap_k2[i], heap_k2[child]
            heap_v[child], heap_v[i] = heap_v[i], heap_v[child]
            i = child
        u = state[lab]
        if c2[lab] >= best2[u]:
            continue  # dominated by a label settled earlier at u
        best2[u] = c2[lab]
        settled[lab] = True
        if is_target[u]:
            continue
        for a in range(indptr[u], indptr[u + 1]):
            v = head[a]
            n1 = c1[lab] + weight1[a]
            n2 = c2[lab] + weight2[a]
            if n2 >= best2[v]:
                continue
            if count >= max_labels:
                return c1, c2, state, pred, arc, -1
            c1[count] = n1
            c2[count] = n2
            state[count] = v
            pred[count] = lab
            arc[count] = a
            # push
            j = size
            heap_k1[j] = n1
            heap_k2[j] = n2
            heap_v[j] = count
            size += 1
            while j > 0:
                parent = (j - 1) >> 1
                if heap_k1[parent] < heap_k1[j] or (
                        heap_k1[parent] == heap_k1[j] and heap_k2[parent] <= heap_k2[j]):
                    break
                heap_k1[parent], heap_k1[j] = heap_k1[j], heap_k1[parent]
                heap_k2[parent], heap_k2[j] = heap_k2[j], heap_k2[parent]
                heap_v[parent], heap_v[j] = heap_v[j], heap_v[parent]
                j = parent
            count += 1
    for k in range(count):
        if not settled[k]:
            state[k] = -1
    return c1, c2, state, pred, arc, count
