"""What answering a route question needs of its network, as plain arrays: the place index,
the columns a route's legs are decoded from, the services' names and waits, the winter
regimes and the network's parameters.

:func:`route_tables` builds them from a :class:`~amur.network.Network` (once per network);
the route engine (:mod:`amur.paths.route`, :mod:`amur.paths.itinerary`) reads only these and
the graph's arrays, so the same code answers from a loaded network and from the cache on disk
(:mod:`amur.paths.quick`), where neither pandas nor the network's tables are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from amur.graph.arrays import GraphArrays
from amur.network.places import Places, winter_hours

if TYPE_CHECKING:  # pragma: no cover
    from amur.network import Network

__all__ = ["DECODED_COLUMNS", "RouteBundle", "RouteTables", "ServiceRide", "route_tables"]

#: Columns of the network's tables that a route's legs are decoded from, by table.
DECODED_COLUMNS: dict[str, tuple[str, ...]] = {
    "nodes": ("id", "kind", "source_id", "ops_source_id", "winter_source_id"),
    "links": ("from_node", "to_node", "mode", "id", "source_id", "ops_source_id"),
    "regimes": ("source_id",),
    "services": (  # amur.network.services.SERVICE_SOURCE_COLUMNS (a test checks)
        "source_id",
        "frequency_source_id",
        "time_source_id",
        "price_source_id",
        "subsidy_source_id",
        "capacity_source_id",
    ),
}


@dataclass(frozen=True)
class ServiceRide:
    """A scheduled service a leg rides or boards.

    Attributes
    ----------
    id, name, operator : str
        The service's id, name and operator (from ``services.csv``).
    departures_per_week : float
        Departures a week.
    wait_h : float
        Expected wait for a departure, hours (half the headway unless the schedule gives one).
    """

    id: str
    name: str
    operator: str
    departures_per_week: float
    wait_h: float


@dataclass(frozen=True, eq=False)
class RouteTables:
    """A network as a route question reads it.

    Attributes
    ----------
    name : str
        The network's name.
    places : Places
        Place ids, names and aliases.
    parameters : dict of str to float
        The network's parameters (value of cargo and of time, ...).
    columns : dict of (str, str) to ndarray
        The columns of :data:`DECODED_COLUMNS` as object arrays, by (table, column).
    rides : tuple of ServiceRide
        One per row of the services table.
    winter_masks : ndarray of int64
        Each node's winter months as bits (bit ``m - 1`` for month ``m``).
    winter_h : ndarray of float64
        Each node's extra hours for a change of mode in its winter months.
    """

    name: str
    places: Places
    parameters: dict[str, float]
    columns: dict[tuple[str, str], npt.NDArray[np.object_]]
    rides: tuple[ServiceRide, ...]
    winter_masks: npt.NDArray[np.int64]
    winter_h: npt.NDArray[np.float64]

    def column(self, table: str, name: str) -> npt.NDArray[np.object_]:
        """A decoded column (see :data:`DECODED_COLUMNS`) as an object array."""
        return self.columns[(table, name)]

    def winter_time(self, month: int | None) -> npt.NDArray[np.float64]:
        """Extra hours for a change of mode at each node in a month (as
        :meth:`Network.winter_time`).
        """
        return winter_hours(self.winter_masks, self.winter_h, month)


@dataclass(frozen=True, eq=False)
class RouteBundle:
    """The tables of a network and the arrays of one of its expanded graphs: all a route
    question on that graph reads, kept together on disk (:mod:`amur.paths.quick`).
    """

    tables: RouteTables
    graph: GraphArrays


@lru_cache(maxsize=64)
def route_tables(net: Network) -> RouteTables:
    """The :class:`RouteTables` of a network, built once per network."""
    from amur.network.services import service_wait_h

    columns = {
        (table, name): getattr(net, table)[name].to_numpy(dtype=object)
        for table, names in DECODED_COLUMNS.items()
        for name in names
    }
    services = net.services
    waits = service_wait_h(services)
    rides = tuple(
        ServiceRide(
            str(rec["id"]),
            str(rec["name"]),
            str(rec["operator"]) if isinstance(rec["operator"], str) else "",
            float(rec["departures_per_week"]),
            round(float(wait), 3),
        )
        for rec, wait in zip(services.to_dict("records"), waits, strict=True)
    )
    return RouteTables(
        name=net.name,
        places=net.places,
        parameters=dict(net.parameters),
        columns=columns,
        rides=rides,
        winter_masks=net.winter_masks,
        winter_h=net.winter_hours_column,
    )
