"""The path of a service over the links of its mode: through its calls and via places,
crossing borders only where it does (internal to :mod:`amur.graph.services`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from amur.network import Network
from amur.network.services import (
    service_calls,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class _Tables:
    """A network's link, node and service columns as arrays, read once per network."""

    node_pos: dict[str, int]
    n_nodes: int
    link_a: IntArray
    link_b: IntArray
    length: FloatArray
    both: npt.NDArray[np.bool_]
    mode: np.ndarray
    co2: FloatArray
    rate: FloatArray
    handling_h: FloatArray
    handling_usd: FloatArray
    crossing: npt.NDArray[np.bool_]
    services: list[dict[str, object]]


@lru_cache(maxsize=64)
def _tables(net: Network) -> _Tables:
    links, nodes = net.links, net.nodes
    pos = net.node_index
    return _Tables(
        node_pos=pos,
        n_nodes=len(nodes),
        link_a=np.asarray(links["from_node"].map(pos).to_numpy(), dtype=np.int64),
        link_b=np.asarray(links["to_node"].map(pos).to_numpy(), dtype=np.int64),
        length=links["length_km"].to_numpy(np.float64),
        both=links["bidirectional"].to_numpy(bool),
        mode=links["mode"].to_numpy(dtype=object),
        co2=np.nan_to_num(links["co2_kg_per_tkm"].to_numpy(np.float64, na_value=np.nan)),
        rate=np.nan_to_num(links["cost_usd_per_teu_km"].to_numpy(np.float64, na_value=np.nan)),
        handling_h=np.nan_to_num(nodes["handling_time_h"].to_numpy(np.float64, na_value=np.nan)),
        handling_usd=np.nan_to_num(
            nodes["handling_cost_usd_per_teu"].to_numpy(np.float64, na_value=np.nan)
        ),
        crossing=(nodes["kind"] == "border_crossing").to_numpy(dtype=bool),
        services=[{str(k): v for k, v in rec.items()} for rec in net.services.to_dict("records")],
    )


#: A hop of a service's path: from call ``a`` to call ``b``, as (link row, forward) pairs.
Hop = list[tuple[int, bool]]


@dataclass(frozen=True, eq=False)
class _ModeGraph:
    """The links of one mode in service, as a sparse matrix (the shortest of parallel links),
    with the link row and direction of each matrix entry.
    """

    matrix: object
    arc_of: dict[tuple[int, int], tuple[int, bool]]


def _usable(tables: _Tables, service: dict[str, object]) -> npt.NDArray[np.bool_]:
    """Links a service may run over: of its mode, and touching no border crossing but those
    among its calls and via places (a service keeps to its corridor: with its crossing
    closed it does not run, rather than detour through another one).
    """
    allowed = {
        tables.node_pos[p]
        for p in (*service_calls(service["calls"]), *service_calls(service["via"]))
    }
    barred = tables.crossing.copy()
    barred[list(allowed)] = False
    return np.asarray(
        (tables.mode == service["mode"]) & ~barred[tables.link_a] & ~barred[tables.link_b],
        dtype=bool,
    )


def _mode_graph(tables: _Tables, usable_mask: np.ndarray) -> _ModeGraph | None:
    from scipy.sparse import csr_matrix

    usable = np.flatnonzero(usable_mask)
    if not len(usable):
        return None
    a, b = tables.link_a[usable], tables.link_b[usable]
    length, both = tables.length[usable], tables.both[usable]
    tails = np.concatenate([a, b[both]])
    heads = np.concatenate([b, a[both]])
    weights = np.concatenate([length, length[both]])
    rows = np.concatenate([usable, usable[both]])
    fwd = np.concatenate([np.ones(len(usable), bool), np.zeros(int(both.sum()), bool)])
    # Keep the shortest of parallel links: csr_matrix would add them up.
    order = np.lexsort((weights, heads, tails))
    keep = np.ones(len(order), bool)
    keep[1:] = (tails[order][1:] != tails[order][:-1]) | (heads[order][1:] != heads[order][:-1])
    pick = order[keep]
    n = tables.n_nodes
    matrix = csr_matrix((weights[pick] + 1e-9, (tails[pick], heads[pick])), shape=(n, n))
    arc_of = {
        (int(t), int(h)): (int(r), bool(f))
        for t, h, r, f in zip(tails[pick], heads[pick], rows[pick], fwd[pick], strict=True)
    }
    return _ModeGraph(matrix, arc_of)


def _service_path(
    tables: _Tables, graph: _ModeGraph | None, rec: dict[str, object]
) -> list[tuple[int, int, Hop]] | None:
    """The path of one service, hop by hop: (from node, to node, links), or None."""
    from scipy.sparse.csgraph import dijkstra

    if graph is None:
        return None
    calls = [tables.node_pos[c] for c in service_calls(rec["calls"])]
    via = [tables.node_pos[v] for v in service_calls(rec["via"])]
    stops = sorted(set(calls) | set(via))
    dist, pred = dijkstra(graph.matrix, indices=stops, return_predecessors=True)
    row_of = {s: k for k, s in enumerate(stops)}
    waypoints = _waypoints(calls, via, dist, row_of)
    if waypoints is None:
        return None
    hops: list[tuple[int, int, Hop]] = []
    for start, stop, inner in waypoints:
        links_of_hop: Hop = []
        points = [start, *inner, stop]
        for u, v in itertools.pairwise(points):
            nodes = [v]
            while nodes[-1] != u:
                nodes.append(int(pred[row_of[u], nodes[-1]]))
            nodes.reverse()
            links_of_hop += [graph.arc_of[(x, y)] for x, y in itertools.pairwise(nodes)]
        hops.append((start, stop, links_of_hop))
    return hops


def _waypoints(
    calls: list[int], via: list[int], dist: np.ndarray, row_of: dict[int, int]
) -> list[tuple[int, int, list[int]]] | None:
    """Assign the via places, in order, to the hops between calls so the whole path is
    shortest; None if some call or via cannot be reached.
    """
    n_hops = len(calls) - 1
    best: tuple[float, tuple[int, ...]] | None = None
    for choice in itertools.combinations_with_replacement(range(n_hops), len(via)):
        total = 0.0
        for hop in range(n_hops):
            points = [
                calls[hop],
                *(v for v, h in zip(via, choice, strict=True) if h == hop),
                calls[hop + 1],
            ]
            total += sum(float(dist[row_of[x], y]) for x, y in itertools.pairwise(points))
        if np.isfinite(total) and (best is None or total < best[0]):
            best = (total, choice)
    if best is None:
        return None
    return [
        (calls[h], calls[h + 1], [v for v, k in zip(via, best[1], strict=True) if k == h])
        for h in range(n_hops)
    ]


def _reversed(path: list[tuple[int, int, Hop]]) -> list[tuple[int, int, Hop]]:
    return [(b, a, [(row, not fwd) for row, fwd in reversed(hop)]) for a, b, hop in reversed(path)]
