"""The assignment graph: a link-based network as flat arrays with a CSR forward star."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from amur.assign.arrays import LinkGraph
from amur.assign.vdf import CostParameters
from amur.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from amur.io.tntp import TntpNetwork

__all__ = ["AssignmentGraph", "build_graph", "graph_from_tntp"]


@dataclass(frozen=True, eq=False)
class AssignmentGraph:
    """A directed network for equilibrium assignment, as immutable arrays.

    Nodes are numbered ``0 .. n_nodes - 1``; the zones are nodes ``0 .. n_zones - 1``.
    Zones below ``first_thru_node`` (0-based) may start and end paths but are never passed
    through: no path leaves such a zone unless it is the path's origin.

    Attributes
    ----------
    n_nodes, n_zones : int
        Number of nodes and of zones (centroids).
    first_thru_node : int
        0-based number of the first node paths may pass through; 0 means every node may be.
    init, term : ndarray of int32, shape (n_links,)
        Tail and head node of each link (0-based).
    cost_parameters : CostParameters
        The link cost's arrays, ``fixed_cost + vdf(flow)``: capacity (flow units: vehicles,
        PCE or tonnes per period), free-flow time (time units), the volume-delay parameters
        ``b`` and ``power``, and the flow-independent cost (weighted toll and length, in time
        units). The compiled kernels take the bundle whole.
    length : ndarray of float64
        Link length, in length units (kept for reporting).
    toll : ndarray of float64
        Link toll, in money units (kept for reporting).
    out_start : ndarray of int32, shape (n_nodes + 1,)
        CSR row pointer: links leaving node ``i`` are ``out_links[out_start[i]:out_start[i+1]]``.
    out_links : ndarray of int32, shape (n_links,)
        Link indices grouped by tail node: CSR position ``k`` holds link ``out_links[k]``.
    out_term : ndarray of int32, shape (n_links,)
        Head node of the link at each CSR position (``term[out_links]``): the path kernels
        read arcs in this order, with no indirection.
    """

    n_nodes: int
    n_zones: int
    first_thru_node: int
    init: NDArray[np.int32]
    term: NDArray[np.int32]
    cost_parameters: CostParameters
    length: NDArray[np.float64]
    toll: NDArray[np.float64]
    out_start: NDArray[np.int32]
    out_links: NDArray[np.int32]
    out_term: NDArray[np.int32]

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.init.size)

    @property
    def blocked_zones(self) -> int:
        """Number of leading zone nodes paths may not pass through."""
        return min(self.first_thru_node, self.n_zones)

    @property
    def link_graph(self) -> LinkGraph:
        """The topology arrays as one bundle, for the compiled kernels."""
        return LinkGraph(self.out_start, self.out_links, self.out_term, self.init, self.term)


def _float_array(
    name: str, values: ArrayLike | None, n: int, default: float
) -> NDArray[np.float64]:
    if values is None:
        return np.full(n, default, dtype=np.float64)
    array = np.ascontiguousarray(np.asarray(values, dtype=np.float64)).copy()
    if array.shape != (n,):
        raise InputError(f"{name}: shape {array.shape}; expected ({n},), one value per link")
    bad = np.flatnonzero(~np.isfinite(array) | (array < 0))
    if bad.size:
        raise InputError(
            f"{name}: link {bad[0]} has {float(array[bad[0]])!r}; expected a finite number >= 0",
            field=name,
        )
    array.setflags(write=False)
    return array


def build_graph(
    init: ArrayLike,
    term: ArrayLike,
    capacity: ArrayLike,
    free_flow_time: ArrayLike,
    *,
    n_nodes: int | None = None,
    n_zones: int | None = None,
    first_thru_node: int = 0,
    b: ArrayLike | None = None,
    power: ArrayLike | None = None,
    length: ArrayLike | None = None,
    toll: ArrayLike | None = None,
    fixed_cost: ArrayLike | None = None,
) -> AssignmentGraph:
    """Build an assignment graph from 0-based link arrays, validating them once.

    Parameters
    ----------
    init, term : array_like of int
        Tail and head node of each link, 0-based.
    capacity : array_like of float
        Link capacity, in flow units per period; must be > 0.
    free_flow_time : array_like of float
        Generalized cost at zero flow, in time units; must be >= 0.
    n_nodes : int, optional
        Number of nodes; defaults to one more than the largest node number.
    n_zones : int, optional
        Number of zones (nodes ``0 .. n_zones - 1``); defaults to ``n_nodes``.
    first_thru_node : int, default 0
        0-based number of the first node paths may pass through.
    b, power : array_like of float, optional
        Volume-delay parameters; default 0.15 and 4 (the BPR defaults).
    length, toll : array_like of float, optional
        Link length and toll; default 0.
    fixed_cost : array_like of float, optional
        Flow-independent cost added to the travel time, in time units; default 0.

    Returns
    -------
    AssignmentGraph

    Raises
    ------
    InputError
        If arrays differ in length, a node lies outside ``0 .. n_nodes - 1``, a capacity is
        not > 0, or a parameter is negative or not finite.

    Examples
    --------
    >>> g = build_graph([0, 1], [1, 0], [10.0, 10.0], [1.0, 2.0])
    >>> g.n_nodes, g.n_links
    (2, 2)
    """
    init_a = np.asarray(init, dtype=np.int64)
    term_a = np.asarray(term, dtype=np.int64)
    n = init_a.size
    if init_a.shape != (n,) or term_a.shape != (n,):
        raise InputError(
            f"init and term: shapes {init_a.shape}, {term_a.shape}; expected equal 1-D"
        )
    if n_nodes is None:
        n_nodes = int(max(init_a.max(initial=-1), term_a.max(initial=-1)) + 1)
    if n_zones is None:
        n_zones = n_nodes
    for name, nodes in (("init", init_a), ("term", term_a)):
        bad = np.flatnonzero((nodes < 0) | (nodes >= n_nodes))
        if bad.size:
            raise InputError(
                f"{name}: link {bad[0]} has node {nodes[bad[0]]}; expected 0..{n_nodes - 1}",
                field=name,
            )
    if not 0 <= n_zones <= n_nodes:
        raise InputError(f"n_zones: {n_zones}; expected 0..{n_nodes} (n_nodes)", field="n_zones")
    cap = _float_array("capacity", capacity, n, 1.0)
    bad = np.flatnonzero(cap <= 0)
    if bad.size:
        raise InputError(
            f"capacity: link {bad[0]} has {float(cap[bad[0]])!r}; expected a number > 0",
            field="capacity",
        )
    order = np.argsort(init_a, kind="stable").astype(np.int32)
    counts = np.bincount(init_a, minlength=n_nodes)
    out_start = np.zeros(n_nodes + 1, dtype=np.int32)
    np.cumsum(counts, out=out_start[1:])
    arrays = [
        init_a.astype(np.int32),
        term_a.astype(np.int32),
        order,
        out_start,
        term_a[order].astype(np.int32),
    ]
    for array in arrays:
        array.setflags(write=False)
    return AssignmentGraph(
        n_nodes=int(n_nodes),
        n_zones=int(n_zones),
        first_thru_node=int(first_thru_node),
        init=arrays[0],
        term=arrays[1],
        cost_parameters=CostParameters(
            free_flow_time=_float_array("free_flow_time", free_flow_time, n, 0.0),
            capacity=cap,
            b=_float_array("b", b, n, 0.15),
            power=_float_array("power", power, n, 4.0),
            fixed_cost=_float_array("fixed_cost", fixed_cost, n, 0.0),
        ),
        length=_float_array("length", length, n, 0.0),
        toll=_float_array("toll", toll, n, 0.0),
        out_start=out_start,
        out_links=order,
        out_term=arrays[4],
    )


def graph_from_tntp(network: TntpNetwork) -> AssignmentGraph:
    """Build the assignment graph of a TNTP network.

    Parameters
    ----------
    network : TntpNetwork
        As read by :func:`amur.io.tntp.read_tntp_network`. Its weighted toll and length
        become the graph's ``fixed_cost``.

    Returns
    -------
    AssignmentGraph
        0-based: TNTP node ``k`` is graph node ``k - 1``.

    Raises
    ------
    InputError
        If a capacity is not > 0; the message names the file and the link's line order.
    """
    try:
        return build_graph(
            network.init_node - 1,
            network.term_node - 1,
            network.capacity,
            network.free_flow_time,
            n_nodes=network.n_nodes,
            n_zones=network.n_zones,
            first_thru_node=max(network.first_thru_node - 1, 0),
            b=network.b,
            power=network.power,
            length=network.length,
            toll=network.toll,
            fixed_cost=network.fixed_cost,
        )
    except InputError as exc:
        raise InputError(f"{network.path}: {exc.message}", field=exc.field) from exc
