"""The exact bi-objective label-setting kernel behind Pareto routes (on the one heap of
:mod:`amur.paths.kernel`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from amur.paths.kernel import BoolArray, FloatArray, IntArray, heap_pop, heap_push

__all__ = ["pareto_labels"]


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

    Labels leave the heap in order of criterion 1. A label is settled at its state when its
    second criterion is below that of every label settled there before; a label so settled
    is Pareto-optimal at its state or tied on criterion 1 with one that is (such ties are
    dropped by :func:`amur.paths.pareto.pareto_front`), and no Pareto-optimal label is
    ever refused. One number per state records the least second criterion settled.

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
    keys = np.empty(max_labels, np.float64)
    items = np.empty(max_labels, np.int64)
    size = 0
    count = 0
    for s in sources:
        if count >= max_labels:
            return c1, c2, state, pred, arc, -1
        c1[count] = 0.0
        c2[count] = 0.0
        state[count] = s
        pred[count] = -1
        arc[count] = -1
        size = heap_push(keys, items, size, 0.0, count)
        count += 1
    while size > 0:
        lab = items[0]
        size = heap_pop(keys, items, size)
        u = state[lab]
        if c2[lab] >= best2[u]:
            continue  # dominated by (or tied with) a label settled earlier at u
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
            size = heap_push(keys, items, size, n1, count)
            count += 1
    for k in range(count):
        if not settled[k]:
            state[k] = -1
    return c1, c2, state, pred, arc, count
