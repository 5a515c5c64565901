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
from typing import Any

import numpy as np

from amur.analysis.figures import (
    Figure,
    dataset_figures,
    source_urls,
)
from amur.analysis.perturb import (
    RESULTS,
    _perturbed,
    _route_arcs,
    _route_results,
    _Setting,
    _touches,
)
from amur.graph import expand
from amur.network import Network

__all__ = [
    "RESULTS",
    "Audit",
    "Figure",
    "audit",
    "dataset_figures",
    "source_urls",
]

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
