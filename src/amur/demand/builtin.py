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

from amur.assign.multimodal import NetworkGraph, build_network_graph, read_flow_parameters
from amur.demand.estimate import Estimate, estimate_demand, gravity_prior, read_counts
from amur.demand.matrix import ODMatrices
from amur.demand.tables import read_demand_csv
from amur.network import Network

__all__ = ["CALIBRATION_SCENARIO", "BuiltinSetting", "build_builtin_demand", "builtin_demand",
           "network_graph"]

CALIBRATION_SCENARIO = "2018"


@dataclass(frozen=True, eq=False)
class BuiltinSetting:
    """A scenario's network graph with the dataset's regions as zones."""

    network_graph: NetworkGraph
    regions: pd.DataFrame


def network_graph(net: Network, dataset: str, year: int | None, month: int | None,
                  modes: frozenset[str] | None, zones: list[str] | None = None
                  ) -> BuiltinSetting:
    """The network graph of a (scenario's) network with the dataset's regions as zones."""
    from amur.data import dataset_path
    from amur.graph.expand import expand

    folder = dataset_path(dataset)
    regions = pd.read_csv(folder / "regions.csv")
    g = expand(net, year, month, modes)
    reached = {str(net.nodes["id"].iloc[v]) for v in np.unique(g.state_node)}
    regions = regions[regions["node"].isin(reached)].reset_index(drop=True)
    chosen = zones if zones is not None else list(regions["node"])
    params = read_flow_parameters(folder / "flow_parameters.csv")
    return BuiltinSetting(build_network_graph(g, chosen, params), regions)


def build_builtin_demand(dataset: str = "northeast-asia") -> tuple[ODMatrices, Estimate]:
    """Estimate the built-in demand from its gravity prior and counts (see module doc)."""
    from amur.data import dataset_path, load
    from amur.scenarios import apply, load_scenario

    net = load(dataset)
    applied = apply(net, load_scenario(CALIBRATION_SCENARIO, net))
    setting = network_graph(applied.network, dataset, applied.year, applied.month,
                            applied.modes)
    ng = setting.network_graph
    params = read_flow_parameters(dataset_path(dataset) / "flow_parameters.csv")
    prior = gravity_prior(ng, setting.regions["gdp_usd_bn"], setting.regions["country"],
                          theta=params.get("gravity_theta", 5.03),
                          value_usd_per_teu=float(net.parameters.get(
                              "shipment_value_usd_per_teu", 5e4)))
    counts = read_counts(dataset_path(dataset) / "counts.csv", ng.expanded.t_per_teu)
    estimate = estimate_demand(ng, prior, counts)
    return ODMatrices(ng.zones, {"all": estimate.demand}), estimate


def builtin_demand(dataset: str = "northeast-asia") -> ODMatrices:
    """The built-in demand (``demand.csv``), t/year."""
    from amur.data import dataset_path

    return read_demand_csv(dataset_path(dataset) / "demand.csv")
