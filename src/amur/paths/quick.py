"""Route questions on a built-in network answered from the cache on disk, without pandas.

A route question reads little of its network: the place index, a few columns to decode the
legs, and one expanded graph's arrays (:class:`~amur.paths.tables.RouteBundle`). For a
built-in dataset these are kept in the cache folder (:mod:`amur.graph.store`) under the
dataset's key and the year, month and modes asked for, so that ``amur route`` on a warm
cache loads neither pandas nor the network's tables. The question itself is answered by the
same code as :func:`amur.paths.route` (:func:`~amur.paths.route.route_on`); on a cold cache
the network is loaded and expanded as usual and the bundle written for next time.
"""

from __future__ import annotations

from typing import Any

from amur.graph import store
from amur.network.schema import Mode
from amur.paths.itinerary import Route
from amur.paths.route import CHECKED, check_question, route_on
from amur.paths.tables import RouteBundle, RouteTables, route_tables

__all__ = ["bundle_name", "read_bundle", "route_builtin"]


def bundle_name(key: str, year: int | None, month: int | None, modes: frozenset[str]) -> str:
    """File name of a route bundle in the cache folder (pruned with its network's key)."""
    return f"route-{key}-{year}-{month}-{'+'.join(sorted(modes))}.pickle"


def read_bundle(
    dataset: str, year: int | None, month: int | None, modes: frozenset[str]
) -> RouteBundle | None:
    """The route bundle of a built-in dataset kept on disk, or ``None`` if there is none
    (or the cache is off, or the file is stale or damaged).
    """
    from amur.data import builtin_key

    if store.cache_dir() is None:
        return None
    return store.read(bundle_name(builtin_key(dataset), year, month, modes), RouteBundle)


def _bundle(
    dataset: str, year: int | None, month: int | None, modes: frozenset[str]
) -> RouteBundle:
    """The route bundle from disk, else built from the loaded network and kept."""
    found = read_bundle(dataset, year, month, modes)
    if found is not None:
        return found
    from amur.data import load
    from amur.graph import expand

    net = load(dataset)
    built = RouteBundle(route_tables(net), expand(net, year, month, modes).arrays())
    key = store.key_of(net)
    if key is not None:
        store.write(bundle_name(key, year, month, modes), built)
    return built


def route_builtin(
    dataset: str,
    origin: str,
    destination: str,
    *,
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
    **question: Any,
) -> tuple[list[Route], RouteTables]:
    """:func:`amur.route` on a built-in dataset by name, from the cache on disk when it
    holds the graph asked for.

    Parameters
    ----------
    dataset : str
        A built-in dataset's name (``"northeast-asia"``).
    origin, destination, year, month, modes
        As for :func:`amur.route`.
    **question
        The question's other keywords (``by``, ``via``, ``avoid``, ``alternatives``,
        ``value_usd_per_teu``, ``time_value_pct_per_day``), as for :func:`amur.route`.

    Returns
    -------
    routes : list of Route
        The routes :func:`amur.route` gives on the loaded network.
    tables : RouteTables
        The network's place index and name, to name the places of the answer.

    Raises
    ------
    InputError, UnknownPlaceError, NoRouteError
        As :func:`amur.route`; an unknown dataset is an InputError.
    """
    check_question(year=year, month=month, **{k: question[k] for k in question.keys() & CHECKED})
    if modes is None:  # the default of amur.graph.expand
        modes = frozenset(m.value for m in Mode) - {Mode.PIPELINE.value}
    bundle = _bundle(dataset, year, month, frozenset(modes))
    routes = route_on(bundle.tables, bundle.graph, origin, destination, **question)
    return routes, bundle.tables
