"""A year's assignment season by season: months that run the same links share one graph.

Seasonal links (ferries, ice roads, pontoons) run only in some months, so a year's flows are
not one assignment on every link at once. :func:`build_season_graphs` groups the months of a
year by the set of links that run in them and the ports whose winter regime applies, and
:func:`assign_seasons` assigns the annual demand on each season's network against the annual
capacity rates; the year's flow on a link is the month-weighted sum over seasons, and its v/c
the highest of any season. See :mod:`amur.assign.multimodal` for the method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.multimodal import (
    NetworkAssignment,
    NetworkGraph,
    _bottlenecks,
    _physical_flows,
    assign_network,
    build_network_graph,
    count_flows,
)
from amur.assign.options import AssignmentOptions
from amur.assign.services import combine_service_loads
from amur.assign.shipments import ShipmentCosts
from amur.errors import InputError
from amur.graph.expand import expand
from amur.network import Network
from amur.network.schema import SCHEMA_VERSION

__all__ = [
    "SeasonGraphs",
    "YearAssignment",
    "assign_seasons",
    "build_season_graphs",
    "season_months",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def season_months(
    net: Network,
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
) -> list[tuple[int, ...]]:
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
    allowed = (
        np.ones(len(net.links), dtype=bool)
        if modes is None
        else net.links["mode"].isin(sorted(modes)).to_numpy()
    )
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
    shipment: ShipmentCosts | None = None,
) -> SeasonGraphs:
    """Assignment graphs of a network's seasons in a year, or of one month.

    Parameters
    ----------
    net : Network
    zones : sequence of str
        Place ids with demand.
    parameters, value_usd_per_teu, time_value_pct_per_day, shipment
        As for :func:`build_network_graph`.
    year, month, modes
        As for :func:`season_months`.

    Returns
    -------
    SeasonGraphs
    """
    months = season_months(net, year, month, modes)
    graphs = tuple(
        build_network_graph(
            expand(net, year, m[0], modes),
            zones,
            parameters,
            value_usd_per_teu,
            time_value_pct_per_day,
            shipment,
        )
        for m in months
    )
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
        convergence, bottlenecks above ``v_c``, corridor shares and every link direction.
        """
        links = [
            {
                "from": rec["from"],
                "to": rec["to"],
                "link": rec["link"],
                "mode": rec["mode"],
                "flow_t_per_year": rec["flow_t_per_year"],
                "cost_usd_per_t": rec["cost_usd_per_t"],
                "v_c": rec["v_c"],
                "months": rec["months"],
            }
            for rec in self.links.to_dict("records")
        ]
        return {
            "schema_version": SCHEMA_VERSION,
            "seasons": [list(m) for m in self.seasons.months],
            "route_choice": self.route_choice,
            "algorithm": self.algorithm,
            "iterations": self.iterations,
            "relative_gap": self.relative_gap,
            "objective": self.objective,
            "bottlenecks": self.bottlenecks(v_c)[["link", "from", "to", "v_c"]].to_dict("records"),
            "corridor_shares": self.shares.to_dict("records"),
            "services": self.service_loads().to_dict("records"),
            "links": links,
        }

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
        return float(
            sum(
                w * a.result.objective
                for w, a in zip(self.seasons.weights, self.assignments, strict=True)
            )
        )

    def bottlenecks(self, v_c: float = 0.9) -> pd.DataFrame:
        """Link directions with volume/capacity above ``v_c`` in some season, worst first."""
        return _bottlenecks(self.links, v_c)

    def physical_flows(self) -> pd.DataFrame:
        """Flow per physical link, summed over directions and layers, t/year."""
        return _physical_flows(self.links)

    def service_loads(self) -> pd.DataFrame:
        """Load of each scheduled service, each way, over the period: flows month-weighted over
        seasons, v/c the highest season's.
        """
        return combine_service_loads(
            [a.service_loads() for a in self.assignments], self.seasons.weights
        )

    def count_flows(self, counts: pd.DataFrame) -> FloatArray:
        """The year's flow through each count (as :func:`count_flows` reads them), t/year,
        month-weighted over seasons; a count no link carries in any season is an error.
        """
        total = np.zeros(len(counts))
        carried = np.zeros(len(counts), dtype=bool)
        for w, ng, a in zip(
            self.seasons.weights, self.seasons.graphs, self.assignments, strict=True
        ):
            arcs = count_flows(ng, counts, allow_empty=True)
            total += w * np.array([a.result.flow[k].sum() for k in arcs])
            carried |= np.array([k.size > 0 for k in arcs])
        if not carried.all():
            bad = counts["id"].iloc[int(np.flatnonzero(~carried)[0])]
            raise InputError(f"count {bad!r}: no link in service carries it", field="link")
        return total

    def skim(self) -> FloatArray:
        """Zone-to-zone generalized cost at equilibrium, USD per tonne, month-weighted over
        seasons; inf where some season has no path.
        """
        from amur.assign.paths import skim

        total = np.zeros((self.seasons.n_zones, self.seasons.n_zones))
        for w, ng, a in zip(
            self.seasons.weights, self.seasons.graphs, self.assignments, strict=True
        ):
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
            done.append(
                assign_network(ng, demand, opts, share_groups=share_groups, corridors=corridors)
            )
        except InputError as exc:
            if len(seasons.months) == 1 or exc.field != "zone":
                raise
            raise InputError(
                f"{exc} in months {', '.join(map(str, months))}", field="zone"
            ) from None
    weights = seasons.weights
    return YearAssignment(
        seasons,
        tuple(done),
        _combine_links([a.links for a in done], seasons.months, weights),
        _combine_shares([a.shares for a in done], weights),
        opts.route_choice,
    )


def _combine_links(
    tables: Sequence[pd.DataFrame], months: Sequence[tuple[int, ...]], weights: Sequence[float]
) -> pd.DataFrame:
    """Link tables of seasons as one table of the period (see :class:`YearAssignment`)."""
    if len(tables) == 1:
        return tables[0].assign(months=len(months[0]))
    t = pd.concat(
        [
            table.assign(_w=w, _m=len(m))
            for table, w, m in zip(tables, weights, months, strict=True)
        ],
        ignore_index=True,
    )
    t["_wf"] = t["_w"] * t["flow_t_per_year"]
    t["_wfc"] = t["_wf"] * t["cost_usd_per_t"]
    t["_wfd"] = t["_wf"] * t["delay_h"]
    t["_wc"] = t["_w"] * t["cost_usd_per_t"]
    g = t.groupby(["link", "from", "to"], sort=False)
    out = g.agg(
        mode=("mode", "first"),
        flow_t_per_year=("_wf", "sum"),
        capacity_t_per_year=("capacity_t_per_year", "first"),
        v_c=("v_c", "max"),
        _wfc=("_wfc", "sum"),
        _wc=("_wc", "sum"),
        _w=("_w", "sum"),
        free_flow_time_h=("free_flow_time_h", "first"),
        _wfd=("_wfd", "sum"),
        months=("_m", "sum"),
    ).reset_index()
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
    t = pd.concat(
        [
            table.assign(flow_t_per_year=table["flow_t_per_year"] * w, share=table["share"] * w)
            for table, w in zip(tables, weights, strict=True)
        ],
        ignore_index=True,
    )
    return (
        t.groupby(["group", "corridor", "corridor_name"], sort=False)[["flow_t_per_year", "share"]]
        .sum()
        .reset_index()
    )
