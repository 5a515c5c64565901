"""Market access of regions, MA_i = sum_j Y_j tau_ij^-theta, and its change between scenarios.

Following Donaldson & Hornbeck (2016) and the World Bank's Belt-and-Road studies (Reed &
Trubetskoy 2019): tau is the iceberg trade cost, 1 + (freight cost + value of time in
transit) / value of the shipment, from least generalized-cost paths of the scenario's
network; the region's own market enters with tau = 1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.errors import InputError
from amur.graph import ExpandedGraph, expand
from amur.impact.regions import Regions
from amur.network import Network
from amur.paths.skim import skim

FloatArray = npt.NDArray[np.float64]

#: Trade elasticity: Head & Mayer (2014) median 5.03, the baseline of Reed & Trubetskoy
#: (econ/parameters.md 1, recommendation marked ESTIMATE); sensitivity at 4 and 8.2.
DEFAULT_THETA = 5.0
THETA_SENSITIVITY = (4.0, 5.0, 8.2)
#: Shipment value per TEU of Reed & Trubetskoy (verified, econ/parameters.md 2e).
DEFAULT_VALUE_USD_PER_TEU = 50_000.0
#: Value of a day in transit for mixed container cargo (ESTIMATE within Hummels & Schaur's
#: 0.6-2.1 %, econ/parameters.md 3).
DEFAULT_TIME_VALUE_PCT_PER_DAY = 1.0


def check_theta(theta: float) -> float:
    """Return theta as a float, or raise InputError if it is not above 0."""
    theta = float(theta)
    if not theta > 0.0 or not np.isfinite(theta):
        raise InputError(f"theta (the trade elasticity) must be above 0, not {theta:g}; "
                         "the literature puts it at about 4 to 8 (default 5)", field="theta")
    return theta


@dataclass(frozen=True, eq=False)
class MarketAccess:
    """Market access of regions on one scenario.

    Attributes
    ----------
    regions : tuple of str
        Region ids, in row order.
    tau : ndarray of float64
        Iceberg trade cost from region i (row) to region j (column); 1 on the diagonal,
        ``inf`` where no route exists.
    market_access : ndarray of float64
        MA_i = sum_j Y_j tau_ij^-theta, billion USD (GDP-weighted).
    theta : float
        Trade elasticity.
    value_usd_per_teu, time_value_pct_per_day : float
        Shipment value and value of time behind tau.
    label : str
        Scenario label (``"2014"``, ``"today"``).
    """

    regions: tuple[str, ...]
    tau: FloatArray
    market_access: FloatArray
    theta: float
    value_usd_per_teu: float
    time_value_pct_per_day: float
    label: str


Scenario = Network | ExpandedGraph | Sequence[ExpandedGraph]


def _graphs(scenario: Scenario) -> list[ExpandedGraph]:
    """One graph per month: a Network gives its 12 months, a graph itself, a list as is."""
    if isinstance(scenario, Network):
        return [expand(scenario, month=m) for m in range(1, 13)]
    if isinstance(scenario, ExpandedGraph):
        return [scenario]
    graphs = list(scenario)
    if not graphs:
        raise InputError("a scenario needs at least one graph", field="scenario")
    return graphs


def trade_costs(
    scenario: Scenario,
    regions: Regions,
    value_usd_per_teu: float = DEFAULT_VALUE_USD_PER_TEU,
    time_value_pct_per_day: float = DEFAULT_TIME_VALUE_PCT_PER_DAY,
) -> FloatArray:
    """Iceberg trade costs tau_ij between the regions' places, one matrix per month.

    tau_ij = 1 + g_ij / value, with g_ij the least generalized cost (freight USD per TEU
    plus value x pct/100 x days in transit) from region i's place to region j's; tau_ii = 1
    and tau_ij = inf where no route exists that month.

    Returns
    -------
    ndarray of float64
        Shape (n_months, n_regions, n_regions); n_months is 12 for a Network, 1 for a
        single graph, or the length of a list of graphs.

    Raises
    ------
    InputError
        On a value per TEU not above 0 or a negative value of time.
    UnknownPlaceError
        If a region's node is not in the network.
    """
    stack = []
    for graph in _graphs(scenario):
        s = skim(graph, list(regions.nodes), by="generalized",
                 value_usd_per_teu=value_usd_per_teu,
                 time_value_pct_per_day=time_value_pct_per_day)
        tau = 1.0 + s.generalized_usd_per_teu / s.value_usd_per_teu
        np.fill_diagonal(tau, 1.0)
        stack.append(tau)
    return np.asarray(stack, dtype=np.float64)


def access_from_tau(tau: FloatArray, gdp: FloatArray, theta: float) -> FloatArray:
    """MA_i = sum_j Y_j tau_ij^-theta, averaged over months when tau has a month axis
    (unreachable markets, tau = inf, add nothing)."""
    theta = check_theta(theta)
    terms = np.power(tau, -theta) * gdp
    return np.asarray(terms.sum(axis=-1).mean(axis=0) if tau.ndim == 3 else terms.sum(axis=-1))


def effective_tau(tau: FloatArray, theta: float) -> FloatArray:
    """The year's trade cost: the power mean (mean_m tau_m^-theta)^(-1/theta) over months,
    so that access and gravity flows from it equal the monthly average."""
    theta = check_theta(theta)
    if tau.ndim == 2:
        return tau
    with np.errstate(divide="ignore"):
        return np.asarray(np.power(np.power(tau, -theta).mean(axis=0), -1.0 / theta))


def market_access(
    scenario: Scenario,
    regions: Regions,
    theta: float = DEFAULT_THETA,
    value_usd_per_teu: float = DEFAULT_VALUE_USD_PER_TEU,
    time_value_pct_per_day: float = DEFAULT_TIME_VALUE_PCT_PER_DAY,
    label: str = "",
) -> MarketAccess:
    """Market access of every region on one scenario, averaged over its months.

    Parameters
    ----------
    scenario : Network, ExpandedGraph or sequence of ExpandedGraph
        A network (its operating links, each of the 12 months: seasonal crossings count
        only when they run), one graph, or one graph per month
        (:func:`amur.impact.scenario.scenario_months`).
    regions : Regions
        Regions with GDP (billion USD) and a place each (``builtin_regions()``).
    theta : float
        Trade elasticity, above 0 (default 5; sensitivity 4 and 8.2).
    value_usd_per_teu : float
        Shipment value, USD per TEU (50,000 as in Reed & Trubetskoy).
    time_value_pct_per_day : float
        Value of a day in transit, % of shipment value (1.0; range 0.6-2.1).
    label : str
        Name of the scenario, carried into results.

    Returns
    -------
    MarketAccess
        ``tau`` is the year's effective trade cost (see :func:`effective_tau`).

    Raises
    ------
    InputError
        If theta is not above 0.

    Examples
    --------
    >>> import amur
    >>> from amur.impact import builtin_regions, market_access
    >>> net = amur.load("northeast-asia")
    >>> ma = market_access(net, builtin_regions(net))
    >>> ma.tau.shape == (len(ma.regions), len(ma.regions))
    True
    """
    theta = check_theta(theta)
    tau = trade_costs(scenario, regions, value_usd_per_teu, time_value_pct_per_day)
    return MarketAccess(regions.ids, effective_tau(tau, theta),
                        access_from_tau(tau, regions.gdp_usd_bn, theta), theta,
                        value_usd_per_teu, time_value_pct_per_day, label)


@dataclass(frozen=True, eq=False)
class MarketAccessChange:
    """Market access of regions in two scenarios, A (before) and B (after).

    Attributes
    ----------
    regions : Regions
        The regions.
    a, b : MarketAccess
        Market access in each scenario.
    lat, lon : ndarray of float64
        Coordinates of each region's place (for the map layer).
    """

    regions: Regions
    a: MarketAccess
    b: MarketAccess
    lat: FloatArray
    lon: FloatArray

    @property
    def change_pct(self) -> FloatArray:
        """Change of market access from A to B, %."""
        return np.asarray((self.b.market_access / self.a.market_access - 1.0) * 100.0)

    @property
    def log_change(self) -> FloatArray:
        """Change of ln MA from A to B."""
        return np.asarray(np.log(self.b.market_access) - np.log(self.a.market_access))

    def table(self) -> pd.DataFrame:
        """One row per region: ``region, name, market_access_a, market_access_b,
        market_access_change_pct, source_id``."""
        t = self.regions.table
        return pd.DataFrame({
            "region": list(self.regions.ids),
            "name": t["name"].tolist(),
            "market_access_a": self.a.market_access,
            "market_access_b": self.b.market_access,
            "market_access_change_pct": self.change_pct,
            "source_id": t["source_id"].tolist(),
        })

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"scenario_a", "scenario_b", "theta", ..., "regions": [...]}``."""
        rows = self.table().to_dict("records")
        return {
            "scenario_a": self.a.label,
            "scenario_b": self.b.label,
            "theta": self.a.theta,
            "value_usd_per_teu": self.a.value_usd_per_teu,
            "time_value_pct_per_day": self.a.time_value_pct_per_day,
            "units": {"market_access": "billion USD of GDP, weighted by tau^-theta"},
            "regions": [{k: (round(float(v), 6) if isinstance(v, float) else v)
                         for k, v in row.items()} for row in rows],
        }

    def geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of region points with their change (map layer)."""
        features = []
        for k, row in enumerate(self.table().to_dict("records")):
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point",
                             "coordinates": [float(self.lon[k]), float(self.lat[k])]},
                "properties": {key: (float(v) if isinstance(v, float | np.floating) else v)
                               for key, v in row.items()},
            })
        return {"type": "FeatureCollection", "features": features}

    def chart(self, path: str | Path) -> Path:
        """Write a bar chart of the change by region (PNG or SVG by suffix) and return it."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        order = np.argsort(self.change_pct)
        names = [str(self.regions.table["name"].iat[i]) for i in order]
        fig, ax = plt.subplots(figsize=(7, 0.32 * len(names) + 1.2))
        ax.barh(names, self.change_pct[order], color="#3b6ea5")
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(f"change in market access, % ({self.a.label} to {self.b.label}, "
                      f"theta = {self.a.theta:g})")
        fig.tight_layout()
        fig.savefig(path, dpi=120)
        plt.close(fig)
        return path


def market_access_change(
    a: Scenario,
    b: Scenario,
    regions: Regions,
    theta: float = DEFAULT_THETA,
    value_usd_per_teu: float = DEFAULT_VALUE_USD_PER_TEU,
    time_value_pct_per_day: float = DEFAULT_TIME_VALUE_PCT_PER_DAY,
    labels: tuple[str, str] = ("A", "B"),
) -> MarketAccessChange:
    """Market access of every region in scenario A and in scenario B.

    Parameters are those of :func:`market_access`; ``labels`` names the two scenarios.

    Returns
    -------
    MarketAccessChange
        ``.table()``, ``.to_dict()``, ``.chart(path)`` and ``.geojson()``.

    Raises
    ------
    InputError
        If theta is not above 0.
    """
    ma_a = market_access(a, regions, theta, value_usd_per_teu, time_value_pct_per_day,
                         labels[0])
    ma_b = market_access(b, regions, theta, value_usd_per_teu, time_value_pct_per_day,
                         labels[1])
    net = _graphs(a)[0].network
    rows = [net.node_index[net.place(n)] for n in regions.nodes]
    lat = net.nodes["lat"].to_numpy(np.float64)[rows]
    lon = net.nodes["lon"].to_numpy(np.float64)[rows]
    return MarketAccessChange(regions, ma_a, ma_b, lat, lon)


def write_geojson(change: MarketAccessChange, path: str | Path) -> Path:
    """Write the map layer of a market-access change as a GeoJSON file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(change.geojson(), ensure_ascii=False, indent=1))
    return path
