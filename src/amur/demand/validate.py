"""Checks of demand against itself and against the network it will be assigned to."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from amur.assign.graph import AssignmentGraph
from amur.demand.matrix import ODMatrices
from amur.errors import InputError

__all__ = ["validate_demand"]


def validate_demand(
    demand: ODMatrices,
    graph: AssignmentGraph | None = None,
    zone_index: Mapping[str, int] | None = None,
) -> None:
    """Check demand values, and that every zone with demand is connected to the graph.

    Parameters
    ----------
    demand : ODMatrices
    graph : AssignmentGraph, optional
        If given, check that each zone is a zone of the graph and that every origin with
        demand has a path to each of its destinations.
    zone_index : mapping of str to int, optional
        Graph zone (0-based) of each zone id. Defaults to position: ``demand.zones[k]`` is
        graph zone ``k``.

    Raises
    ------
    InputError
        Naming the commodity, zone and what was expected, if a value is NaN, infinite or
        negative; a zone is unknown to the graph; or a zone has demand but no link leaving
        (as origin) or entering (as destination) it, or no path to a destination.
    """
    for name, matrix in demand.matrices.items():
        bad = np.argwhere(~np.isfinite(matrix))
        if bad.size:
            o, d = bad[0]
            raise InputError(
                f"commodity {name!r}, {demand.zones[o]} -> {demand.zones[d]}: "
                f"{float(matrix[o, d])!r}; expected a finite number"
            )
        bad = np.argwhere(matrix < 0)
        if bad.size:
            o, d = bad[0]
            raise InputError(
                f"commodity {name!r}, {demand.zones[o]} -> {demand.zones[d]}: "
                f"{float(matrix[o, d])!r}; expected a number >= 0"
            )
    if graph is None:
        return
    index = (
        dict(zone_index) if zone_index is not None else {z: k for k, z in enumerate(demand.zones)}
    )
    nodes = np.empty(len(demand.zones), dtype=np.int64)
    for k, zone in enumerate(demand.zones):
        node = index.get(zone)
        if node is None or not 0 <= node < graph.n_zones:
            raise InputError(
                f"zone {zone!r}: unknown to the network; expected one of its {graph.n_zones} zones",
                field="zone",
            )
        nodes[k] = node
    total = demand.combined()
    leaving = np.bincount(graph.init, minlength=graph.n_nodes)
    entering = np.bincount(graph.term, minlength=graph.n_nodes)
    for k, zone in enumerate(demand.zones):
        if total[k].sum() > 0 and leaving[nodes[k]] == 0:
            raise InputError(f"zone {zone!r}: has demand leaving it but no link leaving it")
        if total[:, k].sum() > 0 and entering[nodes[k]] == 0:
            raise InputError(f"zone {zone!r}: has demand to it but no link entering it")
    from amur.assign.paths import skim

    reach = skim(graph, np.ones(graph.n_links))[np.ix_(nodes, nodes)]
    missing = np.argwhere((total > 0) & ~np.isfinite(reach))
    if missing.size:
        o, d = missing[0]
        raise InputError(
            f"zone {demand.zones[o]!r}: has demand to {demand.zones[d]!r} but no path to it"
        )
