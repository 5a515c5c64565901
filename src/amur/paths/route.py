"""Best routes between two places: by time, cost, CO2 or generalized cost; via places;
alternatives that differ by corridor; decoded leg by leg into physical links and places."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from amur.errors import InputError, NoRouteError
from amur.graph import ArcKind, ExpandedGraph, expand, haversine_km
from amur.network import Network
from amur.options import check, check_choice
from amur.paths.kernel import no_bounds, search
from amur.paths.landmarks import Landmarks, select_landmarks

CRITERIA = ("time", "cost", "co2", "generalized", "length")
#: Node kinds that name a corridor when a route passes them.
CORRIDOR_KINDS = frozenset({"border_crossing", "seaport"})


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


@dataclass(frozen=True)
class Leg:
    """One step of a route: a physical link, or a transfer or border at a place.

    Attributes
    ----------
    kind : str
        ``"link"``, ``"gauge_change"``, ``"handling"`` (a change of mode), ``"border"``,
        ``"board"`` (boarding a scheduled service: the wait and handling) or ``"alight"``.
    from_node, to_node : str
        Place ids (the same place for a transfer).
    mode : str
        The link's mode, or ``"transfer"`` / ``"border"``.
    gauge : str
        Gauge ridden on a rail link (``"1435"``), ``"1435>1520"`` for a gauge change, else "".
    length_km, time_h, cost_usd_per_teu, co2_kg_per_teu : float
        Figures of this step, per TEU.
    link_id : str
        Physical link id, "" for transfers and borders.
    source_ids : tuple of str
        Sources of this step's figures.
    winter_time_h : float
        Of ``time_h``, the hours a change of mode takes on top in the month asked for, from
        the place's winter regime (sea ice at a port); 0 otherwise.
    time_h_low, time_h_high : float
        Shortest and longest usual hours of this step (a border, gauge-change or port
        regime's dwell range); equal to ``time_h`` where the data give no range.
    services : tuple of ServiceRide
        The scheduled service a link leg rides, or a board or alight leg boards or leaves;
        empty for a link ridden at the infrastructure's own (wagonload) figures.
    """

    kind: str
    from_node: str
    to_node: str
    mode: str
    gauge: str
    length_km: float
    time_h: float
    cost_usd_per_teu: float
    co2_kg_per_teu: float
    link_id: str = ""
    source_ids: tuple[str, ...] = ()
    winter_time_h: float = 0.0
    time_h_low: float = float("nan")
    time_h_high: float = float("nan")

    services: tuple[ServiceRide, ...] = ()

    def __post_init__(self) -> None:
        if self.time_h_low != self.time_h_low:  # NaN: no range given
            object.__setattr__(self, "time_h_low", self.time_h)
        if self.time_h_high != self.time_h_high:
            object.__setattr__(self, "time_h_high", self.time_h)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``from``/``to`` keys, as in ``amur route --json``)."""
        out = asdict(self)
        out["from"] = out.pop("from_node")
        out["to"] = out.pop("to_node")
        out["source_ids"] = list(self.source_ids)
        out["services"] = [asdict(s) for s in self.services]
        return out


@dataclass(frozen=True)
class Route:
    """A route between two places, with its totals and its legs.

    Attributes
    ----------
    origin, destination : str
        Place ids.
    by : str
        Criterion it is best (or ranked) by.
    rank : int
        1 for the best route, 2 for the first alternative, ...
    length_km, time_h, cost_usd_per_teu, co2_kg_per_teu : float
        Totals per TEU; ``time_h`` is the typical time the route was found on.
    via : tuple of str
        Border crossings and ports passed, in order (the route's corridor).
    gauge_changes : tuple of str
        Places where the route changes gauge.
    legs : tuple of Leg
        Every link, transfer and border, in order.
    score : float
        Value of the criterion ``by`` (generalized cost in USD per TEU, hours, ...).
    arcs : tuple of int
        Arcs of the expanded graph (for internal use).
    time_h_low, time_h_high : float
        The legs' shortest and longest usual hours, summed: the range of ``time_h``.
    """

    origin: str
    destination: str
    by: str
    rank: int
    length_km: float
    time_h: float
    cost_usd_per_teu: float
    co2_kg_per_teu: float
    via: tuple[str, ...]
    gauge_changes: tuple[str, ...]
    legs: tuple[Leg, ...]
    score: float = 0.0
    arcs: tuple[int, ...] = field(repr=False, default=())
    time_h_low: float = float("nan")
    time_h_high: float = float("nan")

    def __post_init__(self) -> None:
        if self.time_h_low != self.time_h_low:  # NaN: no range given
            object.__setattr__(self, "time_h_low", self.time_h)
        if self.time_h_high != self.time_h_high:
            object.__setattr__(self, "time_h_high", self.time_h)

    @property
    def time_days(self) -> float:
        """Total time in days."""
        return self.time_h / 24.0

    @property
    def time_days_range(self) -> tuple[float, float]:
        """Shortest and longest usual total time, days."""
        return self.time_h_low / 24.0, self.time_h_high / 24.0

    @property
    def corridor(self) -> frozenset[str]:
        """The set of crossings and ports that identifies the route's corridor."""
        return frozenset(self.via)

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source the route's figures rest on, sorted."""
        return tuple(sorted({s for leg in self.legs for s in leg.source_ids}))

    @property
    def services(self) -> tuple[ServiceRide, ...]:
        """The scheduled services the route rides, in order."""
        out: dict[str, ServiceRide] = {}
        for leg in self.legs:
            for ride in leg.services:
                out.setdefault(ride.id, ride)
        return tuple(out.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON form, the schema of ``amur route --json``."""
        return {
            "rank": self.rank,
            "length_km": round(self.length_km, 3),
            "time_h": round(self.time_h, 3),
            "time_h_low": round(self.time_h_low, 3),
            "time_h_high": round(self.time_h_high, 3),
            "time_days": round(self.time_days, 3),
            "cost_usd_per_teu": round(self.cost_usd_per_teu, 2),
            "co2_kg_per_teu": round(self.co2_kg_per_teu, 3),
            "score": round(self.score, 3),
            "via": list(self.via),
            "gauge_changes": list(self.gauge_changes),
            "services": [asdict(s) for s in self.services],
            "legs": [leg.to_dict() for leg in self.legs],
            "source_ids": list(self.source_ids),
        }


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
    check_choice("by", by, CRITERIA, what="criterion")
    check("alternatives", alternatives)
    _check_when(year, month)
    if value_usd_per_teu is not None:
        check("value_usd_per_teu", value_usd_per_teu)
    if time_value_pct_per_day is not None:
        check("time_value_pct_per_day", time_value_pct_per_day)
    g = graph if graph is not None else expand(net, year=year, month=month, modes=modes)
    o = net.node_index[net.place(origin)]
    d = net.node_index[net.place(destination)]
    stops = [net.node_index[net.place(v)] for v in via]
    if o == d:
        raise InputError(f"{origin!r} and {destination!r} are the same place; expected two "
                         "different places", field="to")
    value, pct = _value_of_time(net, value_usd_per_teu, time_value_pct_per_day)
    weight = g.weights(by, value_usd_per_teu=value, time_value_pct_per_day=pct)
    fixed = {o, d, *stops}
    avoided = frozenset(net.node_index[net.place(a)] for a in avoid) - fixed
    landmarks = route_landmarks(g, by, value, pct)
    first = _search(g, weight, [o, *stops, d], avoided, landmarks)
    if first is None:
        raise NoRouteError(_no_route_message(g, o, d, stops), field="to")
    found = [(first, avoided)]
    routes = [_decode(g, first, by, 1, weight)]
    seen = {routes[0].corridor}
    candidates: list[tuple[float, int, tuple[int, ...], frozenset[int]]] = []
    tie = 0
    index = 0
    while len(routes) < alternatives:
        arcs, banned = found[index]
        for node in _corridor_nodes(g, arcs):
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
            candidate = _decode(g, path, by, len(routes) + 1, weight)
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
    net: Network, value_usd_per_teu: float | None, time_value_pct_per_day: float | None
) -> tuple[float, float]:
    """Cargo value (USD per TEU) and time value (% per day): given, else the network's."""
    return (
        _param(net, "shipment_value_usd_per_teu", value_usd_per_teu, 50_000.0),
        _param(net, "time_value_pct_per_day", time_value_pct_per_day, 1.0),
    )


#: Graphs with fewer states are searched by plain Dijkstra: there a query takes
#: microseconds, less than reading landmark rows would save.
LANDMARK_MIN_STATES = 20_000


@lru_cache(maxsize=32)
def route_landmarks(g: ExpandedGraph, by: str, value: float, pct: float) -> Landmarks | None:
    """The A* landmarks of a graph and criterion, computed once and kept.

    Parameters
    ----------
    g : ExpandedGraph
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
    weight = g.weights(by, value_usd_per_teu=value, time_value_pct_per_day=pct)
    return select_landmarks(g.indptr, g.head, g.tail, weight)


def _param(net: Network, name: str, given: float | None, default: float) -> float:
    if given is not None:
        return float(given)
    return float(net.parameters.get(name, default))


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
    g: ExpandedGraph,
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
            later = np.array([p for p in stops[k + 1:] if p != stop], dtype=np.int64)
            stage_blocked = blocked | np.isin(g.state_node, later)
        is_target = np.zeros(n, np.bool_)
        is_target[targets] = True
        bounds = landmarks.bounds(targets) if landmarks is not None else no_bounds(n)
        pred = np.empty(n, np.int64)
        _, target = search(g.indptr, g.head, weight, sources, source_dist, 0, stage_blocked,
                           is_target, 1 if last else len(targets), *bounds, dist, pred, order,
                           keys, items)
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


def _backtrack(g: ExpandedGraph, pred: np.ndarray, state: int) -> list[int]:
    """Arcs from the search's start to ``state``, in order."""
    arcs: list[int] = []
    while pred[state] >= 0:
        arc = int(pred[state])
        arcs.append(arc)
        state = int(g.tail[arc])
    arcs.reverse()
    return arcs


def _corridor_nodes(g: ExpandedGraph, arcs: tuple[int, ...]) -> list[int]:
    (kinds,) = _columns(g.network, "nodes", ("kind",))
    out: list[int] = []
    for arc in arcs:
        for state in (g.tail[arc], g.head[arc]):
            node = int(g.state_node[state])
            if kinds[node] in CORRIDOR_KINDS and node not in out:
                out.append(node)
    return out


def _decode(
    g: ExpandedGraph, arcs: tuple[int, ...], by: str, rank: int, weight: np.ndarray
) -> Route:
    net = g.network
    ids, node_src, node_ops, node_winter = _columns(
        net, "nodes", ("id", "source_id", "ops_source_id", "winter_source_id"))
    winter: np.ndarray | None = None
    l_from, l_to, l_mode, l_id, l_src, l_ops = _columns(
        net, "links", ("from_node", "to_node", "mode", "id", "source_id", "ops_source_id"))
    legs: list[Leg] = []
    gauge_changes: list[str] = []
    last_from = ""
    (regime_sources,) = _columns(net, "regimes", ("source_id",))
    for arc in arcs:
        kind = int(g.kind[arc])
        figures = (float(g.length_km[arc]), float(g.time_h[arc]), float(g.cost_usd[arc]),
                   float(g.co2_kg[arc]))
        if kind in (ArcKind.BOARD, ArcKind.RIDE, ArcKind.ALIGHT):
            legs.append(_service_leg(g, arc, figures))
            if kind == ArcKind.RIDE:
                last_from = legs[-1].from_node
            continue
        low, high = float(g.time_h_low[arc]), float(g.time_h_high[arc])
        if kind == ArcKind.LINK:
            row = int(g.link[arc])
            a, b = str(l_from[row]), str(l_to[row])
            if not g.forward[arc]:
                a, b = b, a
            layer = g.layers[int(g.state_layer[g.tail[arc]])]
            gauge = layer.split(":", 1)[1] if layer.startswith("rail:") else ""
            sources = _present(l_src[row], l_ops[row])
            legs.append(Leg("link", a, b, str(l_mode[row]), gauge, *figures,
                            link_id=str(l_id[row]), source_ids=sources))
            last_from = a
            continue
        node = int(g.node[arc])
        place = str(ids[node])
        sources = _present(node_ops[node], node_src[node])
        if kind == ArcKind.BORDER:
            left = net.node_index.get(last_from, node)
            sides = ((left, int(g.regime_from[arc])), (node, int(g.regime_to[arc])))
            sources = _present(*(regime_sources[r] if r >= 0 else node_ops[n]
                                 for n, r in sides))
            legs.append(Leg("border", last_from or place, place, "border", "", *figures,
                            source_ids=sources, time_h_low=low, time_h_high=high))
            continue
        if int(g.regime_from[arc]) >= 0:
            sources = _present(regime_sources[int(g.regime_from[arc])], node_src[node])
        before = g.layers[int(g.state_layer[g.tail[arc]])]
        after = g.layers[int(g.state_layer[g.head[arc]])]
        if kind == ArcKind.GAUGE_CHANGE:
            gauge_changes.append(place)
            label = f"{before.split(':')[1]}>{after.split(':')[1]}"
            legs.append(Leg("gauge_change", place, place, "transfer", label, *figures,
                            source_ids=sources, time_h_low=low, time_h_high=high))
        else:
            if winter is None:
                winter = net.winter_time(g.month)
            extra = float(winter[node])
            if extra > 0:
                sources = (*sources, *_present(node_winter[node]))
            legs.append(Leg("handling", place, place, "transfer", "", *figures,
                            link_id=f"{before}>{after}", source_ids=sources,
                            winter_time_h=extra, time_h_low=low, time_h_high=high))
    origin = str(ids[int(g.state_node[g.tail[arcs[0]]])]) if arcs else ""
    destination = str(ids[int(g.state_node[g.head[arcs[-1]]])]) if arcs else ""
    via = [str(ids[n]) for n in _corridor_nodes(g, arcs)]
    via = [v for v in via if v not in (origin, destination)]
    index = list(arcs)
    return Route(
        origin=origin,
        destination=destination,
        by=by,
        rank=rank,
        length_km=float(g.length_km[index].sum()),
        time_h=float(g.time_h[index].sum()),
        cost_usd_per_teu=float(g.cost_usd[index].sum()),
        co2_kg_per_teu=float(g.co2_kg[index].sum()),
        via=tuple(via),
        gauge_changes=tuple(gauge_changes),
        legs=tuple(legs),
        score=float(weight[index].sum()),
        arcs=tuple(arcs),
        time_h_low=float(g.time_h_low[index].sum()),
        time_h_high=float(g.time_h_high[index].sum()),
    )


def _service_leg(g: ExpandedGraph, arc: int, figures: tuple[float, float, float, float]
                 ) -> Leg:
    """The leg of a board, ride or alight arc, naming its service."""
    from amur.network.services import SERVICE_SOURCE_COLUMNS

    net = g.network
    row = int(g.service[arc])
    ride = _service_rides(net)[row]
    sources = _columns(net, "services", SERVICE_SOURCE_COLUMNS)
    kind = int(g.kind[arc])
    if kind == ArcKind.RIDE:
        link = int(g.link[arc])
        l_from, l_to, l_mode, l_id, l_src = _columns(
            net, "links", ("from_node", "to_node", "mode", "id", "source_id"))
        a, b = str(l_from[link]), str(l_to[link])
        if not g.forward[arc]:
            a, b = b, a
        ids = _present(sources[0][row], sources[2][row], sources[3][row], sources[4][row],
                       l_src[link])
        return Leg("link", a, b, str(l_mode[link]), "", *figures, link_id=str(l_id[link]),
                   source_ids=ids, services=(ride,))
    (ids_col, node_ops) = _columns(net, "nodes", ("id", "ops_source_id"))
    place = str(ids_col[int(g.node[arc])])
    if kind == ArcKind.BOARD:
        ids = _present(sources[1][row], node_ops[int(g.node[arc])])
        return Leg("board", place, place, "transfer", "", *figures, source_ids=ids,
                   services=(ride,))
    ids = _present(node_ops[int(g.node[arc])])
    return Leg("alight", place, place, "transfer", "", *figures, source_ids=ids,
               services=(ride,))


@lru_cache(maxsize=64)
def _service_rides(net: Network) -> tuple[ServiceRide, ...]:
    from amur.network.services import service_wait_h

    services = net.services
    waits = service_wait_h(services)
    return tuple(ServiceRide(str(rec["id"]), str(rec["name"]),
                             str(rec["operator"]) if isinstance(rec["operator"], str) else "",
                             float(rec["departures_per_week"]), round(float(wait), 3))
                 for rec, wait in zip(services.to_dict("records"), waits, strict=True))


@lru_cache(maxsize=256)
def _columns(net: Network, table: str, names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Columns of a network table as object arrays, read once per network."""
    frame = getattr(net, table)
    return tuple(frame[name].to_numpy(dtype=object) for name in names)


def _present(*values: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def _no_route_message(g: ExpandedGraph, o: int, d: int, stops: list[int]) -> str:
    net = g.network
    names = [net.place_name(str(net.nodes["id"].iat[i])) for i in (o, d)]
    when = []
    if g.year is not None:
        when.append(f"in {g.year}")
    if g.month is not None:
        when.append(f"in month {g.month}")
    context = f" ({', '.join(when)})" if when else ""
    for node in (o, *stops, d):
        if len(g.states_of(node)) == 0:
            place = net.place_name(str(net.nodes["id"].iat[node]))
            return (f"no route from {names[0]} to {names[1]}{context}: no link in service "
                    f"reaches {place}")
    return (f"no route from {names[0]} to {names[1]}{context}: no chain of links in service "
            "and transfers joins them" + (" through the places asked for" if stops else ""))
