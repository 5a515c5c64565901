"""Service arcs of the expanded graph: boarding, riding and alighting scheduled services.

Each service running in the year and month asked for becomes a chain of states of its own,
one per place along its path (the shortest path by length over the links of its mode in
service, through its ``via`` places, crossing borders only at the border crossings among its
calls and via places: with its crossing closed a service does not run), once for each
direction it runs. Three kinds of arc join it
to the rest of the graph:

- **board** arcs from every place state of a calling place to the chain: the expected wait
  for a departure (half the headway, or the schedule's own ``wait_h``), plus the place's
  handling time and cost when the state is of another mode than the service (a container
  that comes by road to a block train changes mode; one that comes by rail does not);
- **ride** arcs along the chain, one per physical link, which take the service's transit
  time and price between calls (shared among the links by length) in place of the link's
  own speed and rate; gauge changes and borders on the way are inside the service's time
  and price (a service without a price pays the links' rates and, like wagonload, the
  border and gauge-change fees on its path: :mod:`amur.graph.service_fees`);
- **alight** arcs from the chain at a calling place to every place state there, with the
  place's handling figures into a state of another mode.

The chain's states belong to no place (``ExpandedGraph.states_of`` does not list them), so a
route or an assignment enters a service only by boarding it, and infrastructure without a
service stays available at the links' own (wagonload) figures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from amur.graph.service_fees import crossing_fees
from amur.graph.service_paths import (
    Hop,
    _mode_graph,
    _reversed,
    _service_path,
    _Tables,
    _tables,
    _usable,
)
from amur.network import Network
from amur.network.schema import ROAD_LIKE_MODES
from amur.network.services import (
    hop_values,
    service_capacity_t_per_year,
    service_wait_h,
)

__all__ = ["ServiceArcs", "service_arcs", "service_capacities", "service_path_places"]

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Arc kinds, as in :class:`amur.graph.expand.ArcKind` (kept as plain ints here so this
#: module does not import expand).
BOARD, RIDE, ALIGHT = 4, 5, 6


@dataclass(frozen=True)
class ServiceArcs:
    """States and arcs the services add to an expanded graph (unsorted).

    Attributes
    ----------
    state_node : ndarray of int64
        Physical node of each new state (a place along a service's path).
    state_service : ndarray of int64
        Row of ``network.services`` of each new state.
    tail, head : ndarray of int64
        Arc ends, numbered in the whole graph (the new states follow the existing ones).
    kind : ndarray of int64
        4 board, 5 ride, 6 alight.
    link : ndarray of int64
        Physical link of a ride arc, else -1.
    forward : ndarray of bool
        Whether a ride arc runs from the link's ``from_node`` to its ``to_node``.
    node : ndarray of int64
        Calling place of a board or alight arc, else -1.
    service : ndarray of int64
        Row of ``network.services`` of each arc.
    time_h, cost_usd, co2_kg, length_km : ndarray of float64
        Per TEU.
    """

    state_node: IntArray
    state_service: IntArray
    tail: IntArray
    head: IntArray
    kind: IntArray
    link: IntArray
    forward: npt.NDArray[np.bool_]
    node: IntArray
    service: IntArray
    time_h: FloatArray
    cost_usd: FloatArray
    co2_kg: FloatArray
    length_km: FloatArray

    @classmethod
    def empty(cls) -> ServiceArcs:
        """No service states and no arcs."""
        i = np.zeros(0, np.int64)
        f = np.zeros(0, np.float64)
        return cls(i, i, i, i, i, i, np.zeros(0, bool), i, i, f, f, f, f)


def service_arcs(
    net: Network,
    year: int | None,
    month: int | None,
    modes: frozenset[str],
    place_state_node: IntArray,
    first_state: int,
    t_per_teu: float,
    place_state_mode: np.ndarray | None = None,
) -> ServiceArcs:
    """The states and arcs of the services running in a year and month.

    Parameters
    ----------
    net : Network
    year, month : int or None
        See :meth:`amur.network.Network.services_running`; only links in service then
        carry a service's path.
    modes : frozenset of str
        Modes allowed; services of other modes are left out.
    place_state_node : ndarray of int64
        Physical node of each place state of the graph (states ``0 .. len - 1``).
    first_state : int
        Number of the first new state (the graph's states so far).
    t_per_teu : float
        Tonnes per TEU, to turn prices per tonne and CO2 per tonne-km into per-TEU figures.
    place_state_mode : ndarray of str, optional
        Mode of each place state's layer (``"rail"``, ``"road"``, ``"sea"``); boarding or
        alighting from a state of another mode than the service's takes the place's
        handling figures. Without it every state counts as another mode.

    Returns
    -------
    ServiceArcs
    """
    services = net.services
    if not len(services):
        return ServiceArcs.empty()
    running = net.services_running(year, month) & services["mode"].isin(sorted(modes)).to_numpy()
    if not running.any():
        return ServiceArcs.empty()
    tables = _tables(net)
    in_service = net.in_service(year, month)
    node_states = _place_states(place_state_node, len(net.nodes))
    waits = service_wait_h(services)
    if place_state_mode is None:
        place_state_mode = np.full(len(place_state_node), "", dtype=object)
    builder = _Builder(first_state, np.asarray(place_state_mode, dtype=object), net, year)
    for row in np.flatnonzero(running):
        rec = tables.services[int(row)]
        path = _service_path(tables, _mode_graph(tables, in_service & _usable(tables, rec)), rec)
        if path is None:
            logger.info("service %s: no path over links in service; left out", rec["id"])
            continue
        directions = [path] if not bool(rec["bidirectional"]) else [path, _reversed(path)]
        for reverse, hops in enumerate(directions):
            builder.add_chain(
                tables,
                int(row),
                rec,
                hops,
                float(waits[row]),
                node_states,
                t_per_teu,
                reverse=bool(reverse),
            )
    return builder.build()


def service_capacities(
    net: Network, arc_service: IntArray, arc_kind: IntArray, t_per_teu: float
) -> FloatArray:
    """Capacity of each ride arc, t/year each way (inf on other arcs and where a service
    gives no capacity): departures a week x 52 x capacity a departure.
    """
    out = np.full(arc_service.shape[0], np.inf)
    ride = (arc_kind == RIDE) & (arc_service >= 0)
    if ride.any():
        annual = service_capacity_t_per_year(net.services, t_per_teu)
        out[ride] = annual[arc_service[ride]]
    return out


def _place_states(place_state_node: IntArray, n_nodes: int) -> list[IntArray]:
    order = np.argsort(place_state_node, kind="stable")
    bounds = np.searchsorted(place_state_node[order], np.arange(n_nodes + 1))
    return [order[bounds[v] : bounds[v + 1]].astype(np.int64) for v in range(n_nodes)]


# -- arcs ------------------------------------------------------------------------------------


class _Builder:
    """Collects the states and arcs of service chains."""

    def __init__(
        self, first_state: int, state_mode: np.ndarray, net: Network, year: int | None
    ) -> None:
        self.state_mode = state_mode
        self.net, self.year = net, year
        self.next_state = first_state
        self.state_node: list[int] = []
        self.state_service: list[int] = []
        self.arcs: list[tuple[int, int, int, int, bool, int, int, float, float, float, float]] = []

    def new_state(self, node: int, service: int) -> int:
        self.state_node.append(node)
        self.state_service.append(service)
        self.next_state += 1
        return self.next_state - 1

    def add_chain(
        self,
        tables: _Tables,
        row: int,
        rec: dict[str, object],
        hops: list[tuple[int, int, Hop]],
        wait_h: float,
        node_states: list[IntArray],
        t_per_teu: float,
        *,
        reverse: bool,
    ) -> None:
        length, co2, rate = tables.length, tables.co2, tables.rate
        handling_h, handling_usd = tables.handling_h, tables.handling_usd
        hop_km = np.array([sum(length[r] for r, _ in hop) for _, _, hop in hops])
        times = _per_hop(rec["time_h"], hop_km, reverse)
        if times is None:
            times = hop_km / float(rec["speed_kmh"])  # type: ignore[arg-type]
        prices = _per_hop(rec["price"], hop_km, reverse)
        per_teu = t_per_teu if rec["price_unit"] == "usd_per_t" else 1.0
        mode = "road" if rec["mode"] in ROAD_LIKE_MODES else str(rec["mode"])
        # priced at the links' rates: it also pays the crossings' fees (module docstring)
        fees = (
            crossing_fees(self.net, self.year, str(rec["mode"]), [x for _, _, h in hops for x in h])
            if prices is None
            else None
        )
        ridden = 0
        state = self.new_state(hops[0][0], row)
        for k, (start, stop, hop) in enumerate(hops):
            for s in node_states[start]:
                change = self.state_mode[s] != mode
                self.arcs.append(
                    (
                        int(s),
                        state,
                        BOARD,
                        -1,
                        False,
                        start,
                        row,
                        wait_h + change * handling_h[start],
                        float(change * handling_usd[start]),
                        0.0,
                        0.0,
                    )
                )
            km = max(hop_km[k], 1e-12)
            for link_row, fwd in hop:
                share = length[link_row] / km
                head_node = int(tables.link_b[link_row] if fwd else tables.link_a[link_row])
                nxt = self.new_state(head_node, row)
                if prices is not None:
                    cost = prices[k] * per_teu * share
                else:
                    cost = rate[link_row] * length[link_row] + (
                        0.0 if fees is None else fees[ridden]
                    )
                ridden += 1
                self.arcs.append(
                    (
                        state,
                        nxt,
                        RIDE,
                        link_row,
                        fwd,
                        -1,
                        row,
                        float(times[k] * share),
                        float(cost),
                        float(co2[link_row] * length[link_row] * t_per_teu),
                        float(length[link_row]),
                    )
                )
                state = nxt
            for s in node_states[stop]:
                change = self.state_mode[s] != mode
                self.arcs.append(
                    (
                        state,
                        int(s),
                        ALIGHT,
                        -1,
                        False,
                        stop,
                        row,
                        float(change * handling_h[stop]),
                        float(change * handling_usd[stop]),
                        0.0,
                        0.0,
                    )
                )

    def build(self) -> ServiceArcs:
        if not self.arcs:
            return ServiceArcs.empty()
        cols = list(zip(*self.arcs, strict=True))
        ints = [np.asarray(c, np.int64) for c in cols[:4]]
        return ServiceArcs(
            state_node=np.asarray(self.state_node, np.int64),
            state_service=np.asarray(self.state_service, np.int64),
            tail=ints[0],
            head=ints[1],
            kind=ints[2],
            link=ints[3],
            forward=np.asarray(cols[4], bool),
            node=np.asarray(cols[5], np.int64),
            service=np.asarray(cols[6], np.int64),
            time_h=np.asarray(cols[7], np.float64),
            cost_usd=np.asarray(cols[8], np.float64),
            co2_kg=np.asarray(cols[9], np.float64),
            length_km=np.asarray(cols[10], np.float64),
        )


def _per_hop(text: object, hop_km: np.ndarray, reverse: bool) -> np.ndarray | None:
    """Per-hop values of a time or price cell in the direction ridden: one per hop, or the
    whole line's value shared by hop length.
    """
    values = hop_values(text, len(hop_km))
    if values is None:
        return None
    if len(values) == 1 and len(hop_km) > 1:
        total = max(float(hop_km.sum()), 1e-12)
        return np.asarray(values[0] * hop_km / total, np.float64)
    out = np.asarray(values, np.float64)
    return out[::-1] if reverse else out


def service_path_places(
    net: Network, service: dict[str, object], year: int | None
) -> tuple[list[str], float] | None:
    """The places along a service's modelled path and its length.

    Parameters
    ----------
    net : Network
    service : dict
        A row of ``net.services`` as a dict.
    year : int or None
        Links in service in this year carry the path.

    Returns
    -------
    (list of str, float) or None
        The place ids from its first call to its last, and the path's length in km; None
        where the links in service join its calls and via places by no path.
    """
    tables = _tables(net)
    graph = _mode_graph(tables, net.in_service(year) & _usable(tables, service))
    path = _service_path(tables, graph, service)
    if path is None:
        return None
    ids = net.nodes["id"].to_numpy(dtype=object)
    places = [str(ids[path[0][0]])]
    km = 0.0
    for _, _, hop in path:
        for link_row, fwd in hop:
            km += float(tables.length[link_row])
            places.append(str(ids[tables.link_b[link_row] if fwd else tables.link_a[link_row]]))
    return places, km
