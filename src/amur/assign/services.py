"""Scheduled services in the assignment: their capacity on the ride arcs, and their loads.

A service carries at most its departures a week x 52 x its capacity a departure, each way
(:func:`amur.network.services.service_capacity_t_per_year`). Every ride arc of the service
gets that capacity, so the volume-delay function makes a full service slower (freight waits
for a later departure) and the equilibrium sends the rest to the next corridor. A ride arc
also runs over a physical link, so link flows (and counts) include the freight the services
carry; the link's own capacity constrains only the freight that rides no service.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.graph.expand import ArcKind, ExpandedGraph
from amur.graph.services import service_capacities

__all__ = ["carries_link", "combine_service_loads", "service_loads", "with_service_capacities"]

FloatArray = NDArray[np.float64]

#: Capacity given to arcs that have none, t/year (as in :mod:`amur.assign.multimodal`).
UNCONSTRAINED = 1e12


def carries_link(g: ExpandedGraph) -> NDArray[np.bool_]:
    """Arcs that run over a physical link: link arcs and service ride arcs."""
    return np.asarray((g.kind == ArcKind.LINK) | (g.kind == ArcKind.RIDE), dtype=bool)


def with_service_capacities(g: ExpandedGraph, capacity: FloatArray) -> FloatArray:
    """Arc capacities (t/year) with every ride arc set to its service's capacity.

    Parameters
    ----------
    g : ExpandedGraph
    capacity : ndarray of float64
        One capacity per arc of ``g`` (link and border arcs already set).

    Returns
    -------
    ndarray of float64
        A new array; ride arcs of a service without a capacity get :data:`UNCONSTRAINED`.
    """
    out = np.asarray(capacity, dtype=np.float64).copy()
    ride = g.kind == ArcKind.RIDE
    if ride.any():
        per_arc = service_capacities(g.network, g.service, g.kind.astype(np.int64), g.t_per_teu)
        out[ride] = np.minimum(per_arc[ride], UNCONSTRAINED)
    return out


def service_loads(g: ExpandedGraph, arc_flow: FloatArray, arc_capacity: FloatArray) -> pd.DataFrame:
    """The load of each service running in the graph, each way.

    Parameters
    ----------
    g : ExpandedGraph
    arc_flow, arc_capacity : ndarray of float64
        Flow and capacity of every arc of ``g`` (t/year), as assigned.

    Returns
    -------
    pandas.DataFrame
        Columns ``service, name, operator, from, to, flow_t_per_year, capacity_t_per_year,
        v_c``: one row per service and direction (``from``/``to``: its first and last call
        in that direction); the flow is the largest on any of its links (the busiest hop).
    """
    columns = [
        "service",
        "name",
        "operator",
        "from",
        "to",
        "flow_t_per_year",
        "capacity_t_per_year",
        "v_c",
    ]
    ride = np.flatnonzero(g.kind == ArcKind.RIDE)
    if not len(ride):
        return pd.DataFrame(columns=columns)
    services = g.network.services
    ids = g.network.nodes["id"].to_numpy(dtype=object)
    # A chain's states are numbered in order, so its first ride arc has the lowest tail.
    chain = _chains(g, ride)
    rows = []
    for key in np.unique(chain):
        arcs = ride[chain == key]
        first = arcs[np.argmin(g.tail[arcs])]
        last = arcs[np.argmax(g.tail[arcs])]
        rec = services.iloc[int(g.service[first])]
        flow = float(arc_flow[arcs].max())
        cap = float(arc_capacity[first])
        rows.append(
            {
                "service": rec["id"],
                "name": rec["name"],
                "operator": rec["operator"] if isinstance(rec["operator"], str) else "",
                "from": ids[g.state_node[g.tail[first]]],
                "to": ids[g.state_node[g.head[last]]],
                "flow_t_per_year": flow,
                "capacity_t_per_year": cap,
                "v_c": flow / cap if cap < UNCONSTRAINED else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _chains(g: ExpandedGraph, ride: NDArray[np.int64]) -> NDArray[np.int64]:
    """A label per ride arc: arcs of one service chain (one direction) share it."""
    tail, head = g.tail[ride], g.head[ride]
    label = np.arange(len(ride))
    by_head = {int(h): k for k, h in enumerate(head)}
    for k in np.argsort(tail):
        before = by_head.get(int(tail[k]))
        if before is not None:
            label[k] = label[before]
    return label


def combine_service_loads(tables: Sequence[pd.DataFrame], weights: Sequence[float]) -> pd.DataFrame:
    """Service loads of seasons as one table of the period: flows month-weighted, v/c the
    highest of any season.
    """
    frames = [t.assign(_w=w) for t, w in zip(tables, weights, strict=True) if len(t)]
    if not frames:
        return tables[0] if tables else pd.DataFrame()
    t = pd.concat(frames, ignore_index=True)
    t["_wf"] = t["_w"] * t["flow_t_per_year"]
    out = (
        t.groupby(["service", "from", "to"], sort=False)
        .agg(
            name=("name", "first"),
            operator=("operator", "first"),
            flow_t_per_year=("_wf", "sum"),
            capacity_t_per_year=("capacity_t_per_year", "first"),
            v_c=("v_c", "max"),
        )
        .reset_index()
    )
    return out[list(tables[0].columns)]
