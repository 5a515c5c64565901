"""Costs of a commodity that pays per shipment and per tonne, not per TEU (bulk).

Every charge of a network at a place is per TEU (handling, gauge change, border fees, see
:mod:`amur.graph.expand`), and the assignment graph turns it into USD per tonne at the
network's ``t_per_teu``. That is right for containers but not for bulk (coal, ore, timber,
grain): a border fee is paid per shipment, and a shipment of bulk is a wagon or a truck
load, not a TEU's 10 t; and a gauge change of bulk is a transshipment priced per tonne.

A commodity is costed per shipment when the flow parameters give the tonnes of its rail
shipment; its :class:`ShipmentCosts` then hold:

- ``t_per_shipment:rail:<commodity>``: tonnes per rail shipment (a wagon). The built-in
  dataset takes it from ``t_per_wagon`` in ``commodities.csv`` for every commodity without
  a ``t_per_teu`` (see :func:`shipment_parameters`);
- ``t_per_shipment:road:<commodity>``, else ``t_per_shipment:road``: tonnes per road
  shipment (a truck load), for the road-like modes (road, river ferry, ice road, pontoon);
- ``t_per_shipment:sea:<commodity>``, else ``t_per_shipment:sea``: tonnes per sea
  shipment (a ship's cargo);
- ``gauge_change_usd_per_t:<commodity>``, else ``gauge_change_usd_per_t``: the cost of
  transshipping a tonne between gauges, USD/t.

Its border arcs then cost the border fee (USD per shipment, the network's per-TEU figure
read as per shipment) over the tonnes of a shipment of the mode of the link crossing the
border, and its gauge-change arcs the per-tonne transshipment cost. Handling arcs and
scheduled services keep the per-TEU basis (``cost / t_per_teu``), and so does a gauge
change without a per-tonne cost. A commodity that may use a mode with no shipment size
(a pipeline; sea or road when their sizes are missing) is costed per TEU throughout, so
that no mode's border is cheaper for it only because its fee is divided differently
(:meth:`ShipmentCosts.covers`). Containers, and any commodity without a rail shipment
size, are costed exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from amur.errors import InputError
from amur.graph.expand import ArcKind, ExpandedGraph
from amur.network.schema import ROAD_LIKE_MODES, Mode

__all__ = [
    "GAUGE_CHANGE_KEY",
    "RAIL_KEY",
    "ROAD_KEY",
    "SEA_KEY",
    "ShipmentCosts",
    "arc_costs_per_t",
    "check_parameter",
    "group_shipment_costs",
    "shipment_costs",
    "shipment_parameters",
]

FloatArray = NDArray[np.float64]

#: Flow parameter prefix: tonnes per rail shipment of a commodity (``<prefix>:<commodity>``).
RAIL_KEY = "t_per_shipment:rail"
#: Flow parameter: tonnes per road shipment (``:<commodity>`` for one commodity).
ROAD_KEY = "t_per_shipment:road"
#: Flow parameter: tonnes per sea shipment (``:<commodity>`` for one commodity).
SEA_KEY = "t_per_shipment:sea"
#: Flow parameter: transshipment between gauges, USD/t (``:<commodity>`` for one).
GAUGE_CHANGE_KEY = "gauge_change_usd_per_t"


@dataclass(frozen=True)
class ShipmentCosts:
    """How a commodity (or a group of them) pays charges at places: per shipment and per
    tonne.

    Attributes
    ----------
    rail_t : float
        Tonnes per rail shipment (a wagon), > 0.
    road_t : float or None
        Tonnes per road shipment (a truck load), > 0; None keeps the per-TEU basis on road.
    sea_t : float or None
        Tonnes per sea shipment (a ship's cargo), > 0; None keeps the per-TEU basis at sea.
    gauge_change_usd_per_t : float or None
        Cost of transshipping a tonne between gauges, USD/t, >= 0; None keeps the per-TEU
        basis.
    """

    rail_t: float
    road_t: float | None = None
    gauge_change_usd_per_t: float | None = None
    sea_t: float | None = None

    def __post_init__(self) -> None:
        for name, value, positive in (
            ("rail_t", self.rail_t, True),
            ("road_t", self.road_t, True),
            ("sea_t", self.sea_t, True),
            ("gauge_change_usd_per_t", self.gauge_change_usd_per_t, False),
        ):
            if value is None and name != "rail_t":
                continue
            _check(name, value, positive)

    def covers(self, modes: frozenset[str]) -> bool:
        """Whether every mode of ``modes`` has a shipment size (rail, a road-like mode or
        sea), so that the commodity can be costed per shipment on all its borders.
        """
        sized = {Mode.RAIL.value}
        if self.road_t is not None:
            sized |= set(ROAD_LIKE_MODES)
        if self.sea_t is not None:
            sized.add(Mode.SEA.value)
        return modes <= sized


def _check(name: str, value: object, positive: bool) -> float:
    """``value`` as a float, or an InputError naming ``name``."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if not np.isfinite(number) or number < 0 or (positive and number == 0):
        raise InputError(
            f"{name}: {value!r}; expected a number {'> 0' if positive else '>= 0'}",
            field=name,
        )
    return number


def check_parameter(name: str, value: float) -> str | None:
    """What is wrong with a flow parameter of this module (``None`` if nothing is): a
    shipment size must be > 0, a cost per tonne >= 0 (both finite).
    """
    if name.startswith(("t_per_shipment:",)):
        return None if np.isfinite(value) and value > 0 else "expected a number > 0 (t)"
    if name == GAUGE_CHANGE_KEY or name.startswith(GAUGE_CHANGE_KEY + ":"):
        return None if np.isfinite(value) and value >= 0 else "expected a number >= 0 (USD/t)"
    return None


def shipment_costs(parameters: Mapping[str, float], commodity: str) -> ShipmentCosts | None:
    """A commodity's shipment costs from flow parameters (see the module docstring), or None
    where they give no rail shipment size (the commodity is costed per TEU).

    Parameters
    ----------
    parameters : mapping of str to float
        Flow parameters.
    commodity : str

    Raises
    ------
    InputError
        If a value is not a number, or a size is not > 0 or a cost per tonne not >= 0;
        naming the parameter.
    """
    rail = parameters.get(f"{RAIL_KEY}:{commodity}")
    if rail is None:
        return None
    road = parameters.get(f"{ROAD_KEY}:{commodity}", parameters.get(ROAD_KEY))
    sea = parameters.get(f"{SEA_KEY}:{commodity}", parameters.get(SEA_KEY))
    gauge = parameters.get(f"{GAUGE_CHANGE_KEY}:{commodity}", parameters.get(GAUGE_CHANGE_KEY))
    return ShipmentCosts(
        _check(f"{RAIL_KEY}:{commodity}", rail, True),
        None if road is None else _check(ROAD_KEY, road, True),
        None if gauge is None else _check(GAUGE_CHANGE_KEY, gauge, False),
        None if sea is None else _check(SEA_KEY, sea, True),
    )


def group_shipment_costs(costs: Sequence[ShipmentCosts], tonnes: ArrayLike) -> ShipmentCosts:
    """The shipment costs of commodities assigned together: shipment sizes their
    tonnage-weighted harmonic mean (so a per-shipment fee costs the group's tonnes what it
    costs the members' on average), the cost per tonne the tonnage-weighted mean.

    Parameters
    ----------
    costs : sequence of ShipmentCosts
        All with or all without a road size and a gauge-change cost.
    tonnes : array_like of float
        Each member's tonnes (weights), not all 0.
    """
    w = np.asarray(tonnes, dtype=np.float64)
    w = w / w.sum()

    def harmonic(values: list[float]) -> float:
        return float(1.0 / np.sum(w / np.asarray(values)))

    road = [c.road_t for c in costs if c.road_t is not None]
    sea = [c.sea_t for c in costs if c.sea_t is not None]
    gauge = [c.gauge_change_usd_per_t for c in costs if c.gauge_change_usd_per_t is not None]
    return ShipmentCosts(
        harmonic([c.rail_t for c in costs]),
        harmonic(road) if len(road) == len(costs) else None,
        float(np.sum(w * np.asarray(gauge))) if len(gauge) == len(costs) else None,
        harmonic(sea) if len(sea) == len(costs) else None,
    )


def arc_costs_per_t(expanded: ExpandedGraph, shipment: ShipmentCosts | None) -> FloatArray:
    """Cost of each arc of an expanded graph, USD per tonne.

    Without ``shipment`` (containers), every arc's cost over ``t_per_teu``. With it, a border
    arc costs its fee over the tonnes of a shipment of the mode of the link leading into it
    (rail, a road-like mode or sea) and a gauge-change arc the transshipment cost per tonne;
    the other arcs (and a border of a mode without a size) as without.

    Parameters
    ----------
    expanded : ExpandedGraph
    shipment : ShipmentCosts, optional

    Returns
    -------
    ndarray of float, shape (n_arcs,)
        USD/t.
    """
    per_teu = (1.0 / expanded.t_per_teu) * expanded.cost_usd  # as before, to the last bit
    if shipment is None:
        return per_teu
    out = per_teu.copy()
    if shipment.gauge_change_usd_per_t is not None:
        out[expanded.kind == ArcKind.GAUGE_CHANGE] = shipment.gauge_change_usd_per_t
    border = np.flatnonzero(expanded.kind == ArcKind.BORDER)
    if border.size == 0:
        return out
    into = np.full(expanded.n_states, -1, dtype=np.int64)
    link_arcs = np.flatnonzero(expanded.kind == ArcKind.LINK)
    into[expanded.head[link_arcs]] = link_arcs
    feeder = into[expanded.tail[border]]
    keep = feeder >= 0
    border, feeder = border[keep], feeder[keep]
    modes = expanded.network.links["mode"].to_numpy(dtype=object)[expanded.link[feeder]]
    size = np.full(border.size, np.nan)
    size[modes == Mode.RAIL.value] = shipment.rail_t
    if shipment.road_t is not None:
        size[np.isin(modes.astype(str), sorted(ROAD_LIKE_MODES))] = shipment.road_t
    if shipment.sea_t is not None:
        size[modes == Mode.SEA.value] = shipment.sea_t
    sized = np.isfinite(size)
    out[border[sized]] = expanded.cost_usd[border[sized]] / size[sized]
    return out


def shipment_parameters(
    t_per_wagon: Mapping[str, float], t_per_teu: Mapping[str, float]
) -> dict[str, float]:
    """Rail shipment sizes (``t_per_shipment:rail:<commodity>``) of the commodities that
    have tonnes per wagon and no tonnes per TEU (bulk; containers keep the per-TEU basis).

    Parameters
    ----------
    t_per_wagon, t_per_teu : mapping of str to float
        By commodity, t (NaN where none is given).
    """
    return {
        f"{RAIL_KEY}:{c}": float(t)
        for c, t in t_per_wagon.items()
        if np.isfinite(t) and t > 0 and not np.isfinite(t_per_teu.get(c, np.nan))
    }
