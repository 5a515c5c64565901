"""The pieces of a project's assignment by commodity: each case's generalized costs and
project traffic by commodity, and the rule of a half by OD pair and commodity (used by
:func:`amur.impact.traffic.assign_project`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.errors import InputError
from amur.network import Network

__all__ = [
    "BY_COMMODITY_COLUMNS",
    "OD_COLUMNS",
    "Case",
    "case_by_commodity",
    "check_same_commodities",
    "dataset_commodities",
    "od_benefits",
]

FloatArray = npt.NDArray[np.float64]

OD_COLUMNS = [
    "commodity",
    "origin",
    "destination",
    "demand_with_t",
    "demand_without_t",
    "gc_with_usd_per_t",
    "gc_without_usd_per_t",
    "benefit_usd",
]
BY_COMMODITY_COLUMNS = [
    "commodity",
    "with_t_per_year",
    "without_t_per_year",
    "user_benefit_usd_per_year",
]


@dataclass(frozen=True)
class Case:
    """One assignment (with or without the project): GC per tonne between zones by
    commodity (USD/t), flow on the project's links by commodity (``all`` for one class,
    t/year), final gap and iterations.
    """

    gc: dict[str, FloatArray]
    flows: dict[str, float]
    gap: float
    iterations: int

    @classmethod
    def one_class(cls, project: Any, result: Any, names: list[str]) -> Case:
        """A one-class assignment's case: its skim for every commodity, its flow as ``all``."""
        gc = result.skim()
        physical = result.physical_flows()
        flow = float(physical.loc[physical["link"].isin(project.link_ids), "flow_t_per_year"].sum())
        return cls({c: gc for c in names}, {"all": flow}, result.relative_gap, result.iterations)


def case_by_commodity(
    project: Any,
    net: Network,
    places: list[str],
    matrices: dict[str, FloatArray],
    commodities: Mapping[str, Any],
    flow_parameters: Mapping[str, float],
    year: int | None,
    month: int | None,
    options: Any,
) -> Case:
    """The multi-class assignment by commodity of one case, as ``amur assign`` runs it:
    each commodity group's GC at its own equilibrium costs (month-weighted over its
    seasons), and each commodity's flow on the project's links.
    """
    from amur.assign.paths import skim
    from amur.demand.calibrate import assign_year, commodity_classes

    result = assign_year(
        net,
        places,
        commodity_classes(commodities),
        matrices,
        flow_parameters,
        year,
        month,
        options=options,
    )
    gc: dict[str, FloatArray] = {}
    for g in result.groups:
        order = [list(g.group.seasons.zones).index(z) for z in places]
        total = np.zeros((len(places), len(places)))
        for w, ng, a in zip(g.group.seasons.weights, g.graphs, g.assignments, strict=True):
            total += w * skim(ng.graph, a.result.cost)
        for c in g.group.commodities:
            gc[c] = total[np.ix_(order, order)]
    links = result.links
    on_project = links["link"].isin(project.link_ids)
    flows = {
        c: float(links.loc[on_project, f"flow_t_per_year:{c}"].sum()) for c in result.commodities
    }
    return Case(gc, flows, result.relative_gap, result.iterations)


def od_benefits(
    project: Any,
    places: list[str],
    names: list[str],
    with_m: dict[str, FloatArray],
    without_m: dict[str, FloatArray],
    cases: list[Case],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rule of a half by OD pair and commodity, and the totals by commodity."""
    tables, rows = [], []
    with_case, without_case = cases
    for c in names:
        zero = np.zeros((len(places), len(places)))
        t_with, t_without = with_m.get(c, zero), without_m.get(c, zero)
        used = (t_with > 0) | (t_without > 0)
        if not used.any():
            continue
        gc_with, gc_without = with_case.gc[c], without_case.gc[c]
        bad = used & ~(np.isfinite(gc_with) & np.isfinite(gc_without))
        if bad.any():
            o, d = (int(k[0]) for k in np.nonzero(bad))
            raise InputError(
                f"project {project.id!r}: no route {places[o]} to {places[d]} for {c} "
                "with or without it",
                field="demand",
            )
        o_idx, d_idx = np.nonzero(used)
        benefit = 0.5 * (t_without[used] + t_with[used]) * (gc_without[used] - gc_with[used])
        tables.append(
            pd.DataFrame(
                {
                    "commodity": c,
                    "origin": [places[k] for k in o_idx],
                    "destination": [places[k] for k in d_idx],
                    "demand_with_t": t_with[used],
                    "demand_without_t": t_without[used],
                    "gc_with_usd_per_t": gc_with[used],
                    "gc_without_usd_per_t": gc_without[used],
                    "benefit_usd": benefit,
                }
            )
        )
        rows.append(
            {
                "commodity": c,
                "with_t_per_year": with_case.flows.get(c, 0.0),
                "without_t_per_year": without_case.flows.get(c, 0.0),
                "user_benefit_usd_per_year": float(benefit.sum()),
            }
        )
    od = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=OD_COLUMNS)
    return od, pd.DataFrame(rows, columns=BY_COMMODITY_COLUMNS)


def check_same_commodities(
    project: Any, with_m: Mapping[str, FloatArray], without_m: Mapping[str, FloatArray]
) -> None:
    """By commodity, GC comes from each commodity's own assignment: a commodity needs
    demand in both cases for the rule of a half to have its cost in both.
    """
    with_c = {c for c, m in with_m.items() if np.asarray(m).sum() > 0}
    without_c = {c for c, m in without_m.items() if np.asarray(m).sum() > 0}
    if with_c != without_c:
        c = sorted(with_c ^ without_c)[0]
        case = "with" if c in with_c else "without"
        other = "without" if case == "with" else "with"
        raise InputError(
            f"project {project.id!r}: commodity {c!r} has demand {case} the project and "
            f"none {other} it; by commodity the rule of a half needs its cost in both cases "
            "(give it demand in both, or assign one class)",
            field="demand",
        )


def dataset_commodities(folder: Any) -> dict[str, Any]:
    """The commodities of the dataset a network was read from (``commodities.csv``);
    empty where it has none.
    """
    if folder is None or not (folder / "commodities.csv").exists():
        return {}
    from amur.demand.statistics import read_commodities

    return dict(read_commodities(folder / "commodities.csv"))
