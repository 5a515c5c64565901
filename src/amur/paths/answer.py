"""The JSON document of a route question, the same from the command line and the HTTP API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amur.network.schema import SCHEMA_VERSION
from amur.paths.itinerary import Route

__all__ = ["route_document"]


def route_document(
    routes: Sequence[Route],
    *,
    by: str,
    network: str,
    scenario: str | None = None,
    year: int | None = None,
    month: int | None = None,
    avoid: Sequence[str] = (),
) -> dict[str, Any]:
    """The answer to a route question as ``amur route --json`` and ``GET /api/route`` give it.

    Parameters
    ----------
    routes : sequence of Route
        The routes found, best first (at least one).
    by : str
        The criterion (``generalized``, ``time``, ...), or ``pareto:time,cost``.
    network : str
        The network's name.
    scenario : str, optional
        The scenario asked for, as given.
    year, month : int, optional
        The year and month routed in.
    avoid : sequence of str
        Places the routes were kept from, as ids.

    Returns
    -------
    dict
        ``schema_version``, ``from``, ``to`` (place ids), ``by``, ``network``, ``scenario``,
        ``year``, ``month``, ``avoid`` and ``routes`` (each :meth:`Route.to_dict`).

    Examples
    --------
    >>> import amur
    >>> net = amur.load()
    >>> doc = route_document(amur.route(net, "Harbin", "Suifenhe"), by="generalized",
    ...                      network=net.name)
    >>> (doc["from"], doc["to"], doc["schema_version"])
    ('harbin', 'suifenhe', 2)
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "from": routes[0].origin,
        "to": routes[0].destination,
        "by": by,
        "network": network,
        "scenario": scenario,
        "year": year,
        "month": month,
        "avoid": list(avoid),
        "routes": [r.to_dict() for r in routes],
    }
