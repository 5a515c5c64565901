"""Expand a physical network into a state graph of (place, layer) pairs, stored as CSR arrays.

A *layer* is a mode, and for rail a gauge: ``rail:1435``, ``rail:1520``, ``road``, ``sea``,
``pipeline``. A *state* is a place in a layer. Arcs are of four kinds:

- link arcs, one per direction of a physical link and per gauge it carries (a dual-gauge
  track is in both rail layers);
- gauge-change arcs between rail layers, only at places with gauge-change figures;
- handling arcs between modes (rail-sea at ports, road-rail at terminals), only at places
  with handling figures; in a month of a place's winter regime (sea ice at a port) they
  take its winter time on top;
- border arcs, after a link whose ends lie in two countries: the link leads to an
  intermediate state, and the border arc (dwell and fees of both sides) leads on; none
  where the network's parameters say the border is open (``open_border:BY-RU``) or both
  countries belong to one customs union (``customs_union:EU``) in the year asked for;
- service arcs (:mod:`amur.graph.services`): boarding a scheduled service at a calling
  place (the wait for a departure), riding it link by link at its own time and price, and
  alighting.

Border, gauge-change and handling figures come from the network's regimes table, by place,
mode and direction, where a row applies (:func:`amur.network.regimes.regime_figures`), and
from the node's own columns otherwise. A regime gives a dwell range: every arc carries a
low, a typical and a high time (the same three for links); routes are found on the typical
time and the ranges are summed along them.

So a rail route can change gauge only through a gauge-change arc, and every result can be
decoded back to physical links and named places.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from amur.graph import store
from amur.graph.arrays import EARTH_RADIUS_KM as EARTH_RADIUS_KM
from amur.graph.arrays import GraphArrays
from amur.graph.arrays import haversine_km as haversine_km
from amur.graph.kinds import ArcKind as ArcKind
from amur.network.schema import DUAL_GAUGES, ROAD_LIKE_MODES, Mode

if TYPE_CHECKING:  # pragma: no cover
    from amur.graph.services import ServiceArcs
    from amur.network import Network

#: Average loaded tonnes per TEU when a network gives none (``t_per_teu`` in its
#: parameters.csv overrides it). 10 t is the GLEC Framework's default load for an average
#: container; the built-in dataset states its own value and source.
DEFAULT_T_PER_TEU = 10.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False, kw_only=True)
class ExpandedGraph(GraphArrays):
    """The immutable array view of a network that the routing kernels work on: the arrays
    of :class:`~amur.graph.arrays.GraphArrays` (their attributes are documented there) and
    the network they were built from.

    Attributes
    ----------
    network : Network
        The physical network this view was built from.
    """

    network: Network

    def arrays(self) -> GraphArrays:
        """The arrays alone, shared (not copied), without the network."""
        return GraphArrays(**{f.name: getattr(self, f.name) for f in fields(GraphArrays)})


#: The arc arrays of a graph being built, unsorted, by :class:`ExpandedGraph` field name.
_Arcs = dict[str, np.ndarray]


def _link_layers(modes: np.ndarray, gauges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Layer name of each (link, gauge) pair; dual-gauge links appear once per gauge."""
    rows: list[np.ndarray] = []
    names: list[np.ndarray] = []
    is_rail = modes == Mode.RAIL.value
    road_like = np.isin(modes, list(ROAD_LIKE_MODES))
    other = ~is_rail & ~road_like
    index = np.arange(len(modes))
    single_rail = is_rail & (gauges != "dual")
    rows.append(index[single_rail])
    names.append(np.char.add("rail:", gauges[single_rail].astype(str)))
    dual = is_rail & (gauges == "dual")
    for gauge in DUAL_GAUGES:
        rows.append(index[dual])
        names.append(np.full(int(dual.sum()), f"rail:{gauge}", dtype=object))
    rows.append(index[road_like])
    names.append(np.full(int(road_like.sum()), "road", dtype=object))
    rows.append(index[other])
    names.append(modes[other].astype(object))
    return np.concatenate(rows), np.concatenate([n.astype(object) for n in names])


def expand(
    net: Network,
    year: int | None = None,
    month: int | None = None,
    modes: frozenset[str] | None = None,
) -> ExpandedGraph:
    """Build (or fetch from the cache) the expanded graph of a network.

    Parameters
    ----------
    net : Network
        The physical network; it is not modified.
    year : int, optional
        Only links in service in this year (see :meth:`Network.in_service`).
    month : int, optional
        Only links that run in this month (1-12).
    modes : frozenset of str, optional
        Modes freight may use. By default every mode but ``pipeline`` (containers).

    Returns
    -------
    ExpandedGraph
    """
    if modes is None:
        modes = frozenset(m.value for m in Mode) - {Mode.PIPELINE.value}
    return _expand_cached(net, year, month, modes)


@lru_cache(maxsize=64)
def _expand_cached(
    net: Network, year: int | None, month: int | None, modes: frozenset[str]
) -> ExpandedGraph:
    key = store.key_of(net)
    if key is None:
        return _build(net, year, month, modes)
    name = f"graph-{key}-{year}-{month}-{'+'.join(sorted(modes))}.pickle"
    found = store.read(name, ExpandedGraph, network=net)
    if found is not None and found.network is net:
        return found
    graph = _build(net, year, month, modes)
    store.write(name, graph, network=net)
    return graph


def _build(
    net: Network, year: int | None, month: int | None, modes: frozenset[str]
) -> ExpandedGraph:
    from amur.graph.services import service_arcs
    from amur.graph.transfers import _border_figures, _transfers

    nodes, links = net.nodes, net.links
    n_nodes = len(nodes)
    t_per_teu = float(net.parameters.get("t_per_teu", DEFAULT_T_PER_TEU))
    active = net.in_service(year, month) & links["mode"].isin(sorted(modes)).to_numpy()
    link_rows = np.flatnonzero(active)
    node_pos = net.node_index
    src_all = links["from_node"].map(node_pos).to_numpy(dtype=np.int64)
    dst_all = links["to_node"].map(node_pos).to_numpy(dtype=np.int64)

    mode_arr = links["mode"].to_numpy(dtype=object)[link_rows].astype(str)
    gauge_arr = links["gauge"].fillna("").to_numpy(dtype=object)[link_rows].astype(str)
    sel, layer_names = _link_layers(mode_arr, gauge_arr)
    rows = link_rows[sel]
    layers, layer_of = np.unique(layer_names.astype(str), return_inverse=True)
    n_layers = len(layers)

    # Directed link copies: forward always, backward where bidirectional.
    bidir = links["bidirectional"].to_numpy(dtype=bool)[rows]
    d_rows = np.concatenate([rows, rows[bidir]])
    d_fwd = np.concatenate([np.ones(len(rows), bool), np.zeros(int(bidir.sum()), bool)])
    d_layer = np.concatenate([layer_of, layer_of[bidir]]).astype(np.int64)
    d_from = np.where(d_fwd, src_all[d_rows], dst_all[d_rows])
    d_to = np.where(d_fwd, dst_all[d_rows], src_all[d_rows])

    # States: every (node, layer) pair a link touches.
    keys = np.concatenate([d_from * n_layers + d_layer, d_to * n_layers + d_layer])
    state_keys = np.unique(keys)
    n_place_states = len(state_keys)
    tail_state = np.searchsorted(state_keys, d_from * n_layers + d_layer)
    head_state = np.searchsorted(state_keys, d_to * n_layers + d_layer)
    state_node = state_keys // n_layers
    state_layer = state_keys % n_layers

    # Link figures, per TEU.
    length = links["length_km"].to_numpy(dtype=np.float64)[d_rows]
    speed = links["speed_kmh"].to_numpy(dtype=np.float64)[d_rows]
    fixed = links["time_h"].to_numpy(dtype=np.float64)[d_rows]
    link_time = np.where(np.isnan(fixed), length / speed, fixed)
    link_cost = np.nan_to_num(links["cost_usd_per_teu_km"].to_numpy(np.float64)[d_rows]) * length
    link_co2 = (
        np.nan_to_num(links["co2_kg_per_tkm"].to_numpy(np.float64)[d_rows]) * length * t_per_teu
    )

    # Border crossings: a link between two countries leads to an intermediate state.
    country = nodes["country"].to_numpy(dtype=object)
    cross = country[d_from] != country[d_to]
    cross &= ~net.open_border_mask(country[d_from], country[d_to], year)
    n_cross = int(cross.sum())
    border_state = n_place_states + np.arange(n_cross)
    link_head = head_state.copy()
    link_head[cross] = border_state
    cross_from, cross_to = d_from[cross], d_to[cross]
    border = _border_figures(
        net, cross_from, cross_to, links["mode"].to_numpy(dtype=object)[d_rows[cross]].astype(str)
    )

    # Transfers between the layers present at one node.
    transfers = _transfers(net, state_node, state_layer, layers, month)
    t_tail, t_head, t_kind = transfers.tail, transfers.head, transfers.kind

    n_link = len(d_rows)
    n_other = n_cross + len(t_tail)
    none = np.full(n_link, -1, np.int64)
    arcs: _Arcs = dict(
        tail=np.concatenate([tail_state, border_state, t_tail]),
        head=np.concatenate([link_head, head_state[cross], t_head]),
        kind=np.concatenate(
            [
                np.full(n_link, ArcKind.LINK, np.int8),
                np.full(n_cross, ArcKind.BORDER, np.int8),
                t_kind.astype(np.int8),
            ]
        ),
        link=np.concatenate([d_rows, np.full(n_other, -1)]).astype(np.int64),
        forward=np.concatenate([d_fwd, np.zeros(n_other, bool)]),
        node=np.concatenate([none, cross_to, state_node[t_tail]]).astype(np.int64),
        time_h=np.concatenate([link_time, border.time_h, transfers.time_h]),
        cost_usd=np.concatenate([link_cost, border.cost_usd, transfers.cost_usd]),
        co2_kg=np.concatenate([link_co2, np.zeros(n_other)]),
        length_km=np.concatenate([length, np.zeros(n_other)]),
        time_h_low=np.concatenate([link_time, border.time_h_low, transfers.time_h_low]),
        time_h_high=np.concatenate([link_time, border.time_h_high, transfers.time_h_high]),
        regime_from=np.concatenate([none, border.regime_from, transfers.regime_from]),
        regime_to=np.concatenate([none, border.regime_to, np.full(len(t_tail), -1, np.int64)]),
        service=np.full(n_link + n_other, -1, np.int64),
    )

    all_state_node = np.concatenate([state_node, cross_to]).astype(np.int64)
    all_state_layer = np.concatenate([state_layer, np.full(n_cross, -1)]).astype(np.int64)
    layer_mode = np.array([name.split(":", 1)[0] for name in layers.astype(str)], dtype=object)
    svc = service_arcs(
        net, year, month, modes, state_node, len(all_state_node), t_per_teu, layer_mode[state_layer]
    )
    if len(svc.tail):
        arcs, all_state_node, all_state_layer, layers = _with_services(
            svc, arcs, all_state_node, all_state_layer, layers, net.services["id"].tolist()
        )
    n_states = len(all_state_node)

    order = np.argsort(arcs["tail"], kind="stable")
    indptr = np.zeros(n_states + 1, np.int64)
    np.cumsum(np.bincount(arcs["tail"], minlength=n_states), out=indptr[1:])
    place_order = np.argsort(state_node, kind="stable")
    node_indptr = np.zeros(n_nodes + 1, np.int64)
    np.cumsum(np.bincount(state_node, minlength=n_nodes), out=node_indptr[1:])

    def frozen(a: np.ndarray) -> np.ndarray:
        a = np.ascontiguousarray(a)
        a.setflags(write=False)
        return a

    return ExpandedGraph(
        network=net,
        layers=tuple(str(x) for x in layers),
        state_node=frozen(all_state_node),
        state_layer=frozen(all_state_layer),
        indptr=frozen(indptr),
        tail=frozen(arcs["tail"][order].astype(np.int64)),
        head=frozen(arcs["head"][order].astype(np.int64)),
        kind=frozen(arcs["kind"][order]),
        link=frozen(arcs["link"][order]),
        forward=frozen(arcs["forward"][order]),
        node=frozen(arcs["node"][order]),
        time_h=frozen(arcs["time_h"][order].astype(np.float64)),
        cost_usd=frozen(arcs["cost_usd"][order].astype(np.float64)),
        co2_kg=frozen(arcs["co2_kg"][order].astype(np.float64)),
        length_km=frozen(arcs["length_km"][order].astype(np.float64)),
        node_indptr=frozen(node_indptr),
        node_states=frozen(place_order.astype(np.int64)),
        year=year,
        month=month,
        t_per_teu=t_per_teu,
        time_h_low=frozen(arcs["time_h_low"][order].astype(np.float64)),
        time_h_high=frozen(arcs["time_h_high"][order].astype(np.float64)),
        regime_from=frozen(arcs["regime_from"][order].astype(np.int64)),
        regime_to=frozen(arcs["regime_to"][order].astype(np.int64)),
        service=frozen(arcs["service"][order]),
    )


def _with_services(
    svc: ServiceArcs,
    arcs: _Arcs,
    state_node: IntArray,
    state_layer: IntArray,
    layers: np.ndarray,
    service_ids: list[str],
) -> tuple[_Arcs, IntArray, IntArray, np.ndarray]:
    """The arcs, state nodes, state layers and layer names with the service states and arcs
    appended; each service's states are in a layer ``service:<id>`` of their own. A service's
    times have no range and no regime.
    """
    none = np.full(len(svc.tail), -1, np.int64)
    extra: _Arcs = dict(
        tail=svc.tail,
        head=svc.head,
        kind=svc.kind.astype(np.int8),
        link=svc.link,
        forward=svc.forward,
        node=svc.node,
        time_h=svc.time_h,
        cost_usd=svc.cost_usd,
        co2_kg=svc.co2_kg,
        length_km=svc.length_km,
        time_h_low=svc.time_h,
        time_h_high=svc.time_h,
        regime_from=none,
        regime_to=none,
        service=svc.service,
    )
    merged = {name: np.concatenate([arcs[name], extra[name]]) for name in arcs}
    used = np.unique(svc.state_service)
    names = np.array([f"service:{service_ids[k]}" for k in used], dtype=object)
    new_layer = len(layers) + np.searchsorted(used, svc.state_service)
    return (
        merged,
        np.concatenate([state_node, svc.state_node]).astype(np.int64),
        np.concatenate([state_layer, new_layer]).astype(np.int64),
        np.concatenate([layers.astype(object), names]),
    )
