"""Portfolio appraisal: every project of a folder with and without (and all together) against
the base, ranked by benefit-cost ratio and by market-access gain per dollar, as the World
Bank's Belt-and-Road study ranked its 71 projects (Reed & Trubetskoy 2019).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.impact.project import Project, read_project
from amur.network import Network
from amur.sweep.compute import Setting
from amur.sweep.grid import BASE, WITH_ALL, Grid
from amur.sweep.run import Progress, SweepResult, run_serial, run_sweep

__all__ = ["Portfolio", "portfolio", "rank_projects", "read_projects"]


@dataclass(frozen=True, eq=False)
class Portfolio:
    """A portfolio's ranking and the sweep behind it.

    Attributes
    ----------
    ranking : pandas.DataFrame
        One row per scenario and project (and one for ``all``): ``scenario, variant, name,
        capital_cost_usd_mn, npv_usd_mn, bcr, irr, min_dscr, p_bcr_below_1,
        ma_total_base_usd_bn, ma_gain_usd_bn, ma_gain_pct, ma_gain_pct_per_usd_bn,
        rank_bcr, rank_ma_per_usd``; ranks within a scenario, 1 the best.
    sweep : SweepResult
        Every case (base, each project, all; months; draws).
    projects : tuple of Project
    """

    ranking: pd.DataFrame
    sweep: SweepResult
    projects: tuple[Project, ...]


def read_projects(folder: str | os.PathLike[str]) -> tuple[Project, ...]:
    """Every ``*.toml`` project file of a folder, by file name.

    Raises
    ------
    InputError
        If the folder does not exist or holds no project file, or a file is not a valid
        project (the message names it).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(
            f"{root}: no such folder; expected a folder of project .toml files", field="projects"
        )
    files = sorted(root.glob("*.toml"))
    if not files:
        raise InputError(f"{root}: no project .toml file in the folder", field="projects")
    return tuple(read_project(f) for f in files)


def rank_projects(table: pd.DataFrame, grid: Grid) -> pd.DataFrame:
    """The ranking table from a portfolio sweep's rows (central draw, first parameter
    values; market access averaged over the months).
    """
    theta = grid.values("theta")[0]
    discount = grid.values("discount_pct")[0]
    rows = table[(table["theta"] == theta) & (table["draw"] == 0)]
    if discount is not None:
        rows = rows[rows["discount_pct"] == discount]
    names = {p.id: p.name for p in grid.projects}
    out = []
    for scenario, group in rows.groupby("scenario", sort=False):
        access = (
            group.groupby("variant")["ma_total_usd_bn"].mean()
            if ("ma_total_usd_bn" in group)
            else pd.Series(dtype=float)
        )
        base = float(access.get(BASE, np.nan))
        for variant in grid.variants[1:]:
            mine = group[group["variant"] == variant]
            first = mine.iloc[0]
            cases = table[
                (table["scenario"] == scenario)
                & (table["variant"] == variant)
                & (table["theta"] == theta)
                & (table["draw"] > 0)
            ]
            capital = (
                float(sum(c for p in grid.projects for c in p.capital_cost_usd_mn))
                if variant == WITH_ALL
                else float(first["capital_cost_usd_mn"])
            )
            gain = float(access.get(variant, np.nan)) - base
            pct = 100.0 * gain / base if base else np.nan
            out.append(
                {
                    "scenario": scenario,
                    "variant": variant,
                    "name": names.get(variant, "all projects"),
                    "capital_cost_usd_mn": capital,
                    "npv_usd_mn": float(first["npv_usd_mn"]),
                    "bcr": float(first["bcr"]),
                    "irr": float(first["irr"]),
                    "min_dscr": float(first["min_dscr"]),
                    "p_bcr_below_1": (float((cases["bcr"] < 1.0).mean()) if len(cases) else np.nan),
                    "ma_total_base_usd_bn": base,
                    "ma_gain_usd_bn": gain,
                    "ma_gain_pct": pct,
                    "ma_gain_pct_per_usd_bn": pct / (capital / 1000.0) if capital > 0 else np.nan,
                }
            )
    ranking = pd.DataFrame(out)
    if ranking.empty:
        return ranking
    single = ranking["variant"] != WITH_ALL
    for column, rank in (("bcr", "rank_bcr"), ("ma_gain_pct_per_usd_bn", "rank_ma_per_usd")):
        ranking[rank] = (
            ranking[single]
            .groupby("scenario")[column]
            .rank(ascending=False, method="min", na_option="bottom")
        )
        ranking[rank] = ranking[rank].astype("Int64")
    return ranking


def portfolio(
    network: Network,
    projects: Sequence[Project],
    *,
    dataset: str | None = "northeast-asia",
    scenarios: Sequence[str] = ("today",),
    months: Sequence[int] = (1, 7),
    parameters: dict[str, tuple[float, ...]] | None = None,
    draws: int = 0,
    seed: int = 20240601,
    scheduler: str | None = None,
    n_workers: int = 2,
    serial: bool = False,
    out: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    timeout_s: float = 5.0,
) -> Portfolio:
    """Appraise a portfolio: the base (no project), each project alone, and all together.

    Parameters
    ----------
    network : Network
        The base network; every project's links must be in it.
    projects : sequence of Project
        The portfolio (:func:`read_projects` reads a folder).
    dataset : str or None
        Built-in dataset for scenarios and regions (market access); None for none.
    scenarios, months, parameters, draws, seed
        The grid (:class:`amur.sweep.Grid`).
    scheduler, n_workers, serial
        Where to run: a scheduler's address, a LocalCluster of ``n_workers``, or in this
        process one case at a time.
    out : path, optional
        Parquet folder for the cases.
    progress : callable, optional
        Called with (cases done, cases in all).
    timeout_s : float
        How long to try to reach ``scheduler``, s.

    Returns
    -------
    Portfolio

    Raises
    ------
    InputError
        If a project names a link that is not in the network, or the grid is invalid.
    """
    from amur.impact.with_without import check_links

    if not projects:
        raise InputError("a portfolio needs at least one project", field="projects")
    for p in projects:
        check_links(p, network)
        if len(p.od) != 2 and p.generalized_cost_saving_usd_per_unit is None:
            raise InputError(
                f"project {p.id!r}: 'od' must name two places, or [benefits] "
                "give generalized_cost_saving_usd_per_unit",
                field="od",
            )
    grid = Grid(
        scenarios=tuple(scenarios),
        projects=tuple(projects),
        months=tuple(months),
        parameters=dict(parameters or {}),
        draws=draws,
        seed=seed,
        with_all=True,
    )
    setting = Setting(network, dataset, grid)
    result = (
        run_serial(setting, out=out, progress=progress)
        if serial
        else run_sweep(
            setting,
            out=out,
            scheduler=scheduler,
            n_workers=n_workers,
            progress=progress,
            timeout_s=timeout_s,
        )
    )
    return Portfolio(rank_projects(result.table, grid), result, tuple(projects))
