"""Multi-class assignment by commodity: each on the modes it may use, at its value of time.

Commodities differ in the modes they may use (crude oil in pipelines, LNG only by sea,
containers never in a pipeline), in their value of time and in how they pay at places (per
TEU, or bulk per wagon, truck or ship and per tonne: :mod:`amur.assign.shipments`).
Commodities with the same modes, time-value rate (% of cargo value a day) and costing
basis form a *group*, assigned together on
the group's own graphs (:func:`amur.assign.seasons.build_season_graphs` with its modes),
season by season, by Algorithm B with one traffic class per commodity (class flows are
exact). A group's value of time is that of its tonnage-weighted mean cargo value.

Groups share the links' capacity by diagonalisation (Gauss-Seidel over the groups): a
group is assigned with each link direction's capacity reduced by the other groups' latest
flows on it (at least :data:`MIN_CAPACITY_SHARE` of it is kept), for ``rounds`` passes.
This approximates the joint equilibrium ``t0 (1 + b ((v_g + v_other) / c)^p)`` by
``t0 (1 + b (v_g / (c - v_other))^p)``; the two agree where the other groups' flow is
small against capacity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.commodity_groups import (
    CommodityClass,
    CommodityGroup,
    build_commodity_groups,
)
from amur.assign.equilibrium import assign
from amur.assign.multimodal import (
    NetworkAssignment,
    NetworkGraph,
    check_connected,
    corridor_shares,
    count_flows,
    decode_link_flows,
    link_capacities,
)
from amur.assign.options import AssignmentOptions
from amur.assign.result import TrafficClass
from amur.assign.seasons import YearAssignment
from amur.assign.services import carries_link
from amur.assign.stochastic import load_at
from amur.errors import InputError
from amur.graph.expand import ArcKind
from amur.network import Network

__all__ = [
    "MIN_CAPACITY_SHARE",
    "CommodityAssignment",
    "CommodityClass",
    "CommodityGroup",
    "assign_commodities",
    "build_commodity_groups",
]

FloatArray = NDArray[np.float64]
MIN_CAPACITY_SHARE = 0.05


def _arc_keys(ng: NetworkGraph, rides: bool = False) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Link arcs of an expanded graph (with ``rides``, also the scheduled services' ride arcs
    over the links) and their physical direction key (link * 2 + fwd).
    """
    g = ng.expanded
    arcs = np.flatnonzero(carries_link(g) if rides else g.kind == ArcKind.LINK)
    return arcs, g.link[arcs].astype(np.int64) * 2 + g.forward[arcs].astype(np.int64)


def _link_keys(net: Network, links: pd.DataFrame) -> NDArray[np.int64]:
    """Direction key (link * 2 + fwd) of each row ``link, from`` of a link table."""
    ends = net.links[["id", "from_node"]].set_index("id")["from_node"]
    row = pd.Series(np.arange(len(net.links)), index=net.links["id"])
    return row[links["link"]].to_numpy() * 2 + (
        ends[links["link"]].to_numpy() == links["from"].to_numpy()
    ).astype(np.int64)


def _with_background(ng: NetworkGraph, background: FloatArray) -> NetworkGraph:
    """The graph with each link direction's capacity less ``background[key]`` (t/year)."""
    if not background.any():
        return ng
    g = ng.expanded
    arcs, keys = _arc_keys(ng)
    copies = np.bincount(keys, minlength=background.size)
    capacity = ng.graph.cost_parameters.capacity.copy()
    share = background[keys] / np.maximum(copies[keys], 1)
    capacity[arcs] = np.maximum(capacity[arcs] - share, MIN_CAPACITY_SHARE * capacity[arcs])
    border = np.flatnonzero(g.kind == ArcKind.BORDER)
    into = np.full(g.n_states, -1, dtype=np.int64)
    into[g.head[arcs]] = arcs
    feeder = into[g.tail[border]]
    keep = feeder >= 0
    capacity[border[keep]] = capacity[feeder[keep]]
    parameters = ng.graph.cost_parameters._replace(capacity=capacity)
    return replace(ng, graph=replace(ng.graph, cost_parameters=parameters))


@dataclass(frozen=True, eq=False)
class _GroupResult:
    """A group's assignment: per season, the graph used and the equilibrium."""

    group: CommodityGroup
    graphs: tuple[NetworkGraph, ...]
    assignments: tuple[NetworkAssignment, ...]
    demand: Mapping[str, FloatArray]
    logit_theta: float | None = None

    def direction_flows(self, n_keys: int, k: int | None = None) -> FloatArray:
        """Month-weighted flow (of class ``k``, or all) per link direction key, t/year."""
        out = np.zeros(n_keys)
        for w, ng, a in zip(self.group.seasons.weights, self.graphs, self.assignments, strict=True):
            arcs, keys = _arc_keys(ng, rides=True)  # freight on services loads the link too
            flow = a.result.flow if k is None else a.result.class_flow[k]
            out += w * np.bincount(keys, weights=flow[arcs], minlength=n_keys)
        return out


def _assign_group(
    group: CommodityGroup,
    graphs: tuple[NetworkGraph, ...],
    demand: Mapping[str, FloatArray],
    options: AssignmentOptions,
    corridors: Sequence[object],
    share_groups: Mapping[str, tuple[str, Sequence[tuple[str, str]]]],
) -> _GroupResult:
    """Each season of a group: Algorithm B with an (empty) class 0, one class per commodity
    and one per share group of its commodities (whose flows count in their commodity's).
    """
    names = list(group.commodities)
    done = []
    for months, ng in zip(group.seasons.months, graphs, strict=True):
        n = ng.n_zones
        index = {z: k for k, z in enumerate(ng.zones)}
        rest = {c: np.asarray(demand[c], dtype=np.float64).copy() for c in names}
        parts: list[tuple[str, str, FloatArray]] = []
        for name, (c, pairs) in share_groups.items():
            if c not in rest:
                continue
            part = np.zeros((n, n))
            for o, d in pairs:
                if o in index and d in index:
                    part[index[o], index[d]] = rest[c][index[o], index[d]]
            if part.sum() > 0:
                rest[c] -= part
                parts.append((name, c, part))
        classes = [TrafficClass(np.zeros((n, n)), 1.0, "none")]
        classes += [TrafficClass(np.maximum(rest[c], 0.0), 1.0, c) for c in names]
        classes += [TrafficClass(part, 1.0, name) for name, _, part in parts]
        total = np.sum([c.demand for c in classes], axis=0)
        try:
            check_connected(ng, total)
        except InputError as exc:
            where = ", ".join(names)
            raise InputError(
                f"{exc} by the modes of {where} in months {', '.join(map(str, months))}",
                field="zone",
            ) from None
        result = assign(ng.graph, classes, options)
        flows = result.class_flow.copy()
        for j, (_, c, _) in enumerate(parts):
            flows[1 + names.index(c)] += flows[1 + len(names) + j]
        result = replace(result, class_flow=flows)
        links = decode_link_flows(ng, result.flow, result.cost)
        shares = corridor_shares(ng, result, [*names, *[p[0] for p in parts]], corridors)
        done.append(NetworkAssignment(ng, result, links, shares))
    return _GroupResult(
        group,
        graphs,
        tuple(done),
        {c: np.asarray(demand[c], dtype=np.float64) for c in names},
        options.logit_theta,
    )


@dataclass(frozen=True, eq=False)
class CommodityAssignment(YearAssignment):
    """A year's flows by commodity (see the module docstring).

    ``seasons`` and ``assignments`` are those of the first group; ``links`` has the flows
    of all groups, with a ``flow_t_per_year:<commodity>`` column for each commodity, and
    ``shares`` the corridor shares of the share groups, as for one class.

    Attributes
    ----------
    groups : tuple
        Each group's assignment (on capacity less the other groups' flows).
    commodity_shares : pandas.DataFrame
        The corridor shares of each commodity's whole demand (``group`` = the commodity).
    """

    groups: tuple[_GroupResult, ...] = field(default_factory=tuple)
    commodity_shares: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def commodities(self) -> tuple[str, ...]:
        """Commodities assigned."""
        return tuple(c for g in self.groups for c in g.group.commodities)

    @property
    def iterations(self) -> int:
        """Iterations, summed over groups and seasons."""
        return sum(a.result.iterations for g in self.groups for a in g.assignments)

    @property
    def relative_gap(self) -> float:
        """The largest relative gap of any group's season."""
        return max(float(a.result.relative_gap) for g in self.groups for a in g.assignments)

    @property
    def objective(self) -> float:
        """Beckmann objectives, month-weighted, summed over groups."""
        return float(
            sum(
                w * a.result.objective
                for g in self.groups
                for w, a in zip(g.group.seasons.weights, g.assignments, strict=True)
            )
        )

    def count_flows(self, counts: pd.DataFrame) -> FloatArray:
        """The year's flow through each count, t/year, of the commodity in its
        ``commodity`` column (all when empty or absent); a count no link carries in any
        season is an error.
        """
        wanted = (
            counts["commodity"].fillna("").astype(str).to_numpy()
            if "commodity" in counts
            else np.full(len(counts), "", dtype=object)
        )
        total = np.zeros(len(counts))
        carried = np.zeros(len(counts), dtype=bool)
        for g in self.groups:
            for w, ng, a in zip(g.group.seasons.weights, g.graphs, g.assignments, strict=True):
                arcs = count_flows(ng, counts, allow_empty=True)
                carried |= np.array([k.size > 0 for k in arcs])
                for k, name in enumerate(g.group.commodities, start=1):
                    use = (wanted == "") | (wanted == name)
                    flow = a.result.class_flow[k]
                    total += use * w * np.array([flow[x].sum() for x in arcs])
        if not carried.all():
            bad = counts["id"].iloc[int(np.flatnonzero(~carried)[0])]
            raise InputError(f"count {bad!r}: no link in service carries it", field="link")
        return total

    def with_ranges(
        self, low: Mapping[str, FloatArray], high: Mapping[str, FloatArray]
    ) -> CommodityAssignment:
        """The assignment with a range on every link direction's flow, from a range of each
        commodity's matrix (t/year): each zone pair's change from the assigned matrix is
        loaded on its all-or-nothing path at its group's equilibrium costs (by logit for a
        logit group), season by season, and added to the equilibrium flow (not below 0).
        Adds the columns ``flow_low_t_per_year`` and ``flow_high_t_per_year`` to
        :attr:`links`.
        """
        net = self.groups[0].graphs[0].expanded.network
        n_keys = 2 * len(net.links)
        delta_low, delta_high = np.zeros(n_keys), np.zeros(n_keys)
        for g in self.groups:
            for w, ng, a in zip(g.group.seasons.weights, g.graphs, g.assignments, strict=True):
                arcs, keys = _arc_keys(ng)
                for c in g.group.commodities:
                    if c not in low or c not in high:
                        continue
                    base = g.demand[c]
                    for bound, out in ((low[c], delta_low), (high[c], delta_high)):
                        change = np.asarray(bound, dtype=np.float64) - base
                        # a loading takes demand >= 0: more and less, loaded apart
                        up, down = (
                            load_at(
                                ng.graph, a.result, np.maximum(sign * change, 0.0), g.logit_theta
                            )
                            for sign in (1.0, -1.0)
                        )
                        flow = up - down
                        out += w * np.bincount(keys, weights=flow[arcs], minlength=n_keys)
        links = self.links.copy()
        key = _link_keys(net, links)
        flow = links["flow_t_per_year"].to_numpy(dtype=np.float64)
        links["flow_low_t_per_year"] = np.maximum(flow + delta_low[key], 0.0)
        links["flow_high_t_per_year"] = np.maximum(flow + delta_high[key], 0.0)
        return replace(self, links=links)

    def to_dict(self, v_c: float = 0.9) -> dict[str, object]:
        """As :meth:`YearAssignment.to_dict`, with ``flow_t_per_year_by_commodity`` on each
        link (and ``flow_t_per_year_range`` after :meth:`with_ranges`), ``commodities`` and
        ``corridor_shares_by_commodity``.
        """
        out = super().to_dict(v_c)
        names = self.commodities
        records = self.links[[f"flow_t_per_year:{c}" for c in names]].to_numpy()
        links = out["links"]
        if isinstance(links, list):
            for rec, row in zip(links, records, strict=True):
                rec["flow_t_per_year_by_commodity"] = {
                    c: float(v) for c, v in zip(names, row, strict=True) if v > 0
                }
            if "flow_low_t_per_year" in self.links:
                ranges = self.links[["flow_low_t_per_year", "flow_high_t_per_year"]]
                for rec, (lo, hi) in zip(links, ranges.to_numpy(), strict=True):
                    rec["flow_t_per_year_range"] = [float(lo), float(hi)]
        out["commodities"] = list(names)
        out["corridor_shares_by_commodity"] = self.commodity_shares.to_dict("records")
        return out


def assign_commodities(
    groups: Sequence[CommodityGroup],
    demand: Mapping[str, FloatArray],
    options: AssignmentOptions | None = None,
    *,
    rounds: int = 2,
    corridors: Sequence[object] = (),
    parameters: Mapping[str, float] | None = None,
    share_groups: Mapping[str, tuple[str, Sequence[tuple[str, str]]]] | None = None,
    options_by_commodity: Mapping[str, AssignmentOptions] | None = None,
) -> CommodityAssignment:
    """Assign each group's commodities (t/year) on the group's graphs, sharing capacity.

    Parameters
    ----------
    groups : sequence of CommodityGroup
        From :func:`build_commodity_groups`, with the same zones.
    demand : mapping of str to ndarray, shape (n_zones, n_zones)
        Tonnes a year by commodity.
    options : AssignmentOptions, optional
        Algorithm, stopping rule and route choice, per group and season (user equilibrium
        by Algorithm B to a relative gap of 1e-5 by default); logit route choice uses the
        links leading away from each origin at the user-equilibrium costs. Across groups
        each sees the others' flows as reduced capacity (module docstring): a system
        optimum is one within each group.
    rounds : int, default 2
        Passes of the Gauss-Seidel diagonalisation (1: a group sees only the groups
        assigned before it).
    corridors : sequence of Corridor
        For each commodity's corridor shares.
    parameters : mapping, optional
        The flow parameters the graphs were built with (for the capacities reported).
    share_groups : mapping of str to (str, list of (origin, destination)), optional
        Named parts of a commodity's demand (zone ids) whose corridor shares to report,
        each assigned as its own class (its flows count in its commodity's).
    options_by_commodity : mapping of str to AssignmentOptions, optional
        Other options for the groups of some commodities (a group takes those of its
        first commodity listed here), e.g. logit route choice for containers only.

    Returns
    -------
    CommodityAssignment

    Raises
    ------
    InputError
        If there are no groups, or a zone with demand of a group is not reached by its
        modes in some season (the message names the commodities and months).
    """
    if not groups:
        raise InputError("demand: no commodity has any; expected some tonnes", field="demand")
    # Logit spreads each origin's freight over the links leading away from it at the
    # user-equilibrium costs, as for one class (amur.assign.multimodal.assign_network).
    options = (options or AssignmentOptions()).with_(logit_paths="equilibrium")
    net = groups[0].seasons.graphs[0].expanded.network
    n_keys = 2 * len(net.links)
    by = options_by_commodity or {}
    flows = [np.zeros(n_keys) for _ in groups]
    results: list[_GroupResult] = []
    for _ in range(max(rounds, 1)):
        results = []
        for k, group in enumerate(groups):
            background = sum((flows[o] for o in range(len(groups)) if o != k), np.zeros(n_keys))
            graphs = tuple(_with_background(ng, background) for ng in group.seasons.graphs)
            mine = [by[c] for c in group.commodities if c in by]
            own = mine[0].with_(logit_paths="equilibrium") if mine else options
            done = _assign_group(group, graphs, demand, own, corridors, share_groups or {})
            flows[k] = done.direction_flows(n_keys)
            results.append(done)
        if len(groups) == 1:
            break
    links = _combine(net, results, n_keys, parameters or {})
    shares = pd.concat([_year_shares(r) for r in results], ignore_index=True)
    names = [c for r in results for c in r.group.commodities]
    by_commodity = shares["group"].isin(names) if len(shares) else pd.Series(dtype=bool)
    head = results[0]
    return CommodityAssignment(
        head.group.seasons,
        head.assignments,
        links,
        shares[~by_commodity].reset_index(drop=True),
        options.route_choice,
        groups=tuple(results),
        commodity_shares=shares[by_commodity].reset_index(drop=True),
    )


def _year_shares(result: _GroupResult) -> pd.DataFrame:
    """A group's corridor shares, month-weighted over its seasons."""
    weights = result.group.seasons.weights
    tables = [
        a.shares.assign(
            flow_t_per_year=a.shares["flow_t_per_year"] * w, share=a.shares["share"] * w
        )
        for a, w in zip(result.assignments, weights, strict=True)
    ]
    t = pd.concat(tables, ignore_index=True)
    if not len(t):
        return t
    return (
        t.groupby(["group", "corridor", "corridor_name"], sort=False)[["flow_t_per_year", "share"]]
        .sum()
        .reset_index()
    )


def _combine(
    net: Network, results: Sequence[_GroupResult], n_keys: int, parameters: Mapping[str, float]
) -> pd.DataFrame:
    """One row per physical link direction some group runs on; flows by commodity."""
    tables = []
    for r in results:
        months: dict[tuple[str, str, str], int] = {}
        for m, a in zip(r.group.seasons.months, r.assignments, strict=True):
            for key in zip(a.links["link"], a.links["from"], a.links["to"], strict=True):
                months[key] = months.get(key, 0) + len(m)
        weights = r.group.seasons.weights
        t = pd.concat(
            [a.links.assign(_w=w) for a, w in zip(r.assignments, weights, strict=True)],
            ignore_index=True,
        )
        t["_f"] = t["_w"] * t["flow_t_per_year"]
        t["_fc"] = t["_f"] * t["cost_usd_per_t"]
        t["_fd"] = t["_f"] * t["delay_h"]
        t["_c"] = t["_w"] * t["cost_usd_per_t"]
        g = (
            t.groupby(["link", "from", "to"], sort=False)
            .agg(
                mode=("mode", "first"),
                _f=("_f", "sum"),
                _fc=("_fc", "sum"),
                _fd=("_fd", "sum"),
                _c=("_c", "sum"),
                _w=("_w", "sum"),
                free_flow_time_h=("free_flow_time_h", "first"),
            )
            .reset_index()
        )
        g["months"] = [months[k] for k in zip(g["link"], g["from"], g["to"], strict=True)]
        tables.append(g)
    t = pd.concat(tables, ignore_index=True)
    out = (
        t.groupby(["link", "from", "to"], sort=False)
        .agg(
            mode=("mode", "first"),
            flow_t_per_year=("_f", "sum"),
            _fc=("_fc", "sum"),
            _fd=("_fd", "sum"),
            _c=("_c", "sum"),
            _w=("_w", "sum"),
            free_flow_time_h=("free_flow_time_h", "first"),
            months=("months", "max"),
        )
        .reset_index()
    )
    caps = link_capacities(net.links, parameters)
    # a two-way link's capacity is half each way; a one-way link's all in its direction
    total = dict(zip(caps["id"], caps["capacity_t_per_year"], strict=True))
    ways = dict(zip(net.links["id"], np.where(net.links["bidirectional"], 2.0, 1.0), strict=True))
    out["capacity_t_per_year"] = out["link"].map(total).to_numpy(dtype=np.float64) / out[
        "link"
    ].map(ways).to_numpy(dtype=np.float64)
    flow = out["flow_t_per_year"].to_numpy(dtype=np.float64)
    used = flow > 0
    safe = np.where(used, flow, 1.0)
    out["cost_usd_per_t"] = np.where(used, out["_fc"] / safe, out["_c"] / out["_w"])
    out["delay_h"] = np.where(used, out["_fd"] / safe, 0.0)
    # The flow is a month-weighted annual rate; in the months a link runs it is higher.
    running = np.maximum(out["months"].to_numpy(dtype=np.float64), 1.0)
    out["v_c"] = flow * 12.0 / running / out["capacity_t_per_year"].to_numpy(dtype=np.float64)
    direction = _link_keys(net, out)
    for r in results:
        for k, c in enumerate(r.group.commodities, start=1):
            out[f"flow_t_per_year:{c}"] = r.direction_flows(n_keys, k)[direction]
    columns = [
        "link",
        "from",
        "to",
        "mode",
        "flow_t_per_year",
        "capacity_t_per_year",
        "v_c",
        "cost_usd_per_t",
        "free_flow_time_h",
        "delay_h",
        "months",
    ]
    names = [c for r in results for c in r.group.commodities]
    return out[[*columns, *[f"flow_t_per_year:{c}" for c in names]]]
