"""Routes as the answer gives them: legs with their place, link, service and regime figures
and sources, decoded from a path of arcs of the expanded graph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from amur.graph.arrays import GraphArrays
from amur.graph.kinds import ArcKind
from amur.paths.tables import DECODED_COLUMNS, RouteTables
from amur.paths.tables import ServiceRide as ServiceRide

#: Node kinds that name a corridor when a route passes them.
CORRIDOR_KINDS = frozenset({"border_crossing", "seaport"})


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


def _decode(
    t: RouteTables,
    g: GraphArrays,
    arcs: tuple[int, ...],
    by: str,
    rank: int,
    weight: np.ndarray,
) -> Route:
    ids, node_src, node_ops, node_winter = _columns(
        t, "nodes", ("id", "source_id", "ops_source_id", "winter_source_id")
    )
    winter: np.ndarray | None = None
    l_from, l_to, l_mode, l_id, l_src, l_ops = _columns(
        t, "links", ("from_node", "to_node", "mode", "id", "source_id", "ops_source_id")
    )
    legs: list[Leg] = []
    gauge_changes: list[str] = []
    last_from = ""
    (regime_sources,) = _columns(t, "regimes", ("source_id",))
    for arc in arcs:
        kind = int(g.kind[arc])
        figures = (
            float(g.length_km[arc]),
            float(g.time_h[arc]),
            float(g.cost_usd[arc]),
            float(g.co2_kg[arc]),
        )
        if kind in (ArcKind.BOARD, ArcKind.RIDE, ArcKind.ALIGHT):
            legs.append(_service_leg(t, g, arc, figures))
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
            legs.append(
                Leg(
                    "link",
                    a,
                    b,
                    str(l_mode[row]),
                    gauge,
                    *figures,
                    link_id=str(l_id[row]),
                    source_ids=sources,
                )
            )
            last_from = a
            continue
        node = int(g.node[arc])
        place = str(ids[node])
        sources = _present(node_ops[node], node_src[node])
        if kind == ArcKind.BORDER:
            left = t.places.index.get(last_from, node)
            sides = ((left, int(g.regime_from[arc])), (node, int(g.regime_to[arc])))
            sources = _present(*(regime_sources[r] if r >= 0 else node_ops[n] for n, r in sides))
            legs.append(
                Leg(
                    "border",
                    last_from or place,
                    place,
                    "border",
                    "",
                    *figures,
                    source_ids=sources,
                    time_h_low=low,
                    time_h_high=high,
                )
            )
            continue
        if int(g.regime_from[arc]) >= 0:
            sources = _present(regime_sources[int(g.regime_from[arc])], node_src[node])
        before = g.layers[int(g.state_layer[g.tail[arc]])]
        after = g.layers[int(g.state_layer[g.head[arc]])]
        if kind == ArcKind.GAUGE_CHANGE:
            gauge_changes.append(place)
            label = f"{before.split(':')[1]}>{after.split(':')[1]}"
            legs.append(
                Leg(
                    "gauge_change",
                    place,
                    place,
                    "transfer",
                    label,
                    *figures,
                    source_ids=sources,
                    time_h_low=low,
                    time_h_high=high,
                )
            )
        else:
            if winter is None:
                winter = t.winter_time(g.month)
            extra = float(winter[node])
            if extra > 0:
                sources = (*sources, *_present(node_winter[node]))
            legs.append(
                Leg(
                    "handling",
                    place,
                    place,
                    "transfer",
                    "",
                    *figures,
                    link_id=f"{before}>{after}",
                    source_ids=sources,
                    winter_time_h=extra,
                    time_h_low=low,
                    time_h_high=high,
                )
            )
    origin = str(ids[int(g.state_node[g.tail[arcs[0]]])]) if arcs else ""
    destination = str(ids[int(g.state_node[g.head[arcs[-1]]])]) if arcs else ""
    via = [str(ids[n]) for n in _corridor_nodes(t, g, arcs)]
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


def _service_leg(
    t: RouteTables, g: GraphArrays, arc: int, figures: tuple[float, float, float, float]
) -> Leg:
    """The leg of a board, ride or alight arc, naming its service."""
    row = int(g.service[arc])
    ride = t.rides[row]
    sources = _columns(t, "services", DECODED_COLUMNS["services"])
    kind = int(g.kind[arc])
    if kind == ArcKind.RIDE:
        link = int(g.link[arc])
        l_from, l_to, l_mode, l_id, l_src = _columns(
            t, "links", ("from_node", "to_node", "mode", "id", "source_id")
        )
        a, b = str(l_from[link]), str(l_to[link])
        if not g.forward[arc]:
            a, b = b, a
        ids = _present(
            sources[0][row], sources[2][row], sources[3][row], sources[4][row], l_src[link]
        )
        return Leg(
            "link",
            a,
            b,
            str(l_mode[link]),
            "",
            *figures,
            link_id=str(l_id[link]),
            source_ids=ids,
            services=(ride,),
        )
    (ids_col, node_ops) = _columns(t, "nodes", ("id", "ops_source_id"))
    place = str(ids_col[int(g.node[arc])])
    if kind == ArcKind.BOARD:
        ids = _present(sources[1][row], node_ops[int(g.node[arc])])
        return Leg(
            "board", place, place, "transfer", "", *figures, source_ids=ids, services=(ride,)
        )
    ids = _present(node_ops[int(g.node[arc])])
    return Leg("alight", place, place, "transfer", "", *figures, source_ids=ids, services=(ride,))


def _columns(t: RouteTables, table: str, names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Columns of a network table as object arrays."""
    return tuple(t.column(table, name) for name in names)


def _present(*values: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def _corridor_nodes(t: RouteTables, g: GraphArrays, arcs: tuple[int, ...]) -> list[int]:
    (kinds,) = _columns(t, "nodes", ("kind",))
    out: list[int] = []
    for arc in arcs:
        for state in (g.tail[arc], g.head[arc]):
            node = int(g.state_node[state])
            if kinds[node] in CORRIDOR_KINDS and node not in out:
                out.append(node)
    return out
