"""All-zone skims split by origin over Dask workers: each worker runs the compiled one-tree-
per-origin skim on its block of origins against every destination, on a graph scattered
once; the blocks are stacked in origin order, so the result equals one process's skim.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from amur.errors import InputError
from amur.graph import ExpandedGraph
from amur.paths.skim import Skim, skim

__all__ = ["skim_blocks", "skim_distributed"]


def skim_blocks(origins: Sequence[str], n_blocks: int) -> list[list[str]]:
    """Origins cut into at most ``n_blocks`` contiguous blocks of near-equal size."""
    if n_blocks < 1:
        raise InputError(f"blocks must be 1 or more, not {n_blocks}", field="blocks")
    parts = np.array_split(np.arange(len(origins)), min(n_blocks, max(len(origins), 1)))
    return [[origins[i] for i in part] for part in parts if len(part)]


def skim_distributed(
    client: Any,
    graph: ExpandedGraph,
    origins: Sequence[str],
    destinations: Sequence[str] | None = None,
    by: str = "cost",
    value_usd_per_teu: float | None = None,
    time_value_pct_per_day: float | None = None,
    n_blocks: int | None = None,
) -> Skim:
    """:func:`amur.paths.skim.skim` with the origins split over a Dask client's workers.

    Parameters
    ----------
    client : distributed.Client
        From :func:`amur.sweep.connect` or your own.
    graph : ExpandedGraph
        Scattered once to every worker.
    origins, destinations, by, value_usd_per_teu, time_value_pct_per_day
        As for :func:`amur.paths.skim.skim` (destinations default to the origins).
    n_blocks : int, optional
        Blocks of origins (four per worker by default, for balance).

    Returns
    -------
    Skim
        Equal, cell by cell, to the one-process skim.

    Raises
    ------
    InputError, UnknownPlaceError
        As :func:`amur.paths.skim.skim` (checked here, before any task is sent).
    """
    dest = list(origins if destinations is None else destinations)
    origins = list(origins)
    # validate once, here: unknown places and criteria fail before any work is sent
    skim(graph, origins[:1], dest[:1], by, value_usd_per_teu, time_value_pct_per_day)
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    blocks = skim_blocks(origins, n_blocks or 4 * workers)
    [shared] = client.scatter([graph], broadcast=True)
    futures = [
        client.submit(
            skim, shared, block, dest, by, value_usd_per_teu, time_value_pct_per_day, pure=False
        )
        for block in blocks
    ]
    parts: list[Skim] = client.gather(futures)
    first = parts[0]

    def stack(name: str) -> np.ndarray:
        return np.vstack([getattr(p, name) for p in parts])

    return Skim(
        origins=tuple(o for p in parts for o in p.origins),
        destinations=first.destinations,
        by=first.by,
        cost_usd_per_teu=stack("cost_usd_per_teu"),
        time_h=stack("time_h"),
        co2_kg_per_teu=stack("co2_kg_per_teu"),
        length_km=stack("length_km"),
        generalized_usd_per_teu=stack("generalized_usd_per_teu"),
        value_usd_per_teu=first.value_usd_per_teu,
        time_value_pct_per_day=first.time_value_pct_per_day,
    )
