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
year's flows are not one assignment on every link at once. :func:`build_season_graphs`
groups the months of a year by the set of links that run in them and the ports whose
winter regime applies (a *season*: for the built-in network in 2022, January-March, April
and November, May-October, December) and
:func:`assign_seasons` assigns the annual demand on each season's network against the annual
capacity rates. Since the volume-delay function depends on volume over capacity only, that
equals assigning the season's share of demand (months/12) against its share of capacity;
the year's flow on a link is the month-weighted sum over seasons, and its v/c the highest
of any season (the months in which it jams). With a month given, there is one season.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.equilibrium import assign
from amur.assign.graph import AssignmentGraph, build_graph
from amur.assign.options import AssignmentOptions
from amur.assign.result import AssignmentResult, TrafficClass
from amur.assign.services import (
    carries_link,
    combine_service_loads,
    service_loads,
    with_service_capacities,
)
from amur.errors import InputError
from amur.graph.expand import ArcKind, ExpandedGraph, expand
from amur.network import Network
from amur.network.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_CAPACITY_T_PER_YEAR",
    "NetworkAssignment",
    "NetworkGraph",
    "SeasonGraphs",
    "YearAssignment",
    "assign_network",
    "assign_seasons",
    "build_network_graph",
    "build_season_graphs",
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

#: Two-way capacity by mode where nothing else gives one, t/year: an estimate (see the
#: ``default_capacity_est`` source of the built-in dataset); sea lanes are no constraint.
DEFAULT_CAPACITY_T_PER_YEAR = {"rail": 1e8, "road": 1e7, "ice_road": 1e6, "pontoon": 1e6,
                               "river_ferry": 1e6, "sea": 1e12, "pipeline": 1e12}
UNCONSTRAINED = 1e12
#: Name prefixes of the flow parameters that are capacities, and so need a year.
CAPACITY_PREFIXES = ("capacity_t_per_year:", "transfer_capacity_t_per_year:")


def read_flow_parameters(path: str | Path) -> dict[str, float]:
    """Flow parameters (``name,value,...`` CSV) as a dict; an absent file gives ``{}``.

    A capacity row (``capacity_t_per_year:<link>`` or ``transfer_capacity_t_per_year:<place>``)
    needs the ``year`` from which it holds and is keyed ``<name>@<year>``; see
    :func:`capacity_in_year`.

    Raises
    ------
    InputError
        Naming the file, row and column: a value that is not a number, a capacity with no
        year (or no ``year`` column), or a year that is not a whole number.
    """
    path = Path(path)
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype={"year": str})
    values = pd.to_numeric(table["value"], errors="coerce")
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0]) + 2
        raise InputError(f"{path}, row {row}, column value: expected a number", field="value")
    years = table["year"] if "year" in table.columns else pd.Series([None] * len(table))
    out: dict[str, float] = {}
    for k, (name, value, year) in enumerate(zip(table["name"].astype(str), values, years,
                                                strict=True)):
        if name.startswith(CAPACITY_PREFIXES):
            name = f"{name}@{_capacity_year(path, k + 2, name, year)}"
        out[name] = float(value)
    return out


def _capacity_year(path: Path, row: int, name: str, text: object) -> int:
    """The year of a capacity row, or an error naming the file, row and column."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        raise InputError(f"{path}, row {row}, column year: capacity {name!r} has no year; "
                         "expected the year from which it holds (e.g. 2021)", field="year")
    try:
        return int(str(text).strip())
    except ValueError:
        raise InputError(f"{path}, row {row}, column year: {text!r} is not a year; expected a "
                         "whole number such as 2021", field="year") from None


def capacity_in_year(parameters: Mapping[str, float], name: str,
                     year: int | None) -> float | None:
    """The capacity ``name`` (e.g. ``capacity_t_per_year:<link id>``) in force in a year.

    Parameters
    ----------
    parameters : mapping
        Flow parameters, with capacities keyed ``<name>@<year>`` (as read by
        :func:`read_flow_parameters`) or ``<name>`` for every year.
    name : str
        The capacity's name, without a year.
    year : int or None
        Calendar year; ``None`` for the latest figure.

    Returns
    -------
    float or None
        t/year: the latest figure from a year on or before ``year`` (the earliest figure for
        a year before all of them); ``None`` if the parameters have none.

    Examples
    --------
    >>> p = {"capacity_t_per_year:a@2015": 1.0, "capacity_t_per_year:a@2021": 3.0}
    >>> capacity_in_year(p, "capacity_t_per_year:a", 2020)
    1.0
    >>> capacity_in_year(p, "capacity_t_per_year:a", 2024)
    3.0
    """
    dated = sorted((int(key.rsplit("@", 1)[1]), value) for key, value in parameters.items()
                   if key.startswith(name + "@"))
    if not dated:
        return parameters.get(name)
    if year is None:
        return dated[-1][1]
    before = [value for since, value in dated if since <= year]
    return before[-1] if before else dated[0][1]


def link_capacities(links: pd.DataFrame, parameters: Mapping[str, float],
                    year: int | None = None) -> pd.DataFrame:
    """Two-way capacity of every link in a year, t/year, and where it came from.

    Parameters
    ----------
    links : pandas.DataFrame
        The network's links.
    parameters : mapping
        Flow parameters (see the module docstring).
    year : int, optional
        Year whose capacities hold (:func:`capacity_in_year`); the latest without one.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, capacity_t_per_year, basis`` (``dataset``, ``parameter`` or
        ``default``), one row per row of ``links``.
    """
    capacity = links["capacity_t_per_year"].to_numpy(dtype=np.float64, na_value=np.nan).copy()
    basis = np.where(np.isnan(capacity), "", "dataset").astype(object)
    for k, (link_id, mode) in enumerate(zip(links["id"], links["mode"], strict=True)):
        if basis[k]:
            continue
        given = capacity_in_year(parameters, f"capacity_t_per_year:{link_id}", year)
        if given is not None:
            capacity[k], basis[k] = given, "parameter"
            continue
        default = parameters.get(f"default_capacity_t_per_year:{mode}")
        capacity[k] = default if default is not None else DEFAULT_CAPACITY_T_PER_YEAR.get(
            str(mode), UNCONSTRAINED)
        basis[k] = "default"
    return pd.DataFrame({"id": links["id"].to_numpy(), "capacity_t_per_year": capacity,
                         "basis": basis})


def place_capacities(nodes: pd.DataFrame, parameters: Mapping[str, float],
                     year: int | None = None) -> FloatArray:
    """Two-way transfer capacity of every place in a year, t/year (``inf`` where none).

    From the ``transfer_capacity_t_per_year:<place id>`` flow parameters
    (:func:`capacity_in_year`): a seaport's or a gauge-change yard's throughput.
    """
    out = np.full(len(nodes), np.inf)
    for k, place in enumerate(nodes["id"]):
        given = capacity_in_year(parameters, f"transfer_capacity_t_per_year:{place}", year)
        if given is not None:
            out[k] = given
    return out


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
            raise InputError(f"zone {zone!r}: unknown to the network; expected a place id",
                             field="zone")
        zone_nodes.append(net.node_index[zone])
    caps = link_capacities(net.links, params, expanded.year)
    arc_cap = _arc_capacities(expanded, caps["capacity_t_per_year"].to_numpy(),
                              place_capacities(net.nodes, params, expanded.year))
    conn_tail, conn_head = [], []
    for z, node in enumerate(zone_nodes):
        states = expanded.states_of(node)
        conn_tail += [np.full(states.size, z), states + n_z]
        conn_head += [states + n_z, np.full(states.size, z)]
    tail = np.concatenate([expanded.tail + n_z, *conn_tail])
    head = np.concatenate([expanded.head + n_z, *conn_head])
    n_conn = tail.size - expanded.n_arcs
    graph = build_graph(
        tail, head,
        np.concatenate([arc_cap, np.full(n_conn, UNCONSTRAINED)]),
        np.concatenate([vot * expanded.time_h, np.zeros(n_conn)]),
        n_nodes=n_z + expanded.n_states, n_zones=n_z, first_thru_node=n_z,
        b=np.full(tail.size, params.get("bpr_b", 0.15)),
        power=np.full(tail.size, params.get("bpr_power", 4.0)),
        length=np.concatenate([expanded.length_km, np.zeros(n_conn)]),
        fixed_cost=np.concatenate([per_t * expanded.cost_usd, np.zeros(n_conn)]),
    )
    return NetworkGraph(expanded, graph, tuple(zones), caps, vot)


def _arc_capacities(g: ExpandedGraph, link_cap: FloatArray,
                    place_cap: FloatArray | None = None) -> FloatArray:
    """Capacity of each expanded arc, t/year: a share of its link's two-way capacity, and
    for a change of mode or gauge half its place's transfer capacity."""
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
        return service_loads(g, self.result.flow[: g.n_arcs],
                             self.network_graph.graph.capacity[: g.n_arcs])


def _bottlenecks(links: pd.DataFrame, v_c: float) -> pd.DataFrame:
    table = links[links["v_c"] > v_c]
    return table.sort_values("v_c", ascending=False).reset_index(drop=True)


def _physical_flows(links: pd.DataFrame) -> pd.DataFrame:
    return (links.groupby("link", sort=False)["flow_t_per_year"].sum()
            .rename("flow_t_per_year").reset_index())


def decode_link_flows(ng: NetworkGraph, flow: FloatArray, cost: FloatArray) -> pd.DataFrame:
    """Sum arc flows to physical links per direction (over gauge layers); see
    :class:`NetworkAssignment` for the columns."""
    g = ng.expanded
    net = g.network
    n = g.n_arcs
    # A crossing's border dwell (and its queue) is reported on the link before it.
    border, feeder = _border_feeders(g)
    cost = np.asarray(cost[:n], dtype=np.float64).copy()
    np.add.at(cost, feeder, cost[border])
    free_all = (ng.graph.fixed_cost + ng.graph.free_flow_time)[:n].copy()
    np.add.at(free_all, feeder, free_all[border])
    time_h = g.time_h.copy()
    np.add.at(time_h, feeder, g.time_h[border])
    arcs = np.flatnonzero(carries_link(g))  # service rides load their links too
    link, fwd = g.link[arcs], g.forward[arcs]
    key = link * 2 + fwd.astype(np.int64)
    keys, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=flow[arcs], minlength=keys.size)
    own = g.kind[arcs] == ArcKind.LINK  # the link's capacity, not its services'
    cap = np.bincount(inverse, weights=ng.graph.capacity[arcs] * own, minlength=keys.size)
    weighted_cost = np.bincount(inverse, weights=flow[arcs] * cost[arcs], minlength=keys.size)
    first = np.zeros(keys.size, dtype=np.int64)
    first[inverse[::-1]] = arcs[::-1]
    free_cost = free_all[first]
    mean_cost = np.where(total > 0, weighted_cost / np.where(total > 0, total, 1.0),
                         cost[first])
    rows = keys // 2
    forward = (keys % 2).astype(bool)
    ends = net.links[["from_node", "to_node"]].to_numpy(dtype=object)[rows]
    vot = ng.value_usd_per_h_per_t
    return pd.DataFrame({
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
    })


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
    classes.insert(0, TrafficClass(np.maximum(rest, 0.0) if matrix.ndim == 2 else rest, 1.0,
                                   "all"))
    opts = (options or AssignmentOptions()).with_(logit_paths="equilibrium")
    result = assign(ng.graph, classes, opts)
    links = decode_link_flows(ng, result.flow, result.cost)
    shares = corridor_shares(ng, result, [c.name for c in classes[1:]], corridors)
    return NetworkAssignment(ng, result, links, shares)


def check_connected(ng: NetworkGraph, matrix: FloatArray) -> None:
    """Raise a clear error (:class:`~amur.errors.InputError`) for demand at a zone that no
    link in service reaches."""
    if matrix.shape != (ng.n_zones, ng.n_zones):
        raise InputError(f"demand: shape {matrix.shape}; expected ({ng.n_zones}, {ng.n_zones})"
                         ", zones by zones")
    g = ng.graph
    connected = np.bincount(g.init, minlength=g.n_nodes)[: ng.n_zones] > 0
    with np.errstate(invalid="ignore"):
        busy = (np.nansum(np.abs(matrix), axis=0) + np.nansum(np.abs(matrix), axis=1)) > 0
    lonely = np.flatnonzero(busy & ~connected)
    if lonely.size:
        raise InputError(f"zone {ng.zones[lonely[0]]!r}: has demand but no link in service "
                         "reaches it", field="zone")


def _place_throughput(ng: NetworkGraph, arc_flow: FloatArray) -> FloatArray:
    """Flow entering each physical place by link arcs, t/year."""
    g = ng.expanded
    arcs = np.flatnonzero(carries_link(g))
    return np.bincount(g.state_node[g.head[arcs]], weights=arc_flow[arcs],
                       minlength=len(g.network.nodes)).astype(np.float64)


def corridor_shares(
    ng: NetworkGraph, result: AssignmentResult, groups: Sequence[str],
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
            rows.append({"group": name, "corridor": getattr(c, "id", ""),
                         "corridor_name": getattr(c, "name", ""),
                         "flow_t_per_year": value, "share": value / total})
    return pd.DataFrame(rows, columns=["group", "corridor", "corridor_name", "flow_t_per_year",
                                       "share"])


def count_flows(ng: NetworkGraph, counts: pd.DataFrame, *, allow_empty: bool = False
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
            raise InputError(f"count {rec.get('id')!r}: direction {direction!r}; expected both, "
                             "forward or backward", field="direction")
        if ids:
            unknown = [i for i in ids if i not in set(links["id"])]
            if unknown:
                raise InputError(f"count {rec.get('id')!r}: unknown link {unknown[0]!r}",
                                 field="link")
            rows = np.flatnonzero(links["id"].isin(ids).to_numpy())
            chosen = arcs[np.isin(g.link[arcs], rows)]
            if direction == "forward":
                chosen = chosen[g.forward[chosen]]
            elif direction == "backward":
                chosen = chosen[~g.forward[chosen]]
        else:
            a, b = net.place(str(rec.get("from"))), net.place(str(rec.get("to")))
            ends = links[["from_node", "to_node"]].to_numpy(dtype=object)
            rows = np.flatnonzero(((ends[:, 0] == a) & (ends[:, 1] == b))
                                  | ((ends[:, 0] == b) & (ends[:, 1] == a)))
            chosen = arcs[np.isin(g.link[arcs], rows)]
            if direction != "both":
                fwd = g.forward[chosen]
                starts = np.where(fwd, ends[g.link[chosen], 0], ends[g.link[chosen], 1])
                chosen = chosen[starts == (a if direction == "forward" else b)]
        if chosen.size == 0 and not allow_empty:
            raise InputError(f"count {rec.get('id')!r}: no link in service carries it",
                             field="link")
        out.append(chosen.astype(np.int64))
    return out


# -- seasons ---------------------------------------------------------------------------------


def season_months(net: Network, year: int | None = None, month: int | None = None,
                  modes: frozenset[str] | None = None) -> list[tuple[int, ...]]:
    """The months of a year grouped by the links that run in them and the places whose
    winter regime applies.

    Parameters
    ----------
    net : Network
    year : int, optional
        Only links in service in this year (see :meth:`Network.in_service`).
    month : int, optional
        One month (1-12): then that month alone is the one season.
    modes : frozenset of str, optional
        Modes allowed; links of other modes do not split seasons.

    Returns
    -------
    list of tuple of int
        Each season's months, in calendar order of their first month.
    """
    if month is not None:
        net.in_service(year, month)  # checks the month
        return [(int(month),)]
    allowed = (np.ones(len(net.links), dtype=bool) if modes is None
               else net.links["mode"].isin(sorted(modes)).to_numpy())
    groups: dict[bytes, list[int]] = {}
    for m in range(1, 13):
        key = (net.in_service(year, m) & allowed).tobytes() + net.winter_time(m).tobytes()
        groups.setdefault(key, []).append(m)
    return [tuple(months) for months in groups.values()]


@dataclass(frozen=True, eq=False)
class SeasonGraphs:
    """The assignment graphs of a period, one per season (months running the same links).

    Attributes
    ----------
    graphs : tuple of NetworkGraph
        One per season, with the same zones.
    months : tuple of tuple of int
        Each season's months.
    """

    graphs: tuple[NetworkGraph, ...]
    months: tuple[tuple[int, ...], ...]

    @property
    def weights(self) -> tuple[float, ...]:
        """Each season's share of the period: its months over all months (sums to 1)."""
        total = sum(len(m) for m in self.months)
        return tuple(len(m) / total for m in self.months)

    @property
    def zones(self) -> tuple[str, ...]:
        """Place id of each zone."""
        return self.graphs[0].zones

    @property
    def n_zones(self) -> int:
        """Number of zones."""
        return len(self.zones)

    @property
    def t_per_teu(self) -> float:
        """Tonnes per TEU of the expanded graphs."""
        return self.graphs[0].expanded.t_per_teu


def build_season_graphs(
    net: Network,
    zones: Sequence[str],
    parameters: Mapping[str, float] | None = None,
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
) -> SeasonGraphs:
    """Assignment graphs of a network's seasons in a year, or of one month.

    Parameters
    ----------
    net : Network
    zones : sequence of str
        Place ids with demand.
    parameters, value_usd_per_teu, time_value_pct_per_day
        As for :func:`build_network_graph`.
    year, month, modes
        As for :func:`season_months`.

    Returns
    -------
    SeasonGraphs
    """
    months = season_months(net, year, month, modes)
    graphs = tuple(build_network_graph(expand(net, year, m[0], modes), zones, parameters,
                                       value_usd_per_teu, time_value_pct_per_day)
                   for m in months)
    return SeasonGraphs(graphs, tuple(months))


@dataclass(frozen=True, eq=False)
class YearAssignment:
    """Equilibrium flows of a period: one assignment per season, combined.

    Attributes
    ----------
    seasons : SeasonGraphs
    assignments : tuple of NetworkAssignment
        One per season, each with the period's whole demand (flows as annual rates).
    links : pandas.DataFrame
        As :attr:`NetworkAssignment.links`, over the period: ``flow_t_per_year`` the
        month-weighted sum over seasons, ``capacity_t_per_year`` the annual rate, ``v_c``
        the highest season's, ``cost_usd_per_t`` and ``delay_h`` flow-weighted means, and
        ``months`` the number of months the direction runs.
    shares : pandas.DataFrame
        Corridor shares, month-weighted over seasons.
    route_choice : str
        "user equilibrium", "system optimum" or "logit, dispersion THETA".
    """

    seasons: SeasonGraphs
    assignments: tuple[NetworkAssignment, ...]
    links: pd.DataFrame
    shares: pd.DataFrame
    route_choice: str = "user equilibrium"

    def to_dict(self, v_c: float = 0.9) -> dict[str, object]:
        """JSON form (the assignment part of ``amur assign --json``): seasons, route choice,
        convergence, bottlenecks above ``v_c``, corridor shares and every link direction."""
        links = [{"from": rec["from"], "to": rec["to"], "link": rec["link"],
                  "mode": rec["mode"], "flow_t_per_year": rec["flow_t_per_year"],
                  "cost_usd_per_t": rec["cost_usd_per_t"], "v_c": rec["v_c"],
                  "months": rec["months"]}
                 for rec in self.links.to_dict("records")]
        return {"schema_version": SCHEMA_VERSION,
                "seasons": [list(m) for m in self.seasons.months],
                "route_choice": self.route_choice, "algorithm": self.algorithm,
                "iterations": self.iterations, "relative_gap": self.relative_gap,
                "objective": self.objective,
                "bottlenecks": self.bottlenecks(v_c)[["link", "from", "to", "v_c"]]
                .to_dict("records"),
                "corridor_shares": self.shares.to_dict("records"),
                "services": self.service_loads().to_dict("records"), "links": links}

    @property
    def algorithm(self) -> str:
        """Name of the algorithm."""
        return self.assignments[0].result.algorithm

    @property
    def iterations(self) -> int:
        """Iterations, summed over seasons."""
        return sum(a.result.iterations for a in self.assignments)

    @property
    def relative_gap(self) -> float:
        """The largest relative gap of any season."""
        return max(float(a.result.relative_gap) for a in self.assignments)

    @property
    def objective(self) -> float:
        """Beckmann objective, month-weighted over seasons."""
        return float(sum(w * a.result.objective for w, a in
                         zip(self.seasons.weights, self.assignments, strict=True)))

    def bottlenecks(self, v_c: float = 0.9) -> pd.DataFrame:
        """Link directions with volume/capacity above ``v_c`` in some season, worst first."""
        return _bottlenecks(self.links, v_c)

    def physical_flows(self) -> pd.DataFrame:
        """Flow per physical link, summed over directions and layers, t/year."""
        return _physical_flows(self.links)

    def service_loads(self) -> pd.DataFrame:
        """Load of each scheduled service, each way, over the period: flows month-weighted over
        seasons, v/c the highest season's."""
        return combine_service_loads([a.service_loads() for a in self.assignments],
                                     self.seasons.weights)

    def count_flows(self, counts: pd.DataFrame) -> FloatArray:
        """The year's flow through each count (as :func:`count_flows` reads them), t/year,
        month-weighted over seasons; a count no link carries in any season is an error."""
        total = np.zeros(len(counts))
        carried = np.zeros(len(counts), dtype=bool)
        for w, ng, a in zip(self.seasons.weights, self.seasons.graphs, self.assignments,
                            strict=True):
            arcs = count_flows(ng, counts, allow_empty=True)
            total += w * np.array([a.result.flow[k].sum() for k in arcs])
            carried |= np.array([k.size > 0 for k in arcs])
        if not carried.all():
            bad = counts["id"].iloc[int(np.flatnonzero(~carried)[0])]
            raise InputError(f"count {bad!r}: no link in service carries it", field="link")
        return total

    def skim(self) -> FloatArray:
        """Zone-to-zone generalized cost at equilibrium, USD per tonne, month-weighted over
        seasons; inf where some season has no path."""
        from amur.assign.paths import skim

        total = np.zeros((self.seasons.n_zones, self.seasons.n_zones))
        for w, ng, a in zip(self.seasons.weights, self.seasons.graphs, self.assignments,
                            strict=True):
            total += w * skim(ng.graph, a.result.cost)
        return total


def assign_seasons(
    seasons: SeasonGraphs,
    demand: FloatArray,
    options: AssignmentOptions | None = None,
    *,
    share_groups: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    corridors: Sequence[object] = (),
) -> YearAssignment:
    """Assign a period's demand (t/year) season by season and combine the flows.

    Parameters are as for :func:`assign_network`; see the module docstring for the method.

    Raises
    ------
    InputError
        As :func:`assign_network`; a zone that no link reaches in some season names the
        season's months.
    """
    opts = options or AssignmentOptions()
    done = []
    for months, ng in zip(seasons.months, seasons.graphs, strict=True):
        try:
            done.append(assign_network(ng, demand, opts, share_groups=share_groups,
                                       corridors=corridors))
        except InputError as exc:
            if len(seasons.months) == 1 or exc.field != "zone":
                raise
            raise InputError(f"{exc} in months {', '.join(map(str, months))}",
                             field="zone") from None
    weights = seasons.weights
    return YearAssignment(seasons, tuple(done),
                          _combine_links([a.links for a in done], seasons.months, weights),
                          _combine_shares([a.shares for a in done], weights),
                          opts.route_choice)


def _combine_links(tables: Sequence[pd.DataFrame], months: Sequence[tuple[int, ...]],
                   weights: Sequence[float]) -> pd.DataFrame:
    """Link tables of seasons as one table of the period (see :class:`YearAssignment`)."""
    if len(tables) == 1:
        return tables[0].assign(months=len(months[0]))
    t = pd.concat([table.assign(_w=w, _m=len(m)) for table, w, m in
                   zip(tables, weights, months, strict=True)], ignore_index=True)
    t["_wf"] = t["_w"] * t["flow_t_per_year"]
    t["_wfc"] = t["_wf"] * t["cost_usd_per_t"]
    t["_wfd"] = t["_wf"] * t["delay_h"]
    t["_wc"] = t["_w"] * t["cost_usd_per_t"]
    g = t.groupby(["link", "from", "to"], sort=False)
    out = g.agg(mode=("mode", "first"), flow_t_per_year=("_wf", "sum"),
                capacity_t_per_year=("capacity_t_per_year", "first"), v_c=("v_c", "max"),
                _wfc=("_wfc", "sum"), _wc=("_wc", "sum"), _w=("_w", "sum"),
                free_flow_time_h=("free_flow_time_h", "first"), _wfd=("_wfd", "sum"),
                months=("_m", "sum")).reset_index()
    flow = out["flow_t_per_year"].to_numpy()
    used = flow > 0
    safe = np.where(used, flow, 1.0)
    out["cost_usd_per_t"] = np.where(used, out["_wfc"] / safe, out["_wc"] / out["_w"])
    out["delay_h"] = np.where(used, out["_wfd"] / safe, 0.0)
    return out[[*tables[0].columns, "months"]]


def _combine_shares(tables: Sequence[pd.DataFrame], weights: Sequence[float]) -> pd.DataFrame:
    """Corridor shares of seasons, month-weighted."""
    if len(tables) == 1 or not len(tables[0]):
        return tables[0]
    t = pd.concat([table.assign(flow_t_per_year=table["flow_t_per_year"] * w,
                                share=table["share"] * w)
                   for table, w in zip(tables, weights, strict=True)], ignore_index=True)
    return (t.groupby(["group", "corridor", "corridor_name"], sort=False)[
        ["flow_t_per_year", "share"]].sum().reset_index())
