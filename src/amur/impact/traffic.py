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

The assignments are run once per appraisal; Monte Carlo draws scale the traffic and
benefits by their growth and level and never re-assign.
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
        One row per OD pair with demand in either case: ``origin, destination,
        demand_with_t, demand_without_t, gc_with_usd_per_t, gc_without_usd_per_t,
        benefit_usd``.
    relative_gap : tuple of float
        Final relative gap of the assignments (with, without).
    iterations : tuple of int
    demand_basis : str
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
            "od_pairs": len(self.od),
            "top_od_benefits": [
                {
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


def _matrix(demand: Any, zones: tuple[str, ...] | None) -> tuple[tuple[str, ...], FloatArray]:
    from amur.demand.matrix import ODMatrices

    if isinstance(demand, ODMatrices):
        return tuple(demand.zones), np.asarray(demand.combined(), dtype=np.float64)
    if zones is None:
        raise InputError("demand: a matrix needs its zones", field="demand")
    return tuple(zones), np.asarray(demand, dtype=np.float64)


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
            f"{CALIBRATION_SCENARIO} network), the same in both cases"
        )
    else:
        demand_basis = "given by the caller" + (
            "" if demand_without is None else ", with and without the project"
        )
    zone_ids, with_d = _matrix(demand, zones)
    if demand_without is None:
        without_d = with_d
    else:
        zw, without_d = _matrix(demand_without, zones if zones is not None else zone_ids)
        if zw != zone_ids or without_d.shape != with_d.shape:
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
    costs, flows, gaps, iterations = [], [], [], []
    for net, matrix in (
        (network_with(network, project), with_d),
        (network_without(network, project), without_d),
    ):
        seasons = season_graphs.build_season_graphs(net, places, flow_parameters, year, month)
        result = season_graphs.assign_seasons(
            seasons, matrix, AssignmentOptions("b", gap, max_iterations)
        )
        costs.append(result.skim())
        physical = result.physical_flows()
        flows.append(
            float(physical.loc[physical["link"].isin(project.link_ids), "flow_t_per_year"].sum())
        )
        gaps.append(result.relative_gap)
        iterations.append(result.iterations)
    gc_with, gc_without = costs
    used = (with_d > 0) | (without_d > 0)
    bad = used & ~(np.isfinite(gc_with) & np.isfinite(gc_without))
    if bad.any():
        o, d = (int(k[0]) for k in np.nonzero(bad))
        raise InputError(
            f"project {project.id!r}: no route {zone_ids[o]} to {zone_ids[d]} with or without it",
            field="demand",
        )
    o_idx, d_idx = np.nonzero(used)
    benefit = 0.5 * (without_d + with_d) * (gc_without - gc_with)
    od = pd.DataFrame(
        {
            "origin": [places[k] for k in o_idx],
            "destination": [places[k] for k in d_idx],
            "demand_with_t": with_d[used],
            "demand_without_t": without_d[used],
            "gc_with_usd_per_t": gc_with[used],
            "gc_without_usd_per_t": gc_without[used],
            "benefit_usd": benefit[used],
        }
    )
    return AssignedTraffic(
        project.id,
        year,
        month,
        flows[0],
        flows[1],
        float(benefit[used].sum()),
        od,
        (gaps[0], gaps[1]),
        (iterations[0], iterations[1]),
        demand_basis,
    )
