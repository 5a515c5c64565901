"""Best routes between two places: by time, cost, CO2 or generalized cost; via places;
alternatives that differ by corridor; decoded leg by leg into physical links and places.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from amur.errors import InputError, NoRouteError
from amur.graph.arrays import GraphArrays, haversine_km
from amur.options import check, check_choice
from amur.paths.itinerary import (
    Route,
    _corridor_nodes,
    _decode,
)
from amur.paths.kernel import no_bounds, search
from amur.paths.tables import RouteTables, route_tables

if TYPE_CHECKING:  # pragma: no cover
    from amur.graph import ExpandedGraph
    from amur.network import Network
    from amur.paths.landmarks import Landmarks

CRITERIA = ("time", "cost", "co2", "generalized", "length")


def route(
    net: Network,
    origin: str,
    destination: str,
    *,
    by: str = "generalized",
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    alternatives: int = 1,
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
    graph: ExpandedGraph | None = None,
) -> list[Route]:
    """The best route between two places, and alternatives by other corridors.

    Parameters
    ----------
    net : Network
        The network (``amur.load("northeast-asia")`` or one read from files).
    origin, destination : str
        Places by id, English name or alias.
    by : {"generalized", "time", "cost", "co2", "length"}
        Criterion to minimise: generalized cost (USD per TEU: money plus the value of time,
        the default, as shippers choose), hours, USD per TEU, kg CO2 per TEU, or km.
    via : sequence of str
        Places the route must pass, in order (to force a corridor).
    avoid : sequence of str
        Places the route may not pass.
    alternatives : int
        Number of routes wanted. The second and later routes each use a corridor (a set of
        border crossings and ports) that no better route uses.
    year, month : int, optional
        Use only the links in service in that year and running in that month.
    modes : frozenset of str, optional
        Modes allowed (every mode but pipeline by default).
    value_usd_per_teu : float, optional
        Value of the cargo for generalized cost, USD per TEU (the network's
        ``shipment_value_usd_per_teu`` parameter, else 50,000).
    time_value_pct_per_day : float, optional
        Cost of a day in transit, % of the cargo's value (the network's
        ``time_value_pct_per_day`` parameter, else 1.0).
    graph : ExpandedGraph, optional
        A graph already expanded from ``net`` (then year, month and modes are ignored).

    Returns
    -------
    list of Route
        Best first, at most ``alternatives`` long.

    Raises
    ------
    UnknownPlaceError
        If a place is not in the network.
    NoRouteError
        If no route joins the places under these constraints.
    InputError
        On an unknown criterion or a number of alternatives below 1.

    Examples
    --------
    >>> import amur
    >>> net = amur.load("northeast-asia")
    >>> best = amur.route(net, "Harbin", "Vladivostok")[0]
    >>> "suifenhe" in best.via
    True
    """
    check_question(by, alternatives, year, month, value_usd_per_teu, time_value_pct_per_day)
    if graph is None:
        from amur.graph import expand

        graph = expand(net, year=year, month=month, modes=modes)
    return route_on(
        route_tables(net),
        graph,
        origin,
        destination,
        by=by,
        via=via,
        avoid=avoid,
        alternatives=alternatives,
        value_usd_per_teu=value_usd_per_teu,
        time_value_pct_per_day=time_value_pct_per_day,
    )


#: The options of a route question that :func:`check_question` checks.
CHECKED = frozenset(
    {"by", "alternatives", "year", "month", "value_usd_per_teu", "time_value_pct_per_day"}
)


def check_question(
    by: str = "generalized",
    alternatives: int = 1,
    year: int | None = None,
    month: int | None = None,
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
) -> None:
    """The options of a route question within their domains (:mod:`amur.options`).

    Raises
    ------
    InputError
        On an unknown criterion or a value out of its domain.
    """
    check_choice("by", by, CRITERIA, what="criterion")
    check("alternatives", alternatives)
    _check_when(year, month)
    if value_usd_per_teu is not None:
        check("value_usd_per_teu", value_usd_per_teu)
    if time_value_pct_per_day is not None:
        check("time_value_pct_per_day", time_value_pct_per_day)


def route_on(
    t: RouteTables,
    g: GraphArrays,
    origin: str,
    destination: str,
    *,
    by: str = "generalized",
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    alternatives: int = 1,
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
) -> list[Route]:
    """The routes of :func:`route` on a graph's arrays, decoded with a network's tables.

    The one route search behind :func:`route` and :func:`amur.paths.quick.route_builtin`;
    the options are checked by :func:`check_question` first.

    Parameters
    ----------
    t : RouteTables
        The network's tables (:func:`~amur.paths.tables.route_tables`).
    g : GraphArrays
        A graph expanded from that network.
    origin, destination, by, via, avoid, alternatives, value_usd_per_teu, time_value_pct_per_day
        As for :func:`route`.

    Returns
    -------
    list of Route
        Best first, at most ``alternatives`` long.
    """
    o = t.places.index[t.places.place(origin)]
    d = t.places.index[t.places.place(destination)]
    stops = [t.places.index[t.places.place(v)] for v in via]
    if o == d:
        raise InputError(
            f"{origin!r} and {destination!r} are the same place; expected two different places",
            field="to",
        )
    value, pct = _value_of_time(t.parameters, value_usd_per_teu, time_value_pct_per_day)
    weight = g.weights(by, value_usd_per_teu=value, time_value_pct_per_day=pct)
    fixed = {o, d, *stops}
    avoided = frozenset(t.places.index[t.places.place(a)] for a in avoid) - fixed
    landmarks = route_landmarks(g, by, value, pct)
    first = _search(g, weight, [o, *stops, d], avoided, landmarks)
    if first is None:
        raise NoRouteError(_no_route_message(t, g, o, d, stops), field="to")
    found = [(first, avoided)]
    routes = [_decode(t, g, first, by, 1, weight)]
    seen = {routes[0].corridor}
    candidates: list[tuple[float, int, tuple[int, ...], frozenset[int]]] = []
    tie = 0
    index = 0
    while len(routes) < alternatives:
        arcs, banned = found[index]
        for node in _corridor_nodes(t, g, arcs):
            if node in fixed or node in banned:
                continue
            more = banned | {node}
            path = _search(g, weight, [o, *stops, d], more, landmarks)
            if path is None:
                continue
            tie += 1
            heapq.heappush(candidates, (float(weight[list(path)].sum()), tie, path, more))
        chosen = None
        while candidates:
            _, _, path, banned_here = heapq.heappop(candidates)
            candidate = _decode(t, g, path, by, len(routes) + 1, weight)
            if candidate.corridor not in seen:
                chosen = (candidate, path, banned_here)
                break
        if chosen is None:
            break
        routes.append(chosen[0])
        seen.add(chosen[0].corridor)
        found.append((chosen[1], chosen[2]))
        index = len(found) - 1
    return routes


def _check_when(year: int | None, month: int | None) -> None:
    """Year and month, where given, within their domains (:mod:`amur.options`)."""
    if year is not None:
        check("year", year)
    if month is not None:
        check("month", month)


def _value_of_time(
    parameters: Mapping[str, float],
    value_usd_per_teu: float | None,
    time_value_pct_per_day: float | None,
) -> tuple[float, float]:
    """Cargo value (USD per TEU) and time value (% per day): given, else the network's."""
    return (
        _param(parameters, "shipment_value_usd_per_teu", value_usd_per_teu, 50_000.0),
        _param(parameters, "time_value_pct_per_day", time_value_pct_per_day, 1.0),
    )


#: Graphs with fewer states are searched by plain Dijkstra: there a query takes
#: microseconds, less than reading landmark rows would save.
LANDMARK_MIN_STATES = 20_000


@lru_cache(maxsize=32)
def route_landmarks(g: GraphArrays, by: str, value: float, pct: float) -> Landmarks | None:
    """The A* landmarks of a graph and criterion, computed once and kept.

    Parameters
    ----------
    g : GraphArrays
    by : str
        Criterion, as for :func:`route`.
    value, pct : float
        Cargo value (USD per TEU) and value of time (% per day) behind the weights.

    Returns
    -------
    Landmarks or None
        None on graphs below ``LANDMARK_MIN_STATES`` states (searched by Dijkstra).
    """
    if g.n_states < LANDMARK_MIN_STATES:
        return None
    from amur.paths.landmarks import select_landmarks

    weight = g.weights(by, value_usd_per_teu=value, time_value_pct_per_day=pct)
    return select_landmarks(g.indptr, g.head, g.tail, weight)


def _param(
    parameters: Mapping[str, float], name: str, given: float | None, default: float
) -> float:
    if given is not None:
        return float(given)
    return float(parameters.get(name, default))


@lru_cache(maxsize=64)
def _arc_great_circle_km(g: ExpandedGraph) -> np.ndarray:
    nodes = g.network.nodes
    lat = nodes["lat"].to_numpy(np.float64)
    lon = nodes["lon"].to_numpy(np.float64)
    tail_node = g.state_node[g.tail]
    head_node = g.state_node[g.head]
    return haversine_km(lat[tail_node], lon[tail_node], lat[head_node], lon[head_node])


def potential_ratio(g: ExpandedGraph, weight: np.ndarray) -> float:
    """The smallest weight per straight-line km over all arcs that move (0 if none)."""
    gc = _arc_great_circle_km(g)
    moving = gc > 1e-9
    if not moving.any():
        return 0.0
    ratio = float(np.min(weight[moving] / gc[moving]))
    return ratio if np.isfinite(ratio) and ratio > 0.0 else 0.0


@lru_cache(maxsize=64)
def _node_coordinates(net: Network) -> tuple[np.ndarray, np.ndarray]:
    return (net.nodes["lat"].to_numpy(np.float64), net.nodes["lon"].to_numpy(np.float64))


@lru_cache(maxsize=32)
def _km_to(net: Network, target_node: int) -> np.ndarray:
    """Great-circle km from every node to one node (cached: targets repeat in batches)."""
    lat, lon = _node_coordinates(net)
    return haversine_km(lat, lon, lat[target_node], lon[target_node])


def astar_potential(
    g: ExpandedGraph, weight: np.ndarray, target_node: int, ratio: float | None = None
) -> np.ndarray:
    """A consistent A* potential toward a place: straight-line km times the smallest
    weight per straight-line km over all arcs (zero where weights allow no bound).

    ``ratio`` may be passed when already known for these weights (see
    :func:`potential_ratio`), which saves a pass over the arcs.
    """
    if ratio is None:
        ratio = potential_ratio(g, weight)
    if ratio <= 0.0:
        return np.zeros(g.n_states)
    km = _km_to(g.network, target_node)
    # Slightly shrink the bound so rounding in weights never makes it inconsistent.
    return np.asarray(km[g.state_node] * (ratio * (1.0 - 1e-9)), dtype=np.float64)


def _search(
    g: GraphArrays,
    weight: np.ndarray,
    stops: list[int],
    banned: frozenset[int],
    landmarks: Landmarks | None = None,
) -> tuple[int, ...] | None:
    """Arcs of the best path through ``stops`` (places, in order) avoiding ``banned`` places.

    Each stage searches until every state of its end place is settled, and the next stage
    starts from every state of that place at its own distance, so the route may arrive in one
    layer and leave in another; a via place's states include those of the services riding
    through it, so a route through a place may stay on board. A stage may not pass the places
    of later stages, and the places the best path to the via passed are closed to later
    stages, so a route forced through a place does not double back on itself. With
    ``landmarks`` the stages are A* searches (the bounds count every cost of the criterion);
    without, Dijkstra.
    """
    n = g.n_states
    blocked = np.zeros(n, np.bool_)
    if banned:
        blocked = np.isin(g.state_node, np.fromiter(banned, np.int64))
    dist = np.empty(n)
    order = np.empty(n, np.int64)
    keys = np.empty(g.n_arcs + n + 1)
    items = np.empty(g.n_arcs + n + 1, np.int64)
    sources = g.states_of(stops[0])
    source_dist = np.zeros(len(sources))
    preds: list[np.ndarray] = []
    target = -1
    for k, stop in enumerate(stops[1:], start=1):
        last = k == len(stops) - 1
        # A via place is passed on board a service too: the route may stay on the train.
        targets = g.states_of(stop) if last else g.states_through(stop)
        if len(targets) == 0 or len(sources) == 0:
            return None
        stage_blocked = blocked
        if not last:
            later = np.array([p for p in stops[k + 1 :] if p != stop], dtype=np.int64)
            stage_blocked = blocked | np.isin(g.state_node, later)
        is_target = np.zeros(n, np.bool_)
        is_target[targets] = True
        bounds = landmarks.bounds(targets) if landmarks is not None else no_bounds(n)
        pred = np.empty(n, np.int64)
        _, target = search(
            g.indptr,
            g.head,
            weight,
            sources,
            source_dist,
            0,
            stage_blocked,
            is_target,
            1 if last else len(targets),
            *bounds,
            dist,
            pred,
            order,
            keys,
            items,
        )
        preds.append(pred)
        if last:
            if target < 0:
                return None
            break
        reached = targets[np.isfinite(dist[targets])]
        if len(reached) == 0:
            return None
        best = int(reached[np.argmin(dist[reached])])
        passed = np.unique(g.state_node[g.tail[_backtrack(g, pred, best)]])
        passed = passed[passed != stop]
        if len(passed):
            blocked = blocked | np.isin(g.state_node, passed)
        sources = reached
        source_dist = dist[reached]
    arcs: list[int] = []
    state = target
    for pred in reversed(preds):
        stage = _backtrack(g, pred, state)
        arcs = stage + arcs
        if stage:
            state = int(g.tail[stage[0]])
    return tuple(arcs)


def _backtrack(g: GraphArrays, pred: np.ndarray, state: int) -> list[int]:
    """Arcs from the search's start to ``state``, in order."""
    arcs: list[int] = []
    while pred[state] >= 0:
        arc = int(pred[state])
        arcs.append(arc)
        state = int(g.tail[arc])
    arcs.reverse()
    return arcs


def _no_route_message(t: RouteTables, g: GraphArrays, o: int, d: int, stops: list[int]) -> str:
    names = [t.places.names[i] for i in (o, d)]
    when = []
    if g.year is not None:
        when.append(f"in {g.year}")
    if g.month is not None:
        when.append(f"in month {g.month}")
    context = f" ({', '.join(when)})" if when else ""
    for node in (o, *stops, d):
        if len(g.states_of(node)) == 0:
            place = t.places.names[node]
            return (
                f"no route from {names[0]} to {names[1]}{context}: no link in service "
                f"reaches {place}"
            )
    return (
        f"no route from {names[0]} to {names[1]}{context}: no chain of links in service "
        "and transfers joins them" + (" through the places asked for" if stops else "")
    )
