"""Audit of a dataset's figures: how many, by kind of source, how many with a public address,
and which of them the results depend on most.

Every number of a network's tables (links, nodes, regimes, parameters, and the capacities of
the dataset's flow parameters) is a :class:`Figure` with its source. The *results* are the
model's headline figures: the Harbin-Hamburg time and cost, the Primorye time ratio
(Harbin-Niigata via Vladivostok over via Tianjin), the top bottleneck's v/c and the Amur road
bridge's NPV. Each figure a result touches is perturbed by -20 % and +20 % and the result
recomputed; figures that move a result are *critical*, ranked by the largest relative move.

Route results are recomputed on the expanded graph with the figure's arcs perturbed (no
rebuild, milliseconds each), for the figures on the baseline routes. The v/c and the NPV need
assignments, so by default they are recomputed for the figure each rests on directly (the
bottleneck link's capacity, the bridge link's capacity) and, with ``full=True``, for every
critical figure.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from amur.analysis.figures import (
    Figure,
    dataset_figures,
    source_urls,
)
from amur.graph import ArcKind, ExpandedGraph, expand
from amur.network import Network

__all__ = [
    "RESULTS",
    "Audit",
    "Figure",
    "audit",
    "dataset_figures",
    "source_urls",
]

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
_PARAMETERS_ROUTE = ("shipment_value_usd_per_teu", "time_value_pct_per_day")


@dataclass(frozen=True)
class Audit:
    """The audit of a dataset (see the module docstring).

    Attributes
    ----------
    figures : tuple of Figure
        Every figure of the dataset.
    baseline : dict of str to float
        The results on the data as they are.
    critical : tuple of (Figure, dict)
        Figures that move a result, most influential first, each with its effect: per
        result, the change at -20 % and at +20 % (``None`` where not recomputed).
    step : float
        Relative perturbation (0.2).
    """

    figures: tuple[Figure, ...]
    baseline: dict[str, float]
    critical: tuple[tuple[Figure, dict[str, dict[str, float | None]]], ...]
    step: float = 0.2
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``amur data audit --json``."""
        kinds: dict[str, int] = {}
        for fig in self.figures:
            kinds[fig.kind or "unknown"] = kinds.get(fig.kind or "unknown", 0) + 1
        n = len(self.figures)
        critical = [
            {
                "table": f.table,
                "id": f.id,
                "column": f.column,
                "value": f.value,
                "source_id": f.source_id,
                "kind": f.kind,
                "url": f.url or None,
                "urls": list(f.urls),
                "effect": effect,
                "score": _score(effect, self.baseline),
            }
            for f, effect in self.critical
        ]
        with_url = [bool(f.urls) for f, _ in self.critical]
        return {
            "figures": n,
            "by_kind": dict(sorted(kinds.items())),
            "with_url_share": _share([bool(f.urls) for f in self.figures]),
            "baseline": self.baseline,
            "step": self.step,
            "critical": critical,
            "critical_with_url_share": _share(with_url),
            "notes": list(self.notes),
        }


def _share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def _score(effect: dict[str, dict[str, float | None]], baseline: dict[str, float]) -> float:
    """Largest relative move of any result (change over |baseline|)."""
    best = 0.0
    for result, moves in effect.items():
        base = abs(baseline.get(result, 0.0)) or 1.0
        for move in moves.values():
            if move is not None and math.isfinite(move):
                best = max(best, abs(move) / base)
    return round(best, 6)


# -- results on perturbed graphs --------------------------------------------------------------


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
        pass
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


# -- results that need an assignment ---------------------------------------------------------


def _with_figure(net: Network, fig: Figure, factor: float) -> Network | None:
    """A copy of the network with one figure times ``factor`` (None if it is not a table
    figure of the network; a flow-parameter capacity becomes the link's own capacity).
    """
    if fig.table in ("links", "nodes"):
        frame = getattr(net, fig.table).copy()
        rows = frame["id"] == fig.id
        frame.loc[rows, fig.column] = frame.loc[rows, fig.column].astype(float) * factor
        return dataclasses.replace(net, **{fig.table: frame})
    if fig.table == "regimes":
        frame = net.regimes.copy()
        key = frame["place"] + "|" + frame["kind"] + "|" + frame["mode"] + "|" + frame["direction"]
        frame.loc[key == fig.id, fig.column] = fig.value * factor
        return dataclasses.replace(net, regimes=frame)
    if fig.table == "flow_parameters" and fig.id.startswith("capacity_t_per_year:"):
        links = net.links.copy()
        rows = links["id"] == fig.id.split(":", 1)[1]
        links.loc[rows, "capacity_t_per_year"] = fig.value * factor
        return dataclasses.replace(net, links=links)
    if fig.table == "parameters":
        return dataclasses.replace(net, parameters={**net.parameters, fig.id: fig.value * factor})
    return None


def _bottleneck(net: Network, dataset: str) -> tuple[float, str]:
    """Highest v/c of any link direction under the built-in demand, and that link's id."""
    from amur.demand.builtin import assign_demand

    result, _ = assign_demand(net, dataset, None, None, None)
    links = result.links
    top = int(np.argmax(links["v_c"].to_numpy(np.float64)))
    return float(links["v_c"].iloc[top]), str(links["link"].iloc[top])


def _bottleneck_v_c(net: Network, dataset: str, link: str) -> float:
    """v/c of the busiest direction of one link under the built-in demand."""
    from amur.demand.builtin import assign_demand

    result, _ = assign_demand(net, dataset, None, None, None)
    links = result.links
    return float(links.loc[links["link"] == link, "v_c"].max())


def _bridge_npv(net: Network) -> float:
    """Economic NPV of the Amur road bridge (central case, traffic as ``amur appraise``
    chooses it: assigned), USD mn.
    """
    from amur.impact import appraise

    return float(appraise("amur-road-bridge", network=net, draws=0, traffic="auto").npv_usd_mn)


BRIDGE_LINK = "heihe-blagoveshchensk-road"


def audit(
    net: Network | None = None,
    dataset: str = "northeast-asia",
    *,
    step: float = 0.2,
    full: bool = False,
    assignments: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Audit:
    """Count a dataset's figures by source and rank the ones the results depend on.

    Parameters
    ----------
    net : Network, optional
        The network (the built-in dataset by default).
    dataset : str
        Built-in dataset whose folder gives the parameters, flow parameters, demand and
        projects (``northeast-asia``).
    step : float
        Relative perturbation, 0.2 for +-20 %.
    full : bool
        Recompute the v/c and the NPV for every critical figure (one assignment and one
        appraisal each way: minutes), not only for those of the bottleneck and bridge links.
    assignments : bool
        Compute the v/c and NPV at all (False: route results only, seconds).
    progress : callable, optional
        Called with a short message as work proceeds (the CLI shows it).

    Returns
    -------
    Audit

    Raises
    ------
    InputError
        If the dataset is unknown.

    Examples
    --------
    >>> from amur.analysis.audit import audit
    >>> report = audit(assignments=False)  # doctest: +SKIP
    >>> report.to_dict()["critical"][0]["id"]  # doctest: +SKIP
    'zabaykalsk|gauge_change|rail|1435>1520'
    """
    from amur.data import dataset_path, load

    if not 0.0 < step < 1.0:
        from amur.errors import InputError

        raise InputError(f"step {step:g}: expected a fraction between 0 and 1", field="step")
    folder = dataset_path(dataset)
    net = load(dataset) if net is None else net
    figures = dataset_figures(net, folder)
    say = progress or (lambda _message: None)
    setting = _Setting(
        net,
        expand(net),
        expand(net, year=2026),
        float(net.parameters.get("shipment_value_usd_per_teu", 50_000.0)),
        float(net.parameters.get("time_value_pct_per_day", 1.0)),
    )
    setting = _route_arcs(setting)
    baseline = _route_results(setting)
    notes = []
    bottleneck_link = ""
    if assignments:
        say("assigning the built-in demand and appraising the Amur road bridge")
        baseline["top_bottleneck_v_c"], bottleneck_link = _bottleneck(net, dataset)
        baseline["amur_bridge_npv_usd_mn"] = _bridge_npv(net)
        notes.append(f"top bottleneck: {bottleneck_link}")
    say("perturbing the figures the routes touch")
    critical: list[tuple[Figure, dict[str, dict[str, float | None]]]] = []
    for fig in figures:
        effect = _route_effect(setting, fig, step, baseline)
        which = _assignment_results(fig, effect is not None, assignments, full, bottleneck_link)
        if which:
            say(f"re-assigning for {fig.table} {fig.id} {fig.column}")
            effect = {
                **(effect or {}),
                **_assignment_effect(net, dataset, fig, step, baseline, bottleneck_link, which),
            }
        if effect is not None and _score(effect, baseline) > 0:
            for result in RESULTS:
                if result in baseline:
                    effect.setdefault(result, {"minus_20pct": None, "plus_20pct": None})
            critical.append((fig, effect))
    critical.sort(key=lambda item: (-_score(item[1], baseline), item[0].key))
    if assignments and not full:
        notes.append(
            "v/c recomputed for the bottleneck link's capacity and the NPV for the "
            "bridge link's capacity only (None elsewhere); full=True recomputes both "
            "for every critical figure"
        )
    return Audit(tuple(figures), baseline, tuple(critical), step, tuple(notes))


def _label(step: float, sign: int) -> str:
    return f"{'plus' if sign > 0 else 'minus'}_{round(step * 100)}pct"


def _route_effect(
    s: _Setting, fig: Figure, step: float, baseline: dict[str, float]
) -> dict[str, dict[str, float | None]] | None:
    """Change of the route results at -step and +step of one figure (None if it sets none
    of the arcs or parameters the routes use).
    """
    effect: dict[str, dict[str, float | None]] = {r: {} for r in RESULTS[:3]}
    touched = False
    for sign in (-1, 1):
        factor = 1.0 + sign * step
        if fig.table == "parameters" and fig.id in _PARAMETERS_ROUTE:
            value = fig.value * factor if fig.id == _PARAMETERS_ROUTE[0] else None
            pct = fig.value * factor if fig.id == _PARAMETERS_ROUTE[1] else None
            moved = _route_results(s, value=value, pct=pct)
        else:
            g = _perturbed(s.graph, fig, factor)
            g26 = _perturbed(s.graph_2026, fig, factor)
            if not (_touches(g, s.graph, s.arcs) or _touches(g26, s.graph_2026, s.arcs_2026)):
                return None
            moved = _route_results(s, graph=g, graph_2026=g26)
        touched = True
        for result in RESULTS[:3]:
            effect[result][_label(step, sign)] = _delta(moved[result], baseline[result])
    return effect if touched else None


def _delta(value: float, base: float) -> float | None:
    if not (math.isfinite(value) and math.isfinite(base)):
        return None
    return round(value - base, 6)


def _capacity_of(fig: Figure, link: str) -> bool:
    """Whether a figure is the capacity of a link (its own column or a flow parameter)."""
    return (fig.table, fig.id, fig.column) == ("links", link, "capacity_t_per_year") or (
        fig.table,
        fig.id,
    ) == ("flow_parameters", f"capacity_t_per_year:{link}")


def _assignment_results(
    fig: Figure, on_routes: bool, assignments: bool, full: bool, bottleneck_link: str
) -> tuple[str, ...]:
    """Which assignment results to recompute for a figure: both for every figure on the
    routes with ``full``; else the v/c for the bottleneck's capacity and the NPV for the
    bridge's.
    """
    if not assignments:
        return ()
    if full and (on_routes or _capacity_of(fig, bottleneck_link) or _capacity_of(fig, BRIDGE_LINK)):
        return RESULTS[3:]
    if _capacity_of(fig, bottleneck_link):
        return (RESULTS[3],)
    if _capacity_of(fig, BRIDGE_LINK):
        return (RESULTS[4],)
    return ()


def _assignment_effect(
    net: Network,
    dataset: str,
    fig: Figure,
    step: float,
    baseline: dict[str, float],
    bottleneck_link: str,
    which: tuple[str, ...],
) -> dict[str, dict[str, float | None]]:
    effect: dict[str, dict[str, float | None]] = {result: {} for result in which}
    for sign in (-1, 1):
        changed = _with_figure(net, fig, 1.0 + sign * step)
        label = _label(step, sign)
        for result in which:
            if changed is None:
                effect[result][label] = None
            elif result == "top_bottleneck_v_c":
                effect[result][label] = _delta(
                    _bottleneck_v_c(changed, dataset, bottleneck_link), baseline[result]
                )
            else:
                effect[result][label] = _delta(_bridge_npv(changed), baseline[result])
    return effect
