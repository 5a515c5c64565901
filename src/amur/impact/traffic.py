"""A project's traffic and user benefits from equilibrium assignments with and without it.

Two assignments of one demand (t/year) on the network of the project's opening year: with
the project's links in service and with them removed. The project's traffic is the flow on
its links (both directions, summed over gauge layers) in the case with it; user benefits
follow the rule of a half per OD pair,

    benefit = sum over OD of 0.5 x (T_without + T_with) x (GC_without - GC_with),

where GC is the generalized cost per tonne between the two zones at equilibrium: the
least-cost path on the equilibrium arc costs of each assignment (money cost plus value of
time times the congested hours, USD per tonne; see :mod:`amur.assign.multimodal`). At a
user equilibrium every used path costs this much, so it is the cost shippers face. Without
a month, each case is assigned season by season (months running the same links; see
:mod:`amur.assign.multimodal`), and GC and traffic are month-weighted over the seasons.

A demand by commodity whose commodities are all the dataset's (``commodities.csv``; the
built-in demand is one) is assigned multi-class as ``amur assign --scenario YEAR`` does
(:func:`amur.demand.calibrate.assign_year`): each commodity only on its own modes (crude oil
never on a road bridge) and at its own value of time, so GC is each commodity group's
equilibrium cost, and the rule of a half is summed over OD pairs and commodities. The
project's traffic and benefits are also reported by commodity
(:attr:`AssignedTraffic.by_commodity`).
Any other demand is one class on every mode, at the network's value of time.

The assignments are run once per appraisal; Monte Carlo draws scale the traffic and
benefits by their growth and level and never re-assign.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.errors import InputError
from amur.impact.traffic_classes import (
    Case,
    case_by_commodity,
    check_same_commodities,
    dataset_commodities,
    od_benefits,
)
from amur.network import Network

__all__ = ["AssignedTraffic", "assign_project", "builtin_demand_applies"]

FloatArray = npt.NDArray[np.float64]

#: Relative gap of the two assignments: tight, so that convergence noise in the OD costs
#: stays far below the benefit (about 1e-10 of the total system cost at 1e-8).
APPRAISAL_GAP = 1e-8
COST_BASIS = (
    "generalized cost per tonne between zones at equilibrium: least-cost path on "
    "each assignment's equilibrium arc costs (money cost + value of time x "
    "congested hours), USD/t"
)
#: Appraisals of the built-in demand kept per network (the web page and the API ask for the
#: same appraisal in turn; an assignment by commodity takes tens of seconds). Keyed by the
#: network object (held weakly) and the project's links, years and settings; a result is
#: frozen, so a kept one is the answer itself.
MEMO_SIZE = 8
_MEMO: weakref.WeakKeyDictionary[Network, dict[tuple[Any, ...], AssignedTraffic]] = (
    weakref.WeakKeyDictionary()
)
CLASSES = {
    "commodity": "by commodity: each on its own modes at its own value of time",
    "one": "one class on every mode, at the network's value of time",
}


@dataclass(frozen=True, eq=False)
class AssignedTraffic:
    """Traffic and user benefits of a project from two assignments.

    Attributes
    ----------
    project_id : str
    year : int or None
        Year whose network was assigned (the project's opening year).
    month : int or None
        Month assigned (None: every link of the year, seasonal ones included).
    with_t_per_year : float
        Flow on the project's links, both directions, with the project, t/year.
    without_t_per_year : float
        Flow on the project's links without the project (0: they are removed).
    user_benefit_usd_per_year : float
        Rule-of-a-half user benefit summed over OD pairs, USD a year.
    od : pandas.DataFrame
        One row per OD pair and commodity with demand in either case: ``commodity, origin,
        destination, demand_with_t, demand_without_t, gc_with_usd_per_t,
        gc_without_usd_per_t, benefit_usd`` (one commodity, ``all`` or the demand's own
        name, for a one-class assignment).
    relative_gap : tuple of float
        Final relative gap of the assignments (with, without).
    iterations : tuple of int
    demand_basis : str
    by_commodity : pandas.DataFrame
        One row per commodity: ``commodity, with_t_per_year, without_t_per_year,
        user_benefit_usd_per_year`` (t/year on the project's links, USD a year); the rows
        sum to the totals.
    classes : str
        ``"commodity"`` (multi-class by commodity) or ``"one"`` (one class, every mode).
    """

    project_id: str
    year: int | None
    month: int | None
    with_t_per_year: float
    without_t_per_year: float
    user_benefit_usd_per_year: float
    od: pd.DataFrame
    relative_gap: tuple[float, float]
    iterations: tuple[int, int]
    demand_basis: str
    by_commodity: pd.DataFrame = field(default_factory=pd.DataFrame)
    classes: str = "one"

    def to_dict(self) -> dict[str, Any]:
        """JSON form (without the OD table's rows, only its size and largest gainers)."""
        top = self.od.sort_values("benefit_usd", ascending=False).head(5)
        return {
            "year": self.year,
            "month": self.month,
            "project_traffic_with_t_per_year": round(self.with_t_per_year, 3),
            "project_traffic_without_t_per_year": round(self.without_t_per_year, 3),
            "user_benefit_usd_per_year": round(self.user_benefit_usd_per_year, 2),
            "benefit_rule": "sum over OD of 0.5 x (T_without + T_with) x (GC_without - GC_with)",
            "cost_basis": COST_BASIS,
            "demand_basis": self.demand_basis,
            "relative_gap": [float(g) for g in self.relative_gap],
            "iterations": list(self.iterations),
            "classes": CLASSES[self.classes],
            "traffic_by_commodity": [
                {
                    "commodity": str(r["commodity"]),
                    "with_t_per_year": round(float(r["with_t_per_year"]), 3),
                    "without_t_per_year": round(float(r["without_t_per_year"]), 3),
                    "user_benefit_usd_per_year": round(float(r["user_benefit_usd_per_year"]), 2),
                }
                for r in self.by_commodity.to_dict("records")
            ],
            "od_pairs": len(self.od[["origin", "destination"]].drop_duplicates()),
            "top_od_benefits": [
                {
                    "commodity": r["commodity"],
                    "origin": r["origin"],
                    "destination": r["destination"],
                    "benefit_usd": round(float(r["benefit_usd"]), 2),
                    "gc_saving_usd_per_t": round(
                        float(r["gc_without_usd_per_t"] - r["gc_with_usd_per_t"]), 6
                    ),
                }
                for r in top.to_dict("records")
            ],
        }


def builtin_demand_applies(network: Network) -> bool:
    """Whether the network comes from a dataset with a built-in demand (``demand.csv``):
    a built-in dataset, or a folder (such as a copy of one) holding that file. The answer
    depends on where the network was read from, not on what it is called.
    """
    from amur.data import dataset_folder

    folder = dataset_folder(network)
    return folder is not None and (folder / "demand.csv").exists()


def _matrices(
    demand: Any, zones: tuple[str, ...] | None
) -> tuple[tuple[str, ...], dict[str, FloatArray]]:
    """Zones and matrices by commodity (t/year) of a demand; a plain matrix is ``all``."""
    from amur.demand.matrix import ODMatrices

    if isinstance(demand, ODMatrices):
        return tuple(demand.zones), {
            c: np.asarray(m, dtype=np.float64) for c, m in demand.matrices.items()
        }
    if zones is None:
        raise InputError("demand: a matrix needs its zones", field="demand")
    return tuple(zones), {"all": np.asarray(demand, dtype=np.float64)}


def assign_project(
    project: Any,
    network: Network,
    demand: Any = None,
    demand_without: Any = None,
    zones: tuple[str, ...] | None = None,
    year: int | None = None,
    month: int | None = None,
    flow_parameters: Mapping[str, float] | None = None,
    gap: float = APPRAISAL_GAP,
    max_iterations: int = 2000,
) -> AssignedTraffic:
    """Assign a demand with and without a project; its traffic and rule-of-a-half benefits.

    Parameters
    ----------
    project : Project
        Its ``link_ids`` are put in service (with) or removed (without).
    network : Network
    demand : ODMatrices or ndarray, optional
        Demand with the project, t/year; the network's built-in demand by default.
    demand_without : ODMatrices or ndarray, optional
        Demand without the project (same zones); ``demand`` by default (fixed demand: the
        rule of a half then gives the whole cost saving of the existing traffic).
    zones : tuple of str, optional
        Place ids of the rows of ``demand`` when it is a plain matrix.
    year, month : int, optional
        Network year and month; the year defaults to the project's opening year, and without
        a month the year's seasons are assigned.
    flow_parameters : mapping, optional
        Capacities and BPR parameters; the built-in dataset's ``flow_parameters.csv`` for a
        built-in network, else none (defaults).
    gap, max_iterations
        Convergence of the two assignments (Algorithm B).

    Returns
    -------
    AssignedTraffic

    Raises
    ------
    InputError
        If the project names no link or a link not in the network, no built-in demand
        applies and none is given, or a zone with demand is not reached.
    """
    from amur.assign import multimodal
    from amur.assign import seasons as season_graphs
    from amur.assign.options import AssignmentOptions
    from amur.impact.with_without import check_links, network_with, network_without

    if not project.link_ids:
        raise InputError(
            f"project {project.id!r}: names no link, so no assignment can "
            "measure its traffic; use the project file's traffic",
            field="link_ids",
        )
    check_links(project, network)
    key: tuple[Any, ...] = (project.id, tuple(project.link_ids), project.opening_year)
    key += (year, month, gap, max_iterations)
    builtin = demand is demand_without is zones is flow_parameters is None
    memo = _MEMO.setdefault(network, {}) if builtin else {}
    if key in memo:  # the same built-in demand on the same network: the same answer
        return memo[key]
    from amur.data import dataset_folder

    folder = dataset_folder(network)
    if demand is None:
        if not builtin_demand_applies(network):
            raise InputError(
                f"network {network.name!r} has no built-in demand; give a "
                "demand or use the project file's traffic",
                field="demand",
            )
        from amur.demand.builtin import CALIBRATION_SCENARIO, builtin_demand

        demand = builtin_demand(str(folder))
        demand_basis = (
            f"built-in demand of {network.name!r} (demand.csv, calibrated on the "
            f"{CALIBRATION_SCENARIO} network), the same in both cases, assigned by "
            "commodity"
        )
    else:
        demand_basis = "given by the caller" + (
            "" if demand_without is None else ", with and without the project"
        )
    zone_ids, with_m = _matrices(demand, zones)
    if demand_without is None:
        without_m = with_m
    else:
        zw, without_m = _matrices(demand_without, zones if zones is not None else zone_ids)
        n = len(zone_ids)
        if zw != zone_ids or any(m.shape != (n, n) for m in without_m.values()):
            raise InputError(
                "demand without the project: zones differ from the demand with it", field="demand"
            )
    places = [network.place(z) for z in zone_ids]
    if flow_parameters is None:
        flow_parameters = (
            {}
            if folder is None
            else multimodal.read_flow_parameters(folder / "flow_parameters.csv")
        )
    year = project.opening_year if year is None else year
    names = list(dict.fromkeys([*with_m, *without_m]))
    commodities = dataset_commodities(folder)
    by_commodity = bool(commodities) and set(names) <= set(commodities)
    if by_commodity:  # bulk pays border fees per wagon or truck load (amur.assign.shipments)
        from amur.demand.builtin import with_shipment_sizes

        flow_parameters = with_shipment_sizes(flow_parameters, commodities)
    options = AssignmentOptions("b", gap, max_iterations)
    if by_commodity:
        check_same_commodities(project, with_m, without_m)
    cases = []
    for net, matrices in (
        (network_with(network, project), with_m),
        (network_without(network, project), without_m),
    ):
        if by_commodity:
            cases.append(
                case_by_commodity(
                    project,
                    net,
                    places,
                    matrices,
                    commodities,
                    flow_parameters,
                    year,
                    month,
                    options,
                )
            )
        else:
            seasons = season_graphs.build_season_graphs(net, places, flow_parameters, year, month)
            combined = np.sum(list(matrices.values()), axis=0)
            result = season_graphs.assign_seasons(seasons, combined, options)
            cases.append(Case.one_class(project, result, names))
    od, by = od_benefits(project, places, names, with_m, without_m, cases)
    if not by_commodity:  # one class: its flows cannot be told apart by commodity
        label = names[0] if len(names) == 1 else "all"
        by = pd.DataFrame(
            {
                "commodity": [label],
                "with_t_per_year": [cases[0].flows["all"]],
                "without_t_per_year": [cases[1].flows["all"]],
                "user_benefit_usd_per_year": [float(by["user_benefit_usd_per_year"].sum())],
            }
        )
    traffic = AssignedTraffic(
        project.id,
        year,
        month,
        float(by["with_t_per_year"].sum()),
        float(by["without_t_per_year"].sum()),
        float(od["benefit_usd"].sum()),
        od,
        (cases[0].gap, cases[1].gap),
        (cases[0].iterations, cases[1].iterations),
        demand_basis,
        by.reset_index(drop=True),
        "commodity" if by_commodity else "one",
    )
    if len(memo) >= MEMO_SIZE:
        del memo[next(iter(memo))]
    memo[key] = traffic
    return traffic
