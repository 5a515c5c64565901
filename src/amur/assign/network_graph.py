"""The assignment graph of a physical multimodal network: zones, the expanded graph's states
and arcs with their generalized costs and capacities, and the maps that decode results back
to links, places and services (see :mod:`amur.assign.multimodal` for the method).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.capacities import (
    UNCONSTRAINED,
    link_capacities,
    place_capacities,
)
from amur.assign.graph import AssignmentGraph, build_graph
from amur.assign.services import (
    with_service_capacities,
)
from amur.assign.shipments import ShipmentCosts, arc_costs_per_t
from amur.errors import InputError
from amur.graph.expand import ArcKind, ExpandedGraph

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class NetworkGraph:
    """An assignment graph built from an expanded graph, with the maps to decode results.

    Attributes
    ----------
    expanded : ExpandedGraph
    graph : AssignmentGraph
        Zones are nodes ``0 .. n_zones - 1``; state ``s`` is node ``n_zones + s``; the first
        ``expanded.n_arcs`` links are the expanded arcs in order, then the connectors.
    zones : tuple of str
        Place id of each zone.
    capacity : pandas.DataFrame
        Two-way capacity of every physical link (:func:`link_capacities`).
    value_usd_per_h_per_t : float
        Value of time, USD per hour per tonne.
    """

    expanded: ExpandedGraph
    graph: AssignmentGraph
    zones: tuple[str, ...]
    capacity: pd.DataFrame
    value_usd_per_h_per_t: float

    @property
    def n_zones(self) -> int:
        """Number of zones."""
        return len(self.zones)


def build_network_graph(
    expanded: ExpandedGraph,
    zones: Sequence[str],
    parameters: Mapping[str, float] | None = None,
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
    shipment: ShipmentCosts | None = None,
) -> NetworkGraph:
    """Build the assignment graph of an expanded network with zones at the given places.

    Parameters
    ----------
    expanded : ExpandedGraph
    zones : sequence of str
        Place ids (rows of ``expanded.network.nodes``) that have demand.
    parameters : mapping, optional
        Flow parameters (capacities, ``bpr_b``, ``bpr_power``); see the module docstring.
    value_usd_per_teu, time_value_pct_per_day : float, optional
        Cargo value and the cost of a day in transit; default to the network's
        ``shipment_value_usd_per_teu`` and ``time_value_pct_per_day`` parameters, else 50,000
        USD and 1 %.
    shipment : ShipmentCosts, optional
        For a commodity costed per shipment (bulk): border fees per wagon or truck load and
        gauge changes per tonne (:func:`amur.assign.shipments.arc_costs_per_t`); by default
        every charge per TEU over ``t_per_teu`` (containers).

    Returns
    -------
    NetworkGraph

    Raises
    ------
    InputError
        If a zone is not a place of the network. A zone no link in service reaches gets no
        connector; demand to or from it fails in :func:`assign_network`.
    """
    net = expanded.network
    params = dict(parameters or {})
    value = value_usd_per_teu or float(net.parameters.get("shipment_value_usd_per_teu", 5e4))
    pct = time_value_pct_per_day or float(net.parameters.get("time_value_pct_per_day", 1.0))
    per_t = 1.0 / expanded.t_per_teu
    vot = value * pct / 100.0 / 24.0 * per_t
    n_z = len(zones)
    zone_nodes = []
    for zone in zones:
        if zone not in net.node_index:
            raise InputError(
                f"zone {zone!r}: unknown to the network; expected a place id", field="zone"
            )
        zone_nodes.append(net.node_index[zone])
    caps = link_capacities(net.links, params, expanded.year)
    arc_cap = _arc_capacities(
        expanded,
        caps["capacity_t_per_year"].to_numpy(),
        place_capacities(net.nodes, params, expanded.year),
    )
    conn_tail, conn_head = [], []
    for z, node in enumerate(zone_nodes):
        states = expanded.states_of(node)
        conn_tail += [np.full(states.size, z), states + n_z]
        conn_head += [states + n_z, np.full(states.size, z)]
    tail = np.concatenate([expanded.tail + n_z, *conn_tail])
    head = np.concatenate([expanded.head + n_z, *conn_head])
    n_conn = tail.size - expanded.n_arcs
    graph = build_graph(
        tail,
        head,
        np.concatenate([arc_cap, np.full(n_conn, UNCONSTRAINED)]),
        np.concatenate([vot * expanded.time_h, np.zeros(n_conn)]),
        n_nodes=n_z + expanded.n_states,
        n_zones=n_z,
        first_thru_node=n_z,
        b=np.full(tail.size, params.get("bpr_b", 0.15)),
        power=np.full(tail.size, params.get("bpr_power", 4.0)),
        length=np.concatenate([expanded.length_km, np.zeros(n_conn)]),
        fixed_cost=np.concatenate([arc_costs_per_t(expanded, shipment), np.zeros(n_conn)]),
    )
    return NetworkGraph(expanded, graph, tuple(zones), caps, vot)


def _arc_capacities(
    g: ExpandedGraph, link_cap: FloatArray, place_cap: FloatArray | None = None
) -> FloatArray:
    """Capacity of each expanded arc, t/year: a share of its link's two-way capacity, and
    for a change of mode or gauge half its place's transfer capacity.
    """
    cap = np.full(g.n_arcs, UNCONSTRAINED)
    if place_cap is not None:
        transfer = np.flatnonzero((g.kind == ArcKind.HANDLING) | (g.kind == ArcKind.GAUGE_CHANGE))
        half = place_cap[g.node[transfer]] / 2.0
        cap[transfer] = np.where(np.isfinite(half), half, UNCONSTRAINED)
    is_link = g.kind == ArcKind.LINK
    links = g.link[is_link]
    copies = np.bincount(links, minlength=link_cap.size)  # arcs per link: directions x gauges
    cap[is_link] = link_cap[links] / np.maximum(copies[links], 1)
    # A border arc leaves the intermediate state its link arc leads into: same capacity.
    border, feeder = _border_feeders(g)
    cap[border] = cap[feeder]
    return with_service_capacities(g, cap)


def _border_feeders(g: ExpandedGraph) -> tuple[IntArray, IntArray]:
    """Border arcs and the link arc leading into each (its only way in)."""
    border = np.flatnonzero(g.kind == ArcKind.BORDER)
    into = np.full(g.n_states, -1, dtype=np.int64)
    link_arcs = np.flatnonzero(g.kind == ArcKind.LINK)
    into[g.head[link_arcs]] = link_arcs
    feeder = into[g.tail[border]]
    keep = feeder >= 0
    return border[keep], feeder[keep]
