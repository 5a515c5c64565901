"""Commodity groups for the assignment: commodities with the same modes and time-value rate,
each group on its own season graphs (see :mod:`amur.assign.commodity`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from amur.assign.seasons import SeasonGraphs, build_season_graphs
from amur.errors import InputError
from amur.network import Network

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CommodityClass:
    """A commodity as the assignment sees it.

    Attributes
    ----------
    name : str
    modes : frozenset of str
        Modes it may use.
    value_usd_per_t : float
        Cargo value, USD per tonne.
    time_value_pct_per_day : float
        Cost of a day in transit, % of the value.
    """

    name: str
    modes: frozenset[str]
    value_usd_per_t: float
    time_value_pct_per_day: float


@dataclass(frozen=True, eq=False)
class CommodityGroup:
    """Commodities assigned together: same modes, same time-value rate.

    Attributes
    ----------
    commodities : tuple of str
    seasons : SeasonGraphs
        The group's graphs (its modes, its value of time).
    value_usd_per_t : float
        The tonnage-weighted mean cargo value its value of time is computed from.
    """

    commodities: tuple[str, ...]
    seasons: SeasonGraphs
    value_usd_per_t: float


def build_commodity_groups(
    net: Network,
    zones: Sequence[str],
    classes: Sequence[CommodityClass],
    demand: Mapping[str, FloatArray],
    parameters: Mapping[str, float] | None = None,
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
) -> list[CommodityGroup]:
    """Group the commodities with demand and build each group's season graphs.

    Parameters
    ----------
    net : Network
    zones : sequence of str
        Place ids of the zones (rows of every matrix).
    classes : sequence of CommodityClass
    demand : mapping of str to ndarray, shape (n_zones, n_zones)
        Tonnes a year by commodity; weights each group's mean value; commodities without
        demand are left out.
    parameters, year, month
        As for :func:`amur.assign.seasons.build_season_graphs`.
    modes : frozenset of str, optional
        Narrows every commodity's modes (a scenario's modes).

    Raises
    ------
    InputError
        If a commodity with demand has no class, or none of its modes is allowed.
    """
    t_per_teu = float(net.parameters.get("t_per_teu", 10.0))
    known = {c.name: c for c in classes}
    keys: dict[tuple[frozenset[str], float], list[CommodityClass]] = {}
    for name, matrix in demand.items():
        tonnes = float(np.asarray(matrix).sum())
        if tonnes <= 0:
            continue
        if name not in known:
            raise InputError(
                f"commodity {name!r}: unknown; expected one of {', '.join(known)}",
                field="commodity",
            )
        c = known[name]
        allowed = c.modes if modes is None else c.modes & modes
        if not allowed:
            raise InputError(
                f"commodity {name!r}: none of its modes ({', '.join(sorted(c.modes))}) is allowed",
                field="modes",
            )
        keys.setdefault((frozenset(allowed), c.time_value_pct_per_day), []).append(c)
    groups = []
    for (allowed, pct), members in keys.items():
        weights = np.array([np.asarray(demand[c.name]).sum() for c in members])
        value = float(np.average([c.value_usd_per_t for c in members], weights=weights))
        seasons = build_season_graphs(
            net,
            zones,
            parameters,
            year,
            month,
            allowed,
            value_usd_per_teu=value * t_per_teu,
            time_value_pct_per_day=max(pct, 1e-9),
        )
        groups.append(CommodityGroup(tuple(c.name for c in members), seasons, value))
    return groups
