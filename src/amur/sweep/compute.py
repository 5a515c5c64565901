"""What a case needs and what it reports: the pieces shared by many cases (a scenario's
network; a scenario, variant and month's graph, route skims, trade costs and corridor
shares; a project's saving per unit in a scenario) and the row of one case built from them.

Every function here is pure: the same inputs give the same floats, so a case computed from
shared pieces equals the same case computed alone (:func:`run_case`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.impact.market_access import access_from_tau
from amur.impact.project import Project
from amur.network import Network
from amur.sweep.grid import Case, Grid

__all__ = [
    "Context",
    "ScenarioNetwork",
    "Setting",
    "build_context",
    "case_row",
    "project_saving",
    "run_case",
    "scenario_network",
    "variant_network",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Setting:
    """The network a sweep runs on and what it measures with.

    Attributes
    ----------
    network : Network
        The base network.
    dataset : str or None
        Built-in dataset whose scenarios, regions, demand and corridors apply (None for a
        network read from files: no market access or shares then).
    grid : Grid
    """

    network: Network
    dataset: str | None
    grid: Grid


@dataclass(frozen=True, eq=False)
class ScenarioNetwork:
    """A scenario applied: its network, and the year, month and modes it routes in."""

    name: str
    network: Network
    year: int | None
    month: int | None
    modes: frozenset[str] | None


@dataclass(frozen=True, eq=False)
class Context:
    """What every case of one scenario, variant and month shares.

    Attributes
    ----------
    routes : dict of str to float
        Route columns (time, money and generalized cost of each route pair).
    tau : ndarray of float64 or None
        Trade costs between regions, (1, n, n).
    gdp : ndarray of float64 or None
        GDP of each region, billion USD.
    regions : tuple of str
    shares : dict of str to float
        Corridor share columns (empty unless the grid asks for shares).
    """

    routes: dict[str, float]
    tau: FloatArray | None
    gdp: FloatArray | None
    regions: tuple[str, ...]
    shares: dict[str, float]


def scenario_network(setting: Setting, scenario: str) -> ScenarioNetwork:
    """Apply a scenario (``today``: the network as it is) to the setting's network."""
    from amur.impact.scenario import TODAY

    if scenario.strip().lower() in TODAY:
        return ScenarioNetwork(scenario, setting.network, None, None, None)
    from amur.scenarios import apply, load_scenario

    applied = apply(setting.network, load_scenario(scenario, setting.dataset or setting.network))
    return ScenarioNetwork(scenario, applied.network, applied.year, applied.month, applied.modes)


def variant_network(network: Network, built: tuple[str, ...], removed: tuple[str, ...]) -> Network:
    """The network with the links ``built`` in service and the links ``removed`` left out."""
    if not built and not removed:
        return network
    links = network.links
    links = links[~links["id"].isin(removed).to_numpy()].reset_index(drop=True)
    rows = links["id"].isin(built).to_numpy()
    if rows.any():
        links = links.copy()
        links.loc[rows, "status"] = "operating"
        links.loc[rows, "opened"] = pd.NA
        links.loc[rows, "closed"] = pd.NA
    return Network(
        network.nodes,
        links,
        network.sources,
        name=network.name,
        parameters=dict(network.parameters),
    )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower())


def build_context(setting: Setting, scen: ScenarioNetwork, variant: str, month: int) -> Context:
    """Graph, route skims, trade costs and shares of one scenario, variant and month."""
    from amur.graph import expand
    from amur.paths.skim import skim

    grid = setting.grid
    net = variant_network(scen.network, grid.built(variant), grid.removed(variant))
    month_used = scen.month if scen.month is not None else month
    graph = expand(net, year=scen.year, month=month_used, modes=scen.modes)
    routes: dict[str, float] = {}
    for origin, destination in grid.routes:
        s = skim(graph, [origin], [destination], by="generalized")
        key = f"{_slug(origin)}_{_slug(destination)}"
        routes[f"route_{key}_time_h"] = float(s.time_h[0, 0])
        routes[f"route_{key}_cost_usd_per_teu"] = float(s.cost_usd_per_teu[0, 0])
        routes[f"route_{key}_generalized_usd_per_teu"] = float(s.generalized_usd_per_teu[0, 0])
    tau = gdp = None
    regions: tuple[str, ...] = ()
    shares: dict[str, float] = {}
    if setting.dataset is not None:
        from amur.impact.market_access import trade_costs
        from amur.impact.regions import builtin_regions

        reg = builtin_regions(None, setting.dataset)
        tau = trade_costs(graph, reg)
        gdp, regions = reg.gdp_usd_bn, reg.ids
        if grid.shares:
            from amur.demand.builtin import assign_demand

            result, _ = assign_demand(net, setting.dataset, scen.year, month_used, scen.modes)
            table = result.shares
            for group, corridor, share in zip(
                table["group"], table["corridor"], table["share"].to_numpy(np.float64), strict=True
            ):
                shares[f"share_{group}_{corridor}"] = float(share)
    return Context(routes, tau, gdp, regions, shares)


def project_saving(setting: Setting, scen: ScenarioNetwork, project: Project) -> float:
    """A project's generalized-cost saving per unit of traffic in a scenario (the mean over
    12 months, :func:`amur.impact.appraisal.generalized_cost_saving`), the others of the
    grid left out; the project file's saving where the project names no two places.
    """
    from amur.impact.appraisal import generalized_cost_saving

    if len(project.od) != 2 and project.generalized_cost_saving_usd_per_unit is not None:
        return float(project.generalized_cost_saving_usd_per_unit)
    others = tuple(link for p in setting.grid.projects if p.id != project.id for link in p.link_ids)
    net = variant_network(scen.network, (), others)
    return generalized_cost_saving(project, net)


def _appraisal_columns(project: Project, saving: float, case: Case, seed: int) -> dict[str, float]:
    from amur.impact.appraisal import appraise

    p = replace(project, generalized_cost_saving_usd_per_unit=saving)
    if case.draw == 0:
        a = appraise(p, None, draws=0, discount_pct=case.discount_pct)
        values = (a.npv_usd_mn, a.bcr, a.irr, a.min_dscr)
    else:
        mc = appraise(p, None, draws=1, seed=seed + case.draw, discount_pct=case.discount_pct).draws
        values = (
            (mc.npv_usd_mn[0], mc.bcr[0], mc.irr[0], mc.min_dscr[0])
            if mc is not None
            else (math.nan,) * 4
        )
    capital = float(sum(project.capital_cost_usd_mn))
    return {
        "saving_usd_per_unit": saving,
        "capital_cost_usd_mn": capital,
        "npv_usd_mn": float(values[0]),
        "bcr": float(values[1]),
        "irr": float(values[2]),
        "min_dscr": float(values[3]),
    }


APPRAISAL_COLUMNS = (
    "saving_usd_per_unit",
    "capital_cost_usd_mn",
    "npv_usd_mn",
    "bcr",
    "irr",
    "min_dscr",
)


def case_row(
    setting: Setting, case: Case, context: Context, saving: float | None
) -> dict[str, Any]:
    """The result row of one case from its shared pieces."""
    row: dict[str, Any] = {
        "case_id": case.case_id,
        "scenario": case.scenario,
        "variant": case.variant,
        "month": case.month,
        "theta": case.theta,
        "discount_pct": math.nan if case.discount_pct is None else case.discount_pct,
        "draw": case.draw,
    }
    row.update(context.routes)
    row.update(context.shares)
    if context.tau is not None and context.gdp is not None:
        access = access_from_tau(context.tau, context.gdp, case.theta)
        for region, value in zip(context.regions, access.tolist(), strict=True):
            row[f"ma_{region}_usd_bn"] = value
        row["ma_total_usd_bn"] = float(access.sum())
    project = setting.grid.project(case.variant)
    if project is not None and saving is not None:
        row.update(_appraisal_columns(project, saving, case, setting.grid.seed))
    else:
        row.update(dict.fromkeys(APPRAISAL_COLUMNS, math.nan))
    return row


def run_case(setting: Setting, case: Case) -> dict[str, Any]:
    """One case computed alone, sharing nothing: the reference a sweep must equal."""
    scen = scenario_network(setting, case.scenario)
    context = build_context(setting, scen, case.variant, case.month)
    project = setting.grid.project(case.variant)
    saving = project_saving(setting, scen, project) if project is not None else None
    return case_row(setting, case, context, saving)
