"""The demand's bootstrap range holds the calibrated value: a percentile interval of the
bootstrap factors need not (a skewed bootstrap can lie wholly on one side of the point), so
the range is widened to it; elsewhere it is the 5th-95th percentiles of the draws."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amur.demand.ranges import RANGE_PERCENTILES, _ranges
from amur.demand.statistics import DemandPrior


def _prior() -> DemandPrior:
    base = np.array([[0.0, 100.0], [40.0, 0.0]])
    return DemandPrior(
        zones=(),
        years=(2020, 2021),
        matrices={("c", 2020): base, ("c", 2021): 2 * base},
        basis=pd.DataFrame(),
    )


def test_the_range_is_the_bootstraps_percentiles_and_holds_the_value() -> None:
    factor = np.array([[1.0, 1.0], [1.0, 1.0]])
    rng = np.random.default_rng(3)
    # cell (0, 1): every draw above the point; cell (1, 0): draws on both sides
    draws = [
        {"c": np.array([[1.0, 1.2 + 0.3 * rng.random()], [0.5 + rng.random(), 1.0]])}
        for _ in range(200)
    ]
    stack = np.array([d["c"] for d in draws])
    lo_q, hi_q = (np.percentile(stack, q, axis=0) for q in RANGE_PERCENTILES)
    assert lo_q[0, 1] > factor[0, 1]  # the percentile interval alone would miss the value
    table = _ranges(_prior(), ["c"], {"c": factor}, draws, ["a", "b"]).set_index(
        ["origin", "destination", "year"]
    )
    for year, scale in ((2020, 1.0), (2021, 2.0)):
        above = table.loc[("a", "b", year)]
        assert above["value"] == above["low"] == 100.0 * scale
        assert np.isclose(above["high"], 100.0 * scale * hi_q[0, 1])
        both = table.loc[("b", "a", year)]
        assert np.isclose(both["low"], 40.0 * scale * lo_q[1, 0])
        assert np.isclose(both["high"], 40.0 * scale * hi_q[1, 0])
        assert both["low"] < both["value"] < both["high"]


def test_without_draws_the_range_is_the_value() -> None:
    factor = np.array([[1.0, 0.7], [1.3, 1.0]])
    table = _ranges(_prior(), ["c"], {"c": factor}, [], ["a", "b"])
    assert (table["low"] == table["value"]).all() and (table["high"] == table["value"]).all()
    assert sorted(table["value"]) == [52.0, 70.0, 104.0, 140.0]
