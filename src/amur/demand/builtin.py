"""The built-in demand of a dataset: by commodity and year, from trade statistics,
calibrated to counts and checked on held-out counts.

The demand is built from the dataset's statistics tables (:mod:`amur.demand.statistics`)
and calibrated (:mod:`amur.demand.calibrate`) by ``tools/build_demand.py``, which writes
``demand.csv`` (the base year, :data:`BASE_YEAR`), ``demand_years.csv`` (every year, with
the bootstrap range of each cell), ``demand_fit.csv`` and ``demand_validation.csv``. It is
assigned multi-class by commodity (:mod:`amur.assign.commodity`). The gravity prior of the
earlier one-commodity demand (:func:`builtin_setting`, :func:`gravity_prior`) remains for
``amur estimate-demand``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from amur.assign.multimodal import read_flow_parameters
from amur.assign.options import AssignmentOptions
from amur.assign.seasons import SeasonGraphs, YearAssignment, assign_seasons, build_season_graphs
from amur.assign.shipments import shipment_parameters
from amur.demand.calibrate import (
    Calibration,
    assign_year,
    calibrate,
    commodity_classes,
    read_counts_by_year,
    route_choice,
)
from amur.demand.estimate import fit_table
from amur.demand.factors import PRIOR_WEIGHTS
from amur.demand.matrix import ODMatrices
from amur.demand.statistics import (
    BUILTIN_YEARS,
    Commodity,
    build_prior,
    read_commodities,
    read_statistics,
    read_zones,
)
from amur.demand.tables import demand_from_frame, read_demand_csv
from amur.errors import InputError
from amur.network import Network

__all__ = [
    "BASE_YEAR",
    "CALIBRATION_SCENARIO",
    "EUROPE_COUNTRIES",
    "BuiltinSetting",
    "assign_demand",
    "build_builtin_demand",
    "builtin_commodities",
    "builtin_demand",
    "builtin_demand_range",
    "builtin_setting",
    "calibrated_logit",
    "demand_summary",
    "with_shipment_sizes",
]

#: Year of ``demand.csv``: the last year of calibration counts.
BASE_YEAR = 2021
#: Kept for the appraisal's wording: the network year the base demand belongs to.
CALIBRATION_SCENARIO = str(BASE_YEAR)

#: Countries whose zones count as Europe for the corridor shares of Harbin's freight.
EUROPE_COUNTRIES = ("DE", "PL", "NL", "BY")


@dataclass(frozen=True, eq=False)
class BuiltinSetting:
    """A scenario's season graphs with the dataset's regions as zones."""

    seasons: SeasonGraphs
    regions: pd.DataFrame


def builtin_setting(
    net: Network,
    dataset: str,
    year: int | None,
    month: int | None,
    modes: frozenset[str] | None,
    zones: list[str] | None = None,
) -> BuiltinSetting:
    """The season graphs of a (scenario's) network with the dataset's regions as zones
    (those a link in service reaches), or the given zones.

    Parameters
    ----------
    net : Network
    dataset : str
        Built-in dataset whose regions and flow parameters to use.
    year, month, modes
        As for :func:`amur.assign.seasons.build_season_graphs`: without a month, one
        graph per season of the year.
    zones : list of str, optional
        Place ids; the regions' places by default.
    """
    from amur.data import dataset_path
    from amur.graph.expand import expand

    folder = dataset_path(dataset)
    regions = pd.read_csv(folder / "regions.csv")
    g = expand(net, year, month, modes)  # every link of the period, whatever its season
    reached = {str(net.nodes["id"].iloc[v]) for v in np.unique(g.state_node)}
    regions = regions[regions["node"].isin(reached)].reset_index(drop=True)
    chosen = zones if zones is not None else list(regions["node"])
    params = read_flow_parameters(folder / "flow_parameters.csv")
    seasons = build_season_graphs(net, chosen, params, year, month, modes)
    return BuiltinSetting(seasons, regions)


def builtin_commodities(dataset: str = "northeast-asia") -> dict[str, Commodity]:
    """The dataset's commodities (``commodities.csv``); empty if it has none."""
    from amur.data import dataset_path

    path = dataset_path(dataset) / "commodities.csv"
    return read_commodities(path) if path.exists() else {}


def assign_demand(
    net: Network,
    dataset: str,
    year: int | None,
    month: int | None,
    modes: frozenset[str] | None,
    demand: ODMatrices | None = None,
    options: AssignmentOptions | None = None,
) -> tuple[YearAssignment, list[str]]:
    """Assign a demand (the dataset's built-in one of ``year`` by default) on a scenario's
    network, season by season.

    A demand whose commodities are all the dataset's (``commodities.csv``) is assigned
    multi-class by commodity, each on its own modes at its own value of time
    (:func:`amur.assign.commodity.assign_commodities`), with corridor shares by commodity
    and those of Harbin's Europe-bound containers; the commodities the demand was
    calibrated with logit route choice (:func:`calibrated_logit`) take it here too (a
    logit loading at the user-equilibrium costs), except for a system optimum. Any other
    demand, and logit route
    choice, is one class on every mode allowed, with the corridor shares of Harbin's
    Europe-bound freight; ``options`` as for
    :func:`amur.assign.seasons.assign_seasons`.

    Returns
    -------
    YearAssignment
        A :class:`~amur.assign.commodity.CommodityAssignment` for a demand by commodity.
    list of str
        The European zones.
    """
    from amur.data import corridors

    od = builtin_demand(dataset, year) if demand is None else demand
    zones = [net.place(z) for z in od.zones]
    countries = dict(zip(net.nodes["id"], net.nodes["country"], strict=True))
    europe = [z for z in zones if countries[z] in EUROPE_COUNTRIES]
    commodities = builtin_commodities(dataset)
    options = options or AssignmentOptions()
    # logit route choice stays one class: by commodity it takes four groups' equilibria
    # and their logit loadings, too slow for the web's 10 s
    by_commodity = (
        bool(commodities)
        and set(od.commodities) <= set(commodities)
        and options.logit_theta is None
    )
    harbin = net.place("harbin") if "harbin" in net.node_index else None
    pairs = [(harbin, d) for d in europe] if harbin else []
    if by_commodity:
        # the calibrated route choice (logit for some commodities) unless the user asks for
        # a system optimum
        params = _flow_parameters(dataset, commodities)
        logit = {} if options.system_optimum else _logit_of(params)
        by_class = assign_year(
            net,
            zones,
            commodity_classes(commodities),
            {c: od.matrices[c] for c in od.commodities},
            params,
            year,
            month,
            modes,
            options=options,
            corridors=corridors(dataset),
            share_groups={"harbin_europe": ("container", pairs)},
            options_by_commodity={c: route_choice(options.gap, t) for c, t in logit.items()},
        )
        if demand is None:
            low, high = builtin_demand_range(dataset, year)
            by_class = by_class.with_ranges(low.matrices, high.matrices)
        return by_class, europe
    seasons = builtin_setting(net, dataset, year, month, modes, zones=zones).seasons
    groups = {"harbin_europe": pairs} if pairs else {}
    result = assign_seasons(
        seasons, od.combined(), options, share_groups=groups, corridors=corridors(dataset)
    )
    return result, europe


def _flow_parameters(dataset: str, commodities: Mapping[str, Commodity]) -> dict[str, float]:
    """The dataset's flow parameters with its bulk commodities' shipment sizes."""
    from amur.data import dataset_path

    return with_shipment_sizes(
        read_flow_parameters(dataset_path(dataset) / "flow_parameters.csv"), commodities
    )


def _logit_of(params: Mapping[str, float]) -> dict[str, float]:
    """The ``logit_theta:<commodity>`` rows of flow parameters, by commodity."""
    return {k.split(":", 1)[1]: v for k, v in params.items() if k.startswith("logit_theta:")}


def with_shipment_sizes(
    parameters: Mapping[str, float], commodities: Mapping[str, Commodity]
) -> dict[str, float]:
    """Flow parameters with the rail shipment size of each bulk commodity (``t_per_wagon``
    of those without ``t_per_teu``, :func:`amur.assign.shipments.shipment_parameters`)
    where the parameters give none: such commodities pay border fees per wagon or truck
    load and gauge changes per tonne (:mod:`amur.assign.shipments`).
    """
    sizes = shipment_parameters(
        {c.id: c.t_per_wagon for c in commodities.values()},
        {c.id: c.t_per_teu for c in commodities.values()},
    )
    return {**sizes, **parameters}


def build_builtin_demand(
    dataset: str = "northeast-asia",
    bootstrap: int = 200,
    logit: Mapping[str, float] | None = None,
    prior_weights: Sequence[float] = PRIOR_WEIGHTS,
) -> Calibration:
    """Build the dataset's demand from its statistics and calibrate it to its counts.

    Reads ``commodities.csv``, ``demand_zones.csv``, ``trade_statistics.csv``,
    ``commodity_counts.csv`` (calibration, years to 2021) and
    ``commodity_validation_counts.csv`` (held out), for the years :data:`BUILTIN_YEARS`.
    ``logit`` maps the commodities that choose routes by logit to the dispersion (per
    USD/t; one value for all): the dataset's (:func:`calibrated_logit`) by default, ``{}``
    for user equilibrium everywhere. ``prior_weights`` as for
    :func:`~amur.demand.calibrate.calibrate` (the default: chosen by cross-validation).
    """
    from amur.data import dataset_path, load

    folder = dataset_path(dataset)
    net = load(dataset)
    commodities = read_commodities(folder / "commodities.csv")
    zones = read_zones(folder / "demand_zones.csv", set(net.nodes["id"]))
    statistics = read_statistics(folder / "trade_statistics.csv", commodities, zones)
    prior = build_prior(statistics, commodities, zones, list(BUILTIN_YEARS))
    counts = read_counts_by_year(folder / "commodity_counts.csv", commodities, prior.years)
    validation = read_counts_by_year(
        folder / "commodity_validation_counts.csv", commodities, prior.years
    )
    params = _flow_parameters(dataset, commodities)
    route = _logit_of(params) if logit is None else dict(logit)
    if len(set(route.values())) > 1:
        raise InputError(
            f"logit: {route!r}; the calibration takes one dispersion for all", field="logit"
        )
    theta = next(iter(route.values())) if route else None
    late = counts[counts["year"] > BASE_YEAR]
    if len(late):
        raise InputError(
            f"commodity_counts.csv: count {late['id'].iloc[0]!r} is of "
            f"{late['year'].iloc[0]}; calibration counts are to {BASE_YEAR}, "
            "later ones are for validation only",
            field="year",
        )
    return calibrate(
        net,
        prior,
        commodities,
        statistics,
        counts,
        validation,
        params,
        bootstrap=bootstrap,
        logit_theta=theta,
        logit_commodities=list(route) if route else None,
        prior_weights=prior_weights,
    )


def calibrated_logit(dataset: str = "northeast-asia") -> dict[str, float]:
    """The commodities that choose routes by logit in the dataset's demand, and the
    dispersion of each (``logit_theta:<commodity>`` rows of ``flow_parameters.csv``, per
    USD/t): the route choice the demand was calibrated with; the others at user equilibrium.
    """
    from amur.data import dataset_path

    return _logit_of(read_flow_parameters(dataset_path(dataset) / "flow_parameters.csv"))


def builtin_demand(dataset: str = "northeast-asia", year: int | None = None) -> ODMatrices:
    """The built-in demand, t/year by commodity: ``demand.csv`` (the base year), or the
    year's matrices from ``demand_years.csv`` (the nearest year the demand has).
    """
    from amur.data import dataset_path

    folder = dataset_path(dataset)
    path = folder / "demand_years.csv"
    if year is None or not path.exists():
        return read_demand_csv(folder / "demand.csv")
    table = pd.read_csv(path)
    years = sorted(set(table["year"].astype(int)))
    nearest = min(years, key=lambda y: (abs(y - year), y))
    part = table[table["year"] == nearest]
    base = read_demand_csv(folder / "demand.csv")
    return demand_from_frame(
        part[["origin", "destination", "value", "commodity"]],
        f"{path} (year {nearest})",
        base.zones,
    )


def builtin_demand_range(
    dataset: str = "northeast-asia", year: int | None = None
) -> tuple[ODMatrices, ODMatrices]:
    """The 5th and 95th percentiles of the built-in demand of a year (the base year by
    default), t/year by commodity, from the bootstrap over the calibration counts
    (``demand_years.csv``, columns ``low`` and ``high``).
    """
    from amur.data import dataset_path

    path = dataset_path(dataset) / "demand_years.csv"
    table = pd.read_csv(path)
    years = sorted(set(table["year"].astype(int)))
    wanted = BASE_YEAR if year is None else year
    nearest = min(years, key=lambda y: (abs(y - wanted), y))
    part = table[table["year"] == nearest]
    zones = builtin_demand(dataset).zones

    def bound(column: str) -> ODMatrices:
        return demand_from_frame(
            part[["origin", "destination", column, "commodity"]].rename(columns={column: "value"}),
            f"{path} (year {nearest}, {column})",
            zones,
        )

    return bound("low"), bound("high")


def _chosen_prior_weight(path: Path) -> pd.Series:
    """The row of ``demand_cross_validation.csv`` the calibration chose.

    Raises
    ------
    InputError
        Naming the file: unreadable, a column missing, or not exactly one row chosen.
    """
    try:
        cv = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})", field="prior_weight") from None
    for column in ("prior_weight", "loo_geh_median", "chosen"):
        if column not in cv.columns:
            raise InputError(
                f"{path}: no column {column!r}; expected prior_weight, loo_geh_median, "
                "loo_geh_mean, chosen (rebuild it with tools/build_demand.py)",
                field=column,
            )
    chosen = cv[cv["chosen"].astype(str).str.lower() == "true"]
    if len(chosen) != 1:
        raise InputError(
            f"{path}, column chosen: {len(chosen)} rows are True; expected exactly one",
            field="chosen",
        )
    return chosen.iloc[0]


def demand_summary(dataset: str = "northeast-asia") -> dict[str, object]:
    """What ``amur data demand --json`` prints: commodities, years, zones, totals by
    commodity (base year, and by year), asymmetry (the share of tonnes that would have to
    change direction to make the base year's matrix symmetric: 0 symmetric, 0.5 all one
    way), and the fit on the calibration and
    validation counts (number, median GEH, R²); the calibration adds its prior weight and
    that weight's leave-one-out median GEH when ``demand_cross_validation.csv`` is there.
    """
    from amur.data import dataset_path

    folder = dataset_path(dataset)
    table = pd.read_csv(folder / "demand_years.csv")
    base = builtin_demand(dataset)
    total = base.combined()
    # Making a pair symmetric moves half its difference to the other direction.
    asymmetry = float(np.abs(total - total.T).sum() / 4.0 / total.sum()) if total.sum() else 0.0
    by_year = {
        int(str(y)): {str(c): float(v) for c, v in part.groupby("commodity")["value"].sum().items()}
        for y, part in table.groupby("year")
    }

    def fit(name: str) -> dict[str, object]:
        t = pd.read_csv(folder / name)
        r2 = fit_table(
            list(t["count"]),
            t["observed_t_per_year"].to_numpy(),
            t["modelled_t_per_year"].to_numpy(),
        ).r2
        return {"counts": len(t), "geh_median": float(t["geh"].median()), "r2": r2, "file": name}

    calibration = fit("demand_fit.csv")
    cv_path = folder / "demand_cross_validation.csv"
    if cv_path.is_file():
        row = _chosen_prior_weight(cv_path)
        calibration["prior_weight"] = float(row["prior_weight"])
        calibration["loo_geh_median"] = float(row["loo_geh_median"])
    return {
        "network": dataset,
        "commodities": list(base.commodities),
        "years": sorted(by_year),
        "base_year": BASE_YEAR,
        "zones": len(base.zones),
        "total_t_per_year": {c: base.total(c) for c in base.commodities},
        "total_t_per_year_by_year": by_year,
        "asymmetry": asymmetry,
        "calibration": calibration,
        "validation": fit("demand_validation.csv"),
    }
