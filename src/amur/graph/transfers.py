"""Figures of the expanded graph's border and transfer arcs: dwell ranges and fees from the
regime that applies (by place, mode and direction), else the node's own columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from amur.graph.kinds import ArcKind
from amur.network import Network
from amur.network.regimes import regime_figures
from amur.network.schema import RegimeKind

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Figures:
    """Figures of border or transfer arcs (internal)."""

    tail: IntArray
    head: IntArray
    kind: IntArray
    time_h_low: FloatArray
    time_h: FloatArray
    time_h_high: FloatArray
    cost_usd: FloatArray
    regime_from: IntArray
    regime_to: IntArray


def _side(
    net: Network,
    node: IntArray,
    kind: str,
    mode: np.ndarray,
    direction: np.ndarray,
    time_column: str,
    fee_column: str,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, IntArray, np.ndarray]:
    """Low, typical and high hours, fee and regime row at nodes: the regime that applies,
    else the node's columns (NaN where neither has a figure; the last array says which).
    """
    nodes = net.nodes
    place = nodes["id"].to_numpy(dtype=object)[node].astype(str)
    found = regime_figures(net.regimes, place, kind, mode, direction)
    node_time = nodes[time_column].to_numpy(np.float64)[node]
    node_fee = nodes[fee_column].to_numpy(np.float64)[node]
    hit = found.row >= 0
    has_figure = hit | ~(np.isnan(node_time) & np.isnan(node_fee))
    low = np.where(hit, found.time_h_low, node_time)
    typical = np.where(hit, found.time_h, node_time)
    high = np.where(hit, found.time_h_high, node_time)
    fee = np.where(hit, found.fee_usd_per_teu, node_fee)
    return low, typical, high, fee, found.row, has_figure


def _border_figures(
    net: Network, cross_from: IntArray, cross_to: IntArray, mode: np.ndarray
) -> _Figures:
    """Dwell range and fees of each border arc: the side left plus the side entered, each
    from its regime for the link's mode and the direction of travel, else its node.
    """
    country = net.nodes["country"].to_numpy(dtype=object)
    direction = np.char.add(
        np.char.add(country[cross_from].astype(str), ">"), country[cross_to].astype(str)
    )
    parts = [
        _side(
            net,
            ends,
            RegimeKind.BORDER.value,
            mode,
            direction,
            "border_time_h",
            "border_fee_usd_per_teu",
        )
        for ends in (cross_from, cross_to)
    ]
    low, typical, high, fee = (
        np.nan_to_num(parts[0][i]) + np.nan_to_num(parts[1][i]) for i in range(4)
    )
    empty = np.zeros(0, np.int64)
    return _Figures(empty, empty, empty, low, typical, high, fee, parts[0][4], parts[1][4])


def _transfers(
    net: Network,
    state_node: IntArray,
    state_layer: IntArray,
    layers: np.ndarray,
    month: int | None = None,
) -> _Figures:
    """Transfer arcs between every ordered pair of layers at a node, where the node allows.

    Gauge changes need a gauge-change regime or the node's gauge-change figures; other mode
    changes a port regime or the node's handling figures, plus the node's winter time in the
    months of its winter regime. A node with neither allows no transfer.
    """
    layer_names = layers.astype(str)
    is_rail_layer = np.char.startswith(layer_names, "rail:")
    layer_mode = np.array([name.split(":", 1)[0] for name in layer_names], dtype=object)
    layer_part = np.array([name.split(":", 1)[-1] for name in layer_names], dtype=object)
    order = np.argsort(state_node, kind="stable")
    sorted_nodes = state_node[order]
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    offset = 1
    while offset < len(order):
        same = sorted_nodes[offset:] == sorted_nodes[:-offset]
        if not same.any():
            break
        a, b = order[:-offset][same], order[offset:][same]
        tails += [a, b]
        heads += [b, a]
        offset += 1
    if not tails:
        empty_i = np.zeros(0, np.int64)
        empty_f = np.zeros(0)
        return _Figures(
            empty_i, empty_i, empty_i, empty_f, empty_f, empty_f, empty_f, empty_i, empty_i
        )
    tail = np.concatenate(tails)
    head = np.concatenate(heads)
    node = state_node[tail]
    tail_layer, head_layer = state_layer[tail], state_layer[head]
    gauge_change = is_rail_layer[tail_layer] & is_rail_layer[head_layer]
    gauge_direction = np.char.add(
        np.char.add(layer_part[tail_layer].astype(str), ">"), layer_part[head_layer].astype(str)
    )
    mode_direction = np.char.add(
        np.char.add(layer_mode[tail_layer].astype(str), ">"), layer_mode[head_layer].astype(str)
    )
    land_mode = np.where(
        layer_mode[head_layer] != "sea", layer_mode[head_layer], layer_mode[tail_layer]
    ).astype(str)
    gauge = _side(
        net,
        node,
        RegimeKind.GAUGE_CHANGE.value,
        np.full(len(node), "rail"),
        gauge_direction,
        "gauge_change_time_h",
        "gauge_change_cost_usd_per_teu",
    )
    port = _side(
        net,
        node,
        RegimeKind.PORT.value,
        land_mode,
        mode_direction,
        "handling_time_h",
        "handling_cost_usd_per_teu",
    )
    low, typical, high, fee, row = (
        np.where(gauge_change, g, p) for g, p in zip(gauge[:5], port[:5], strict=True)
    )
    allowed = np.where(gauge_change, gauge[5], port[5])
    winter = np.where(gauge_change, 0.0, net.winter_time(month)[node])
    kind = np.where(gauge_change, ArcKind.GAUGE_CHANGE, ArcKind.HANDLING).astype(np.int64)
    return _Figures(
        tail[allowed].astype(np.int64),
        head[allowed].astype(np.int64),
        kind[allowed],
        np.nan_to_num(low[allowed]) + winter[allowed],
        np.nan_to_num(typical[allowed]) + winter[allowed],
        np.nan_to_num(high[allowed]) + winter[allowed],
        np.nan_to_num(fee[allowed]),
        row[allowed].astype(np.int64),
        np.full(int(allowed.sum()), -1, np.int64),
    )
