"""Demand from counts: a gravity prior and its adjustment to observed link volumes.

Method (bi-level, as in Spiess 1990 and the ME2 family): assign the current matrix to
equilibrium; load each OD pair all-or-nothing on the equilibrium costs to find which counts
it passes (0/1 proportions); scale every OD pair multiplicatively by the geometric mean of
``count / modelled`` over the counts it passes (damped, repeated until the counts settle);
re-assign, a few times. OD pairs that pass no count keep the prior's value times the global
scale. On a year of seasons (:class:`~amur.assign.seasons.SeasonGraphs`) the modelled
counts and the proportions are month-weighted over the seasons' assignments, so a count on
a seasonal crossing is matched by the year's flow. The fit is reported per count as GEH (on
thousand tonnes a year) and overall as R².
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from amur.assign.multimodal import NetworkGraph, assign_network, count_flows
from amur.assign.options import AssignmentOptions
from amur.assign.paths import shortest_path_tree, skim
from amur.assign.result import AssignmentResult
from amur.assign.seasons import SeasonGraphs
from amur.assign.stochastic import dial_pair_flows
from amur.errors import InputError

__all__ = [
    "CountFit",
    "Estimate",
    "estimate_demand",
    "fit_table",
    "geh",
    "gravity_prior",
    "read_counts",
]

FloatArray = NDArray[np.float64]
GEH_UNIT_T = 1000.0  # GEH is computed on thousand tonnes a year


def geh(modelled: FloatArray, observed: FloatArray) -> FloatArray:
    """GEH statistic per count, on values in thousand tonnes a year."""
    m = np.asarray(modelled, dtype=np.float64) / GEH_UNIT_T
    c = np.asarray(observed, dtype=np.float64) / GEH_UNIT_T
    return np.sqrt(2.0 * (m - c) ** 2 / np.maximum(m + c, 1e-12))


def read_counts(path: str | Path, t_per_teu: float = 10.0) -> pd.DataFrame:
    """Read counts: ``id, link | from,to, [direction], value, unit`` (t_per_year or
    teu_per_year; TEU become tonnes at ``t_per_teu``).

    Raises
    ------
    InputError
        If the file is missing or unreadable, lacks ``value``, has neither ``link`` nor
        ``from``/``to``, or a value that is not a finite number > 0 or an unknown unit.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start}); expected a CSV file in UTF-8",
            field="counts",
        ) from None
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})", field="counts") from None
    table.columns = [c.strip().lower() for c in table.columns]
    if "value" not in table or not ("link" in table or {"from", "to"} <= set(table)):
        raise InputError(f"{path}: expected columns value and link (or from, to)", field="counts")
    for column in ("link", "from", "to"):
        if column not in table:
            table[column] = ""
    if "id" not in table:
        table["id"] = [f"count{k + 1}" for k in range(len(table))]
    if "direction" not in table:
        table["direction"] = "both"
    table["direction"] = table["direction"].replace("", "both")
    values = pd.to_numeric(table["value"], errors="coerce").to_numpy(dtype=np.float64)
    units = table["unit"] if "unit" in table else pd.Series("t_per_year", index=table.index)
    for k, (value, unit) in enumerate(zip(values, units, strict=True)):
        if not (np.isfinite(value) and value > 0):
            raise InputError(
                f"{path}, row {k + 2}, column value: {table['value'][k]!r}; expected a number > 0",
                field="value",
            )
        if unit not in ("t_per_year", "teu_per_year", ""):
            raise InputError(
                f"{path}, row {k + 2}, column unit: {unit!r}; expected t_per_year or teu_per_year",
                field="unit",
            )
    scale = np.where(units.to_numpy() == "teu_per_year", t_per_teu, 1.0)
    table["value_t_per_year"] = values * scale
    return table


def _seasons(ng: NetworkGraph | SeasonGraphs) -> list[tuple[float, NetworkGraph]]:
    """(weight, graph) of each season; a single graph is a season of weight 1."""
    if isinstance(ng, SeasonGraphs):
        return list(zip(ng.weights, ng.graphs, strict=True))
    return [(1.0, ng)]


def gravity_prior(
    ng: NetworkGraph | SeasonGraphs,
    gdp_usd_bn: ArrayLike,
    countries: ArrayLike,
    theta: float = 5.03,
    value_usd_per_teu: float = 50_000.0,
    exclude_pairs_within: Sequence[str] = ("DE", "PL", "NL"),
) -> FloatArray:
    """A gravity matrix ``Y_i Y_j (1 + c_ij / value)^-theta`` in arbitrary scale.

    ``c_ij`` is the free-flow generalized cost between zones in USD per TEU; over seasons,
    the friction term is month-weighted. Only
    international pairs are kept (the network models corridors, not domestic freight), and
    none with both ends among ``exclude_pairs_within`` (a trading bloc the network does not
    represent inside). Pairs without a path get 0.
    """
    friction = np.zeros((ng.n_zones, ng.n_zones))
    for w, season in _seasons(ng):
        g = season.graph
        p = g.cost_parameters
        cost_t = skim(g, p.fixed_cost + p.free_flow_time)[: ng.n_zones, : ng.n_zones]
        cost_teu = cost_t * season.expanded.t_per_teu
        with np.errstate(over="ignore", invalid="ignore"):
            term = (1.0 + cost_teu / value_usd_per_teu) ** (-theta)
        friction += w * np.where(np.isfinite(cost_t), term, 0.0)
    gdp = np.asarray(gdp_usd_bn, dtype=np.float64)
    country = np.asarray(countries, dtype=object)
    matrix = np.outer(gdp, gdp) * friction
    bloc = np.isin(country, list(exclude_pairs_within))
    matrix[country[:, None] == country[None, :]] = 0.0
    matrix[bloc[:, None] & bloc[None, :]] = 0.0
    np.fill_diagonal(matrix, 0.0)
    return np.nan_to_num(matrix)


def _proportions(
    ng: NetworkGraph, cost: FloatArray, count_links: list[NDArray[np.int64]], demand: FloatArray
) -> FloatArray:
    """P[c, o, d] = 1 if the OD pair's shortest path on ``cost`` passes count c."""
    g = ng.graph
    n = ng.n_zones
    member = np.zeros((len(count_links), g.n_links), dtype=bool)
    for c, links in enumerate(count_links):
        member[c, links] = True
    out = np.zeros((len(count_links), n, n))
    for o in range(n):
        if demand[o].sum() <= 0:
            continue
        _, pred = shortest_path_tree(g, cost, o)
        for d in np.flatnonzero(demand[o] > 0):
            node, seen = int(d), np.zeros(len(count_links), dtype=bool)
            while pred[node] >= 0:
                link = int(pred[node])
                seen |= member[:, link]
                node = int(g.init[link])
            out[seen, o, d] = 1.0
    return out


def _logit_proportions(
    ng: NetworkGraph,
    result: AssignmentResult,
    count_links: list[NDArray[np.int64]],
    demand: FloatArray,
    theta: float,
) -> FloatArray:
    """P[c, o, d]: the share of the OD pair's logit loading (Dial's, on the result's costs
    and efficient links) that passes count c; for the pairs with ``demand`` > 0.
    """
    if result.reference_cost is None:
        raise InputError(f"a {result.algorithm!r} assignment has no logit loading", field="route")
    n = ng.n_zones
    out = np.zeros((len(count_links), n, n))
    for o in range(n):
        dests = np.flatnonzero(demand[o] > 0)
        if not dests.size:
            continue
        rows = dial_pair_flows(
            ng.graph, result.cost, theta, o, [int(d) for d in dests], result.reference_cost
        )
        for c, links in enumerate(count_links):
            out[c, o, dests] = rows[:, links].sum(axis=1)
    return out


@dataclass(frozen=True, eq=False)
class CountFit:
    """Observed and modelled counts, with GEH per count and R² over all."""

    table: pd.DataFrame
    r2: float


@dataclass(frozen=True, eq=False)
class Estimate:
    """An estimated matrix and its fit before (prior) and after adjustment."""

    demand: FloatArray
    prior: FloatArray
    fit: CountFit
    prior_fit: CountFit
    outer_iterations: int


def fit_table(ids: Sequence[str], observed: FloatArray, modelled: FloatArray) -> CountFit:
    """GEH per count and R² (1 - SS_res / SS_tot) of modelled against observed."""
    obs = np.asarray(observed, dtype=np.float64)
    mod = np.asarray(modelled, dtype=np.float64)
    ss_tot = float(((obs - obs.mean()) ** 2).sum())
    r2 = 1.0 - float(((obs - mod) ** 2).sum()) / ss_tot if ss_tot > 0 else float("nan")
    table = pd.DataFrame(
        {
            "count": list(ids),
            "observed_t_per_year": obs,
            "modelled_t_per_year": mod,
            "geh": geh(mod, obs),
        }
    )
    return CountFit(table, r2)


def _modelled(
    seasons: list[tuple[float, NetworkGraph]],
    demand: FloatArray,
    count_links: list[list[NDArray[np.int64]]],
    algorithm: str,
    gap: float,
) -> tuple[FloatArray, list[FloatArray]]:
    """Month-weighted modelled counts and each season's equilibrium link costs."""
    total = np.zeros(len(count_links[0]))
    costs = []
    for (w, ng), links in zip(seasons, count_links, strict=True):
        result = assign_network(ng, demand, AssignmentOptions(algorithm, gap)).result
        total += w * np.array([result.flow[arcs].sum() for arcs in links])
        costs.append(result.cost)
    return total, costs


def estimate_demand(
    ng: NetworkGraph | SeasonGraphs,
    prior: FloatArray,
    counts: pd.DataFrame,
    *,
    outer_iterations: int = 4,
    inner_iterations: int = 200,
    damping: float = 0.5,
    algorithm: str = "b",
    gap: float = 1e-5,
) -> Estimate:
    """Adjust a prior OD matrix (t/year) so that its equilibrium flows match counts.

    Parameters
    ----------
    ng : NetworkGraph or SeasonGraphs
        One graph, or the seasons of a year (counts are then matched by the year's flow).
    prior : ndarray, shape (n_zones, n_zones)
        The prior, in any scale: it is first scaled by the least-squares factor that best
        matches the counts.
    counts : pandas.DataFrame
        From :func:`read_counts`.
    outer_iterations : int
        Re-assignments (the upper level of the bi-level problem).
    inner_iterations, damping : int, float
        Multiplicative adjustment steps per assignment and the exponent applied to each.

    Returns
    -------
    Estimate

    Raises
    ------
    InputError
        If the prior has a negative or non-finite cell, the wrong shape, or no OD pair
        passes any count.
    """
    matrix = np.asarray(prior, dtype=np.float64)
    n = ng.n_zones
    if matrix.shape != (n, n) or not np.all(np.isfinite(matrix)) or (matrix < 0).any():
        raise InputError(f"prior: expected a finite ({n}, {n}) matrix >= 0", field="prior")
    seasons = _seasons(ng)
    count_links = [
        count_flows(season, counts, allow_empty=len(seasons) > 1) for _, season in seasons
    ]
    for c, rec in enumerate(counts.to_dict("records")):
        if not any(links[c].size for links in count_links):
            raise InputError(
                f"count {rec.get('id')!r}: no link in service carries it", field="link"
            )
    observed = counts["value_t_per_year"].to_numpy(dtype=np.float64)
    ids = counts["id"].astype(str).tolist()
    modelled, _ = _modelled(seasons, matrix, count_links, algorithm, gap)
    if not modelled.any():
        raise InputError("prior: no OD pair with demand passes any count", field="prior")
    scale = float(modelled @ observed / (modelled @ modelled))
    matrix = matrix * scale
    prior_fit = fit_table(ids, observed, modelled * scale)
    current = matrix.copy()
    for _ in range(outer_iterations):
        modelled, costs = _modelled(seasons, current, count_links, algorithm, gap)
        p = np.zeros((len(counts), ng.n_zones, ng.n_zones))
        for (w, season), cost, links in zip(seasons, costs, count_links, strict=True):
            p += w * _proportions(season, cost, links, current)
        passes = p.sum(axis=0)
        for _ in range(inner_iterations):
            v = np.einsum("cod,od->c", p, current)
            log_ratio = np.log(np.where(v > 0, observed / np.maximum(v, 1e-300), 1.0))
            step = np.einsum("c,cod->od", log_ratio, p) / np.maximum(passes, 1.0)
            current = current * np.exp(damping * step)
    modelled, _ = _modelled(seasons, current, count_links, algorithm, gap)
    return Estimate(
        current, matrix, fit_table(ids, observed, modelled), prior_fit, outer_iterations
    )
