"""Bootstrap ranges of a calibrated demand: the percentiles of the draws around each cell and
each count's modelled flow (see :func:`amur.demand.calibrate.calibrate`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.assign.commodity import (
    CommodityAssignment,
)
from amur.demand.estimate import CountFit, fit_table
from amur.demand.statistics import DemandPrior

FloatArray = NDArray[np.float64]


#: Two-sided interval reported from the bootstrap: 5th and 95th percentiles.
RANGE_PERCENTILES = (5.0, 95.0)


def _fit(assignments: Mapping[int, CommodityAssignment], counts: pd.DataFrame) -> CountFit:
    """Exact modelled counts (each on its year's assignment), GEH and R²."""
    modelled = np.zeros(len(counts))
    years = counts["year"].astype(int).to_numpy()
    for y in sorted(set(years)):
        rows = np.flatnonzero(years == y)
        part = counts.iloc[rows].reset_index(drop=True)
        modelled[rows] = assignments[int(y)].count_flows(part)
    return fit_table(
        counts["id"].astype(str).tolist(),
        counts["value_t_per_year"].to_numpy(dtype=np.float64),
        modelled,
    )


def _with_range(fit: CountFit, linear: FloatArray, draws: FloatArray) -> CountFit:
    """The fit's table with the bootstrap's percentiles of each modelled count: the spread
    of the linear model (routes fixed) about its value, added to the exact equilibrium
    value (not below 0).
    """
    exact = fit.table["modelled_t_per_year"].to_numpy(dtype=np.float64)
    low, high = (exact + np.percentile(draws, q, axis=0) - linear for q in RANGE_PERCENTILES)
    return CountFit(
        fit.table.assign(
            low_t_per_year=np.maximum(low, 0.0), high_t_per_year=np.maximum(high, 0.0)
        ),
        fit.r2,
    )


def _ranges(
    prior: DemandPrior,
    names: Sequence[str],
    factors: Mapping[str, FloatArray],
    draws: Sequence[Mapping[str, FloatArray]],
    zones: Sequence[str],
) -> pd.DataFrame:
    """Every non-zero cell's calibrated value and bootstrap percentiles, by year.

    The range is the 5th-95th percentile interval of the bootstrap factors, widened where
    needed to hold the calibrated value itself: a percentile interval need not contain the
    point estimate (a factor at a bound of the fit, or a skewed bootstrap, can leave it
    outside), and a reported range that excludes the value would read as a contradiction.
    """
    frames = []
    place = np.asarray(zones, dtype=object)
    for c in names:
        stack = np.array([d[c] for d in draws]) if draws else factors[c][None]
        # without draws the range is the point value
        low, high = (np.percentile(stack, q, axis=0) for q in RANGE_PERCENTILES)
        low, high = np.minimum(low, factors[c]), np.maximum(high, factors[c])
        for y in prior.years:
            base = prior.matrices[c, y]
            o, d = np.nonzero(base)
            frames.append(
                pd.DataFrame(
                    {
                        "origin": place[o],
                        "destination": place[d],
                        "commodity": c,
                        "year": y,
                        "value": (base * factors[c])[o, d],
                        "low": (base * low)[o, d],
                        "high": (base * high)[o, d],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
