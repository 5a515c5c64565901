"""Calibration of a demand by commodity and year to counts, validation on held-out counts.

The demand of each commodity and year is the statistics prior (:mod:`amur.demand.statistics`)
times a factor per commodity and zone pair, the same in every year. The factors are fitted
(bi-level, ME2-style as in :mod:`amur.demand.estimate`) to two kinds of observation:

- the calibration counts (``commodity_counts.csv``: crossings by year, direction and, where
  published, commodity; port throughput; China-Europe trains), each matched by the year's
  flow (season by season, multi-class by commodity) on the network of the count's year;
- the trade statistics themselves (each in its own year), so that the fit cannot drop the
  published trade to match a crossing.

Each outer round assigns every count year's demand, loads each zone pair all-or-nothing on
its group's equilibrium costs to find which counts it passes, and moves every factor by
the damped geometric mean of ``observed / modelled`` over the observations it enters,
held toward the statistics by a prior weight (:mod:`amur.demand.factors`: a cell moves only
as far as the observations passing it outweigh that many observations saying the statistics
were right), within a factor of :data:`~amur.demand.factors.MAX_FACTOR` either way. The
weight is chosen in every round by leave-one-out cross-validation over the calibration
counts (:func:`~amur.demand.factors.choose_prior_weight`). The
validation counts (``commodity_validation_counts.csv``: every count from 2022 on, and some
earlier ones chosen before fitting) never enter the fit. GEH (on thousand tonnes a year)
and R² are reported for both sets. A bootstrap over the calibration counts (the fit redone
on resampled counts with the last round's routes) gives each factor's spread, carried into
ranges of the counts, the totals and the link flows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.commodity import (
    CommodityAssignment,
    CommodityClass,
    assign_commodities,
    build_commodity_groups,
)
from amur.assign.multimodal import count_flows
from amur.assign.options import AssignmentOptions
from amur.demand.estimate import CountFit, _logit_proportions, _proportions
from amur.demand.factors import PRIOR_WEIGHTS, FactorProblem, choose_prior_weight
from amur.demand.ranges import _fit, _ranges, _with_range
from amur.demand.statistics import Commodity, DemandPrior, statistic_observations
from amur.errors import InputError
from amur.network import Network

__all__ = [
    "Calibration",
    "assign_year",
    "calibrate",
    "commodity_classes",
    "read_counts_by_year",
    "route_choice",
]

FloatArray = NDArray[np.float64]


def route_choice(gap: float, logit_theta: float | None) -> AssignmentOptions:
    """The calibration's assignment: user equilibrium (Algorithm B) to ``gap``, then with
    ``logit_theta`` one logit loading of every class at the equilibrium costs (see
    :func:`amur.assign.equilibrium.assign`, algorithm ``aon`` with equilibrium paths).
    """
    if logit_theta is None:
        return AssignmentOptions(gap=gap)
    return AssignmentOptions(
        algorithm="aon", gap=gap, logit_theta=logit_theta, logit_paths="equilibrium"
    )


def commodity_classes(commodities: Mapping[str, Commodity]) -> list[CommodityClass]:
    """The commodities as the assignment sees them."""
    return [
        CommodityClass(c.id, c.modes, c.value_usd_per_t, c.time_value_pct_per_day)
        for c in commodities.values()
    ]


def read_counts_by_year(
    path: str | Path, commodities: Mapping[str, Commodity], years: Sequence[int]
) -> pd.DataFrame:
    """Read counts ``id, link | from,to, direction, commodity, value, unit, year`` and
    convert TEU to tonnes with the commodity's ``t_per_teu`` (containers when empty).

    Raises
    ------
    InputError
        Naming the file, row and column: a missing column, an unknown commodity, a value
        that is not a number > 0, a unit other than ``t_per_year`` or ``teu_per_year``, or a
        year the demand (and so the network's calibration) does not have.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})", field="counts") from None
    required = ("id", "link", "from", "to", "direction", "commodity", "value", "unit", "year")
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(
            f"{path}: no column {missing[0]!r}; expected {', '.join(required)}", field=missing[0]
        )
    tonnes, year_list = [], []
    for k, rec in enumerate(table.to_dict("records")):
        row = k + 2
        commodity = rec["commodity"].strip()
        if commodity and commodity not in commodities:
            raise InputError(
                f"{path}, row {row}, column commodity: unknown commodity "
                f"{commodity!r}; expected one of {', '.join(commodities)}",
                field="commodity",
            )
        try:
            value = float(rec["value"])
        except ValueError:
            value = float("nan")
        if not (np.isfinite(value) and value > 0):
            raise InputError(
                f"{path}, row {row}, column value: {rec['value']!r}; expected a number > 0",
                field="value",
            )
        try:
            year = int(rec["year"])
        except ValueError:
            year = -1
        if year not in years:
            raise InputError(
                f"{path}, row {row}, column year: {rec['year']!r}; the demand "
                f"has the years {', '.join(map(str, years))}",
                field="year",
            )
        unit = rec["unit"].strip()
        if unit == "teu_per_year":
            per_teu = commodities[commodity or "container"].t_per_teu
            if not np.isfinite(per_teu):
                raise InputError(
                    f"{path}, row {row}, column unit: TEU of {commodity!r}, which has no t_per_teu",
                    field="unit",
                )
            value *= per_teu
        elif unit != "t_per_year":
            raise InputError(
                f"{path}, row {row}, column unit: {unit!r}; expected t_per_year or teu_per_year",
                field="unit",
            )
        tonnes.append(value)
        year_list.append(year)
    return table.assign(value_t_per_year=tonnes, year=year_list)


def assign_year(
    net: Network,
    zones: Sequence[str],
    classes: Sequence[CommodityClass],
    demand: Mapping[str, FloatArray],
    parameters: Mapping[str, float],
    year: int | None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
    *,
    options: AssignmentOptions | None = None,
    rounds: int = 1,
    corridors: Sequence[object] = (),
    share_groups: Mapping[str, tuple[str, Sequence[tuple[str, str]]]] | None = None,
    options_by_commodity: Mapping[str, AssignmentOptions] | None = None,
) -> CommodityAssignment:
    """A year's multi-class assignment by commodity (see :mod:`amur.assign.commodity`); one
    Gauss-Seidel pass over the commodity groups by default; ``options_by_commodity`` as for
    :func:`~amur.assign.commodity.assign_commodities`.
    """
    groups = build_commodity_groups(net, zones, classes, demand, parameters, year, month, modes)
    return assign_commodities(
        groups,
        demand,
        options,
        rounds=rounds,
        corridors=corridors,
        parameters=parameters,
        share_groups=share_groups,
        options_by_commodity=options_by_commodity,
    )


@dataclass(frozen=True, eq=False)
class Calibration:
    """A calibrated demand and its fit.

    Attributes
    ----------
    zones : tuple of str
        Place id of each zone.
    years : tuple of int
    factors : dict of str to ndarray, shape (n_zones, n_zones)
        Calibrated factor of each commodity and zone pair (on the prior).
    matrices : dict of (str, int) to ndarray
        Calibrated t/year by commodity and year.
    calibration, validation : CountFit
        Observed and modelled counts (exact: season-by-season equilibrium of the calibrated
        demand), GEH, R²; tables add ``low_t_per_year, high_t_per_year`` (bootstrap).
    statistics_fit : pandas.DataFrame
        Each statistic (its own year) against the calibrated demand's cells.
    ranges : pandas.DataFrame
        ``origin, destination, commodity, year, value, low, high`` (t/year) of every cell.
    outer_iterations : int
    prior_weight : float
        The penalty weight of the last round (see :mod:`amur.demand.factors`).
    cross_validation : pandas.DataFrame
        The last round's leave-one-out table (``prior_weight, loo_geh_median,
        loo_geh_mean, chosen``); None when the weight was given.
    """

    zones: tuple[str, ...]
    years: tuple[int, ...]
    factors: dict[str, FloatArray]
    matrices: dict[tuple[str, int], FloatArray]
    calibration: CountFit
    validation: CountFit
    statistics_fit: pd.DataFrame
    ranges: pd.DataFrame
    outer_iterations: int
    prior_weight: float = 0.0
    cross_validation: pd.DataFrame | None = None

    def totals(self) -> pd.DataFrame:
        """Total t/year by commodity and year, with the bootstrap range."""
        return (
            self.ranges.groupby(["commodity", "year"])[["value", "low", "high"]].sum().reset_index()
        )


def _count_incidence(
    assignment: CommodityAssignment,
    counts: pd.DataFrame,
    names: Sequence[str],
    theta: float | None = None,
) -> list[dict[str, FloatArray]]:
    """For each count: commodity -> P[o, d], the month-weighted share of the zone pair's
    freight that passes the count: its all-or-nothing path on its group's equilibrium
    costs, or with ``theta``, in a group assigned by logit, its logit loading at the costs
    the group was loaded at.
    """
    out: list[dict[str, FloatArray]] = [{} for _ in range(len(counts))]
    wanted = counts["commodity"].fillna("").astype(str).to_numpy()
    for g in assignment.groups:
        for w, ng, a in zip(g.group.seasons.weights, g.graphs, g.assignments, strict=True):
            links = count_flows(ng, counts, allow_empty=True)
            if theta is None or a.result.reference_cost is None:
                p = _proportions(ng, a.result.cost, links, np.ones((ng.n_zones, ng.n_zones)))
            else:
                used = np.sum([g.demand[c] for c in g.group.commodities], axis=0)
                p = _logit_proportions(ng, a.result, links, used, theta)
            for c in g.group.commodities:
                if c not in names:
                    continue
                for k in range(len(counts)):
                    if wanted[k] in ("", c):
                        out[k][c] = out[k].get(c, 0.0) + w * p[k]
    return out


def calibrate(
    net: Network,
    prior: DemandPrior,
    commodities: Mapping[str, Commodity],
    statistics: pd.DataFrame,
    counts: pd.DataFrame,
    validation: pd.DataFrame,
    parameters: Mapping[str, float],
    *,
    outer_iterations: int = 2,
    bootstrap: int = 200,
    seed: int = 0,
    gap: float = 1e-4,
    logit_theta: float | None = None,
    logit_commodities: Sequence[str] | None = None,
    prior_weights: Sequence[float] = PRIOR_WEIGHTS,
) -> Calibration:
    """Fit the factors to the counts and statistics; check on the validation counts.

    Parameters
    ----------
    net : Network
        The dataset's network (each count is matched on it in the count's year).
    prior : DemandPrior
    commodities : mapping
    statistics : pandas.DataFrame
        :func:`~amur.demand.statistics.read_statistics` rows (observations of their year).
    counts, validation : pandas.DataFrame
        :func:`read_counts_by_year` tables; no count may be in both.
    parameters : mapping
        Flow parameters.
    outer_iterations : int
        Assign-and-refit rounds.
    bootstrap : int
        Resamples of the calibration counts.
    seed : int
        Of the bootstrap's random generator.
    gap : float
        Relative gap of the assignments.
    logit_theta : float, optional
        Route choice of the assignments: logit stochastic user equilibrium with this
        dispersion (per USD/t of generalised cost; efficient links at the user-equilibrium
        costs), so that near-equal routes share a zone pair's freight; user equilibrium
        when None. The counts' incidence is the logit loading's.
    logit_commodities : sequence of str, optional
        The commodities (their groups) that choose routes by logit; all when None; the
        others are assigned at user equilibrium.
    prior_weights : sequence of float
        Penalty weights (>= 0) holding the factors toward the statistics; with more than
        one, each round chooses among them by leave-one-out cross-validation over the
        calibration counts; with one, that weight.

    Raises
    ------
    InputError
        If a count id is in both sets, a prior weight is negative or none is given, or as
        the assignment (a count no link carries).
    """
    weights_given = [float(w) for w in prior_weights]
    if not weights_given or not all(np.isfinite(w) and w >= 0 for w in weights_given):
        raise InputError(
            f"prior_weights: {list(prior_weights)!r}; expected one or more numbers >= 0",
            field="prior_weights",
        )
    both = sorted(set(counts["id"]) & set(validation["id"]))
    if both:
        raise InputError(
            f"count {both[0]!r} is both a calibration and a validation count; "
            "expected the two sets apart",
            field="id",
        )
    zones = tuple(z.place for z in prior.zones)
    names = [c for c in commodities if any(prior.matrices[c, y].sum() > 0 for y in prior.years)]
    classes = commodity_classes(commodities)
    n = len(zones)
    factors = {c: np.ones((n, n)) for c in names}
    stats = statistic_observations(prior, statistics)
    stat_problem = FactorProblem(
        names,
        np.array([s["observed"] for s in stats]),
        [int(str(s["year"])) for s in stats],
        [{str(s["commodity"]): np.asarray(s["cells"], dtype=np.float64)} for s in stats],
    )

    def demand(year: int, f: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
        return {c: prior.matrices[c, year] * f[c] for c in names}

    def assign_all(
        years: Sequence[int], f: Mapping[str, FloatArray]
    ) -> dict[int, CommodityAssignment]:
        if logit_commodities is None:
            options, by_commodity = route_choice(gap, logit_theta), None
        else:
            options = route_choice(gap, None)
            logit = route_choice(gap, logit_theta)
            by_commodity = {c: logit for c in logit_commodities}
        return {
            y: assign_year(
                net,
                zones,
                classes,
                demand(y, f),
                parameters,
                y,
                options=options,
                options_by_commodity=by_commodity,
            )
            for y in years
        }

    count_years = sorted(set(counts["year"]))
    problem = stat_problem
    prior_weight, cross_validation = weights_given[0], None
    for _ in range(outer_iterations):
        done = assign_all(count_years, factors)
        incidence: list[dict[str, FloatArray]] = [{} for _ in range(len(counts))]
        for y in count_years:
            rows = np.flatnonzero(counts["year"].to_numpy() == y)
            part = counts.iloc[rows].reset_index(drop=True)
            for k, inc in zip(
                rows, _count_incidence(done[y], part, names, logit_theta), strict=True
            ):
                incidence[k] = inc
        problem = FactorProblem(
            names,
            np.concatenate(
                [counts["value_t_per_year"].to_numpy(dtype=np.float64), stat_problem.observed]
            ),
            [*counts["year"].astype(int), *stat_problem.years],
            [*incidence, *stat_problem.incidence],
        )
        if len(weights_given) > 1:
            prior_weight, cross_validation = choose_prior_weight(
                problem, prior, len(counts), weights_given
            )
        else:
            prior_weight, cross_validation = weights_given[0], None
        factors = problem.fit(prior, np.ones(problem.observed.size), prior_weight=prior_weight)
    all_years = sorted(set(count_years) | set(validation["year"]))
    final = assign_all(all_years, factors)
    cal_fit = _fit(final, counts)
    val_fit = _fit(final, validation)
    # Bootstrap: resample the calibration counts (the statistics always count once).
    rng = np.random.default_rng(seed)
    n_counts = len(counts)
    val_incidence: list[dict[str, FloatArray]] = [{} for _ in range(len(validation))]
    for y in sorted(set(validation["year"])):
        rows = np.flatnonzero(validation["year"].to_numpy() == y)
        part = validation.iloc[rows].reset_index(drop=True)
        for k, inc in zip(rows, _count_incidence(final[y], part, names, logit_theta), strict=True):
            val_incidence[k] = inc
    val_problem = FactorProblem(
        names,
        validation["value_t_per_year"].to_numpy(dtype=np.float64),
        list(validation["year"].astype(int)),
        val_incidence,
    )
    draws = []
    arrays, val_arrays = problem.arrays(prior), val_problem.arrays(prior)
    picks = [
        np.bincount(rng.integers(0, n_counts, n_counts), minlength=n_counts)
        for _ in range(bootstrap)
    ]
    if picks:
        weights = np.hstack([np.array(picks, dtype=np.float64), np.ones((bootstrap, len(stats)))])
        many = problem.fit(prior, weights, arrays=arrays, prior_weight=prior_weight)
        draws = [{c: f[b] for c, f in many.items()} for b in range(bootstrap)]
    cal_lin = problem.modelled(prior, factors, arrays)[:n_counts]
    val_lin = val_problem.modelled(prior, factors, val_arrays)
    cal_draws = np.array(
        [problem.modelled(prior, f, arrays)[:n_counts] for f in draws or [factors]]
    )
    val_draws = np.array([val_problem.modelled(prior, f, val_arrays) for f in draws or [factors]])
    calibration = _with_range(cal_fit, cal_lin, cal_draws)
    validation_fit = _with_range(val_fit, val_lin, val_draws)
    matrices = {(c, y): prior.matrices[c, y] * factors[c] for c in names for y in prior.years}
    ranges = _ranges(prior, names, factors, draws, zones)
    stat_fit = pd.DataFrame(
        {
            "statistic": [s["id"] for s in stats],
            "year": stat_problem.years,
            "commodity": [s["commodity"] for s in stats],
            "observed_t_per_year": stat_problem.observed,
            "modelled_t_per_year": stat_problem.modelled(prior, factors),
        }
    )
    return Calibration(
        zones,
        prior.years,
        factors,
        matrices,
        calibration,
        validation_fit,
        stat_fit,
        ranges,
        outer_iterations,
        prior_weight,
        cross_validation,
    )
