"""Shortest-path kernels, routes, alternatives by corridor, and Pareto routes."""

from amur.paths.itinerary import Leg, Route
from amur.paths.kernel import dijkstra
from amur.paths.labels import pareto_labels
from amur.paths.pareto import pareto_front, pareto_routes
from amur.paths.route import CRITERIA, astar_potential, route

__all__ = [
    "CRITERIA",
    "Leg",
    "Route",
    "astar_potential",
    "dijkstra",
    "pareto_front",
    "pareto_labels",
    "pareto_routes",
    "route",
]
