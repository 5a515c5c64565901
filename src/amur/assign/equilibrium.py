"""One entry point for every assignment algorithm: :func:`assign`."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from amur.assign.bush import algorithm_b
from amur.assign.frank_wolfe import frank_wolfe
from amur.assign.graph import AssignmentGraph
from amur.assign.monitor import Monitor
from amur.assign.options import ALGORITHMS, AssignmentOptions
from amur.assign.paths import all_or_nothing
from amur.assign.result import AssignmentResult, TrafficClass, beckmann_objective, costs
from amur.assign.stochastic import dial_loading, stochastic_assignment
from amur.assign.vdf import VDF_CODES
from amur.errors import ConvergenceWarning, InputError

__all__ = ["ALGORITHMS", "AssignmentOptions", "assign"]


def _classes(
    graph: AssignmentGraph, demand: NDArray[np.float64] | Sequence[TrafficClass]
) -> list[TrafficClass]:
    """Check demand once, at the boundary: shape, finite, >= 0, PCE > 0."""
    raw = [TrafficClass(np.asarray(demand))] if isinstance(demand, np.ndarray) else list(demand)
    if not raw:
        raise InputError("demand: no traffic class given; expected a matrix or a list of classes")
    checked = []
    for k, c in enumerate(raw):
        matrix = np.ascontiguousarray(c.demand, dtype=np.float64)
        where = f"demand (class {c.name!r}, #{k})"
        if matrix.shape != (graph.n_zones, graph.n_zones):
            raise InputError(
                f"{where}: shape {matrix.shape}; expected ({graph.n_zones}, {graph.n_zones}), "
                "zones by zones"
            )
        bad = np.argwhere(~np.isfinite(matrix) | (matrix < 0))
        if bad.size:
            o, d = bad[0]
            raise InputError(
                f"{where}: row {o}, column {d} is {float(matrix[o, d])!r}; "
                "expected a finite number >= 0"
            )
        if not (np.isfinite(c.pce) and c.pce > 0):
            raise InputError(f"{where}: pce {c.pce!r}; expected a number > 0", field="pce")
        checked.append(TrafficClass(matrix, float(c.pce), c.name))
    return checked


def assign(
    graph: AssignmentGraph,
    demand: NDArray[np.float64] | Sequence[TrafficClass],
    options: AssignmentOptions | str = "bfw",
    *,
    gap: float | None = None,
    max_iterations: int | None = None,
    max_seconds: float | None = None,
    vdf: str | None = None,
    system_optimum: bool | None = None,
    logit_theta: float | None = None,
    logit_paths: str | None = None,
    progress: bool | None = None,
) -> AssignmentResult:
    """Assign demand to a congested network: user equilibrium, system optimum or logit SUE.

    Parameters
    ----------
    graph : AssignmentGraph
        The network, from :func:`amur.assign.graph.build_graph` or
        :func:`amur.assign.graph.graph_from_tntp`.
    demand : ndarray of float64, shape (n_zones, n_zones), or sequence of TrafficClass
        Trips from each zone to each zone, in flow units per period; or several classes that
        share capacity through their PCE factors.
    options : AssignmentOptions or str, default "bfw"
        The settings, whole (:class:`amur.assign.options.AssignmentOptions`); or, for
        short, an algorithm name with the other settings as keywords below (defaults: gap
        1e-4, 1000 iterations, the rest as :class:`AssignmentOptions`). Algorithms:
        bi-conjugate, conjugate or plain Frank–Wolfe, method of successive averages, a single
        all-or-nothing loading at free-flow cost, or Algorithm B (bush-based; "b" and
        "algorithm_b" are the same). Algorithm B is the one to use for tight gaps (1e-6 and
        below).
    gap : float, default 1e-4
        Stop when the relative gap ``(TSTT - SPTT) / TSTT`` reaches this value.
    max_iterations : int, default 1000
        Stop after this many iterations.
    max_seconds : float, default inf
        Stop after about this much wall time, in seconds (checked once per iteration).
    vdf : {"bpr", "conical"}, default "bpr"
        Volume-delay function; for "conical" the graph's ``power`` is Spiess's alpha (> 1).
    system_optimum : bool, default False
        Minimise total travel time (links priced at marginal cost) instead.
    logit_theta : float, optional
        If given, find the logit stochastic user equilibrium with this dispersion (per time
        unit) by self-regulated averaging over Dial's loading
        (:func:`amur.assign.stochastic.stochastic_assignment`); ``algorithm`` "aon" then means
        a single logit loading at free-flow cost, and other algorithm names are ignored.
    logit_paths : {"free_flow", "equilibrium"}, default "free_flow"
        Which links Dial's loading counts as efficient (leading away from each origin): by
        free-flow costs, or by the costs of the user equilibrium (found first by Algorithm
        B, whose flows the averaging then starts from). On networks where a cheap link at
        free flow is a hard bottleneck, free-flow efficient links can force freight through
        it; "equilibrium" counts the paths congestion makes reasonable.
    progress : bool, default False
        Show a rich progress bar. Every iteration is also logged on logger ``amur.assign``.

    Returns
    -------
    AssignmentResult
        Link flows and costs, iterations, final relative gap, Beckmann objective, history.

    Raises
    ------
    InputError
        If the algorithm or vdf is unknown, the demand has the wrong shape or a negative, NaN
        or infinite cell, a PCE is not > 0, conical alpha is not > 1, or some demand has no
        path from its origin to its destination; or the options are invalid (see
        :class:`AssignmentOptions`).

    Warns
    -----
    ConvergenceWarning
        If the assignment stops (at its iteration or time limit) short of its gap; the
        result is returned all the same.

    Examples
    --------
    >>> from amur.assign.graph import build_graph
    >>> g = build_graph([0, 0], [1, 1], [10.0, 10.0], [1.0, 1.0])
    >>> trips = np.array([[0.0, 20.0], [0.0, 0.0]])
    >>> result = assign(g, trips, "b", gap=1e-10)
    >>> result.flow.round(6).tolist()
    [10.0, 10.0]
    """
    opts = _options(
        options,
        gap=gap,
        max_iterations=max_iterations,
        max_seconds=max_seconds,
        vdf=vdf,
        system_optimum=system_optimum,
        logit_theta=logit_theta,
        logit_paths=logit_paths,
        progress=progress,
    )
    vdf_code = VDF_CODES[opts.vdf]
    power = graph.cost_parameters.power
    if opts.vdf == "conical" and graph.n_links and not np.all(power > 1.0):
        link = int(np.argmin(power))
        raise InputError(
            f"power: link {link} has {power[link]!r}; the conical vdf needs alpha > 1",
            field="power",
        )
    result = _dispatch(graph, demand, opts, vdf_code)
    if opts.algorithm != "aon" and result.relative_gap > opts.gap:
        warnings.warn(
            ConvergenceWarning(
                f"stopped at a relative gap of {result.relative_gap:.1e} after "
                f"{result.iterations:,} iterations (limit {opts.max_iterations:,}), short of the "
                f"{opts.gap:g} asked for; max_iterations raises the limit"
            ),
            stacklevel=2,
        )
    return result


def _dispatch(
    graph: AssignmentGraph,
    demand: NDArray[np.float64] | Sequence[TrafficClass],
    opts: AssignmentOptions,
    vdf_code: int,
) -> AssignmentResult:
    """Run the algorithm the options name."""
    algorithm, gap_, logit = opts.algorithm, opts.gap, opts.logit_theta
    classes = _classes(graph, demand)
    monitor = Monitor(algorithm, gap_, opts.max_iterations, opts.progress)
    run = {
        "gap": gap_,
        "max_iterations": opts.max_iterations,
        "max_seconds": opts.max_seconds,
        "vdf": vdf_code,
        "system_optimum": opts.system_optimum,
        "monitor": monitor,
    }
    if logit is not None:
        if algorithm == "aon" and opts.logit_paths == "equilibrium":
            monitor.close()
            ue = algorithm_b(
                graph,
                classes,
                **{**run, "monitor": Monitor("b", gap_, opts.max_iterations)},  # type: ignore[arg-type]
            )
            return _logit_at_equilibrium(graph, classes, ue, vdf_code, opts.system_optimum, logit)
        if algorithm == "aon":
            monitor.close()
            return _single_loading(graph, classes, vdf_code, opts.system_optimum, logit)
        if opts.logit_paths == "equilibrium":
            ue = algorithm_b(
                graph,
                classes,
                **{
                    **run,
                    "gap": min(gap_, 1e-6),  # type: ignore[arg-type]
                    "monitor": Monitor("b", gap_, opts.max_iterations),
                },
            )
            return stochastic_assignment(
                graph,
                classes,
                logit,
                **run,  # type: ignore[arg-type]
                reference_cost=ue.cost,
                start_flows=list(ue.class_flow),
            )
        return stochastic_assignment(graph, classes, logit, **run)  # type: ignore[arg-type]
    if algorithm == "aon":
        monitor.close()
        return _single_loading(graph, classes, vdf_code, opts.system_optimum, None)
    if algorithm in ("b", "algorithm_b"):
        return algorithm_b(graph, classes, **run)  # type: ignore[arg-type]
    return frank_wolfe(graph, classes, algorithm, **run)  # type: ignore[arg-type]


def _options(options: AssignmentOptions | str, **keywords: Any) -> AssignmentOptions:
    """The options object: as given, or built from an algorithm name and keywords."""
    given = {k: v for k, v in keywords.items() if v is not None}
    if isinstance(options, AssignmentOptions):
        if given:
            raise InputError(
                f"{', '.join(given)}: give them in the AssignmentOptions, not beside it",
                field=next(iter(given)),
            )
        return options
    return AssignmentOptions(**{"algorithm": options, "gap": 1e-4, "max_iterations": 1000, **given})


def _logit_at_equilibrium(
    graph: AssignmentGraph,
    classes: list[TrafficClass],
    ue: AssignmentResult,
    vdf: int,
    system_optimum: bool,
    theta: float,
) -> AssignmentResult:
    """One logit loading of every class at the user-equilibrium costs ``ue.cost``, on the
    links leading away from each origin at those costs: near-equal routes share a pair's
    flow (continuously in the costs) where the equilibrium would give it all to one.
    ``cost`` and ``reference_cost`` are the equilibrium costs the loading was made at.
    """
    start = time.perf_counter()
    class_flow = [dial_loading(graph, ue.cost, c.demand, theta, ue.cost) for c in classes]
    volume = np.asarray(sum(c.pce * x for c, x in zip(classes, class_flow, strict=True)))
    return AssignmentResult(
        flow=volume,
        cost=ue.cost,
        iterations=ue.iterations,
        relative_gap=ue.relative_gap,
        objective=beckmann_objective(graph, volume, vdf, system_optimum),
        history=[*ue.history, (ue.iterations, ue.relative_gap, time.perf_counter() - start)],
        algorithm="logit_ue",
        class_flow=np.vstack(class_flow),
        reference_cost=ue.cost,
    )


def _single_loading(
    graph: AssignmentGraph,
    classes: list[TrafficClass],
    vdf: int,
    system_optimum: bool,
    theta: float | None,
) -> AssignmentResult:
    """One all-or-nothing (or logit) loading at free-flow cost, with its relative gap."""
    start = time.perf_counter()
    free = costs(graph, np.zeros(graph.n_links), vdf, system_optimum)
    if theta is None:
        class_flow = [all_or_nothing(graph, free, c.demand)[0] for c in classes]
    else:
        class_flow = [dial_loading(graph, free, c.demand, theta) for c in classes]
    volume = np.asarray(sum(c.pce * x for c, x in zip(classes, class_flow, strict=True)))
    cost = costs(graph, volume, vdf, system_optimum)
    total = sum(c.pce * c.demand for c in classes)
    _, shortest = all_or_nothing(graph, cost, np.asarray(total))
    tstt = float(volume @ cost)
    relative = (tstt - shortest) / tstt if tstt > 0 else 0.0
    return AssignmentResult(
        flow=volume,
        cost=cost,
        iterations=1,
        relative_gap=relative,
        objective=beckmann_objective(graph, volume, vdf, system_optimum),
        history=[(1, relative, time.perf_counter() - start)],
        algorithm="aon" if theta is None else "logit",
        class_flow=np.vstack(class_flow),
    )
