"""The calibration's penalised factor fit and its cross-validated prior weight."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amur.demand.calibrate import calibrate
from amur.demand.factors import FactorProblem, choose_prior_weight
from amur.demand.statistics import DemandPrior, Zone
from amur.errors import InputError


def _prior(cells: np.ndarray, year: int = 2020) -> DemandPrior:
    n = cells.shape[0]
    zones = tuple(Zone(f"Z{i}", f"Z{i}", "CN", f"p{i}", 1.0) for i in range(n))
    return DemandPrior(zones, (year,), {("coal", year): cells}, pd.DataFrame())


def _problem(observed: list[float], seen: list[tuple[int, int]], n: int = 3) -> FactorProblem:
    """Counts each seeing one zone pair whole."""
    incidence = []
    for o, d in seen:
        p = np.zeros((n, n))
        p[o, d] = 1.0
        incidence.append({"coal": p})
    return FactorProblem(["coal"], np.array(observed), [2020] * len(observed), incidence)


@settings(max_examples=60, deadline=None)
@given(
    ratio=st.floats(min_value=0.1, max_value=10.0),
    weight=st.floats(min_value=0.0, max_value=16.0),
)
def test_one_count_on_one_cell_meets_the_closed_form(ratio: float, weight: float) -> None:
    # One count y on one cell of prior T: the penalised fixed point is
    # ln(y / (f T)) = weight * ln f, so f = (y / T) ** (1 / (1 + weight)).
    cells = np.zeros((3, 3))
    cells[0, 1] = 1e6
    problem = _problem([ratio * 1e6], [(0, 1)])
    factors = problem.fit(_prior(cells), np.ones(1), iterations=200, prior_weight=weight)
    assert factors["coal"][0, 1] == pytest.approx(ratio ** (1.0 / (1.0 + weight)), rel=1e-6)
    # Cells no observation sees stay at the statistics.
    assert np.all(np.delete(factors["coal"].ravel(), 1) == 1.0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), weight=st.floats(0.0, 16.0))
def test_counts_on_separate_cells_each_meet_the_closed_form(seed: int, weight: float) -> None:
    # Each count sees its own group of cells (no cell seen twice): every cell of count k
    # takes the same step, so all of them end at (y_k / T_k) ** (1 / (1 + weight)), T_k the
    # statistics' sum over the count's cells; and a stiffer fit is nearer the statistics.
    rng = np.random.default_rng(seed)
    n = 4
    cells = rng.uniform(1e5, 1e6, (n, n))
    owner = rng.integers(0, 3, (n, n))  # which of three counts sees each cell
    incidence = [{"coal": (owner == k).astype(float)} for k in range(3)]
    observed = rng.uniform(0.2, 5.0, 3) * np.array([cells[owner == k].sum() for k in range(3)])
    problem = FactorProblem(["coal"], observed, [2020] * 3, incidence)
    prior = _prior(cells)
    fitted = problem.fit(prior, np.ones(3), iterations=200, prior_weight=weight)["coal"]
    stiffer = problem.fit(prior, np.ones(3), iterations=200, prior_weight=weight + 1)["coal"]
    for k in range(3):
        if not np.any(owner == k):
            continue
        expected = (observed[k] / cells[owner == k].sum()) ** (1.0 / (1.0 + weight))
        assert np.allclose(fitted[owner == k], expected, rtol=1e-6)
        assert np.all(np.abs(np.log(stiffer[owner == k])) <= np.abs(np.log(expected)) + 1e-12)


def test_cross_validation_prefers_no_penalty_when_counts_agree() -> None:
    # Two counts see the same cell and both say 3x the statistics: leaving one out, the
    # other alone recovers it exactly without a penalty; any penalty shrinks it.
    cells = np.zeros((3, 3))
    cells[0, 1] = 1e6
    problem = _problem([3e6, 3e6], [(0, 1), (0, 1)])
    weight, table = choose_prior_weight(problem, _prior(cells), 2, (0.0, 1.0, 4.0))
    assert weight == 0.0
    assert list(table["prior_weight"]) == [0.0, 1.0, 4.0]
    assert table["loo_geh_median"].is_monotonic_increasing


def test_cross_validation_takes_the_stiffest_weight_on_a_tie() -> None:
    # Each count sees a cell no other count sees: left out, it is predicted by the
    # statistics whatever the weight, so all weights tie and the stiffest is chosen.
    cells = np.zeros((3, 3))
    cells[0, 1], cells[1, 2] = 1e6, 2e6
    problem = _problem([3e6, 1e6], [(0, 1), (1, 2)])
    weight, table = choose_prior_weight(problem, _prior(cells), 2, (0.0, 2.0, 8.0))
    assert weight == 8.0
    assert table["loo_geh_median"].nunique() == 1
    assert list(table.loc[table["chosen"], "prior_weight"]) == [8.0]


@pytest.mark.parametrize("weights", [(), (-1.0,), (0.0, float("nan"))])
def test_calibrate_refuses_bad_prior_weights(weights: tuple[float, ...]) -> None:
    with pytest.raises(InputError, match="prior_weights"):
        calibrate(
            None,  # type: ignore[arg-type]
            None,  # type: ignore[arg-type]
            {},
            pd.DataFrame(),
            pd.DataFrame({"id": []}),
            pd.DataFrame({"id": []}),
            {},
            prior_weights=weights,
        )


def test_several_fits_at_once_equal_each_fit_alone() -> None:
    rng = np.random.default_rng(7)
    n = 3
    cells = rng.uniform(1e5, 1e6, (n, n))
    incidence = [{"coal": (rng.random((n, n)) < 0.5).astype(float)} for _ in range(4)]
    problem = FactorProblem(["coal"], rng.uniform(2e5, 3e6, 4), [2020] * 4, incidence)
    weights = np.array([[1.0, 1, 1, 1], [0, 2, 1, 1], [1, 0, 0, 3]])
    many = problem.fit(_prior(cells), weights, prior_weight=1.5)["coal"]
    assert many.shape == (3, n, n)
    for row, w in zip(many, weights, strict=True):
        alone = problem.fit(_prior(cells), w, prior_weight=1.5)["coal"]
        np.testing.assert_allclose(row, alone, rtol=1e-12)
