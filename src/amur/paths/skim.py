"""Skims: origin-destination matrices of cost, time, CO2 and length along best paths.

One shortest-path tree per origin (:func:`amur.paths.kernel.skim_trees`, run in parallel
over origins), from every state of the origin place to the best state of
every destination place; the other criteria are summed along the chosen paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from amur.errors import InputError
from amur.graph import ExpandedGraph
from amur.paths.kernel import dynamic_schedule, n_chunks
from amur.paths.trees import skim_trees

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SKIM_CRITERIA = ("time", "cost", "co2", "length", "generalized")


@dataclass(frozen=True, eq=False)
class Skim:
    """Dense origin-destination matrices along the best paths by one criterion.

    Arrays are ``(n_origins, n_destinations)``; ``inf`` where no path exists. An origin
    that is also a destination has zeros on that cell.

    Attributes
    ----------
    origins, destinations : tuple of str
        Place ids, in the order of the rows and columns.
    by : str
        Criterion the paths minimise.
    cost_usd_per_teu, time_h, co2_kg_per_teu, length_km : ndarray of float64
        Totals along each best path, per TEU.
    generalized_usd_per_teu : ndarray of float64
        Money plus the value of time along each best path, USD per TEU, at
        ``value_usd_per_teu`` and ``time_value_pct_per_day``.
    value_usd_per_teu, time_value_pct_per_day : float
        Cargo value and value of time behind the generalized cost.
    """

    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    by: str
    cost_usd_per_teu: FloatArray
    time_h: FloatArray
    co2_kg_per_teu: FloatArray
    length_km: FloatArray
    generalized_usd_per_teu: FloatArray
    value_usd_per_teu: float
    time_value_pct_per_day: float


def _states(g: ExpandedGraph, nodes: list[int]) -> tuple[IntArray, IntArray]:
    parts = [g.states_of(v) for v in nodes]
    ptr = np.zeros(len(parts) + 1, np.int64)
    np.cumsum([len(p) for p in parts], out=ptr[1:])
    states = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
    return ptr, states


def skim(
    graph: ExpandedGraph,
    origins: Sequence[str],
    destinations: Sequence[str] | None = None,
    by: str = "cost",
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
) -> Skim:
    """Best-path matrices between places on an expanded graph.

    Parameters
    ----------
    graph : ExpandedGraph
        From :func:`amur.graph.expand` (a network in a given year and month).
    origins : sequence of str
        Places by id, English name or alias.
    destinations : sequence of str, optional
        Places; the origins when omitted.
    by : {"cost", "time", "co2", "length", "generalized"}
        Criterion the paths minimise.
    value_usd_per_teu : float, optional
        Cargo value for generalized cost, USD per TEU (the network's
        ``shipment_value_usd_per_teu`` parameter, else 50,000).
    time_value_pct_per_day : float, optional
        Value of a day in transit, % of cargo value (the network's
        ``time_value_pct_per_day`` parameter, else 1.0).

    Returns
    -------
    Skim
        Cost, time, CO2, length and generalized cost along each best path.

    Raises
    ------
    InputError
        On an unknown criterion or a negative value or value of time.
    UnknownPlaceError
        If a place is not in the network.

    Notes
    -----
    One Dijkstra tree per origin, O(n_o (n + m) log n), run on all cores; summing the other
    criteria walks each of the n_o x n_d paths once. Where the destination's states tie on
    ``by``, the one with the least generalized cost is reported; ties inside the tree keep
    the path found first.

    Examples
    --------
    >>> import amur
    >>> from amur.graph import expand
    >>> from amur.paths.skim import skim
    >>> g = expand(amur.load("northeast-asia"))
    >>> s = skim(g, ["Harbin", "Changchun"], ["Vladivostok", "Hamburg"], by="cost")
    >>> s.cost_usd_per_teu.shape
    (2, 2)
    """
    if by not in SKIM_CRITERIA:
        raise InputError(
            f"unknown criterion {by!r}; expected one of {', '.join(SKIM_CRITERIA)}", field="by"
        )
    net = graph.network
    value = float(
        value_usd_per_teu
        if value_usd_per_teu is not None
        else net.parameters.get("shipment_value_usd_per_teu", 50_000.0)
    )
    pct = float(
        time_value_pct_per_day
        if time_value_pct_per_day is not None
        else net.parameters.get("time_value_pct_per_day", 1.0)
    )
    if not value > 0.0:
        raise InputError(
            f"value_usd_per_teu must be above 0, not {value:g}", field="value_usd_per_teu"
        )
    if pct < 0.0:
        raise InputError(
            f"time_value_pct_per_day must be 0 or more, not {pct:g}", field="time_value_pct_per_day"
        )
    o_ids = tuple(net.place(p) for p in origins)
    d_ids = o_ids if destinations is None else tuple(net.place(p) for p in destinations)
    o_ptr, o_states = _states(graph, [net.node_index[p] for p in o_ids])
    d_ptr, d_states = _states(graph, [net.node_index[p] for p in d_ids])
    weight = np.ascontiguousarray(graph.weights(by, value, pct), dtype=np.float64)
    generalized = graph.weights("generalized", value, pct)
    values = np.ascontiguousarray(
        np.vstack([graph.cost_usd, graph.time_h, graph.co2_kg, graph.length_km, generalized])
    )
    # ties on the criterion are broken by generalized cost (row 4 of values)
    with dynamic_schedule():
        out = skim_trees(
            graph.indptr,
            graph.head,
            graph.tail,
            weight,
            0,
            o_ptr,
            o_states,
            d_ptr,
            d_states,
            values,
            4,
            n_chunks(len(o_ids)),
        )[1:]
    same = np.equal.outer(np.array(o_ids, dtype=object), np.array(d_ids, dtype=object))
    out[:, same] = 0.0
    return Skim(
        origins=o_ids,
        destinations=d_ids,
        by=by,
        cost_usd_per_teu=out[0],
        time_h=out[1],
        co2_kg_per_teu=out[2],
        length_km=out[3],
        generalized_usd_per_teu=out[4],
        value_usd_per_teu=value,
        time_value_pct_per_day=pct,
    )
