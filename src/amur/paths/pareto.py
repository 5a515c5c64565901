"""The Pareto set of routes over two criteria (time and cost by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from amur.errors import InputError, NoRouteError
from amur.graph import expand
from amur.options import check
from amur.paths.itinerary import Route, _decode
from amur.paths.labels import pareto_labels
from amur.paths.route import CRITERIA, _no_route_message
from amur.paths.tables import route_tables

if TYPE_CHECKING:  # pragma: no cover
    from amur.network import Network

DEFAULT_MAX_LABELS = 2_000_000


def pareto_front(points: np.ndarray) -> np.ndarray:
    """Indices of the non-dominated rows of an (n, 2) array (both columns minimised).

    Of rows with equal values only the first is kept. Sorted by the first column.
    """
    order = np.lexsort((points[:, 1], points[:, 0]))
    keep: list[int] = []
    best = np.inf
    for i in order:
        if points[i, 1] < best:
            keep.append(int(i))
            best = points[i, 1]
    return np.asarray(keep, dtype=np.int64)


def pareto_routes(
    net: Network,
    origin: str,
    destination: str,
    *,
    criteria: tuple[str, str] = ("time", "cost"),
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
    max_labels: int = DEFAULT_MAX_LABELS,
) -> list[Route]:
    """Every route not beaten on both criteria by another (the exact Pareto set).

    Parameters
    ----------
    net : Network
        The network.
    origin, destination : str
        Places by id, name or alias.
    criteria : pair of str
        Two of time, cost, co2, length (hours, USD per TEU, kg CO2 per TEU, km).
    year, month : int, optional
        Links in service in that year and month only.
    modes : frozenset of str, optional
        Modes allowed.
    max_labels : int
        Bound on the labels the search may create (memory guard on large networks).

    Returns
    -------
    list of Route
        Sorted by the first criterion (so the fastest first for time and cost); ``rank`` is
        the position in that order.

    Raises
    ------
    NoRouteError
        If the places are not joined.
    InputError
        On an unknown criterion, or if the label bound is exceeded.
    """
    for c in criteria:
        if c not in CRITERIA or c == "generalized":
            raise InputError(
                f"unknown Pareto criterion {c!r}; expected time, cost, co2 or length",
                field="criteria",
            )
    if year is not None:
        check("year", year)
    if month is not None:
        check("month", month)
    g = expand(net, year=year, month=month, modes=modes)
    o = net.node_index[net.place(origin)]
    d = net.node_index[net.place(destination)]
    is_target = np.zeros(g.n_states, np.bool_)
    is_target[g.states_of(d)] = True
    sources = g.states_of(o)
    c1, c2, state, pred, arc, count = pareto_labels(
        g.indptr,
        g.head,
        g.weights(criteria[0]),
        g.weights(criteria[1]),
        sources,
        is_target,
        max_labels,
    )
    if count < 0:
        raise InputError(
            f"the Pareto search needs more than {max_labels} labels; raise "
            "max_labels or narrow the question",
            field="max_labels",
        )
    at_target = np.flatnonzero((state[:count] >= 0) & is_target[np.maximum(state[:count], 0)])
    if len(at_target) == 0:
        raise NoRouteError(_no_route_message(route_tables(net), g, o, d, []), field="to")
    front = at_target[pareto_front(np.column_stack([c1[at_target], c2[at_target]]))]
    routes = []
    for rank, label in enumerate(front, start=1):
        arcs: list[int] = []
        k = int(label)
        while pred[k] >= 0:
            arcs.append(int(arc[k]))
            k = int(pred[k])
        arcs.reverse()
        routes.append(
            _decode(
                route_tables(net),
                g,
                tuple(arcs),
                f"pareto:{criteria[0]},{criteria[1]}",
                rank,
                g.weights(criteria[0]),
            )
        )
    return routes
