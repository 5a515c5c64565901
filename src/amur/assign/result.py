"""Results of an assignment, the classes of demand it loads, and convergence measures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from amur.assign.graph import AssignmentGraph
from amur.assign.vdf import (
    BPR,
    bpr,
    bpr_integral,
    conical,
    conical_integral,
    link_costs,
)

__all__ = ["AssignmentResult", "TrafficClass", "beckmann_objective", "relative_gap"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class TrafficClass:
    """One class of demand sharing the network's capacity with the others.

    Attributes
    ----------
    demand : ndarray of float64, shape (n_zones, n_zones)
        Trips from each zone to each zone, in the class's own unit per period (vehicles,
        tonnes or TEU).
    pce : float, default 1.0
        Passenger-car (capacity) equivalent of one unit of this class: the link volume the
        volume-delay functions see is ``sum over classes of pce * class flow``.
    name : str, default "class"
        A label for reports.
    """

    demand: FloatArray
    pce: float = 1.0
    name: str = "class"


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    """Equilibrium link flows and how they were reached.

    Attributes
    ----------
    flow : ndarray of float64, shape (n_links,)
        Link volume seen by the volume-delay functions (PCE-weighted sum over classes), in flow
        units per period.
    cost : ndarray of float64, shape (n_links,)
        Link travel time at that volume, in time units (marginal cost for a system optimum).
    iterations : int
        Iterations done.
    relative_gap : float
        Final relative gap (see :func:`relative_gap`); for stochastic assignment the relative
        change of link flows in the last iteration.
    objective : float
        Beckmann objective at ``flow`` (total system travel time for a system optimum), in
        time units times flow units.
    history : list of (int, float, float)
        ``(iteration, relative gap, seconds since start)`` after each iteration.
    algorithm : str
        The algorithm's name.
    class_flow : ndarray of float64, shape (n_classes, n_links)
        Link flow of each class, in the class's own unit.
    reference_cost : ndarray of float64, shape (n_links,), optional
        For a logit assignment, the costs whose efficient links Dial's loading used
        (:func:`amur.assign.stochastic.stochastic_assignment`); None otherwise.
    """

    flow: FloatArray
    cost: FloatArray
    iterations: int
    relative_gap: float
    objective: float
    history: list[tuple[int, float, float]] = field(default_factory=list)
    algorithm: str = ""
    class_flow: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    reference_cost: FloatArray | None = None

    @property
    def total_travel_time(self) -> float:
        """Sum over links of flow times cost, in time units times flow units."""
        return float(self.flow @ self.cost)


def beckmann_objective(
    graph: AssignmentGraph, flow: FloatArray, vdf: int = BPR, system_optimum: bool = False
) -> float:
    """Beckmann objective ``sum_a integral_0^{v_a} t_a(u) du`` (or total travel time).

    Parameters
    ----------
    graph : AssignmentGraph
    flow : ndarray of float64, shape (n_links,)
        Link volumes, in flow units per period.
    vdf : int
        :data:`amur.assign.vdf.BPR` or :data:`amur.assign.vdf.CONICAL`.
    system_optimum : bool
        If true, return the total system travel time ``sum_a v_a t_a(v_a)`` instead, the
        objective a system optimum minimises.

    Returns
    -------
    float
        In time units times flow units.
    """
    v = np.asarray(flow, dtype=np.float64)
    p = graph.cost_parameters
    if system_optimum:
        time = (
            bpr(v, p.free_flow_time, p.capacity, p.b, p.power)
            if vdf == BPR
            else conical(v, p.free_flow_time, p.capacity, p.power)
        )
        return float(v @ (time + p.fixed_cost))
    fixed = float(v @ p.fixed_cost)
    if vdf == BPR:
        return fixed + float(bpr_integral(v, p.free_flow_time, p.capacity, p.b, p.power).sum())
    return fixed + float(conical_integral(v, p.free_flow_time, p.capacity, p.power).sum())


def costs(
    graph: AssignmentGraph, flow: FloatArray, vdf: int = BPR, system_optimum: bool = False
) -> FloatArray:
    """Link costs at ``flow``: travel time, or marginal cost for a system optimum."""
    out = np.empty(graph.n_links)
    flow = np.ascontiguousarray(flow, dtype=np.float64)
    link_costs(flow, graph.cost_parameters, vdf, system_optimum, out)
    return out


def relative_gap(
    graph: AssignmentGraph,
    flow: FloatArray,
    demand: FloatArray,
    vdf: int = BPR,
    system_optimum: bool = False,
) -> float:
    """Relative gap of link flows: ``(TSTT - SPTT) / TSTT``.

    ``TSTT`` is the sum over links of flow times current cost; ``SPTT`` the sum over
    origin-destination pairs of demand times current shortest path cost.

    Parameters
    ----------
    graph : AssignmentGraph
    flow : ndarray of float64, shape (n_links,)
        Link volumes, in flow units per period.
    demand : ndarray of float64, shape (n_zones, n_zones)
        PCE-weighted demand, in flow units per period.
    vdf, system_optimum
        As for :func:`beckmann_objective`; with ``system_optimum`` costs are marginal costs.

    Returns
    -------
    float
        Dimensionless; 0 at equilibrium.
    """
    from amur.assign.paths import all_or_nothing

    cost = costs(graph, flow, vdf, system_optimum)
    tstt = float(np.asarray(flow) @ cost)
    _, sptt = all_or_nothing(graph, cost, demand)
    return (tstt - sptt) / tstt if tstt > 0 else 0.0
