"""Landmarks for A* (the ALT bounds of Goldberg & Harrelson, 2005): a few full trees per graph
and criterion that bound the remaining distance of a route query from below.

For a landmark ``L`` and any state ``v`` and target ``t``, the triangle inequality gives
``d(v, t) >= d(v, L) - d(t, L)`` and ``d(v, t) >= d(L, t) - d(L, v)``. Both bounds are
consistent, and so is their maximum over landmarks. Unlike a straight-line bound they count
every cost the criterion has: borders, gauge changes, handling and detours, so a query that
crosses a border searches about as narrowly as one that does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from amur.errors import InputError
from amur.paths.trees import full_trees

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Landmarks per graph and criterion: more tighten the bound and cost two trees each.
N_LANDMARKS = 8


@dataclass(frozen=True, eq=False)
class Landmarks:
    """Distances to and from a few landmark states, for one set of arc weights.

    Attributes
    ----------
    states : ndarray of int64, shape (k,)
        The landmark states.
    to_landmark : ndarray of float64, shape (k, n_states)
        ``to_landmark[i, v]`` is the distance from ``v`` to landmark ``i`` (inf if none).
    from_landmark : ndarray of float64, shape (k, n_states)
        ``from_landmark[i, v]`` is the distance from landmark ``i`` to ``v`` (inf if none).
    """

    states: IntArray
    to_landmark: FloatArray
    from_landmark: FloatArray

    def bounds(self, targets: IntArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Arguments of :func:`amur.paths.kernel.search` for a query toward ``targets``.

        Parameters
        ----------
        targets : ndarray of int64
            Target states; the bound is to the nearest of them.

        Returns
        -------
        bound_to, to_offset, bound_from, from_offset : ndarray of float64
            ``to_landmark`` with, per landmark, the largest distance from a target to it,
            and ``from_landmark`` with the least distance from it to a target.
        """
        if len(targets) == 0:
            raise InputError("landmark bounds need at least one target state", field="targets")
        to_offset = self.to_landmark[:, targets].max(axis=1)
        from_offset = self.from_landmark[:, targets].min(axis=1)
        return self.to_landmark, to_offset, self.from_landmark, from_offset


def reverse_csr(
    indptr: IntArray, head: IntArray, tail: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """The reversed graph in CSR form.

    Returns
    -------
    indptr, head : ndarray of int64
        CSR arrays of the graph with every arc turned around.
    arc : ndarray of int64
        The original arc of each reversed arc (to reorder weights: ``weight[arc]``).
    """
    n = indptr.shape[0] - 1
    arc = np.argsort(head, kind="stable").astype(np.int64)
    r_indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(head, minlength=n), out=r_indptr[1:])
    return r_indptr, np.ascontiguousarray(tail[arc], dtype=np.int64), arc


def select_landmarks(
    indptr: IntArray,
    head: IntArray,
    tail: IntArray,
    weight: FloatArray,
    k: int = N_LANDMARKS,
    seed_state: int = 0,
) -> Landmarks:
    """Pick ``k`` landmarks far from each other and compute their trees both ways.

    Parameters
    ----------
    indptr, head, tail : ndarray of int64
        CSR arrays (``tail[a]`` is the state arc ``a`` leaves).
    weight : ndarray of float64
        Non-negative arc weights, in arc order.
    k : int, default 8
        Number of landmarks (fewer if the graph has fewer states).
    seed_state : int, default 0
        Where the farthest-first selection starts.

    Returns
    -------
    Landmarks

    Notes
    -----
    Farthest-first: the first landmark is the state farthest from ``seed_state``; each next
    one is the state whose least round-trip distance to the landmarks so far is largest
    (states not reached both ways count as not far). 2k full trees in all.

    Examples
    --------
    >>> import numpy as np
    >>> indptr, head = np.array([0, 1, 2, 3]), np.array([1, 2, 0])
    >>> tail = np.array([0, 1, 2])
    >>> lm = select_landmarks(indptr, head, tail, np.array([1.0, 2.0, 3.0]), k=1)
    >>> lm.to_landmark.tolist(), lm.from_landmark.tolist()
    ([[3.0, 2.0, 0.0]], [[3.0, 4.0, 0.0]])
    """
    n = indptr.shape[0] - 1
    if n == 0 or k < 1:
        empty = np.zeros((0, n))
        return Landmarks(np.zeros(0, np.int64), empty, empty)
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    r_indptr, r_head, r_arc = reverse_csr(indptr, head, tail)
    r_weight = np.ascontiguousarray(weight[r_arc])
    start = full_trees(indptr, head, weight, np.array([seed_state], np.int64))[0]
    reached = np.isfinite(start)
    first = int(np.argmax(np.where(reached, start, -1.0)))
    chosen = [first]
    forward = [full_trees(indptr, head, weight, np.array([first], np.int64))[0]]
    backward = [full_trees(r_indptr, r_head, r_weight, np.array([first], np.int64))[0]]
    closest = forward[0] + backward[0]
    while len(chosen) < min(k, n):
        score = np.where(np.isfinite(closest), closest, -1.0)
        score[chosen] = -2.0
        nxt = int(np.argmax(score))
        if score[nxt] <= 0.0:
            break
        chosen.append(nxt)
        forward.append(full_trees(indptr, head, weight, np.array([nxt], np.int64))[0])
        backward.append(full_trees(r_indptr, r_head, r_weight, np.array([nxt], np.int64))[0])
        closest = np.minimum(closest, forward[-1] + backward[-1])
    return Landmarks(np.array(chosen, np.int64), np.vstack(backward), np.vstack(forward))
