"""Small random networks for property tests, built in code with hypothesis."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from amur.assign.graph import AssignmentGraph, build_graph

TNTP = Path(__file__).parents[2].parent / "shared" / "benchmarks" / "tntp"


@dataclass
class Case:
    graph: AssignmentGraph
    demand: np.ndarray


@st.composite
def networks(draw: st.DrawFn, max_nodes: int = 9, zero_costs: bool = True) -> Case:
    """A strongly connected network (a two-way ring plus random chords) with random demand."""
    n = draw(st.integers(3, max_nodes))
    links = {(i, (i + 1) % n) for i in range(n)} | {((i + 1) % n, i) for i in range(n)}
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
    links |= {(i, j) for i, j in extra if i != j}
    n_zones = draw(st.integers(2, n))
    first_thru = draw(st.sampled_from([0, n_zones])) if n_zones < n else 0
    if first_thru:
        # Zones cannot be passed through: connect each to the last node, which is not a zone.
        links |= {(z, n - 1) for z in range(n_zones)} | {(n - 1, z) for z in range(n_zones)}
    pairs = sorted(links)
    m = len(pairs)
    low = 0.0 if zero_costs else 0.1
    fft = draw(st.lists(st.floats(low, 10.0), min_size=m, max_size=m))
    cap = draw(st.lists(st.floats(10.0, 60.0), min_size=m, max_size=m))
    b = draw(st.lists(st.floats(0.05, 1.0), min_size=m, max_size=m))
    cells = draw(st.lists(st.floats(0.0, 25.0), min_size=n_zones**2, max_size=n_zones**2))
    demand = np.array(cells).reshape(n_zones, n_zones)
    np.fill_diagonal(demand, 0.0)
    graph = build_graph(
        [p[0] for p in pairs],
        [p[1] for p in pairs],
        cap,
        fft,
        n_nodes=n,
        n_zones=n_zones,
        first_thru_node=first_thru,
        b=b,
        power=np.full(m, 4.0),
    )
    return Case(graph, demand)


def node_balance(graph: AssignmentGraph, flow: np.ndarray) -> np.ndarray:
    """Inflow minus outflow at each node."""
    return np.bincount(graph.term, flow, graph.n_nodes) - np.bincount(
        graph.init, flow, graph.n_nodes
    )


def expected_balance(graph: AssignmentGraph, demand: np.ndarray) -> np.ndarray:
    """Demand arriving minus demand leaving at each node."""
    out = np.zeros(graph.n_nodes)
    out[: graph.n_zones] = demand.sum(axis=0) - demand.sum(axis=1)
    return out


# No deadline: the first example of a run compiles (or loads) the numba kernels.
from hypothesis import settings  # noqa: E402

relaxed = settings(deadline=None, max_examples=60)
few = settings(deadline=None, max_examples=30, print_blob=True)
