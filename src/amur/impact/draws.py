"""Monte Carlo draws of an appraisal: triangular costs, traffic levels and growth, and the
distribution of its results (see :func:`amur.impact.appraisal.appraise`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from amur.impact.cashflow import (  # noqa: F401  (debt_schedule is public here too)
    PERCENTILES,
    _dscr,
    _flows,
    _irr_vectorised,
    _num,
    _percentiles,
    _years,
    debt_schedule,
)
from amur.impact.project import (
    Project,
)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class MonteCarlo:
    """Outcomes of ``n`` draws (arrays of length n)."""

    n: int
    seed: int
    npv_usd_mn: FloatArray
    bcr: FloatArray
    irr: FloatArray
    min_dscr: FloatArray
    min_dscr_operating: FloatArray

    def probability_below(self, threshold: float, operating: bool = False) -> float:
        """Share of draws whose minimum DSCR is below ``threshold``."""
        values = self.min_dscr_operating if operating else self.min_dscr
        return float(np.mean(values < threshold))


def _monte_carlo(
    p: Project,
    years: npt.NDArray[np.int64],
    saving: float,
    service: FloatArray,
    rate: float,
    n: int,
    seed: int,
    benefit_usd: float | None = None,
) -> MonteCarlo:
    """All draws at once: arrays of draws x years, no Python loop per draw."""
    u = p.uncertainty
    rng = np.random.default_rng(seed)
    growth = p.traffic_growth_pct + u.traffic_growth_sd_pct * rng.standard_normal(n)
    growth = np.maximum(growth, -99.0)
    level = _triangular(rng, u.traffic_level, n)
    overrun = _triangular(rng, u.capital_overrun, n)
    delay = rng.choice(
        np.asarray(u.delay_years, np.int64), size=n, p=np.asarray(u.delay_probability)
    )
    flows = _flows(p, years, saving, growth, level, overrun, delay, benefit_usd)
    discount = np.power(1.0 + rate, -np.arange(len(years), dtype=np.float64))
    net = flows["benefits"] - flows["capital"] - flows["opex"]
    pv_b = flows["benefits"] @ discount
    pv_c = (flows["capital"] + flows["opex"]) @ discount
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_c > 0, pv_b / pv_c, np.nan)
    _, min_all, min_op = _dscr(flows["cfads"], service, flows["operating"])
    return MonteCarlo(n, seed, net @ discount, bcr, _irr_vectorised(net), min_all, min_op)


def _triangular(rng: np.random.Generator, spec: tuple[float, float, float], n: int) -> FloatArray:
    low, mode, high = spec
    if high == low:
        return np.full(n, low)
    return rng.triangular(low, mode, high, size=n)
