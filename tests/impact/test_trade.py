"""Gravity trade response and PPML estimation of theta."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amur.errors import InputError
from amur.impact import estimate_theta, trade_change


def test_trade_change_formula() -> None:
    tau_a = np.array([[1.0, 1.2], [1.2, 1.0]])
    tau_b = np.array([[1.0, 1.1], [1.2, 1.0]])
    change = trade_change(tau_a, tau_b, 5.0)
    assert change[0, 1] == pytest.approx((1.1 / 1.2) ** -5 - 1)
    assert change[1, 0] == 0.0
    with pytest.raises(InputError, match="theta"):
        trade_change(tau_a, tau_b, 0.0)


def synthetic_trade(theta: float, seed: int) -> pd.DataFrame:
    """Trade among 25 countries from structural gravity with multiplicative noise."""
    rng = np.random.default_rng(seed)
    n = 25
    exporter = rng.normal(0, 1, n)
    importer = rng.normal(0, 1, n)
    rows = []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            tau = 1.0 + rng.uniform(0.02, 0.6)
            mean = np.exp(5 + exporter[i] + importer[j]) * tau**-theta
            rows.append((f"c{i}", f"c{j}", mean * rng.lognormal(-0.125, 0.5), tau))
    return pd.DataFrame(rows, columns=["origin", "destination", "value", "tau"])


@pytest.mark.parametrize("theta", [4.0, 5.0, 8.2])
def test_ppml_recovers_a_known_theta(theta: float) -> None:
    fit = estimate_theta(synthetic_trade(theta, seed=3))
    assert fit.converged
    assert fit.theta == pytest.approx(theta, rel=0.08)
    assert abs(fit.theta - theta) < 3 * fit.std_error + 0.05 * theta


def test_ppml_keeps_zero_flows_and_checks_columns() -> None:
    table = synthetic_trade(5.0, seed=4)
    table.loc[::7, "value"] = 0.0
    assert estimate_theta(table).n_observations == len(table)
    with pytest.raises(InputError, match="missing column 'tau'"):
        estimate_theta(table.drop(columns="tau"))
    bad = table.copy()
    bad.loc[3, "value"] = -1.0
    with pytest.raises(InputError, match="row 4, column 'value'"):
        estimate_theta(bad)
