"""The arrays of an expanded graph, without the network they were built from.

:class:`GraphArrays` holds what a search and the decoding of its path need (CSR structure,
the figures of every arc, the states of every place); :class:`amur.graph.ExpandedGraph`
adds the network. A route question on a built-in network answered from the cache on disk
(:mod:`amur.paths.quick`) reads these arrays alone, with no pandas. NumPy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from amur.errors import InputError
from amur.graph.kinds import ArcKind

__all__ = ["EARTH_RADIUS_KM", "GraphArrays", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class GraphArrays:
    """The immutable arrays of an expanded network that the routing kernels work on.

    Arcs are sorted by tail; arc ``a`` runs from ``tail[a]`` to ``head[a]`` and the arcs out
    of state ``s`` are ``indptr[s]:indptr[s + 1]``.

    Attributes
    ----------
    layers : tuple of str
        Layer names; ``state_layer`` indexes into it.
    state_node : ndarray of int64
        Physical node (row of ``network.nodes``) of each state; border states carry the
        node the border leads into.
    state_layer : ndarray of int64
        Layer of each state; -1 for the intermediate states before a border arc.
    indptr, tail, head : ndarray of int64
        CSR structure.
    kind : ndarray of int8
        :class:`ArcKind` of each arc.
    link : ndarray of int64
        Physical link (row of ``network.links``) of a link arc, else -1.
    forward : ndarray of bool
        Whether a link arc runs from ``from_node`` to ``to_node``.
    node : ndarray of int64
        Node where a transfer or border arc happens (the node entered for a border), else -1.
    time_h, cost_usd, co2_kg, length_km : ndarray of float64
        Cost vectors per arc, per TEU: hours (typical), USD, kg of CO2, km.
    time_h_low, time_h_high : ndarray of float64
        Shortest and longest usual hours of each arc (a regime's dwell range; equal to
        ``time_h`` where there is no range).
    regime_from, regime_to : ndarray of int64
        Rows of ``network.regimes`` whose figures an arc carries, -1 where none: for a
        transfer, its regime in ``regime_from``; for a border arc, the regime of the side
        left in ``regime_from`` and of the side entered in ``regime_to``.
    node_indptr, node_states : ndarray of int64
        States of each physical node: ``node_states[node_indptr[v]:node_indptr[v + 1]]``.
    year, month : int or None
        The year and month the view was built for.
    t_per_teu : float
        Tonnes per TEU used to turn CO2 per tonne-km into CO2 per TEU.
    service : ndarray of int64
        Row of ``network.services`` of a board, ride or alight arc, else -1 (see
        :mod:`amur.graph.services`). A ride arc also has its physical ``link``.
    """

    layers: tuple[str, ...]
    state_node: IntArray
    state_layer: IntArray
    indptr: IntArray
    tail: IntArray
    head: IntArray
    kind: npt.NDArray[np.int8]
    link: IntArray
    forward: npt.NDArray[np.bool_]
    node: IntArray
    time_h: FloatArray
    cost_usd: FloatArray
    co2_kg: FloatArray
    length_km: FloatArray
    node_indptr: IntArray
    node_states: IntArray
    year: int | None
    month: int | None
    t_per_teu: float
    time_h_low: FloatArray
    time_h_high: FloatArray
    regime_from: IntArray
    regime_to: IntArray
    service: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def n_states(self) -> int:
        """Number of states."""
        return int(self.state_node.shape[0])

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.head.shape[0])

    def states_of(self, node: int) -> IntArray:
        """States of a physical node (by row of ``network.nodes``)."""
        return self.node_states[self.node_indptr[node] : self.node_indptr[node + 1]]

    def states_through(self, node: int) -> IntArray:
        """States a path passes when it goes through a physical node: the node's own states
        and the states of the services that ride through it (a route forced through a place
        may stay on a train that passes it).
        """
        ride = self.kind == ArcKind.RIDE
        on_board = np.union1d(self.tail[ride], self.head[ride])
        on_board = on_board[self.state_node[on_board] == node]
        return np.union1d(self.states_of(node), on_board)

    def weights(
        self,
        by: str = "time",
        value_usd_per_teu: float = 50_000.0,
        time_value_pct_per_day: float = 1.0,
    ) -> FloatArray:
        """The arc weight for a routing criterion.

        Parameters
        ----------
        by : {"time", "cost", "co2", "length", "generalized"}
            Hours, USD per TEU, kg CO2 per TEU, km, or generalized cost in USD per TEU.
        value_usd_per_teu : float
            Value of the cargo, USD per TEU (generalized cost only).
        time_value_pct_per_day : float
            Cost of a day in transit as a percentage of the cargo's value (generalized cost
            only; Hummels & Schaur 2013 find 0.6-2.1 %).

        Returns
        -------
        ndarray of float64
            One weight per arc.
        """
        if by == "time":
            return self.time_h
        if by == "cost":
            return self.cost_usd
        if by == "co2":
            return self.co2_kg
        if by == "length":
            return self.length_km
        if by == "generalized":
            usd_per_h = value_usd_per_teu * time_value_pct_per_day / 100.0 / 24.0
            return self.cost_usd + usd_per_h * self.time_h
        raise InputError(
            f"unknown criterion {by!r}; expected time, cost, co2, length or generalized",
            field="by",
        )


def haversine_km(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray:
    """Great-circle distance in km between points given in degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))
