"""Crossing fees of a scheduled service that has no price of its own.

A service without a ``price`` is charged the links' own rates per TEU-km (see
:mod:`amur.graph.services`). Those rates are line-haul rates: the border fees and the
gauge-change (transshipment) fees a container pays are charged on the graph's border and
gauge-change arcs, which a service's ride arcs replace. So a service priced at the links'
rates also pays, on the ride arc where it meets them, the fees a wagonload container pays
on the same path: both sides' border fees at every crossing (by the service's mode and the
direction ridden, from the network's regimes, else the nodes' columns) and the gauge-change
fee where its path changes gauge. A service with a price pays that price only: a through
rate covers its crossings (see the dataset's ``ce_rate_scope`` source).

The service's time is not changed: its schedule (``time_h``) or speed (``speed_kmh``)
stands for the whole ride.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from amur.graph.transfers import _border_figures, _side
from amur.network import Network
from amur.network.schema import DUAL_GAUGES, RegimeKind

__all__ = ["crossing_fees"]

FloatArray = npt.NDArray[np.float64]


def _gauges(value: object) -> frozenset[str]:
    """Gauges a rail link carries: both for ``dual``, none when not given."""
    text = "" if value is None or value != value else str(value)  # NaN != NaN
    if text == "dual":
        return frozenset(DUAL_GAUGES)
    return frozenset({text}) if text else frozenset()


def crossing_fees(
    net: Network, year: int | None, mode: str, path: list[tuple[int, bool]]
) -> FloatArray:
    """Border and gauge-change fees along a service's path, per ride link, USD per TEU.

    Parameters
    ----------
    net : Network
    year : int or None
        Year of the graph (a border inside a customs union or with an open border that
        year has no fee, as on the graph's border arcs).
    mode : str
        The service's mode (the regimes are looked up for it).
    path : list of (int, bool)
        The links ridden in order: link row and whether it is ridden from its
        ``from_node`` to its ``to_node``.

    Returns
    -------
    ndarray of float64
        One fee per link of ``path``: both sides' border fees on a link that crosses a
        border, plus the gauge-change fee of the place where the path changes gauge on the
        first link of the new gauge; 0 elsewhere.

    Examples
    --------
    >>> import amur
    >>> net = amur.load("northeast-asia")
    >>> rows = net.links.reset_index(drop=True)
    >>> path = [(int(rows.index[rows["id"] == i][0]), True)
    ...         for i in ("harbin-suifenhe-rail", "suifenhe-grodekovo-rail",
    ...                   "grodekovo-ussuriysk-rail")]
    >>> [round(float(f), 1) for f in crossing_fees(net, 2018, "rail", path)]
    [0.0, 901.5, 200.0]
    """
    fees = np.zeros(len(path))
    if not path:
        return fees
    links, nodes = net.links, net.nodes
    pos = net.node_index
    rows = np.array([r for r, _ in path], dtype=np.int64)
    forward = np.array([f for _, f in path], dtype=bool)
    a = links["from_node"].map(pos).to_numpy(dtype=np.int64)[rows]
    b = links["to_node"].map(pos).to_numpy(dtype=np.int64)[rows]
    tail, head = np.where(forward, a, b), np.where(forward, b, a)
    country = nodes["country"].to_numpy(dtype=object)
    cross = country[tail] != country[head]
    cross &= ~net.open_border_mask(country[tail], country[head], year)
    if cross.any():
        border = _border_figures(
            net, tail[cross], head[cross], np.full(int(cross.sum()), mode, dtype=object)
        )
        fees[cross] += border.cost_usd
    if mode == "rail":
        gauges = links["gauge"].to_numpy(dtype=object)[rows]
        current = _gauges(gauges[0])
        for k in range(1, len(path)):
            following = _gauges(gauges[k])
            common = current & following
            if current and following and not common:
                direction = f"{min(current)}>{min(following)}"
                fee = _side(
                    net,
                    np.array([tail[k]]),
                    RegimeKind.GAUGE_CHANGE.value,
                    np.array(["rail"]),
                    np.array([direction]),
                    "gauge_change_time_h",
                    "gauge_change_cost_usd_per_teu",
                )[3]
                fees[k] += float(np.nan_to_num(fee[0]))
            current = common or following
    return fees
