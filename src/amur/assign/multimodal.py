"""Equilibrium assignment on a physical multimodal network, decoded back to physical links.

The expanded state graph (:mod:`amur.graph.expand`) becomes an :class:`AssignmentGraph`:
zones first (one per place with demand, never passed through: FIRST THRU NODE semantics),
then one node per state. Each zone connects to every place state of its place by zero-cost
connectors in both directions. Arc costs are generalized costs in USD per tonne: money cost
(``fixed_cost``) plus the value of time times the arc's hours (``free_flow_time``), and the
BPR function scales the time part only, so congestion shows as waiting.

Capacities (tonnes per year, two-way) come from, in order: the link's
``capacity_t_per_year``; a ``capacity_t_per_year:<link id>`` row of the flow parameters; a
``default_capacity_t_per_year:<mode>`` row; :data:`DEFAULT_CAPACITY_T_PER_YEAR`. Each
direction gets half, and each gauge copy of a dual-gauge link an equal share of that (an
approximation of a shared capacity). A border arc gets the capacity of the link before it,
so queues at a crossing lengthen its dwell.

**Capacity by year.** A capacity row of the flow parameters file carries the ``year`` from
which it holds (a crossing widened, a yard built); read, it becomes the key
``capacity_t_per_year:<link id>@<year>``. In a year ``Y`` the capacity is the one of the
latest row with a year on or before ``Y`` (before the first row, the first row's; with no
year asked for, the latest). A key without ``@year`` (given in code) holds in every year.

**Places.** A ``transfer_capacity_t_per_year:<place id>`` row (same rule for years) is the
two-way throughput of a place's changes of mode and gauge: a seaport's berths, a gauge-change
yard's transshipment. Each transfer arc at the place gets half of it (one direction's
share), so queues at a busy port or yard lengthen its handling or gauge-change time.

**Seasons.** Seasonal links (ferries, ice roads, pontoons) run only in some months, so a
year's flows are not one assignment on every link at once.
:func:`amur.assign.seasons.build_season_graphs` groups the months of a year by the set of
links that run in them and the ports whose winter regime applies (a *season*: for the
built-in network in 2022, January-March, April and November, May-October, December) and
:func:`amur.assign.seasons.assign_seasons` assigns the annual demand on each season's network
against the annual capacity rates. Since the volume-delay function depends on volume over
capacity only, that equals assigning the season's share of demand (months/12) against its
share of capacity; the year's flow on a link is the month-weighted sum over seasons, and its
v/c the highest of any season (the months in which it jams). With a month given, there is
one season.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.capacities import (
    DEFAULT_CAPACITY_T_PER_YEAR,
    capacity_in_year,
    link_capacities,
    place_capacities,
    read_flow_parameters,
)
from amur.assign.equilibrium import assign
from amur.assign.network_graph import (
    NetworkGraph,
    _border_feeders,
    build_network_graph,
)
from amur.assign.options import AssignmentOptions
from amur.assign.result import AssignmentResult, TrafficClass
from amur.assign.services import (
    carries_link,
    service_loads,
)
from amur.errors import InputError
from amur.graph.expand import ArcKind

__all__ = [
    "DEFAULT_CAPACITY_T_PER_YEAR",
    "NetworkAssignment",
    "NetworkGraph",
    "assign_network",
    "build_network_graph",
    "capacity_in_year",
    "check_connected",
    "corridor_shares",
    "count_flows",
    "link_capacities",
    "place_capacities",
    "read_flow_parameters",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class NetworkAssignment:
    """Equilibrium flows on a physical network.

    Attributes
    ----------
    network_graph : NetworkGraph
    result : AssignmentResult
        On the assignment graph; flows in t/year, costs in USD per tonne.
    links : pandas.DataFrame
        One row per physical link and direction in service: ``link, from, to, mode,
        flow_t_per_year, capacity_t_per_year, v_c, cost_usd_per_t, free_flow_time_h,
        delay_h``; ``from``/``to`` are the direction's place ids.
    shares : pandas.DataFrame
        Corridor shares of each share group (:func:`corridor_shares`); empty without groups.
    """

    network_graph: NetworkGraph
    result: AssignmentResult
    links: pd.DataFrame
    shares: pd.DataFrame = field(default_factory=pd.DataFrame)

    def bottlenecks(self, v_c: float = 0.9) -> pd.DataFrame:
        """Link directions with volume/capacity above ``v_c``, worst first."""
        return _bottlenecks(self.links, v_c)

    def physical_flows(self) -> pd.DataFrame:
        """Flow per physical link, summed over directions and layers, t/year."""
        return _physical_flows(self.links)

    def service_loads(self) -> pd.DataFrame:
        """Load of each scheduled service, each way (:func:`amur.assign.services.service_loads`)."""
        g = self.network_graph.expanded
        return service_loads(
            g,
            self.result.flow[: g.n_arcs],
            self.network_graph.graph.cost_parameters.capacity[: g.n_arcs],
        )


def _bottlenecks(links: pd.DataFrame, v_c: float) -> pd.DataFrame:
    table = links[links["v_c"] > v_c]
    return table.sort_values("v_c", ascending=False).reset_index(drop=True)


def _physical_flows(links: pd.DataFrame) -> pd.DataFrame:
    return (
        links.groupby("link", sort=False)["flow_t_per_year"]
        .sum()
        .rename("flow_t_per_year")
        .reset_index()
    )


def decode_link_flows(ng: NetworkGraph, flow: FloatArray, cost: FloatArray) -> pd.DataFrame:
    """Sum arc flows to physical links per direction (over gauge layers); see
    :class:`NetworkAssignment` for the columns.
    """
    g = ng.expanded
    net = g.network
    n = g.n_arcs
    # A crossing's border dwell (and its queue) is reported on the link before it.
    border, feeder = _border_feeders(g)
    cost = np.asarray(cost[:n], dtype=np.float64).copy()
    np.add.at(cost, feeder, cost[border])
    parameters = ng.graph.cost_parameters
    free_all = (parameters.fixed_cost + parameters.free_flow_time)[:n].copy()
    np.add.at(free_all, feeder, free_all[border])
    time_h = g.time_h.copy()
    np.add.at(time_h, feeder, g.time_h[border])
    arcs = np.flatnonzero(carries_link(g))  # service rides load their links too
    link, fwd = g.link[arcs], g.forward[arcs]
    key = link * 2 + fwd.astype(np.int64)
    keys, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=flow[arcs], minlength=keys.size)
    own = g.kind[arcs] == ArcKind.LINK  # the link's capacity, not its services'
    cap = np.bincount(inverse, weights=parameters.capacity[arcs] * own, minlength=keys.size)
    weighted_cost = np.bincount(inverse, weights=flow[arcs] * cost[arcs], minlength=keys.size)
    first = np.zeros(keys.size, dtype=np.int64)
    first[inverse[::-1]] = arcs[::-1]
    free_cost = free_all[first]
    mean_cost = np.where(total > 0, weighted_cost / np.where(total > 0, total, 1.0), cost[first])
    rows = keys // 2
    forward = (keys % 2).astype(bool)
    ends = net.links[["from_node", "to_node"]].to_numpy(dtype=object)[rows]
    vot = ng.value_usd_per_h_per_t
    return pd.DataFrame(
        {
            "link": net.links["id"].to_numpy(dtype=object)[rows],
            "from": np.where(forward, ends[:, 0], ends[:, 1]),
            "to": np.where(forward, ends[:, 1], ends[:, 0]),
            "mode": net.links["mode"].to_numpy(dtype=object)[rows],
            "flow_t_per_year": total,
            "capacity_t_per_year": cap,
            "v_c": total / cap,
            "cost_usd_per_t": mean_cost,
            "free_flow_time_h": time_h[first],
            "delay_h": np.maximum(mean_cost - free_cost, 0.0) / vot,
        }
    )


def assign_network(
    ng: NetworkGraph,
    demand: FloatArray,
    options: AssignmentOptions | None = None,
    *,
    share_groups: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    corridors: Sequence[object] = (),
) -> NetworkAssignment:
    """Assign a zone-by-zone demand (t/year) and decode it to physical links.

    Parameters
    ----------
    ng : NetworkGraph
    demand : ndarray of float64, shape (n_zones, n_zones)
        Tonnes a year from each zone to each zone, in ``ng.zones`` order.
    options : AssignmentOptions, optional
        Algorithm, gap, iterations and route choice (defaults: Algorithm B to 1e-5, user
        equilibrium). Logit route choice (``logit_theta``, dispersion per USD/t: shippers
        spread freight over corridors of similar cost) counts as efficient the paths that
        lead away from each origin at the user-equilibrium costs (``logit_paths`` is set to
        ``"equilibrium"``: at free flow the cheap but tiny Brest crossing would be on every
        path to Europe).
    share_groups : mapping of str to list of (origin, destination), optional
        OD pairs (zone ids) whose corridor shares to report, in named groups. Each group is
        assigned as its own traffic class sharing capacity with the rest, so its link flows
        are a valid split of the equilibrium (the total is unique; the split by class is one
        equilibrium decomposition).
    corridors : sequence of Corridor
        Corridors (id, name, via) for the shares.

    Returns
    -------
    NetworkAssignment

    Raises
    ------
    InputError
        As :func:`amur.assign.assign` (bad algorithm, demand shape or values, no path).
    """
    matrix = np.asarray(demand, dtype=np.float64)
    check_connected(ng, matrix)
    index = {z: k for k, z in enumerate(ng.zones)}
    classes: list[TrafficClass] = []
    rest = matrix.copy() if matrix.ndim == 2 else matrix
    for name, pairs in (share_groups or {}).items():
        part = np.zeros_like(matrix)
        for o, d in pairs:
            if o in index and d in index:
                part[index[o], index[d]] = matrix[index[o], index[d]]
        if part.sum() > 0:
            rest = rest - part
            classes.append(TrafficClass(part, 1.0, name))
    classes.insert(0, TrafficClass(np.maximum(rest, 0.0) if matrix.ndim == 2 else rest, 1.0, "all"))
    opts = (options or AssignmentOptions()).with_(logit_paths="equilibrium")
    result = assign(ng.graph, classes, opts)
    links = decode_link_flows(ng, result.flow, result.cost)
    shares = corridor_shares(ng, result, [c.name for c in classes[1:]], corridors)
    return NetworkAssignment(ng, result, links, shares)


def check_connected(ng: NetworkGraph, matrix: FloatArray) -> None:
    """Raise a clear error (:class:`~amur.errors.InputError`) for demand at a zone that no
    link in service reaches.
    """
    if matrix.shape != (ng.n_zones, ng.n_zones):
        raise InputError(
            f"demand: shape {matrix.shape}; expected ({ng.n_zones}, {ng.n_zones}), zones by zones"
        )
    g = ng.graph
    connected = np.bincount(g.init, minlength=g.n_nodes)[: ng.n_zones] > 0
    with np.errstate(invalid="ignore"):
        busy = (np.nansum(np.abs(matrix), axis=0) + np.nansum(np.abs(matrix), axis=1)) > 0
    lonely = np.flatnonzero(busy & ~connected)
    if lonely.size:
        raise InputError(
            f"zone {ng.zones[lonely[0]]!r}: has demand but no link in service reaches it",
            field="zone",
        )


def _place_throughput(ng: NetworkGraph, arc_flow: FloatArray) -> FloatArray:
    """Flow entering each physical place by link arcs, t/year."""
    g = ng.expanded
    arcs = np.flatnonzero(carries_link(g))
    return np.bincount(
        g.state_node[g.head[arcs]], weights=arc_flow[arcs], minlength=len(g.network.nodes)
    ).astype(np.float64)


def corridor_shares(
    ng: NetworkGraph,
    result: AssignmentResult,
    groups: Sequence[str],
    corridors: Sequence[object],
) -> pd.DataFrame:
    """Share of each group's flow on each corridor.

    A group's flow through a corridor is the least of its flows entering the corridor's via
    places (from its own traffic class); the share divides by the group's demand. Corridors
    whose places a path passes together are both credited, so shares may sum to more or less
    than one; ``other`` is what no corridor's places see.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, corridor, corridor_name, flow_t_per_year, share``.
    """
    rows = []
    node_index = ng.expanded.network.node_index
    n_arcs = ng.expanded.n_arcs
    for k, name in enumerate(groups, start=1):
        arc_flow = result.class_flow[k][:n_arcs]
        through = _place_throughput(ng, arc_flow)
        origin_out = float(result.class_flow[k][n_arcs:].sum()) / 2.0
        total = max(origin_out, 1e-300)
        for c in corridors:
            via = [node_index[p] for p in getattr(c, "via", ()) if p in node_index]
            if not via:
                continue
            value = float(min(through[v] for v in via))
            rows.append(
                {
                    "group": name,
                    "corridor": getattr(c, "id", ""),
                    "corridor_name": getattr(c, "name", ""),
                    "flow_t_per_year": value,
                    "share": value / total,
                }
            )
    return pd.DataFrame(
        rows, columns=["group", "corridor", "corridor_name", "flow_t_per_year", "share"]
    )


def count_flows(
    ng: NetworkGraph, counts: pd.DataFrame, *, allow_empty: bool = False
) -> list[IntArray]:
    """Assignment-graph links each count covers.

    ``counts`` has columns ``link`` (link ids, ``|``-separated; may be empty), ``from``,
    ``to`` (place ids, used when ``link`` is empty: every link joining them) and
    ``direction`` (``both``; ``forward``: only from ``from`` to ``to``, or the link's own
    direction when given by id; ``backward``: the other way). With ``allow_empty`` a count
    no link in service carries gets no links (a seasonal crossing out of season) instead of
    an error.

    Raises
    ------
    InputError
        If a count names an unknown link or place, or no link in service.
    """
    g = ng.expanded
    net = g.network
    links = net.links
    arcs = np.flatnonzero(carries_link(g))
    out = []
    for rec in counts.to_dict("records"):
        ids = [s for s in str(rec.get("link") or "").split("|") if s and s != "nan"]
        direction = str(rec.get("direction") or "both")
        if direction not in ("both", "forward", "backward"):
            raise InputError(
                f"count {rec.get('id')!r}: direction {direction!r}; expected both, "
                "forward or backward",
                field="direction",
            )
        if ids:
            unknown = [i for i in ids if i not in set(links["id"])]
            if unknown:
                raise InputError(
                    f"count {rec.get('id')!r}: unknown link {unknown[0]!r}", field="link"
                )
            rows = np.flatnonzero(links["id"].isin(ids).to_numpy())
            chosen = arcs[np.isin(g.link[arcs], rows)]
            if direction == "forward":
                chosen = chosen[g.forward[chosen]]
            elif direction == "backward":
                chosen = chosen[~g.forward[chosen]]
        else:
            a, b = net.place(str(rec.get("from"))), net.place(str(rec.get("to")))
            ends = links[["from_node", "to_node"]].to_numpy(dtype=object)
            rows = np.flatnonzero(
                ((ends[:, 0] == a) & (ends[:, 1] == b)) | ((ends[:, 0] == b) & (ends[:, 1] == a))
            )
            chosen = arcs[np.isin(g.link[arcs], rows)]
            if direction != "both":
                fwd = g.forward[chosen]
                starts = np.where(fwd, ends[g.link[chosen], 0], ends[g.link[chosen], 1])
                chosen = chosen[starts == (a if direction == "forward" else b)]
        if chosen.size == 0 and not allow_empty:
            raise InputError(
                f"count {rec.get('id')!r}: no link in service carries it", field="link"
            )
        out.append(chosen.astype(np.int64))
    return out
