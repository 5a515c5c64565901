"""Algorithm B and bi-conjugate Frank–Wolfe on the TNTP benchmarks, against best-known flows.

Chicago-Sketch's best-known flows are for the generalized cost ``time + 0.04 * length``
(its original README's distance factor; the costs in its flow file include it).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from amur.assign import AssignmentGraph, assign, beckmann_objective, graph_from_tntp
from amur.io.tntp import read_tntp_flows, read_tntp_network, read_tntp_trips

from .networks import TNTP

pytestmark = pytest.mark.skipif(not TNTP.is_dir(), reason=f"{TNTP} not present")

NETWORKS = {
    "SiouxFalls": ("SiouxFalls", 0.0),
    "Anaheim": ("Anaheim", 0.0),
    "Chicago-Sketch": ("ChicagoSketch", 0.04),
}
CASES = [
    "SiouxFalls",
    "Anaheim",
    pytest.param("Chicago-Sketch", marks=pytest.mark.slow),
]


@cache
def load(folder: str) -> tuple[AssignmentGraph, np.ndarray, np.ndarray]:
    stem, distance_factor = NETWORKS[folder]
    net = read_tntp_network(TNTP / folder / f"{stem}_net.tntp", distance_factor=distance_factor)
    trips = read_tntp_trips(TNTP / folder / f"{stem}_trips.tntp", n_nodes=net.n_nodes)
    flows = read_tntp_flows(TNTP / folder / f"{stem}_flow.tntp")
    row = {
        (int(i), int(j)): k
        for k, (i, j) in enumerate(zip(flows.init_node, flows.term_node, strict=True))
    }
    best = flows.volume[
        [row[(int(i), int(j))] for i, j in zip(net.init_node, net.term_node, strict=True)]
    ]
    return graph_from_tntp(net), trips, best


@pytest.mark.parametrize("folder", CASES)
def test_algorithm_b_matches_best_known(folder: str) -> None:
    graph, trips, best = load(folder)
    result = assign(graph, trips, "b", gap=1e-8, max_iterations=200)
    assert result.relative_gap <= 1e-6
    best_objective = beckmann_objective(graph, best)
    assert result.objective == pytest.approx(best_objective, rel=5e-7)
    assert result.objective <= best_objective * (1 + 1e-9)
    carrying = best > 0.01 * best.max()
    np.testing.assert_allclose(result.flow[carrying], best[carrying], rtol=0.01)


@pytest.mark.parametrize("folder", CASES)
def test_biconjugate_frank_wolfe_reaches_1e_4(folder: str) -> None:
    graph, trips, best = load(folder)
    result = assign(graph, trips, "bfw", gap=1e-4, max_iterations=500)
    assert result.relative_gap <= 1e-4
    assert result.objective == pytest.approx(beckmann_objective(graph, best), rel=1e-4)
