"""Trade response: the gravity model's predicted change in bilateral trade when trade costs
change, and PPML estimation of the trade elasticity on a user's trade table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.errors import InputError

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "GravityFit",
    "check_theta",
    "estimate_theta",
    "regional_trade_change",
    "trade_change",
]


def check_theta(theta: float) -> float:
    """Return theta as a float, or raise InputError if it is not a finite number in its
    domain (:data:`amur.options.DOMAINS`, the same check as the command line's --theta).
    """
    from amur.options import check

    return check("theta", theta)


def trade_change(tau_a: FloatArray, tau_b: FloatArray, theta: float) -> FloatArray:
    """Predicted relative change of bilateral trade, (tau_B / tau_A)^-theta - 1.

    Partial equilibrium: structural gravity X_ij = exp(pi_i + chi_j) tau_ij^-theta with the
    exporter and importer terms held fixed (Anderson & van Wincoop's multilateral resistance
    does not adjust), so it overstates the change where many pairs gain at once.

    Parameters
    ----------
    tau_a, tau_b : ndarray
        Iceberg trade costs (>= 1) before and after; ``inf`` where no route exists.
    theta : float
        Trade elasticity, above 0.

    Returns
    -------
    ndarray
        Relative change (0.1 = +10 %); ``inf`` for a pair that gains its first route, -1 for
        one that loses its only route, ``nan`` where no route exists in either.

    Raises
    ------
    InputError
        If theta is not above 0.
    """
    theta = check_theta(theta)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.power(tau_b / tau_a, -theta) - 1.0)


def regional_trade_change(
    tau_a: FloatArray, tau_b: FloatArray, gdp_usd_bn: FloatArray, theta: float
) -> FloatArray:
    """Predicted change of each region's total trade with the other regions, %.

    Baseline flows are the gravity model's own, X_ij proportional to Y_i Y_j tau_ij^-theta,
    so the change of region i's exports is sum_j Y_j tau_B^-theta / sum_j Y_j tau_A^-theta
    - 1 over j != i (partial equilibrium, as :func:`trade_change`).

    Parameters
    ----------
    tau_a, tau_b : ndarray
        Iceberg trade costs between the regions (n x n, >= 1) before and after.
    gdp_usd_bn : ndarray
        Each region's GDP, USD billion (the gravity weights Y_j).
    theta : float
        Trade elasticity, above 0.

    Returns
    -------
    ndarray
        Change of each region's trade, %; NaN for a region with no trade in either case.

    Examples
    --------
    >>> import numpy as np
    >>> tau = np.array([[1.0, 2.0], [2.0, 1.0]])
    >>> regional_trade_change(tau, tau / 2 + 0.5, np.array([1.0, 1.0]), 5.0).round(1)
    array([321.4, 321.4])
    """
    theta = check_theta(theta)
    off = ~np.eye(len(gdp_usd_bn), dtype=bool)
    flow_a = np.where(off, np.power(tau_a, -theta) * gdp_usd_bn, 0.0).sum(axis=1)
    flow_b = np.where(off, np.power(tau_b, -theta) * gdp_usd_bn, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((flow_b / flow_a - 1.0) * 100.0)


@dataclass(frozen=True)
class GravityFit:
    """A PPML gravity fit with exporter and importer fixed effects.

    Attributes
    ----------
    coefficient : float
        Coefficient on ln(cost): -theta when the cost is the iceberg tau, the distance
        elasticity (-theta x rho) when it is a distance.
    std_error : float
        Its robust (HC1) standard error.
    theta : float
        -coefficient: the trade elasticity when the cost column is tau.
    cost_column : str
        The column used.
    n_observations : int
        Rows used (zero flows included).
    converged : bool
        Whether the IRLS iterations converged.
    """

    coefficient: float
    std_error: float
    theta: float
    cost_column: str
    n_observations: int
    converged: bool


def estimate_theta(
    trade: pd.DataFrame,
    cost_column: str = "tau",
    origin_column: str = "origin",
    destination_column: str = "destination",
    value_column: str = "value",
) -> GravityFit:
    """Estimate the trade elasticity by PPML with exporter and importer fixed effects.

    Fits E[X_ij] = exp(pi_i + chi_j + b ln c_ij) by Poisson pseudo-maximum likelihood
    (Santos Silva & Tenreyro 2006; statsmodels GLM with a Poisson family and a dummy per
    exporter and per importer), keeping zero flows.

    Parameters
    ----------
    trade : pandas.DataFrame
        One row per (origin, destination) pair with a trade value (>= 0, any currency) and a
        cost: ``tau`` (iceberg trade cost >= 1, then theta = -b) or a distance (``distance_km``,
        then b is the distance elasticity).
    cost_column, origin_column, destination_column, value_column : str
        Column names.

    Returns
    -------
    GravityFit

    Raises
    ------
    InputError
        On a missing column, a negative or missing value, a cost not above 0, or fewer
        rows than parameters.

    Examples
    --------
    Flows made exactly by a gravity model with theta = 5 give theta back:

    >>> import numpy as np
    >>> import pandas as pd
    >>> from amur.impact import estimate_theta
    >>> pairs = [(o, d) for o in "ABCD" for d in "ABCD" if o != d]
    >>> tau = np.linspace(1.1, 2.0, len(pairs))
    >>> trade = pd.DataFrame({"origin": [o for o, _ in pairs],
    ...                       "destination": [d for _, d in pairs],
    ...                       "value": 100.0 * tau ** -5.0, "tau": tau})
    >>> round(estimate_theta(trade).theta, 6)
    5.0
    """
    import statsmodels.api as sm

    for column in (origin_column, destination_column, value_column, cost_column):
        if column not in trade.columns:
            raise InputError(
                f"trade table: missing column {column!r}; expected "
                f"{origin_column}, {destination_column}, {value_column} and a "
                "cost column (tau or distance_km)",
                field=column,
            )
    value = pd.to_numeric(trade[value_column], errors="coerce").to_numpy(np.float64)
    cost = pd.to_numeric(trade[cost_column], errors="coerce").to_numpy(np.float64)
    for name, values, ok in ((value_column, value, value >= 0), (cost_column, cost, cost > 0)):
        bad = ~ok | np.isnan(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            expected = "0 or more" if name == value_column else "above 0"
            raise InputError(
                f"trade table, row {row + 1}, column {name!r}: "
                f"{values[row]!r}; expected a number {expected}",
                field=name,
            )
    exporters = pd.get_dummies(trade[origin_column].astype(str), prefix="o", dtype=float)
    importers = pd.get_dummies(trade[destination_column].astype(str), prefix="d", dtype=float).iloc[
        :, 1:
    ]
    design = pd.concat([exporters, importers], axis=1)
    design.insert(0, "ln_cost", np.log(cost))
    if len(design) <= design.shape[1]:
        raise InputError(
            f"trade table: {len(design)} rows for {design.shape[1]} parameters; "
            "expected more pairs than exporters plus importers",
            field="trade",
        )
    model = sm.GLM(value, design.to_numpy(np.float64), family=sm.families.Poisson())
    result = model.fit(cov_type="HC1", maxiter=200, tol=1e-12)
    b = float(result.params[0])
    return GravityFit(b, float(result.bse[0]), -b, cost_column, len(design), bool(result.converged))
