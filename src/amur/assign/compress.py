"""The compressed graph of the all-or-nothing loading: chains of nodes with one way in and one
way out contracted into segments, so trees settle fewer nodes (bit-identical loads).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numba import njit

from amur.assign.arrays import FloatArray, IntArray
from amur.assign.graph import AssignmentGraph


@njit(cache=True)
def _contract_chains(
    n_zones: int,
    out_start: IntArray,
    out_links: IntArray,
    init: IntArray,
    term: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Replace chains of pass-through nodes by single arcs; see :func:`compressed`."""
    n = out_start.size - 1
    m = init.size
    indeg = np.zeros(n, np.int32)
    for a in range(m):
        indeg[term[a]] += 1
    passing = np.zeros(n, np.bool_)
    for x in range(n_zones, n):
        out_deg = out_start[x + 1] - out_start[x]
        if out_deg != indeg[x] or out_deg < 1 or out_deg > 2:
            continue
        first = term[out_links[out_start[x]]]
        last = term[out_links[out_start[x + 1] - 1]]
        passing[x] = first != x and last != x and (out_deg == 1 or first != last)
    # one way through: entered from another node than it leaves to; two ways through: one
    # link in from each of the two nodes it leaves to
    from_first = np.zeros(n, np.int32)
    from_last = np.zeros(n, np.int32)
    for a in range(m):
        x = term[a]
        if not passing[x]:
            continue
        t = init[a]
        if t == term[out_links[out_start[x]]]:
            from_first[x] += 1
        elif t == term[out_links[out_start[x + 1] - 1]]:
            from_last[x] += 1
    for x in range(n_zones, n):
        if passing[x]:
            if out_start[x + 1] - out_start[x] == 1:
                passing[x] = from_first[x] == 0
            else:
                passing[x] = from_first[x] == 1 and from_last[x] == 1
    c_start = np.zeros(n + 1, out_start.dtype)
    for u in range(n):
        c_start[u + 1] = c_start[u] + (0 if passing[u] else out_start[u + 1] - out_start[u])
    n_arcs = c_start[n]
    c_head = np.empty(n_arcs, out_start.dtype)
    seg_start = np.zeros(n_arcs + 1, out_start.dtype)
    seg_links = np.empty(m, out_start.dtype)
    used = 0
    k = 0
    for u in range(n):
        if passing[u]:
            continue
        for p in range(out_start[u], out_start[u + 1]):
            link = out_links[p]
            seg_links[used] = link
            used += 1
            prev = u
            v = term[link]
            steps = 0
            while passing[v] and steps <= n:
                nxt = out_links[out_start[v]]
                if term[nxt] == prev:
                    nxt = out_links[out_start[v] + 1]
                seg_links[used] = nxt
                used += 1
                prev = v
                v = term[nxt]
                steps += 1
            c_head[k] = v
            k += 1
            seg_start[k] = used
    return c_start, c_head, seg_start, seg_links[:used].copy()


class Compressed(NamedTuple):
    """An assignment graph with chains of pass-through nodes contracted, for trees.

    A node other than a zone that is entered by one link and left by one link to another
    node, or that joins exactly two neighbours both ways, only passes traffic on; each chain
    of such nodes becomes one arc from the node before it to the node after it, carrying the
    links of the chain in order. Trees on the compressed graph give the same distances at
    every node they keep (zones are always kept) with fewer nodes to settle. A named tuple,
    so that a compiled kernel takes it as one argument.

    Attributes
    ----------
    out_start, out_term : ndarray of int32
        CSR arrays over the original node numbers (contracted nodes have no arcs).
    segment_start, segment_links : ndarray of int32
        Links of compressed arc ``k``: ``segment_links[segment_start[k]:segment_start[k+1]]``.
    """

    out_start: IntArray
    out_term: IntArray
    segment_start: IntArray
    segment_links: IntArray


@lru_cache(maxsize=16)
def compressed(graph: AssignmentGraph) -> Compressed:
    """The graph with its chains of pass-through nodes contracted (computed once per graph).

    Parameters
    ----------
    graph : AssignmentGraph

    Returns
    -------
    Compressed

    Examples
    --------
    >>> from amur.assign.graph import build_graph
    >>> g = build_graph([0, 2, 1], [2, 1, 0], [1, 1, 1], [1.0, 1.0, 1.0], n_zones=2)
    >>> c = compressed(g)
    >>> c.out_term.tolist(), c.segment_links.tolist()
    ([1, 0], [0, 1, 2])
    """
    c_start, c_head, seg_start, seg_links = _contract_chains(
        graph.n_zones, graph.out_start, graph.out_links, graph.init, graph.term
    )
    return Compressed(c_start, c_head, seg_start, seg_links)


@njit(cache=True)
def _segment_costs(
    segment_start: IntArray, segment_links: IntArray, cost: FloatArray
) -> FloatArray:
    """Cost of each compressed arc: the sum of its links' costs, in path order."""
    n_arcs = segment_start.size - 1
    out = np.empty(n_arcs)
    for k in range(n_arcs):
        total = 0.0
        for p in range(segment_start[k], segment_start[k + 1]):
            total += cost[segment_links[p]]
        out[k] = total
    return out
