"""Equilibrium assignment: volume-delay functions, shortest paths, FW-family and Algorithm B.

>>> import numpy as np
>>> from amur.assign import assign, build_graph
>>> g = build_graph([0, 0], [1, 1], [10.0, 10.0], [1.0, 2.0])
>>> result = assign(g, np.array([[0.0, 5.0], [0.0, 0.0]]), "b", gap=1e-8)
>>> result.relative_gap < 1e-8
True
"""

from amur.assign.equilibrium import ALGORITHMS, assign
from amur.assign.graph import AssignmentGraph, build_graph, graph_from_tntp
from amur.assign.options import AssignmentOptions
from amur.assign.paths import all_or_nothing, shortest_path_tree, skim
from amur.assign.result import AssignmentResult, TrafficClass, beckmann_objective, relative_gap
from amur.assign.stochastic import dial_loading

__all__ = [
    "ALGORITHMS",
    "AssignmentGraph",
    "AssignmentOptions",
    "AssignmentResult",
    "TrafficClass",
    "all_or_nothing",
    "assign",
    "beckmann_objective",
    "build_graph",
    "dial_loading",
    "graph_from_tntp",
    "relative_gap",
    "shortest_path_tree",
    "skim",
]
