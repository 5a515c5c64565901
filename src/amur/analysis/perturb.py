"""The audit's route results on perturbed graphs: a figure scaled on the arcs that carry it,
and the routes' results read again (internal to :mod:).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from amur.analysis.figures import (
    Figure,
)
from amur.graph import ArcKind, ExpandedGraph
from amur.network import Network

#: The results the audit ranks figures by, with their units.
RESULTS = (
    "harbin_hamburg_time_h",
    "harbin_hamburg_cost_usd_per_teu",
    "primorye_time_ratio",
    "top_bottleneck_v_c",
    "amur_bridge_npv_usd_mn",
)
#: Columns whose figures can move a route's time or cost.
_ROUTE_COLUMNS = {
    "links": {"length_km", "speed_kmh", "time_h", "cost_usd_per_teu_km"},
    "nodes": {
        "handling_time_h",
        "handling_cost_usd_per_teu",
        "gauge_change_time_h",
        "gauge_change_cost_usd_per_teu",
        "border_time_h",
        "border_fee_usd_per_teu",
    },
    "regimes": {"time_h_low", "time_h", "time_h_high", "fee_usd_per_teu"},
}


@dataclass(frozen=True)
class _Setting:
    """What the route results are computed on."""

    net: Network
    graph: ExpandedGraph
    graph_2026: ExpandedGraph
    value_usd_per_teu: float
    time_value_pct_per_day: float
    arcs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    arcs_2026: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _route_arcs(s: _Setting) -> _Setting:
    """The setting with the arcs of its baseline routes (what a figure must touch)."""
    from amur.paths import route

    hh = route(
        s.net,
        "harbin",
        "hamburg",
        graph=s.graph,
        value_usd_per_teu=s.value_usd_per_teu,
        time_value_pct_per_day=s.time_value_pct_per_day,
    )[0]
    arcs_26: list[int] = []
    for via in ("vladivostok", "tianjin"):
        arcs_26 += route(s.net, "harbin", "niigata", by="time", via=[via], graph=s.graph_2026)[
            0
        ].arcs
    return dataclasses.replace(
        s, arcs=np.asarray(hh.arcs, np.int64), arcs_2026=np.asarray(arcs_26, np.int64)
    )


def _touches(perturbed: ExpandedGraph | None, base: ExpandedGraph, arcs: np.ndarray) -> bool:
    """Whether a perturbation changes any arc of the baseline routes."""
    if perturbed is None or not len(arcs):
        return False
    return bool(
        (
            (perturbed.time_h[arcs] != base.time_h[arcs])
            | (perturbed.cost_usd[arcs] != base.cost_usd[arcs])
        ).any()
    )


def _route_results(
    s: _Setting,
    graph: ExpandedGraph | None = None,
    graph_2026: ExpandedGraph | None = None,
    value: float | None = None,
    pct: float | None = None,
) -> dict[str, float]:
    """Harbin-Hamburg time and cost (generalized cost), Primorye time ratio (2026, by time)."""
    from amur.errors import NoRouteError
    from amur.paths import route

    g, g26 = graph or s.graph, graph_2026 or s.graph_2026
    value = s.value_usd_per_teu if value is None else value
    pct = s.time_value_pct_per_day if pct is None else pct
    out = {r: math.nan for r in RESULTS[:3]}
    try:
        best = route(
            s.net, "harbin", "hamburg", graph=g, value_usd_per_teu=value, time_value_pct_per_day=pct
        )[0]
        out["harbin_hamburg_time_h"] = best.time_h
        out["harbin_hamburg_cost_usd_per_teu"] = best.cost_usd_per_teu
        via_v = route(s.net, "harbin", "niigata", by="time", via=["vladivostok"], graph=g26)[0]
        via_t = route(s.net, "harbin", "niigata", by="time", via=["tianjin"], graph=g26)[0]
        out["primorye_time_ratio"] = via_v.time_h / via_t.time_h
    except NoRouteError:
        return out  # a perturbation that cuts the route leaves its results NaN
    return out


def _border_from_node(g: ExpandedGraph) -> np.ndarray:
    """For each arc, the node left by a border arc (-1 for other arcs)."""
    out = np.full(g.n_arcs, -1, np.int64)
    border = np.flatnonzero(g.kind == ArcKind.BORDER)
    if len(border):
        into = np.full(g.n_states, -1, np.int64)
        links = np.flatnonzero(g.kind == ArcKind.LINK)
        into[g.head[links]] = g.tail[links]
        out[border] = g.state_node[into[g.tail[border]]]
    return out


@lru_cache(maxsize=16)
def _rows(net: Network, table: str) -> dict[str, int]:
    """Row of each id of a table (regimes by ``place|kind|mode|direction``)."""
    frame = getattr(net, table)
    if table == "regimes":
        ids = frame["place"] + "|" + frame["kind"] + "|" + frame["mode"] + "|" + frame["direction"]
    else:
        ids = frame["id"]
    return {str(ident): row for row, ident in enumerate(ids.tolist())}


def _row_of(net: Network, table: str, ident: str) -> int:
    return _rows(net, table).get(ident, -2)  # -2 matches no arc (-1 is "none")


def _perturbed(g: ExpandedGraph, fig: Figure, factor: float) -> ExpandedGraph | None:
    """The graph with one figure times ``factor`` on the arcs it sets; None if it sets none."""
    net = g.network
    if fig.column not in _ROUTE_COLUMNS.get(fig.table, ()):
        return None
    time = g.time_h.copy()
    low, high, cost = g.time_h_low.copy(), g.time_h_high.copy(), g.cost_usd.copy()
    if fig.table == "links":
        row = _row_of(net, "links", fig.id)
        arcs = np.flatnonzero((g.kind == ArcKind.LINK) & (g.link == row))
        if not len(arcs):
            return None
        fixed = net.links["time_h"].to_numpy(np.float64, na_value=np.nan)[g.link[arcs]]
        moving = np.isnan(fixed)
        if fig.column == "length_km":
            scale_time = np.where(moving, factor, 1.0)
            cost[arcs] *= factor
        elif fig.column == "speed_kmh":
            scale_time = np.where(moving, 1.0 / factor, 1.0)
        elif fig.column == "time_h":
            scale_time = np.where(moving, 1.0, factor)
        elif fig.column == "cost_usd_per_teu_km":
            scale_time = np.ones(len(arcs))
            cost[arcs] *= factor
        else:
            return None
        for arr in (time, low, high):
            arr[arcs] *= scale_time
    elif fig.table == "regimes":
        row = _row_of(net, "regimes", fig.id)
        hits = (g.regime_from == row).astype(int) + (g.regime_to == row)
        arcs = np.flatnonzero(hits)
        if not len(arcs):
            return None
        delta = fig.value * (factor - 1.0) * hits[arcs]
        target = {
            "time_h": time,
            "time_h_low": low,
            "time_h_high": high,
            "fee_usd_per_teu": cost,
        }.get(fig.column)
        if target is None:
            return None
        target[arcs] += delta
    elif fig.table == "nodes":
        node = net.node_index.get(fig.id)
        kinds = {
            "handling": ArcKind.HANDLING,
            "gauge_change": ArcKind.GAUGE_CHANGE,
            "border": ArcKind.BORDER,
        }
        prefix = next((k for k in kinds if fig.column.startswith(k)), None)
        if node is None or prefix is None:
            return None
        is_kind = g.kind == kinds[prefix]
        if prefix == "border":
            side = (_border_from_node(g) == node) & (g.regime_from < 0)
            side = side.astype(int) + ((g.node == node) & (g.regime_to < 0))
        else:
            side = ((g.node == node) & (g.regime_from < 0)).astype(int)
        hits = np.where(is_kind, side, 0)
        arcs = np.flatnonzero(hits)
        if not len(arcs):
            return None
        delta = fig.value * (factor - 1.0) * hits[arcs]
        if fig.column.endswith("_time_h"):
            for arr in (time, low, high):
                arr[arcs] += delta
        else:
            cost[arcs] += delta
    else:
        return None
    return dataclasses.replace(g, time_h=time, time_h_low=low, time_h_high=high, cost_usd=cost)
