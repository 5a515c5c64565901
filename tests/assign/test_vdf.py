"""Volume-delay functions: known values, derivatives and integrals against numerical ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from amur.assign import vdf

from .networks import relaxed

flows = st.floats(0.5, 300.0)
capacities = st.floats(1.0, 100.0)
times = st.floats(0.1, 20.0)


def test_bpr_known_values() -> None:
    assert vdf.bpr(10.0, 2.0, 10.0, 0.15, 4.0) == pytest.approx(2.3)
    assert vdf.bpr(0.0, 2.0, 10.0, 0.15, 4.0) == pytest.approx(2.0)
    assert vdf.bpr_integral(10.0, 2.0, 10.0, 0.15, 4.0) == pytest.approx(2.0 * (10 + 0.3))


def test_conical_known_values() -> None:
    # f(0) = 1 and f(1) = 2 for every alpha > 1 (Spiess 1990).
    for alpha in (1.5, 4.0, 10.0):
        assert vdf.conical(0.0, 3.0, 10.0, alpha) == pytest.approx(3.0)
        assert vdf.conical(10.0, 3.0, 10.0, alpha) == pytest.approx(6.0)


@relaxed
@given(flows, times, capacities, st.floats(0.0, 2.0), st.floats(1.0, 6.0))
def test_bpr_derivatives_and_integral(v: float, t0: float, c: float, b: float, p: float) -> None:
    h = 1e-4 * max(v, 1.0)
    v = max(v, 2 * h)
    numeric = (vdf.bpr(v + h, t0, c, b, p) - vdf.bpr(v - h, t0, c, b, p)) / (2 * h)
    assert vdf.bpr_derivative(v, t0, c, b, p) == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    numeric2 = (vdf.bpr_derivative(v + h, t0, c, b, p) - vdf.bpr_derivative(v - h, t0, c, b, p)) / (
        2 * h
    )
    assert vdf.bpr_derivative(v, t0, c, b, p, order=2) == pytest.approx(
        numeric2, rel=1e-4, abs=1e-8
    )
    integral, _ = quad(lambda u: float(vdf.bpr(u, t0, c, b, p)), 0.0, v)
    assert vdf.bpr_integral(v, t0, c, b, p) == pytest.approx(integral, rel=1e-7)


@relaxed
@given(flows, times, capacities, st.floats(1.2, 10.0))
def test_conical_derivatives_and_integral(v: float, t0: float, c: float, a: float) -> None:
    h = 1e-4 * max(v, 1.0)
    v = max(v, 2 * h)
    numeric = (vdf.conical(v + h, t0, c, a) - vdf.conical(v - h, t0, c, a)) / (2 * h)
    assert vdf.conical_derivative(v, t0, c, a) == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    numeric2 = (
        vdf.conical_derivative(v + h, t0, c, a) - vdf.conical_derivative(v - h, t0, c, a)
    ) / (2 * h)
    assert vdf.conical_derivative(v, t0, c, a, order=2) == pytest.approx(
        numeric2, rel=1e-4, abs=1e-9
    )
    integral, _ = quad(lambda u: float(vdf.conical(u, t0, c, a)), 0.0, v)
    assert vdf.conical_integral(v, t0, c, a) == pytest.approx(integral, rel=1e-7)


@relaxed
@given(flows, times, capacities, st.floats(0.0, 2.0), st.floats(1.5, 6.0), st.booleans())
def test_compiled_kernels_match(
    v: float, t0: float, c: float, b: float, p: float, system_optimum: bool
) -> None:
    for code, time, slope in (
        (vdf.BPR, vdf.bpr(v, t0, c, b, p), vdf.bpr_derivative(v, t0, c, b, p)),
        (vdf.CONICAL, vdf.conical(v, t0, c, p), vdf.conical_derivative(v, t0, c, p)),
    ):
        second = (
            vdf.bpr_derivative(v, t0, c, b, p, order=2)
            if code == vdf.BPR
            else vdf.conical_derivative(v, t0, c, p, order=2)
        )
        cost = vdf.cost_scalar(v, t0, c, b, p, code, system_optimum)
        deriv = vdf.cost_derivative_scalar(v, t0, c, b, p, code, system_optimum)
        if system_optimum:
            assert cost == pytest.approx(time + v * slope, rel=1e-10)
            assert deriv == pytest.approx(2 * slope + v * second, rel=1e-8, abs=1e-12)
        else:
            assert cost == pytest.approx(time, rel=1e-10)
            assert deriv == pytest.approx(slope, rel=1e-8, abs=1e-12)


def test_vectorised_shapes() -> None:
    v = np.linspace(0, 20, 7)
    assert vdf.bpr(v, 1.0, 10.0, 0.15, 4.0).shape == (7,)
    assert np.all(np.diff(vdf.conical(v, 1.0, 10.0, 4.0)) > 0)
    with pytest.raises(ValueError, match="order"):
        vdf.bpr_derivative(v, 1.0, 10.0, 0.15, 4.0, order=3)
