"""Cash-flow arithmetic of an appraisal: debt service, yearly flows of many Monte Carlo cases
at once (arrays D x T), IRR by bisection and debt service coverage.

All amounts in USD million unless a name says otherwise; years as integer arrays.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import numpy_financial as npf

from amur.impact.project import Financing, Project, check_financing

__all__ = ["PERCENTILES", "debt_schedule"]

FloatArray = npt.NDArray[np.float64]
PERCENTILES = (5, 50, 95)


def debt_schedule(f: Financing, years: npt.NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """Interest and principal paid in each year, USD million.

    One drawdown in ``start_year``; interest only in the ``grace_years`` after it; then
    level payments (numpy-financial ``pmt``) over ``maturity - grace`` years, or the whole
    principal with the last interest if they are equal.

    Raises
    ------
    InputError
        On a loan that cannot be (see :func:`amur.impact.project.check_financing`).
    """
    check_financing(f)
    rate = f.interest_pct / 100.0
    interest = np.zeros(len(years))
    principal = np.zeros(len(years))
    balance = f.loan_usd_mn
    n_amortising = f.maturity_years - f.grace_years
    payment = -float(npf.pmt(rate, n_amortising, f.loan_usd_mn)) if n_amortising > 0 else 0.0
    for k in range(1, f.maturity_years + 1):
        t = np.flatnonzero(years == f.start_year + k)
        due = balance * rate
        if k <= f.grace_years and k < f.maturity_years:
            repaid = 0.0
        elif n_amortising == 0 or k == f.maturity_years:
            repaid = balance
        else:
            repaid = payment - due
        balance -= repaid
        if len(t):
            interest[t[0]] += due
            principal[t[0]] += repaid
    return interest, principal


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else round(float(x), 6)


def _percentiles(values: FloatArray) -> dict[str, float | None]:
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return {f"p{q}": None for q in PERCENTILES}
    return {
        f"p{q}": round(float(v), 6)
        for q, v in zip(PERCENTILES, np.percentile(finite, PERCENTILES), strict=True)
    }


def _years(p: Project, max_delay: int) -> npt.NDArray[np.int64]:
    f = p.financing
    first = min(min(p.capital_years), f.start_year)
    last = max(
        p.opening_year + p.horizon_years - 1, f.start_year + f.maturity_years, max(p.capital_years)
    )
    del max_delay  # the appraisal period is fixed; a delay shortens operation within it
    return np.arange(first, last + 1, dtype=np.int64)


def _flows(
    p: Project,
    years: npt.NDArray[np.int64],
    saving: float,
    growth_pct: FloatArray,
    level: FloatArray,
    overrun: FloatArray,
    delay: npt.NDArray[np.int64],
    benefit_usd: float | None = None,
) -> dict[str, FloatArray]:
    """Yearly flows for D cases at once (arrays D x T), USD million and units of traffic.

    With ``benefit_usd`` (the rule-of-a-half benefit of the opening year from assignments,
    USD), user benefits are it times the traffic level and growth; otherwise the saving per
    unit times the mean of the traffic with and without.
    """
    end = p.opening_year + p.horizon_years - 1
    opening = p.opening_year + delay[:, None]
    operating = (years[None, :] >= opening) & (years[None, :] <= end)
    age = np.where(operating, years[None, :] - opening, 0)
    growth = np.power(1.0 + growth_pct[:, None] / 100.0, age)
    traffic = np.where(operating, p.traffic_per_year * level[:, None] * growth, 0.0)
    without = np.where(operating, p.traffic_without_per_year * level[:, None] * growth, 0.0)
    capex_t = np.zeros(len(years))
    for year, cost in zip(p.capital_years, p.capital_cost_usd_mn, strict=True):
        capex_t[years == year] += cost
    capital = capex_t[None, :] * overrun[:, None]
    opex = np.where(operating, p.operating_cost_usd_mn_per_year, 0.0)
    if benefit_usd is None:
        # Rule of a half: existing traffic gains the whole saving, new traffic half of it.
        benefits = saving * (traffic + without) / 2.0 / 1e6
    else:
        # Rule of a half summed over OD pairs (amur.impact.traffic), scaled like traffic.
        benefits = np.where(operating, benefit_usd * level[:, None] * growth, 0.0) / 1e6
    revenue = p.tariff_usd_per_unit * traffic / 1e6
    return {
        "operating": operating.astype(np.float64),
        "traffic": traffic,
        "without": without,
        "capital": capital,
        "opex": opex,
        "benefits": benefits,
        "revenue": revenue,
        "cfads": revenue - opex,
    }


def _irr_vectorised(flows: FloatArray, iterations: int = 80) -> FloatArray:
    """IRR of each row by bisection on (-0.99, 10); nan where NPV does not change sign.

    Each NPV is evaluated by Horner's rule in the discount factor ``1 / (1 + rate)``: one
    multiply-add per year, no powers.
    """
    columns = np.ascontiguousarray(np.asarray(flows, dtype=np.float64).T)

    def npv(rate: FloatArray) -> FloatArray:
        factor = 1.0 / (1.0 + rate)
        total = np.zeros_like(rate)
        for year in range(columns.shape[0] - 1, -1, -1):
            total *= factor
            total += columns[year]
        return total

    lo = np.full(flows.shape[0], -0.99)
    hi = np.full(flows.shape[0], 10.0)
    f_lo = npv(lo)
    valid = np.sign(f_lo) * np.sign(npv(hi)) < 0
    for _ in range(iterations):
        mid = (lo + hi) / 2.0
        f_mid = npv(mid)
        left = np.sign(f_mid) == np.sign(f_lo)
        lo = np.where(left, mid, lo)
        f_lo = np.where(left, f_mid, f_lo)
        hi = np.where(left, hi, mid)
    return np.where(valid, (lo + hi) / 2.0, np.nan)


def _dscr(
    cfads: FloatArray, service: FloatArray, operating: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    has = service > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        dscr = np.where(has[None, :], cfads / np.where(has, service, 1.0)[None, :], np.inf)
    min_all = dscr.min(axis=1)
    min_operating = np.where(operating > 0, dscr, np.inf).min(axis=1)
    return dscr, min_all, min_operating
