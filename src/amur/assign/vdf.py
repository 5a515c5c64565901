"""Volume-delay functions (BPR and Spiess's conical): cost, derivatives and integrals.

Every function takes link arrays (or scalars) and returns an array of the same shape. Flows and
capacities share one flow unit (vehicles, PCE or tonnes per period); times are in the unit of
``free_flow_time``. The integral is the link's term of the Beckmann objective
``sum_a integral_0^{v_a} t_a(u) du``.

The ``_scalar`` kernels below are the same formulas compiled with numba, for the inner loops of
the bush-based algorithm; ``link_cost`` and ``link_cost_derivative`` apply them to one link of a
:class:`CostParameters` bundle, inlined into the loops that call them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BPR",
    "CONICAL",
    "VDF_CODES",
    "CostParameters",
    "bpr",
    "bpr_derivative",
    "bpr_integral",
    "conical",
    "conical_derivative",
    "conical_integral",
]

BPR = 0
CONICAL = 1
VDF_CODES = {"bpr": BPR, "conical": CONICAL}

FloatArray = NDArray[np.float64]


class CostParameters(NamedTuple):
    """Per-link parameters of the link cost ``fixed_cost + vdf(flow)``, an array each.

    A named tuple, so that a compiled kernel takes the bundle as one argument and numba
    resolves its fields when it compiles, at no cost per call.

    Attributes
    ----------
    free_flow_time : ndarray of float64
        Travel time at zero flow ``t0``, in time units.
    capacity : ndarray of float64
        ``c``, in flow units per period; > 0.
    b, power : ndarray of float64
        Volume-delay parameters (BPR ``b`` and exponent; ``power`` is the conical ``alpha``).
    fixed_cost : ndarray of float64
        Flow-independent cost added to the travel time, in time units.
    """

    free_flow_time: FloatArray
    capacity: FloatArray
    b: FloatArray
    power: FloatArray
    fixed_cost: FloatArray


def _arrays(*values: ArrayLike) -> list[FloatArray]:
    return [np.asarray(v, dtype=np.float64) for v in values]


def bpr(
    flow: ArrayLike, free_flow_time: ArrayLike, capacity: ArrayLike, b: ArrayLike, power: ArrayLike
) -> FloatArray:
    """BPR link travel time ``t0 * (1 + b * (v / c) ** p)``.

    Parameters
    ----------
    flow : array_like
        Link flow ``v``, in flow units per period.
    free_flow_time : array_like
        ``t0``, in time units.
    capacity : array_like
        ``c``, in the flow unit of ``flow``; must be > 0.
    b, power : array_like
        BPR parameters (0.15 and 4 in the original Bureau of Public Roads curve).

    Returns
    -------
    ndarray
        Travel time, in the unit of ``free_flow_time``.

    Examples
    --------
    >>> float(bpr(10.0, 2.0, 10.0, 0.15, 4.0))
    2.3
    """
    v, t0, c, b_, p = _arrays(flow, free_flow_time, capacity, b, power)
    return t0 * (1.0 + b_ * (v / c) ** p)


def bpr_derivative(
    flow: ArrayLike,
    free_flow_time: ArrayLike,
    capacity: ArrayLike,
    b: ArrayLike,
    power: ArrayLike,
    order: int = 1,
) -> FloatArray:
    """Derivative of :func:`bpr` with respect to flow, of order 1 or 2.

    Parameters are those of :func:`bpr`; the result is in time units per flow unit (order 1)
    or per flow unit squared (order 2). At zero flow the power ``v ** (p - order)`` is taken
    as 0 when ``p > order``, 1 when ``p == order`` and inf below.
    """
    v, t0, c, b_, p = _arrays(flow, free_flow_time, capacity, b, power)
    if order == 1:
        factor = p
    elif order == 2:
        factor = p * (p - 1.0)
    else:
        raise ValueError(f"order: {order}; expected 1 or 2")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (v / c) ** (p - order)
    ratio = np.where(v > 0, ratio, np.where(p > order, 0.0, np.where(p == order, 1.0, np.inf)))
    return t0 * b_ * factor * ratio / c**order


def bpr_integral(
    flow: ArrayLike, free_flow_time: ArrayLike, capacity: ArrayLike, b: ArrayLike, power: ArrayLike
) -> FloatArray:
    """Integral of :func:`bpr` from 0 to ``flow``: ``t0 * (v + b * c / (p + 1) * (v/c)**(p+1))``.

    Returns
    -------
    ndarray
        In time units times flow units (for example vehicle-minutes per hour).
    """
    v, t0, c, b_, p = _arrays(flow, free_flow_time, capacity, b, power)
    return t0 * (v + b_ * c / (p + 1.0) * (v / c) ** (p + 1.0))


def _conical_beta(alpha: FloatArray) -> FloatArray:
    return (2.0 * alpha - 1.0) / (2.0 * alpha - 2.0)


def conical(
    flow: ArrayLike, free_flow_time: ArrayLike, capacity: ArrayLike, alpha: ArrayLike
) -> FloatArray:
    """Spiess's (1990) conical link travel time.

    ``t0 * f(x)`` with ``x = v / c`` and
    ``f(x) = 2 + sqrt(alpha**2 (1 - x)**2 + beta**2) - alpha (1 - x) - beta``,
    ``beta = (2 alpha - 1) / (2 alpha - 2)``, so that ``f(0) = 1`` and ``f(1) = 2``.

    Parameters
    ----------
    flow : array_like
        Link flow, in flow units per period.
    free_flow_time : array_like
        Travel time at zero flow, in time units.
    capacity : array_like
        In the flow unit of ``flow``; must be > 0.
    alpha : array_like
        Steepness; must be > 1 (comparable to the BPR exponent).

    Returns
    -------
    ndarray
        Travel time, in the unit of ``free_flow_time``.

    Examples
    --------
    >>> float(conical(10.0, 3.0, 10.0, 4.0))
    6.0
    """
    v, t0, c, a = _arrays(flow, free_flow_time, capacity, alpha)
    beta = _conical_beta(a)
    w = 1.0 - v / c
    return t0 * (2.0 + np.sqrt(a * a * w * w + beta * beta) - a * w - beta)


def conical_derivative(
    flow: ArrayLike,
    free_flow_time: ArrayLike,
    capacity: ArrayLike,
    alpha: ArrayLike,
    order: int = 1,
) -> FloatArray:
    """Derivative of :func:`conical` with respect to flow, of order 1 or 2."""
    v, t0, c, a = _arrays(flow, free_flow_time, capacity, alpha)
    beta = _conical_beta(a)
    w = 1.0 - v / c
    root = np.sqrt(a * a * w * w + beta * beta)
    if order == 1:
        return t0 / c * (a - a * a * w / root)
    if order == 2:
        return t0 / (c * c) * a * a * beta * beta / root**3
    raise ValueError(f"order: {order}; expected 1 or 2")


def _conical_primitive(w: FloatArray, a: FloatArray, beta: FloatArray) -> FloatArray:
    root = np.sqrt(a * a * w * w + beta * beta)
    return 0.5 * w * root + beta * beta / (2.0 * a) * np.log(a * w + root)


def conical_integral(
    flow: ArrayLike, free_flow_time: ArrayLike, capacity: ArrayLike, alpha: ArrayLike
) -> FloatArray:
    """Integral of :func:`conical` from 0 to ``flow``, in time units times flow units."""
    v, t0, c, a = _arrays(flow, free_flow_time, capacity, alpha)
    beta = _conical_beta(a)
    x = v / c
    one = np.ones_like(x)
    inner = (
        (2.0 - beta) * x
        + _conical_primitive(one, a, beta)
        - _conical_primitive(1.0 - x, a, beta)
        - a * (x - 0.5 * x * x)
    )
    return t0 * c * inner


# --- compiled scalar kernels -------------------------------------------------------------------


@njit(cache=True, inline="always")
def _pow(x: float, p: float) -> float:
    if p == 4.0:
        x2 = x * x
        return x2 * x2
    if x <= 0.0:
        return 0.0 if p > 0.0 else 1.0
    if p == 3.0:  # the derivative of the usual BPR power 4
        return x * x * x
    return x**p


@njit(cache=True)
def cost_scalar(
    v: float, t0: float, c: float, b: float, p: float, vdf: int, system_optimum: bool
) -> float:
    """Link cost at flow ``v``: travel time, or marginal social cost when ``system_optimum``."""
    if vdf == BPR:
        x = v / c
        t = t0 * (1.0 + b * _pow(x, p))
        if system_optimum:
            t += t0 * b * p * _pow(x, p)
        return t
    beta = (2.0 * p - 1.0) / (2.0 * p - 2.0)
    w = 1.0 - v / c
    root = math.sqrt(p * p * w * w + beta * beta)
    t = t0 * (2.0 + root - p * w - beta)
    if system_optimum:
        t += v * t0 / c * (p - p * p * w / root)
    return t


@njit(cache=True)
def cost_derivative_scalar(
    v: float, t0: float, c: float, b: float, p: float, vdf: int, system_optimum: bool
) -> float:
    """Derivative of :func:`cost_scalar` with respect to flow."""
    if vdf == BPR:
        if p == 0.0:
            return 0.0
        x = v / c
        d1 = t0 * b * p * _pow(x, p - 1.0) / c
        if system_optimum:
            return d1 * (p + 1.0)
        return d1
    beta = (2.0 * p - 1.0) / (2.0 * p - 2.0)
    w = 1.0 - v / c
    root = math.sqrt(p * p * w * w + beta * beta)
    d1 = t0 / c * (p - p * p * w / root)
    if system_optimum:
        d2 = t0 / (c * c) * p * p * beta * beta / (root * root * root)
        return 2.0 * d1 + v * d2
    return d1


@njit(cache=True, inline="always")
def link_cost(
    link: int, flow: float, parameters: CostParameters, vdf: int, system_optimum: bool
) -> float:
    """Cost of one link at ``flow``: its ``fixed_cost`` plus :func:`cost_scalar`."""
    return parameters.fixed_cost[link] + cost_scalar(
        flow,
        parameters.free_flow_time[link],
        parameters.capacity[link],
        parameters.b[link],
        parameters.power[link],
        vdf,
        system_optimum,
    )


@njit(cache=True, inline="always")
def link_cost_derivative(
    link: int, flow: float, parameters: CostParameters, vdf: int, system_optimum: bool
) -> float:
    """:func:`cost_derivative_scalar` of one link at ``flow``."""
    return cost_derivative_scalar(
        flow,
        parameters.free_flow_time[link],
        parameters.capacity[link],
        parameters.b[link],
        parameters.power[link],
        vdf,
        system_optimum,
    )


@njit(cache=True)
def link_costs(
    flow: FloatArray, parameters: CostParameters, vdf: int, system_optimum: bool, out: FloatArray
) -> None:
    """Fill ``out`` with :func:`link_cost` of every link."""
    for a in range(flow.size):
        out[a] = link_cost(a, flow[a], parameters, vdf, system_optimum)


@njit(cache=True)
def link_cost_derivatives(
    flow: FloatArray, parameters: CostParameters, vdf: int, system_optimum: bool, out: FloatArray
) -> None:
    """Fill ``out`` with :func:`link_cost_derivative` of every link."""
    for a in range(flow.size):
        out[a] = link_cost_derivative(a, flow[a], parameters, vdf, system_optimum)
