"""All-zone skims split by origin over Dask workers equal the one-process skim."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import amur
from amur.errors import InputError, UnknownPlaceError
from amur.graph import expand
from amur.network import Network
from amur.paths.skim import skim
from amur.sweep import connect
from amur.sweep.skims import skim_blocks, skim_distributed


def _grid_network(n: int = 12) -> Network:
    """An n x n rail grid with random lengths: n^2 zones."""
    rng = np.random.default_rng(3)
    ids = [f"z{i}_{j}" for i in range(n) for j in range(n)]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "country": "CN",
            "lat": [40 + i * 0.1 for i in range(n) for _ in range(n)],
            "lon": [120 + j * 0.1 for _ in range(n) for j in range(n)],
            "kind": "junction",
            "gauge": "1435",
        }
    )
    rows = []
    for i in range(n):
        for j in range(n):
            for di, dj in ((0, 1), (1, 0)):
                if i + di < n and j + dj < n:
                    rows.append(
                        [
                            f"z{i}_{j}",
                            f"z{i + di}_{j + dj}",
                            "rail",
                            "1435",
                            float(rng.uniform(5, 20)),
                            40.0,
                            0.23,
                        ]
                    )
    links = pd.DataFrame(
        rows,
        columns=[
            "from_node",
            "to_node",
            "mode",
            "gauge",
            "length_km",
            "speed_kmh",
            "cost_usd_per_teu_km",
        ],
    )
    return Network.from_frames(nodes, links, name="grid")


@pytest.fixture(scope="module")
def client(scheduler_address: str) -> Iterator[Any]:
    with connect(scheduler_address) as c:
        yield c


@pytest.mark.slow
def test_split_skim_equals_one_process(client: Any) -> None:
    net = _grid_network()
    graph = expand(net)
    zones = list(net.nodes["id"])
    whole = skim(graph, zones, by="cost")
    split = skim_distributed(client, graph, zones, by="cost", n_blocks=5)
    assert split.origins == whole.origins and split.destinations == whole.destinations
    for name in (
        "cost_usd_per_teu",
        "time_h",
        "co2_kg_per_teu",
        "length_km",
        "generalized_usd_per_teu",
    ):
        np.testing.assert_array_equal(getattr(split, name), getattr(whole, name))
    assert np.isfinite(whole.cost_usd_per_teu).all() and whole.cost_usd_per_teu.max() > 0


@pytest.mark.slow
def test_split_skim_on_the_builtin_network(client: Any) -> None:
    net = amur.load("northeast-asia")
    graph = expand(net, month=1)
    zones = list(net.nodes["id"])[:40]
    whole = skim(graph, zones, list(net.nodes["id"]), by="generalized")
    split = skim_distributed(client, graph, zones, list(net.nodes["id"]), by="generalized")
    np.testing.assert_array_equal(split.generalized_usd_per_teu, whole.generalized_usd_per_teu)


@pytest.mark.slow
def test_split_skim_checks_input_before_sending(client: Any) -> None:
    graph = expand(_grid_network(3))
    with pytest.raises(UnknownPlaceError):
        skim_distributed(client, graph, ["nowhere", "z0_0"])
    with pytest.raises(InputError, match="unknown criterion"):
        skim_distributed(client, graph, ["z0_0"], by="speed")


def test_blocks_cover_the_origins_in_order() -> None:
    origins = [f"o{i}" for i in range(10)]
    blocks = skim_blocks(origins, 3)
    assert [o for b in blocks for o in b] == origins
    assert [len(b) for b in blocks] == [4, 3, 3]
    assert skim_blocks(origins[:2], 8) == [["o0"], ["o1"]]
    with pytest.raises(InputError):
        skim_blocks(origins, 0)
