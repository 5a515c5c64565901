"""The Frank–Wolfe family: FW, conjugate FW, bi-conjugate FW (Mitradjieva & Lindberg 2013), MSA.

Each iteration loads every class all-or-nothing on current costs, picks a target point
(the AON flows, or a conjugate combination of them with earlier targets), and moves towards
it by a step found by bisection on the derivative of the objective (MSA: step ``1/k``).
Classes share capacity through their PCE factors.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from numba import njit
from numpy.typing import NDArray

from amur.assign.graph import AssignmentGraph
from amur.assign.monitor import Monitor
from amur.assign.paths import all_or_nothing
from amur.assign.result import AssignmentResult, TrafficClass, beckmann_objective, costs
from amur.assign.vdf import CostParameters, link_cost, link_cost_derivatives

__all__ = ["frank_wolfe"]

FloatArray = NDArray[np.float64]
_METHODS = ("fw", "cfw", "bfw", "msa")
_MAX_CONJUGATE = 0.99999


@njit(cache=True)
def _slope(
    x: FloatArray,
    d: FloatArray,
    step: float,
    parameters: CostParameters,
    vdf: int,
    system_optimum: bool,
) -> float:
    """Derivative of the objective along ``d`` at ``x + step * d``."""
    total = 0.0
    for a in range(x.size):
        if d[a] != 0.0:
            total += d[a] * link_cost(a, x[a] + step * d[a], parameters, vdf, system_optimum)
    return total


def _line_search(
    graph: AssignmentGraph,
    x: FloatArray,
    d: FloatArray,
    vdf: int,
    system_optimum: bool,
    tolerance: float,
) -> float:
    """Step in [0, 1] minimising the objective along ``d``, by bisection on its derivative."""
    args = (graph.cost_parameters, vdf, system_optimum)
    if _slope(x, d, 1.0, *args) <= 0.0:
        return 1.0
    if _slope(x, d, 0.0, *args) >= 0.0:
        return 0.0
    low, high = 0.0, 1.0
    while high - low > tolerance:
        mid = 0.5 * (low + high)
        if _slope(x, d, mid, *args) > 0.0:
            high = mid
        else:
            low = mid
    return 0.5 * (low + high)


class _Direction:
    """Targets of the conjugate directions: the previous two, and the previous step."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.previous: list[FloatArray] | None = None
        self.before_previous: list[FloatArray] | None = None
        self.step = 0.0
        self.restart = True

    def target(
        self, x: list[FloatArray], y: list[FloatArray], pce: FloatArray, hessian: FloatArray
    ) -> list[FloatArray]:
        if self.method in ("fw", "msa") or self.restart or self.previous is None:
            self.restart = False
            target = [yc.copy() for yc in y]
        elif self.method == "cfw" or self.before_previous is None:
            target = self._conjugate(x, y, pce, hessian)
        else:
            target = self._biconjugate(x, y, pce, hessian)
        self.before_previous, self.previous = self.previous, target
        return target

    def _conjugate(
        self, x: list[FloatArray], y: list[FloatArray], pce: FloatArray, hessian: FloatArray
    ) -> list[FloatArray]:
        assert self.previous is not None
        prev_minus_x = _weighted(pce, [s - xc for s, xc in zip(self.previous, x, strict=True)])
        y_minus_x = _weighted(pce, [yc - xc for yc, xc in zip(y, x, strict=True)])
        y_minus_prev = _weighted(pce, [yc - s for yc, s in zip(y, self.previous, strict=True)])
        numerator = float(np.sum(prev_minus_x * y_minus_x * hessian))
        denominator = float(np.sum(prev_minus_x * y_minus_prev * hessian))
        alpha = numerator / denominator if denominator != 0.0 else 0.0
        alpha = min(max(alpha, 0.0), _MAX_CONJUGATE)
        return [alpha * s + (1.0 - alpha) * yc for s, yc in zip(self.previous, y, strict=True)]

    def _biconjugate(
        self, x: list[FloatArray], y: list[FloatArray], pce: FloatArray, hessian: FloatArray
    ) -> list[FloatArray]:
        assert self.previous is not None and self.before_previous is not None
        s1, s2, tau = self.previous, self.before_previous, self.step
        xs = _weighted(
            pce, [tau * a + (1 - tau) * b - c for a, b, c in zip(s1, s2, x, strict=True)]
        )
        ys = _weighted(pce, [yc - xc for yc, xc in zip(y, x, strict=True)])
        zs = _weighted(pce, [a - c for a, c in zip(s1, x, strict=True)])
        ws = _weighted(pce, [b - a for a, b in zip(s1, s2, strict=True)])
        mu_den = float(np.sum(xs * ws * hessian))
        mu = max(0.0, -float(np.sum(xs * ys * hessian)) / mu_den) if mu_den != 0.0 else 0.0
        nu_den = float(np.sum(zs * zs * hessian))
        nu = 0.0
        if nu_den != 0.0 and tau < 1.0:
            nu = max(0.0, -float(np.sum(zs * ys * hessian)) / nu_den + mu * tau / (1.0 - tau))
        beta0 = 1.0 / (1.0 + nu + mu)
        return [
            beta0 * yc + nu * beta0 * a + mu * beta0 * b for yc, a, b in zip(y, s1, s2, strict=True)
        ]


def _weighted(pce: FloatArray, arrays: list[FloatArray]) -> FloatArray:
    total = np.zeros_like(arrays[0])
    for factor, array in zip(pce, arrays, strict=True):
        total += factor * array
    return total


def frank_wolfe(
    graph: AssignmentGraph,
    classes: Sequence[TrafficClass],
    method: str = "bfw",
    *,
    gap: float = 1e-4,
    max_iterations: int = 1000,
    max_seconds: float = float("inf"),
    vdf: int = 0,
    system_optimum: bool = False,
    monitor: Monitor | None = None,
) -> AssignmentResult:
    """Equilibrium (or system optimum) link flows by a Frank–Wolfe-type algorithm.

    Parameters
    ----------
    graph : AssignmentGraph
    classes : sequence of TrafficClass
        Demand by class, sharing capacity through their PCE factors.
    method : {"fw", "cfw", "bfw", "msa"}
        Frank–Wolfe with exact line search, conjugate FW, bi-conjugate FW, or the method of
        successive averages.
    gap : float
        Stop when the relative gap falls to this value.
    max_iterations : int
        Stop after this many iterations.
    max_seconds : float
        Stop after this much wall time, in seconds.
    vdf : int
        :data:`amur.assign.vdf.BPR` or :data:`amur.assign.vdf.CONICAL`.
    system_optimum : bool
        Minimise total travel time (marginal-cost link costs) instead of finding the user
        equilibrium.
    monitor : Monitor, optional
        Receives each iteration's gap (logging and progress bar).

    Returns
    -------
    AssignmentResult
    """
    if method not in _METHODS:
        raise ValueError(f"method: {method!r}; expected one of {_METHODS}")
    monitor = monitor or Monitor(method, gap, max_iterations)
    start = time.perf_counter()
    pce = np.array([c.pce for c in classes], dtype=np.float64)

    def load(cost: FloatArray) -> tuple[list[FloatArray], float]:
        flows, shortest = [], 0.0
        for c in classes:
            flow, sp = all_or_nothing(graph, cost, c.demand)
            flows.append(flow)
            shortest += c.pce * sp
        return flows, shortest

    x, _ = load(costs(graph, np.zeros(graph.n_links), vdf, system_optimum))
    direction = _Direction(method)
    history: list[tuple[int, float, float]] = []
    hessian = np.empty(graph.n_links)
    relative = np.inf
    iteration = 0
    tolerance = 1e-10
    while True:
        volume = _weighted(pce, x)
        cost = costs(graph, volume, vdf, system_optimum)
        y, shortest = load(cost)
        tstt = float(volume @ cost)
        relative = (tstt - shortest) / tstt if tstt > 0 else 0.0
        elapsed = time.perf_counter() - start
        if iteration > 0:
            history.append((iteration, relative, elapsed))
            monitor.update(iteration, relative, elapsed)
        if relative <= gap or iteration >= max_iterations or elapsed >= max_seconds:
            break
        iteration += 1
        link_cost_derivatives(volume, graph.cost_parameters, vdf, system_optimum, hessian)
        target = direction.target(x, y, pce, hessian)
        d = _weighted(pce, [s - xc for s, xc in zip(target, x, strict=True)])
        if method == "msa":
            step = 1.0 / (iteration + 1)
        else:
            step = _line_search(
                graph, volume, d, vdf, system_optimum, min(tolerance, max(relative, 1e-16) * 1e-3)
            )
            if step <= 0.0 and method != "fw":
                # A conjugate target that does not descend: fall back to the plain FW target.
                direction.restart = True
                direction.previous = direction.before_previous = None
                target = direction.target(x, y, pce, hessian)
                d = _weighted(pce, [s - xc for s, xc in zip(target, x, strict=True)])
                step = _line_search(graph, volume, d, vdf, system_optimum, tolerance)
            if step >= 1.0:
                direction.restart = True
        direction.step = step
        x = [xc + step * (s - xc) for xc, s in zip(x, target, strict=True)]
    volume = _weighted(pce, x)
    monitor.close()
    return AssignmentResult(
        flow=volume,
        cost=costs(graph, volume, vdf, system_optimum),
        iterations=iteration,
        relative_gap=float(relative),
        objective=beckmann_objective(graph, volume, vdf, system_optimum),
        history=history,
        algorithm=method,
        class_flow=np.vstack(x),
    )
