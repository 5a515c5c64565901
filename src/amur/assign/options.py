"""The settings of an assignment, in one frozen object checked once.

The command line, the web API and the Python API build an :class:`AssignmentOptions` and
hand it whole to the engine, so a rule such as "logit or system optimum, not both" lives
here and nowhere else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from amur.errors import InputError
from amur.options import check, check_choice, check_route_choice

__all__ = ["ALGORITHMS", "LOGIT_PATHS", "VDFS", "AssignmentOptions"]

#: Algorithm names: bi-conjugate, conjugate and plain Frank-Wolfe, the method of successive
#: averages, one all-or-nothing loading, and Algorithm B ("b" and "algorithm_b").
ALGORITHMS = ("bfw", "cfw", "fw", "msa", "aon", "b", "algorithm_b")
#: Volume-delay functions.
VDFS = ("bpr", "conical")
#: Which links Dial's loading counts as efficient in a logit assignment.
LOGIT_PATHS = ("free_flow", "equilibrium")


@dataclass(frozen=True)
class AssignmentOptions:
    """How to assign: algorithm, stopping rule, volume-delay function and route choice.

    Parameters
    ----------
    algorithm : str, default "b"
        One of :data:`ALGORITHMS`; Algorithm B is the one for tight gaps (1e-6 and below).
    gap : float, default 1e-5
        Stop at this relative gap ``(TSTT - SPTT) / TSTT`` (a finite number, 0 or more; 0
        runs to the iteration or time limit).
    max_iterations : int, default 500
        Stop after this many iterations (at least 1).
    max_seconds : float, default inf
        Stop after about this much wall time, s (0 or more).
    vdf : {"bpr", "conical"}, default "bpr"
        Volume-delay function.
    system_optimum : bool, default False
        Minimise total cost (links priced at marginal cost) instead of the user equilibrium.
    logit_theta : float, optional
        Logit route choice with this dispersion, per unit of cost (per USD/t on a freight
        network, per minute on a TNTP network): a finite number above 0.
    logit_paths : {"free_flow", "equilibrium"}, default "free_flow"
        Which links Dial's loading counts as efficient (see :func:`amur.assign.assign`).
    progress : bool, default False
        Show a progress bar.

    Raises
    ------
    InputError
        On construction, naming the field: an unknown algorithm, vdf or logit_paths; a gap,
        time or dispersion that is not a finite number above 0; fewer than one iteration;
        logit and system optimum together.

    Examples
    --------
    >>> AssignmentOptions(gap=1e-8).route_choice
    'user equilibrium'
    >>> AssignmentOptions(logit_theta=0.5).route_choice
    'logit, dispersion 0.5'
    >>> AssignmentOptions(logit_theta=0.5, system_optimum=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    amur.errors.InputError: logit_theta and system_optimum: choose one route choice ...
    """

    algorithm: str = "b"
    gap: float = 1e-5
    max_iterations: int = 500
    max_seconds: float = math.inf
    vdf: str = "bpr"
    system_optimum: bool = False
    logit_theta: float | None = None
    logit_paths: str = "free_flow"
    progress: bool = False

    def __post_init__(self) -> None:
        # the domains of amur.options: the same checks and messages as the command line
        check_choice("algorithm", self.algorithm, ALGORITHMS, what="algorithm")
        check_choice("vdf", self.vdf, VDFS, what="vdf")
        check_choice("logit_paths", self.logit_paths, LOGIT_PATHS, what="set of paths")
        check("gap", self.gap)
        if not self.max_seconds >= 0:  # inf is allowed
            raise InputError(
                f"max_seconds: {self.max_seconds!r}; expected a time of 0 or more, s",
                field="max_seconds",
            )
        check("max_iterations", self.max_iterations)
        check_route_choice(system_optimum=self.system_optimum, logit_theta=self.logit_theta)

    @property
    def route_choice(self) -> str:
        """``user equilibrium``, ``system optimum`` or ``logit, dispersion THETA``."""
        if self.system_optimum:
            return "system optimum"
        if self.logit_theta is not None:
            return f"logit, dispersion {self.logit_theta:g}"
        return "user equilibrium"

    def with_(self, **changes: Any) -> AssignmentOptions:
        """A copy with some fields changed (checked again)."""
        return replace(self, **changes)
