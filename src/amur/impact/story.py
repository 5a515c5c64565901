"""The mission's question: what the corridors alone did for Dongbei's market access and
trade (the 2014 network against today's), and what a change in export mix would add.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from amur.graph import ExpandedGraph
from amur.impact.market_access import (
    DEFAULT_TIME_VALUE_PCT_PER_DAY,
    DEFAULT_VALUE_USD_PER_TEU,
    THETA_SENSITIVITY,
    access_from_tau,
    effective_tau,
    trade_costs,
)
from amur.impact.regions import Regions, builtin_regions
from amur.impact.scenario import scenario_months
from amur.network import Network

DONGBEI = ("CN-HL", "CN-JL", "CN-LN")
BASE_YEAR = 2014
#: Export-mix case: ILLUSTRATIVE ASSUMPTIONS, not sourced figures. Goods that bear
#: rail-to-Europe costs are worth more per container: the case doubles the R&T shipment
#: value (50,000 USD per TEU, verified) and keeps the time value at the default 1 %/day, so
#: it isolates the value effect. Such goods are also more time-sensitive (up to 2.1 %/day,
#: the top of Hummels & Schaur's verified 0.6-2.1 % range); with 2.1 %/day the higher time
#: cost outweighs the value effect and market access falls (pass
#: ``mix_time_value_pct_per_day=2.1`` to see it).
MIX_VALUE_USD_PER_TEU = 100_000.0
MIX_TIME_VALUE_PCT_PER_DAY = 1.0


def scenario_graphs(
    network: Network, base_year: int = BASE_YEAR
) -> tuple[list[ExpandedGraph], list[ExpandedGraph], str]:
    """The network in ``base_year`` (the ``amur.scenarios`` scenario of that name) and
    today's network (every operating link), one graph per month.
    """
    return (
        scenario_months(network, str(base_year)),
        scenario_months(network, "today"),
        f"scenario {str(base_year)!r} of amur.scenarios against every operating link, "
        "each month 1-12",
    )


@dataclass(frozen=True, eq=False)
class Story:
    """Market access and trade of Dongbei's provinces: corridors alone and export mix.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (region, theta): ``region, name, theta, corridors_ma_pct,
        corridors_trade_pct, mix_ma_pct, mix_trade_pct, both_ma_pct``. ``corridors_*`` is
        the change from the base year's network to today's at the base cargo value;
        ``mix_*`` the further change from the export-mix case on today's network;
        ``both_ma_pct`` the two together.
    assumptions : tuple of str
        What the numbers rest on.
    """

    table: pd.DataFrame
    assumptions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        rows = [
            {k: (round(float(v), 6) if isinstance(v, float) else v) for k, v in r.items()}
            for r in self.table.to_dict("records")
        ]
        return {"rows": rows, "assumptions": list(self.assumptions)}


def story(
    network: Network,
    regions: Regions | None = None,
    focus: tuple[str, ...] = DONGBEI,
    thetas: tuple[float, ...] = THETA_SENSITIVITY,
    base_year: int = BASE_YEAR,
    value_usd_per_teu: float = DEFAULT_VALUE_USD_PER_TEU,
    time_value_pct_per_day: float = DEFAULT_TIME_VALUE_PCT_PER_DAY,
    mix_value_usd_per_teu: float = MIX_VALUE_USD_PER_TEU,
    mix_time_value_pct_per_day: float = MIX_TIME_VALUE_PCT_PER_DAY,
) -> Story:
    """Change in market access and predicted trade for Heilongjiang, Jilin and Liaoning.

    Parameters
    ----------
    network : Network
        The network with today's links (``amur.load("northeast-asia")``).
    regions : Regions, optional
        Market regions (the built-in table by default); all enter every region's access.
    focus : tuple of str
        Regions reported.
    thetas : tuple of float
        Trade elasticities for the sensitivity (4, 5, 8.2).
    base_year : int
        Year of the "before" network (2014).
    value_usd_per_teu, time_value_pct_per_day : float
        Cargo value and value of time of today's export mix.
    mix_value_usd_per_teu, mix_time_value_pct_per_day : float
        The same for the changed export mix (an illustrative assumption).

    Returns
    -------
    Story

    Raises
    ------
    InputError
        If a theta is not above 0 or a focus region is unknown.
    """
    regions = regions if regions is not None else builtin_regions(network)
    g_before, g_today, how = scenario_graphs(network, base_year)
    tau_before = trade_costs(g_before, regions, value_usd_per_teu, time_value_pct_per_day)
    tau_today = trade_costs(g_today, regions, value_usd_per_teu, time_value_pct_per_day)
    tau_mix = trade_costs(g_today, regions, mix_value_usd_per_teu, mix_time_value_pct_per_day)
    gdp = regions.gdp_usd_bn
    index = [regions.ids.index(r) for r in regions.subset(list(focus)).ids]
    rows = []
    from amur.impact.market_access import MarketAccess, MarketAccessChange

    for theta in thetas:
        ma = {
            k: access_from_tau(t, gdp, theta)
            for k, t in (("before", tau_before), ("today", tau_today), ("mix", tau_mix))
        }

        def change(
            a: str, b: str, theta: float = theta, ma: dict[str, np.ndarray] = ma
        ) -> MarketAccessChange:
            taus = {
                k: effective_tau(t, theta)
                for k, t in (("before", tau_before), ("today", tau_today), ("mix", tau_mix))
            }
            return MarketAccessChange(
                regions,
                MarketAccess(regions.ids, taus[a], ma[a], theta, 0.0, 0.0, a),
                MarketAccess(regions.ids, taus[b], ma[b], theta, 0.0, 0.0, b),
                np.zeros(len(gdp)),
                np.zeros(len(gdp)),
            )

        corridors = change("before", "today")
        mix = change("today", "mix")
        both = change("before", "mix")
        corridor_trade = corridors.trade_change_pct
        mix_trade = mix.trade_change_pct
        for i in index:
            rows.append(
                {
                    "region": regions.ids[i],
                    "name": str(regions.table["name"].iat[i]),
                    "theta": float(theta),
                    "corridors_ma_pct": float(corridors.change_pct[i]),
                    "corridors_trade_pct": float(corridor_trade[i]),
                    "mix_ma_pct": float(mix.change_pct[i]),
                    "mix_trade_pct": float(mix_trade[i]),
                    "both_ma_pct": float(both.change_pct[i]),
                }
            )
    assumptions = (
        f"Before: the network in {base_year}; after: today's operating links ({how}).",
        f"Market access MA_i = sum_j GDP_j tau_ij^-theta over {len(gdp)} regions "
        "(regions.csv, 2018 GDP, held fixed so only trade costs change); own market tau = 1.",
        f"tau = 1 + (freight USD per TEU + value x {time_value_pct_per_day:g} %/day x days) / "
        f"{value_usd_per_teu:,.0f} USD per TEU (Reed & Trubetskoy shipment value; Hummels & "
        "Schaur value of time), least generalized-cost routes, all months open.",
        "Trade: partial-equilibrium gravity, X_ij proportional to Y_i Y_j tau_ij^-theta; "
        "multilateral resistance held fixed, so it is an upper bound when many pairs gain.",
        f"Export mix (ILLUSTRATIVE ASSUMPTION): {mix_value_usd_per_teu:,.0f} USD per TEU and "
        f"{mix_time_value_pct_per_day:g} %/day on today's network.",
        "Sensitivity: theta in "
        + ", ".join(f"{t:g}" for t in thetas)
        + " (Simonovska-Waugh, Head-Mayer/R&T, Donaldson-Hornbeck).",
    )
    return Story(pd.DataFrame(rows), assumptions)
