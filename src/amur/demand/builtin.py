"""The built-in demand of a dataset: its zones, gravity prior, calibration and file.

Zones are the places standing for the dataset's regions (``regions.csv``) that a link in
service reaches. The built-in matrix is a gravity prior (:func:`gravity_prior`) estimated
against ``counts.csv`` on the network of the calibration scenario (2018) and written to
``demand.csv`` by ``tools/build_demand.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from amur.assign.multimodal import (
    SeasonGraphs,
    YearAssignment,
    assign_seasons,
    build_season_graphs,
    read_flow_parameters,
)
from amur.assign.options import AssignmentOptions
from amur.demand.estimate import (
    CountFit,
    Estimate,
    estimate_demand,
    fit_table,
    gravity_prior,
    read_counts,
)
from amur.demand.matrix import ODMatrices
from amur.demand.tables import read_demand_csv
from amur.network import Network

__all__ = ["CALIBRATION_SCENARIO", "EUROPE_COUNTRIES", "BuiltinSetting", "assign_demand",
           "build_builtin_demand", "builtin_demand", "builtin_setting",
           "validate_builtin_demand"]

CALIBRATION_SCENARIO = "2018"

#: Countries whose zones count as Europe for the corridor shares of Harbin's freight.
EUROPE_COUNTRIES = ("DE", "PL", "NL", "BY")


@dataclass(frozen=True, eq=False)
class BuiltinSetting:
    """A scenario's season graphs with the dataset's regions as zones."""

    seasons: SeasonGraphs
    regions: pd.DataFrame


def builtin_setting(net: Network, dataset: str, year: int | None, month: int | None,
                    modes: frozenset[str] | None, zones: list[str] | None = None
                    ) -> BuiltinSetting:
    """The season graphs of a (scenario's) network with the dataset's regions as zones
    (those a link in service reaches), or the given zones.

    Parameters
    ----------
    net : Network
    dataset : str
        Built-in dataset whose regions and flow parameters to use.
    year, month, modes
        As for :func:`amur.assign.multimodal.build_season_graphs`: without a month, one
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


def assign_demand(net: Network, dataset: str, year: int | None, month: int | None,
                  modes: frozenset[str] | None, demand: ODMatrices | None = None,
                  options: AssignmentOptions | None = None,
                  ) -> tuple[YearAssignment, list[str]]:
    """Assign a demand (the dataset's built-in one by default) on a scenario's network,
    season by season, with the corridor shares of Harbin's Europe-bound freight; ``options``
    as for :func:`amur.assign.multimodal.assign_seasons`.

    Returns
    -------
    YearAssignment
    list of str
        The European zones whose shares are reported.
    """
    from amur.data import corridors

    od = builtin_demand(dataset) if demand is None else demand
    zones = [net.place(z) for z in od.zones]
    seasons = builtin_setting(net, dataset, year, month, modes, zones=zones).seasons
    countries = dict(zip(net.nodes["id"], net.nodes["country"], strict=True))
    europe = [z for z in zones if countries[z] in EUROPE_COUNTRIES]
    harbin = net.place("harbin") if "harbin" in net.node_index else None
    groups = {"harbin_europe": [(harbin, d) for d in europe]} if harbin else {}
    result = assign_seasons(seasons, od.combined(), options, share_groups=groups,
                            corridors=corridors(dataset))
    return result, europe


def build_builtin_demand(dataset: str = "northeast-asia") -> tuple[ODMatrices, Estimate]:
    """Estimate the built-in demand from its gravity prior and counts (see module doc)."""
    from amur.data import dataset_path, load
    from amur.scenarios import apply, load_scenario

    net = load(dataset)
    applied = apply(net, load_scenario(CALIBRATION_SCENARIO, net))
    setting = builtin_setting(applied.network, dataset, applied.year, applied.month,
                              applied.modes)
    seasons = setting.seasons
    params = read_flow_parameters(dataset_path(dataset) / "flow_parameters.csv")
    prior = gravity_prior(seasons, setting.regions["gdp_usd_bn"], setting.regions["country"],
                          theta=params.get("gravity_theta", 5.03),
                          value_usd_per_teu=float(net.parameters.get(
                              "shipment_value_usd_per_teu", 5e4)))
    counts = read_counts(dataset_path(dataset) / "counts.csv", seasons.t_per_teu)
    estimate = estimate_demand(seasons, prior, counts)
    return ODMatrices(seasons.zones, {"all": estimate.demand}), estimate


def builtin_demand(dataset: str = "northeast-asia") -> ODMatrices:
    """The built-in demand (``demand.csv``), t/year."""
    from amur.data import dataset_path

    return read_demand_csv(dataset_path(dataset) / "demand.csv")


def validate_builtin_demand(dataset: str = "northeast-asia") -> CountFit:
    """The built-in demand against the counts held out of its calibration.

    Each row of the dataset's ``validation_counts.csv`` is compared with the year's flow
    (season by season) of the built-in demand on the dataset's network in the count's
    ``year``: links in service then, no other scenario edit.

    Returns
    -------
    CountFit
        Observed and modelled t/year and GEH per count; R² over them.
    """
    from amur.data import dataset_path, load

    net = load(dataset)
    folder = dataset_path(dataset)
    counts = read_counts(folder / "validation_counts.csv")
    modelled = np.zeros(len(counts))
    for year, rows in counts.groupby(counts["year"].astype(int)):
        result, _ = assign_demand(net, dataset, int(year), None, None)
        modelled[rows.index.to_numpy()] = result.count_flows(rows.reset_index(drop=True))
    return fit_table(counts["id"].astype(str).tolist(),
                     counts["value_t_per_year"].to_numpy(dtype=np.float64), modelled)
