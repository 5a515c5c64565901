"""Market access of regions, MA_i = sum_j Y_j tau_ij^-theta, and its change between scenarios.

Following Donaldson & Hornbeck (2016) and the World Bank's Belt-and-Road studies (Reed &
Trubetskoy 2019): tau is the iceberg trade cost, 1 + (freight cost + value of time in
transit) / value of the shipment, from least generalized-cost paths of the scenario's
network; the region's own market enters with tau = 1. Three forms, as in Reed &
Trubetskoy's ``get_ma.py``: firm access (costs from i to its markets j, the default),
consumer access (costs from the suppliers j to i) and their log-linear combination.
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
from amur.impact.trade import check_theta, regional_trade_change
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
#: Forms of market access: firm FMA_i = sum_j Y_j tau_ij^-theta (costs from i to j),
#: consumer CMA_i = sum_j Y_j tau_ji^-theta (costs from j to i) and combined,
#: ln MA_i = (1 - beta) ln FMA_i + beta ln CMA_i (Reed & Trubetskoy, verified from their code,
#: econ/methods.md 1).
MARKET_ACCESS_KINDS = ("firm", "consumer", "combined")
#: Weight of consumer access in the combined form (Reed & Trubetskoy, verified).
CONSUMER_WEIGHT_BETA = 0.65
#: Share of income paid to land, the fixed factor whose rents value a project (Reed &
#: Trubetskoy, verified from their code, econ/parameters.md 1).
LAND_SHARE_ALPHA = 0.05
#: The welfare approximation is an ESTIMATE: the functional form is not checked against the
#: paper's equations (econ/methods.md 1).
WELFARE_FORM = "land rent change = alpha x GDP_i x change of ln MA_i"
WELFARE_STATUS = (
    "ESTIMATE: alpha = 0.05 is verified (Reed & Trubetskoy code), the "
    "functional form is an approximation not checked against the paper"
)


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
        Market access of the form ``kind`` (firm: MA_i = sum_j Y_j tau_ij^-theta), billion
        USD (GDP-weighted).
    theta : float
        Trade elasticity.
    value_usd_per_teu, time_value_pct_per_day : float
        Shipment value and value of time behind tau.
    label : str
        Scenario label (``"2014"``, ``"today"``).
    kind : str
        Form of ``market_access``: ``"firm"`` (default), ``"consumer"`` or ``"combined"``.
    """

    regions: tuple[str, ...]
    tau: FloatArray
    market_access: FloatArray
    theta: float
    value_usd_per_teu: float
    time_value_pct_per_day: float
    label: str
    kind: str = "firm"


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
        s = skim(
            graph,
            list(regions.nodes),
            by="generalized",
            value_usd_per_teu=value_usd_per_teu,
            time_value_pct_per_day=time_value_pct_per_day,
        )
        tau = 1.0 + s.generalized_usd_per_teu / s.value_usd_per_teu
        np.fill_diagonal(tau, 1.0)
        stack.append(tau)
    return np.asarray(stack, dtype=np.float64)


def check_kind(kind: str) -> str:
    """Return the market-access form, or raise InputError if it is not one we know."""
    if kind not in MARKET_ACCESS_KINDS:
        raise InputError(
            f"unknown market access form {kind!r}; expected one of "
            f"{', '.join(MARKET_ACCESS_KINDS)}",
            field="kind",
        )
    return kind


def access_from_tau(
    tau: FloatArray, gdp: FloatArray, theta: float, kind: str = "firm"
) -> FloatArray:
    """Market access of each region from trade costs, averaged over months.

    Parameters
    ----------
    tau : ndarray of float64
        Iceberg trade costs from region i (row) to region j (column), shape (n, n), or
        (n_months, n, n); ``inf`` where no route exists (that market adds nothing).
    gdp : ndarray of float64
        GDP of each region, billion USD.
    theta : float
        Trade elasticity, above 0.
    kind : {"firm", "consumer", "combined"}
        ``firm``: FMA_i = sum_j Y_j tau_ij^-theta; ``consumer``: CMA_i = sum_j Y_j
        tau_ji^-theta; ``combined``: exp((1 - beta) ln FMA_i + beta ln CMA_i), beta = 0.65,
        from the month-averaged FMA and CMA.

    Returns
    -------
    ndarray of float64
        Market access, billion USD (GDP weighted by tau^-theta).

    Raises
    ------
    InputError
        If theta is not above 0 or the form is unknown.
    """
    theta = check_theta(theta)
    kind = check_kind(kind)
    weights = np.power(tau, -theta)
    firm = (weights * gdp).sum(axis=-1)
    consumer = (weights * gdp[:, None]).sum(axis=-2)
    if tau.ndim == 3:
        firm, consumer = firm.mean(axis=0), consumer.mean(axis=0)
    if kind == "firm":
        return np.asarray(firm)
    if kind == "consumer":
        return np.asarray(consumer)
    beta = CONSUMER_WEIGHT_BETA
    return np.asarray(np.exp((1.0 - beta) * np.log(firm) + beta * np.log(consumer)))


def effective_tau(tau: FloatArray, theta: float) -> FloatArray:
    """The year's trade cost: the power mean (mean_m tau_m^-theta)^(-1/theta) over months,
    so that access and gravity flows from it equal the monthly average.
    """
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
    kind: str = "firm",
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
    kind : {"firm", "consumer", "combined"}
        Form of market access. ``"firm"`` (the default, the issue's MA_i = sum_j Y_j
        tau_ij^-theta): costs from i to its markets. ``"consumer"``: costs from the
        suppliers j to i. ``"combined"``: ln MA = 0.35 ln FMA + 0.65 ln CMA (Reed &
        Trubetskoy). The forms differ only where costs are not symmetric (one-way links,
        border fees charged on exit).

    Returns
    -------
    MarketAccess
        ``tau`` is the year's effective trade cost (see :func:`effective_tau`).

    Raises
    ------
    InputError
        If theta is not above 0 or the form is unknown.

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
    kind = check_kind(kind)
    tau = trade_costs(scenario, regions, value_usd_per_teu, time_value_pct_per_day)
    return MarketAccess(
        regions.ids,
        effective_tau(tau, theta),
        access_from_tau(tau, regions.gdp_usd_bn, theta, kind),
        theta,
        value_usd_per_teu,
        time_value_pct_per_day,
        label,
        kind,
    )


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

    @property
    def land_rent_change_usd_mn(self) -> FloatArray:
        """ESTIMATE of the change in land rents, USD million a year: alpha x Y_i x change
        of ln MA_i with alpha = 0.05 (Reed & Trubetskoy's land share, verified); the
        functional form is an approximation (econ/methods.md 1), and Y_i is the region's
        GDP held at its table year.
        """
        return np.asarray(LAND_SHARE_ALPHA * self.regions.gdp_usd_bn * 1000.0 * self.log_change)

    @property
    def trade_change_pct(self) -> FloatArray:
        """Predicted change of each region's trade with the other regions, % (partial
        equilibrium gravity; see :func:`amur.impact.trade.regional_trade_change`).
        """
        return regional_trade_change(self.a.tau, self.b.tau, self.regions.gdp_usd_bn, self.a.theta)

    def table(self) -> pd.DataFrame:
        """One row per region: ``region, name, market_access_a, market_access_b,
        market_access_change_pct, trade_change_pct, land_rent_change_usd_mn, source_id``.

        ``land_rent_change_usd_mn`` is an ESTIMATE (see :attr:`land_rent_change_usd_mn`);
        ``trade_change_pct`` is NaN for a region with no trade in either scenario.
        """
        t = self.regions.table
        return pd.DataFrame(
            {
                "region": list(self.regions.ids),
                "name": t["name"].tolist(),
                "market_access_a": self.a.market_access,
                "market_access_b": self.b.market_access,
                "market_access_change_pct": self.change_pct,
                "trade_change_pct": self.trade_change_pct,
                "land_rent_change_usd_mn": self.land_rent_change_usd_mn,
                "source_id": t["source_id"].tolist(),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"scenario_a", "scenario_b", "theta", "kind", ..., "welfare",
        "regions": [...]}``; numbers rounded to 6 decimals, undefined ones ``null``.
        """
        rows = self.table().to_dict("records")
        return {
            "scenario_a": self.a.label,
            "scenario_b": self.b.label,
            "theta": self.a.theta,
            "kind": self.a.kind,
            "value_usd_per_teu": self.a.value_usd_per_teu,
            "time_value_pct_per_day": self.a.time_value_pct_per_day,
            "units": {
                "market_access": "billion USD of GDP, weighted by tau^-theta",
                "trade_change_pct": "% change of trade with the other regions",
                "land_rent_change_usd_mn": "USD million a year",
            },
            "welfare": {"alpha": LAND_SHARE_ALPHA, "form": WELFARE_FORM, "status": WELFARE_STATUS},
            "regions": [{k: _json_number(v) for k, v in row.items()} for row in rows],
        }

    def geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of region points with their change (map layer)."""
        features = []
        for k, row in enumerate(self.table().to_dict("records")):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(self.lon[k]), float(self.lat[k])],
                    },
                    "properties": {
                        key: (float(v) if isinstance(v, float | np.floating) else v)
                        for key, v in row.items()
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def chart(self, path: str | Path) -> Path:
        """Write a bar chart of the change by region (PNG or SVG by suffix) and return it."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from amur.io.atomic import atomic_path

        path = Path(path)
        order = np.argsort(self.change_pct)
        names = [str(self.regions.table["name"].iat[i]) for i in order]
        fig, ax = plt.subplots(figsize=(7, 0.32 * len(names) + 1.2))
        ax.barh(names, self.change_pct[order], color="#3b6ea5")
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_xlabel(
            f"change in market access, % ({self.a.label} to {self.b.label}, "
            f"theta = {self.a.theta:g})"
        )
        fig.tight_layout()
        try:
            with atomic_path(path, field="chart") as tmp:
                fig.savefig(tmp, dpi=120, format="png")
        finally:
            plt.close(fig)
        return path


def _json_number(value: Any) -> Any:
    """Floats rounded to 6 decimals; NaN and infinities (not JSON) become None."""
    if isinstance(value, float | np.floating):
        return round(float(value), 6) if np.isfinite(value) else None
    return value


def market_access_change(
    a: Scenario,
    b: Scenario,
    regions: Regions,
    theta: float = DEFAULT_THETA,
    value_usd_per_teu: float = DEFAULT_VALUE_USD_PER_TEU,
    time_value_pct_per_day: float = DEFAULT_TIME_VALUE_PCT_PER_DAY,
    labels: tuple[str, str] = ("A", "B"),
    kind: str = "firm",
) -> MarketAccessChange:
    """Market access of every region in scenario A and in scenario B.

    Parameters are those of :func:`market_access`; ``labels`` names the two scenarios and
    ``kind`` the form of market access (firm by default).

    Returns
    -------
    MarketAccessChange
        ``.table()``, ``.to_dict()``, ``.chart(path)`` and ``.geojson()``; the change in
        land rents (an ESTIMATE) and the predicted trade change by region.

    Raises
    ------
    InputError
        If theta is not above 0 or the form is unknown.

    Examples
    --------
    >>> import amur
    >>> from amur.impact import builtin_regions, market_access_change
    >>> net = amur.load("northeast-asia")
    >>> change = market_access_change(net, net, builtin_regions(net), kind="combined")
    >>> float(abs(change.change_pct).max())
    0.0
    """
    ma_a = market_access(
        a, regions, theta, value_usd_per_teu, time_value_pct_per_day, labels[0], kind
    )
    ma_b = market_access(
        b, regions, theta, value_usd_per_teu, time_value_pct_per_day, labels[1], kind
    )
    net = _graphs(a)[0].network
    rows = [net.node_index[net.place(n)] for n in regions.nodes]
    lat = net.nodes["lat"].to_numpy(np.float64)[rows]
    lon = net.nodes["lon"].to_numpy(np.float64)[rows]
    return MarketAccessChange(regions, ma_a, ma_b, lat, lon)


def write_geojson(change: MarketAccessChange, path: str | Path) -> Path:
    """Write the map layer of a market-access change as a GeoJSON file, atomically.

    Raises
    ------
    OutputError
        If the file cannot be written; a previous file is kept.
    """
    from amur.io.atomic import write_text

    return write_text(
        path, json.dumps(change.geojson(), ensure_ascii=False, indent=1), field="geojson"
    )
