"""Commodity groups for the assignment: commodities with the same modes, time-value rate and
costing basis (per TEU, or per shipment and tonne: :mod:`amur.assign.shipments`), each group
on its own season graphs (see :mod:`amur.assign.commodity`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from amur.assign.seasons import SeasonGraphs, build_season_graphs
from amur.assign.shipments import ShipmentCosts, group_shipment_costs, shipment_costs
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
    """Commodities assigned together: same modes, same time-value rate, same costing basis.

    Attributes
    ----------
    commodities : tuple of str
    seasons : SeasonGraphs
        The group's graphs (its modes, its value of time, its costs).
    value_usd_per_t : float
        The tonnage-weighted mean cargo value its value of time is computed from.
    shipment : ShipmentCosts or None
        For commodities costed per shipment (bulk), the group's shipment sizes and cost per
        tonne (:func:`amur.assign.shipments.group_shipment_costs`); None for per-TEU costs.
    """

    commodities: tuple[str, ...]
    seasons: SeasonGraphs
    value_usd_per_t: float
    shipment: ShipmentCosts | None = None


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

    Commodities are grouped by modes, time-value rate and costing basis: those whose
    ``parameters`` give a rail shipment size (``t_per_shipment:rail:<commodity>``) and a
    size for every other mode they may use (:meth:`ShipmentCosts.covers`) pay border fees
    per shipment and gauge changes per tonne (:mod:`amur.assign.shipments`), the others
    every charge per TEU over ``t_per_teu``.

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
        As for :func:`amur.assign.seasons.build_season_graphs`; the flow parameters also
        give the shipment costs (:func:`amur.assign.shipments.shipment_costs`).
    modes : frozenset of str, optional
        Narrows every commodity's modes (a scenario's modes).

    Raises
    ------
    InputError
        If a commodity with demand has no class, or none of its modes is allowed, or a
        shipment parameter is not a number (a size > 0, a cost per tonne >= 0).
    """
    t_per_teu = float(net.parameters.get("t_per_teu", 10.0))
    known = {c.name: c for c in classes}
    params = dict(parameters or {})
    keys: dict[tuple[frozenset[str], float, tuple[bool, ...]], list[CommodityClass]] = {}
    shipments: dict[str, ShipmentCosts | None] = {}
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
        ship = shipment_costs(params, name)
        if ship is not None and not ship.covers(frozenset(allowed)):
            ship = None  # a mode without a shipment size: per TEU throughout
        shipments[name] = ship
        basis = (
            ship is not None,
            ship is not None and ship.road_t is not None,
            ship is not None and ship.sea_t is not None,
            ship is not None and ship.gauge_change_usd_per_t is not None,
        )
        keys.setdefault((frozenset(allowed), c.time_value_pct_per_day, basis), []).append(c)
    groups = []
    for (allowed, pct, costed), members in keys.items():
        weights = np.array([np.asarray(demand[c.name]).sum() for c in members])
        value = float(np.average([c.value_usd_per_t for c in members], weights=weights))
        shipment = (
            group_shipment_costs(
                [s for s in (shipments[c.name] for c in members) if s is not None], weights
            )
            if costed[0]
            else None
        )
        seasons = build_season_graphs(
            net,
            zones,
            parameters,
            year,
            month,
            allowed,
            value_usd_per_teu=value * t_per_teu,
            time_value_pct_per_day=max(pct, 1e-9),
            shipment=shipment,
        )
        groups.append(CommodityGroup(tuple(c.name for c in members), seasons, value, shipment))
    return groups
