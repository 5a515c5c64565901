"""The assignment graph: CSR forward star and validation at the boundary."""

from __future__ import annotations

import numpy as np
import pytest

from amur.assign.graph import build_graph
from amur.errors import InputError


def test_forward_star_lists_each_nodes_links() -> None:
    init = [2, 0, 1, 0, 2]
    term = [0, 1, 2, 2, 1]
    g = build_graph(init, term, [1.0] * 5, [1.0] * 5)
    assert (g.n_nodes, g.n_zones, g.n_links) == (3, 3, 5)
    for node in range(3):
        links = g.out_links[g.out_start[node] : g.out_start[node + 1]]
        assert sorted(links.tolist()) == [a for a in range(5) if init[a] == node]
    assert g.init.dtype == np.int32 and g.term.dtype == np.int32
    assert not g.cost_parameters.capacity.flags.writeable


def test_defaults_and_zones() -> None:
    g = build_graph([0, 1], [1, 2], [5.0, 5.0], [1.0, 2.0], n_nodes=4, n_zones=2, first_thru_node=2)
    assert g.n_nodes == 4 and g.blocked_zones == 2
    parameters = g.cost_parameters
    assert parameters.b.tolist() == [0.15, 0.15] and parameters.power.tolist() == [4.0, 4.0]
    assert parameters.fixed_cost.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"capacity": [1.0, 0.0]}, r"capacity: link 1 has 0\.0; expected a number > 0"),
        ({"free_flow_time": [1.0, -2.0]}, r"free_flow_time: link 1 has -2\.0"),
        ({"free_flow_time": [1.0, np.nan]}, "free_flow_time: link 1 has nan"),
        ({"capacity": [1.0]}, r"capacity: shape \(1,\); expected \(2,\)"),
        ({"term": [1, 5], "n_nodes": 3}, r"term: link 1 has node 5; expected 0\.\.2"),
    ],
)
def test_bad_arrays(kwargs: dict, message: str) -> None:
    args = {"init": [0, 1], "term": [1, 0], "capacity": [1.0, 1.0], "free_flow_time": [1.0, 1.0]}
    args.update(kwargs)
    with pytest.raises(InputError, match=message):
        build_graph(**args)
