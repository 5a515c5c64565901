"""Multi-class assignment by commodity: each on the modes it may use, at its value of time.

Commodities differ in the modes they may use (crude oil in pipelines, LNG only by sea,
containers never in a pipeline) and in their value of time, so each is assigned on its own
assignment graph (:func:`amur.assign.multimodal.build_season_graphs` with its modes and
value), season by season. They share the links' capacity by diagonalisation (Gauss-Seidel
over the commodities): a commodity is assigned with each link direction's capacity reduced
by the other commodities' latest flows on it (at least :data:`MIN_CAPACITY_SHARE` of it is
kept), for ``rounds`` passes over all commodities. This approximates the joint equilibrium
``t0 (1 + b ((v_k + v_other) / c)^p)`` by ``t0 (1 + b (v_k / (c - v_other))^p)``; the two
agree where the other commodities' flow is small against capacity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.multimodal import (
    NetworkGraph,
    SeasonGraphs,
    YearAssignment,
    assign_seasons,
    build_season_graphs,
    link_capacities,
)
from amur.errors import InputError
from amur.graph.expand import ArcKind
from amur.network import Network

__all__ = ["MIN_CAPACITY_SHARE", "CommodityAssignment", "CommodityClass",
           "assign_commodities", "build_commodity_seasons"]

FloatArray = NDArray[np.float64]
MIN_CAPACITY_SHARE = 0.05


@dataclass(frozen=True)
class CommodityClass:
    """A commodity as the assignment sees it.

    Attributes
    ----------
    name : str
    modes : frozenset of str
        Modes it may use.
    value_usd_per_t : float
        Cargo value, USD per tonne.
    time_value_pct_per_day : float
        Cost of a day in transit, % of the value.
    """

    name: str
    modes: frozenset[str]
    value_usd_per_t: float
    time_value_pct_per_day: float


def build_commodity_seasons(
    net: Network, zones: Sequence[str], classes: Sequence[CommodityClass],
    parameters: Mapping[str, float] | None = None, year: int | None = None,
    month: int | None = None, modes: frozenset[str] | None = None,
) -> dict[str, SeasonGraphs]:
    """Season graphs of each commodity: its modes (narrowed to ``modes`` if given) and its
    value of time; see :func:`amur.assign.multimodal.build_season_graphs`."""
    t_per_teu = float(net.parameters.get("t_per_teu", 10.0))
    out = {}
    for c in classes:
        allowed = c.modes if modes is None else c.modes & modes
        out[c.name] = build_season_graphs(net, zones, parameters, year, month,
                                          frozenset(allowed),
                                          value_usd_per_teu=c.value_usd_per_t * t_per_teu,
                                          time_value_pct_per_day=max(c.time_value_pct_per_day,
                                                                     1e-9))
    return out


def _arc_keys(ng: NetworkGraph) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Link arcs of an expanded graph and their physical direction key (link * 2 + fwd)."""
    g = ng.expanded
    arcs = np.flatnonzero(g.kind == ArcKind.LINK)
    return arcs, g.link[arcs].astype(np.int64) * 2 + g.forward[arcs].astype(np.int64)


def _with_background(ng: NetworkGraph, background: FloatArray) -> NetworkGraph:
    """The graph with each link direction's capacity less ``background[key]`` (t/year)."""
    if not background.any():
        return ng
    g = ng.expanded
    arcs, keys = _arc_keys(ng)
    copies = np.bincount(keys, minlength=background.size)
    capacity = ng.graph.capacity.copy()
    share = background[keys] / np.maximum(copies[keys], 1)
    capacity[arcs] = np.maximum(capacity[arcs] - share, MIN_CAPACITY_SHARE * capacity[arcs])
    border = np.flatnonzero(g.kind == ArcKind.BORDER)
    into = np.full(g.n_states, -1, dtype=np.int64)
    into[g.head[arcs]] = arcs
    feeder = into[g.tail[border]]
    keep = feeder >= 0
    capacity[border[keep]] = capacity[feeder[keep]]
    return replace(ng, graph=replace(ng.graph, capacity=capacity))


def _direction_flows(result: YearAssignment, n_keys: int) -> FloatArray:
    """Month-weighted flow of each physical link direction (link * 2 + fwd), t/year."""
    out = np.zeros(n_keys)
    for w, ng, a in zip(result.seasons.weights, result.seasons.graphs, result.assignments,
                        strict=True):
        arcs, keys = _arc_keys(ng)
        out += w * np.bincount(keys, weights=a.result.flow[arcs], minlength=n_keys)
    return out


@dataclass(frozen=True, eq=False)
class CommodityAssignment(YearAssignment):
    """A year's flows by commodity (see the module docstring).

    ``seasons`` and ``assignments`` are those of the first commodity; ``links`` has the
    flows of all, with a ``flow_t_per_year:<commodity>`` column for each, and ``shares``
    the corridor shares of each commodity's whole demand (``group`` = commodity).

    Attributes
    ----------
    by_commodity : dict of str to YearAssignment
        Each commodity's own assignment (on capacity less the others' flows).
    """

    by_commodity: dict[str, YearAssignment] = field(default_factory=dict)

    @property
    def commodities(self) -> tuple[str, ...]:
        """Commodities assigned."""
        return tuple(self.by_commodity)

    @property
    def iterations(self) -> int:
        """Iterations, summed over commodities and seasons."""
        return sum(a.iterations for a in self.by_commodity.values())

    @property
    def relative_gap(self) -> float:
        """The largest relative gap of any commodity's season."""
        return max(a.relative_gap for a in self.by_commodity.values())

    @property
    def objective(self) -> float:
        """Beckmann objectives, summed over commodities."""
        return float(sum(a.objective for a in self.by_commodity.values()))

    def count_flows(self, counts: pd.DataFrame) -> FloatArray:
        """The year's flow through each count, t/year, over the commodities of its
        ``commodity`` column (all when empty or absent); a count no link carries in any
        season of any commodity is an error."""
        wanted = (counts["commodity"].fillna("").astype(str) if "commodity" in counts
                  else pd.Series("", index=counts.index))
        unknown = sorted(set(wanted[wanted != ""]) - set(self.by_commodity))
        total = np.zeros(len(counts))
        carried = np.zeros(len(counts), dtype=bool)
        from amur.assign.multimodal import count_flows

        for name, result in self.by_commodity.items():
            use = ((wanted == "") | (wanted == name)).to_numpy()
            for w, ng, a in zip(result.seasons.weights, result.seasons.graphs,
                                result.assignments, strict=True):
                arcs = count_flows(ng, counts, allow_empty=True)
                total += use * w * np.array([a.result.flow[k].sum() for k in arcs])
                carried |= np.array([k.size > 0 for k in arcs])
        if unknown:
            return total  # a commodity with no demand this year carries nothing
        if not carried.all():
            bad = counts["id"].iloc[int(np.flatnonzero(~carried)[0])]
            raise InputError(f"count {bad!r}: no link in service carries it", field="link")
        return total

    def to_dict(self, v_c: float = 0.9) -> dict[str, object]:
        """As :meth:`YearAssignment.to_dict`, with ``flow_t_per_year_by_commodity`` on each
        link and ``corridor_shares_by_commodity``."""
        out = super().to_dict(v_c)
        columns = [f"flow_t_per_year:{c}" for c in self.commodities]
        records = self.links[columns].to_numpy()
        links = out["links"]
        assert isinstance(links, list)
        for rec, row in zip(links, records, strict=True):
            rec["flow_t_per_year_by_commodity"] = {
                c: float(v) for c, v in zip(self.commodities, row, strict=True) if v > 0}
        out["commodities"] = list(self.commodities)
        out["corridor_shares_by_commodity"] = self.shares.to_dict("records")
        return out


def assign_commodities(
    seasons: Mapping[str, SeasonGraphs],
    demand: Mapping[str, FloatArray],
    *,
    gap: float = 1e-5,
    max_iterations: int = 500,
    rounds: int = 2,
    corridors: Sequence[object] = (),
    parameters: Mapping[str, float] | None = None,
) -> CommodityAssignment:
    """Assign each commodity's demand (t/year) on its own season graphs, sharing capacity.

    Parameters
    ----------
    seasons : mapping of str to SeasonGraphs
        Each commodity's graphs (:func:`build_commodity_seasons`), same zones.
    demand : mapping of str to ndarray, shape (n_zones, n_zones)
        Each commodity's tonnes a year; commodities without demand are skipped.
    gap, max_iterations
        Algorithm B's stopping rule, per commodity and season.
    rounds : int, default 2
        Passes of the Gauss-Seidel diagonalisation (1: each commodity sees only those
        assigned before it).
    corridors : sequence of Corridor
        For each commodity's corridor shares.
    parameters : mapping, optional
        The flow parameters the graphs were built with (for the link capacities reported).

    Returns
    -------
    CommodityAssignment

    Raises
    ------
    InputError
        If there is no demand, a commodity has no graphs, or as
        :func:`~amur.assign.multimodal.assign_seasons`.
    """
    names = [c for c, m in demand.items() if np.asarray(m).sum() > 0]
    if not names:
        raise InputError("demand: no commodity has any; expected some tonnes", field="demand")
    missing = [c for c in names if c not in seasons]
    if missing:
        raise InputError(f"commodity {missing[0]!r}: no graphs built for it",
                         field="commodity")
    first = seasons[names[0]]
    net = first.graphs[0].expanded.network
    n_keys = 2 * len(net.links)
    flows = {c: np.zeros(n_keys) for c in names}
    results: dict[str, YearAssignment] = {}
    for _ in range(max(rounds, 1)):
        for c in names:
            background = sum((flows[o] for o in names if o != c), np.zeros(n_keys))
            graphs = SeasonGraphs(tuple(_with_background(ng, background)
                                        for ng in seasons[c].graphs), seasons[c].months)
            matrix = np.asarray(demand[c], dtype=np.float64)
            zones = graphs.zones
            pairs = [(zones[o], zones[d]) for o, d in zip(*np.nonzero(matrix), strict=True)]
            results[c] = assign_seasons(graphs, matrix, "b", gap=gap,
                                        max_iterations=max_iterations,
                                        share_groups={c: pairs}, corridors=corridors)
            flows[c] = _direction_flows(results[c], n_keys)
    links = _combine(net, results, parameters or {})
    shares = pd.concat([r.shares for r in results.values()], ignore_index=True)
    head = results[names[0]]
    return CommodityAssignment(head.seasons, head.assignments, links, shares,
                               "user equilibrium by commodity", by_commodity=results)


def _combine(net: Network, results: Mapping[str, YearAssignment],
             parameters: Mapping[str, float]) -> pd.DataFrame:
    """One row per physical link direction used by some commodity, flows summed."""
    tables = []
    for c, r in results.items():
        t = r.links.assign(commodity=c)
        t["_fc"] = t["flow_t_per_year"] * t["cost_usd_per_t"]
        t["_fd"] = t["flow_t_per_year"] * t["delay_h"]
        tables.append(t)
    t = pd.concat(tables, ignore_index=True)
    g = t.groupby(["link", "from", "to"], sort=False)
    out = g.agg(mode=("mode", "first"), flow_t_per_year=("flow_t_per_year", "sum"),
                _fc=("_fc", "sum"), _fd=("_fd", "sum"), _c=("cost_usd_per_t", "mean"),
                free_flow_time_h=("free_flow_time_h", "first"),
                months=("months", "max")).reset_index()
    caps = link_capacities(net.links, parameters)
    two_way = dict(zip(caps["id"], caps["capacity_t_per_year"], strict=True))
    out["capacity_t_per_year"] = out["link"].map(two_way).to_numpy(dtype=np.float64) / 2.0
    flow = out["flow_t_per_year"].to_numpy()
    used = flow > 0
    safe = np.where(used, flow, 1.0)
    out["cost_usd_per_t"] = np.where(used, out["_fc"] / safe, out["_c"])
    out["delay_h"] = np.where(used, out["_fd"] / safe, 0.0)
    # The flow is a month-weighted annual rate; in the months a link runs it is higher.
    months = np.maximum(out["months"].to_numpy(dtype=np.float64), 1.0)
    out["v_c"] = flow * 12.0 / months / out["capacity_t_per_year"].to_numpy()
    wide = t.pivot_table(index=["link", "from", "to"], columns="commodity",
                         values="flow_t_per_year", aggfunc="sum", fill_value=0.0)
    for c in results:
        col = wide[c] if c in wide else pd.Series(0.0, index=wide.index)
        out[f"flow_t_per_year:{c}"] = col.reindex(
            pd.MultiIndex.from_frame(out[["link", "from", "to"]])).fillna(0.0).to_numpy()
    columns = ["link", "from", "to", "mode", "flow_t_per_year", "capacity_t_per_year", "v_c",
               "cost_usd_per_t", "free_flow_time_h", "delay_h", "months"]
    return out[[*columns, *[f"flow_t_per_year:{c}" for c in results]]]
