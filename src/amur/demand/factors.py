"""The calibration's factor problem: observations (counts and statistics) with their
incidence on a factor per commodity and zone pair, fitted by penalised multiplicative
(ME2-style) updates, and the penalty's weight chosen by leave-one-out cross-validation over
the calibration counts (see :func:`amur.demand.calibrate.calibrate`).

The fit minimises, approximately, the weighted squared log ratio of observed to modelled
values plus ``prior_weight`` times the squared log factor of every cell: each update moves
a cell's log factor by

    (sum_k w_k p_k,od ln(observed_k / modelled_k) - prior_weight ln f_od)
    / max(sum_k w_k p_k,od + prior_weight, 1)

(times a damping), so at the fixed point a cell moves from the statistics only as far as
the observations passing it outweigh ``prior_weight`` observations that say "the statistics
were right". With ``prior_weight`` 0 this is the unpenalised ME2 update (a cell may then go
to :data:`MAX_FACTOR` on one count, and a few km of length that reroute a zone pair move the
calibration with it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.demand.estimate import geh
from amur.demand.statistics import DemandPrior

__all__ = ["MAX_FACTOR", "PRIOR_WEIGHTS", "FactorProblem", "choose_prior_weight"]

FloatArray = NDArray[np.float64]

#: No factor moves a statistics cell by more than this (up or down): a cell that only a
#: count or two sees cannot run away when the bootstrap repeats those counts.
MAX_FACTOR = 20.0

#: The penalty weights the cross-validation chooses among (observations' worth of belief in
#: the statistics, per cell); 0 is the unpenalised fit.
PRIOR_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


@dataclass
class FactorProblem:
    """Observations with their incidence on the (commodity, zone pair) factors.

    Attributes
    ----------
    commodities : list of str
    observed : ndarray, shape (n_obs,)
        t/year.
    years : list of int
        Each observation's year (its prior's year).
    incidence : list of dict of str to ndarray, shape (n_zones, n_zones)
        Per observation: commodity -> the share of each zone pair's t/year it sees.
    """

    commodities: list[str]
    observed: FloatArray
    years: list[int]
    incidence: list[dict[str, FloatArray]]

    def arrays(self, prior: DemandPrior) -> dict[str, tuple[FloatArray, FloatArray]]:
        """Per commodity: incidence (n_obs, n, n) and each observation's year's prior."""
        n = len(prior.zones)
        out = {}
        for c in self.commodities:
            p = np.array([inc.get(c, np.zeros((n, n))) for inc in self.incidence])
            t = np.array([prior.matrices[c, y] for y in self.years])
            out[c] = (p.reshape(len(self.years), n, n), t.reshape(len(self.years), n, n))
        return out

    def modelled(
        self,
        prior: DemandPrior,
        factors: Mapping[str, FloatArray],
        arrays: Mapping[str, tuple[FloatArray, FloatArray]] | None = None,
    ) -> FloatArray:
        """Each observation's modelled t/year with the routes fixed."""
        arrays = arrays or self.arrays(prior)
        total = np.zeros(len(self.years))
        for c, (p, t) in arrays.items():
            total += np.einsum("kod,kod->k", p * t, factors[c][None])
        return total

    def fit(
        self,
        prior: DemandPrior,
        weights: FloatArray,
        iterations: int = 60,
        damping: float = 0.5,
        arrays: Mapping[str, tuple[FloatArray, FloatArray]] | None = None,
        prior_weight: float = 0.0,
    ) -> dict[str, FloatArray]:
        """Penalised multiplicative updates of the factors, starting at 1; one fit, or
        several at once (a bootstrap, a cross-validation).

        Parameters
        ----------
        prior : DemandPrior
        weights : ndarray, shape (n_obs,) or (n_fits, n_obs)
            Per observation (0 drops one, a bootstrap repeats one); a row per fit.
        iterations : int
        damping : float
            Share of each update's log step taken.
        arrays : mapping, optional
            :meth:`arrays` of ``prior``, when already at hand.
        prior_weight : float
            Weight of the statistics against the observations in every cell (see the
            module docstring); 0 for none.

        Returns
        -------
        dict of str to ndarray, shape (n_zones, n_zones) or (n_fits, n_zones, n_zones)
            Factor of each commodity and zone pair, within :data:`MAX_FACTOR` either way.
        """
        one = np.ndim(weights) == 1
        arrays = arrays or self.arrays(prior)
        w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
        n = len(prior.zones)
        cells = n * n
        flat = {
            c: (p.reshape(-1, cells), (p * t).reshape(-1, cells)) for c, (p, t) in arrays.items()
        }
        log_f = {c: np.zeros((w.shape[0], cells)) for c in flat}
        passes = {c: w @ p for c, (p, _) in flat.items()}
        bound = np.log(MAX_FACTOR)
        for _ in range(iterations):
            model = np.zeros(w.shape)
            for c, (_, pt) in flat.items():
                model += np.exp(log_f[c]) @ pt.T
            ratio = np.log(np.where(model > 0, self.observed / np.maximum(model, 1e-300), 1.0))
            for c, (p, _) in flat.items():
                pull = (w * ratio) @ p - prior_weight * log_f[c]
                step = pull / np.maximum(passes[c] + prior_weight, 1.0)
                log_f[c] = np.clip(log_f[c] + damping * step, -bound, bound)
        out = {c: np.exp(v).reshape(-1, n, n) for c, v in log_f.items()}
        return {c: f[0] for c, f in out.items()} if one else out


def choose_prior_weight(
    problem: FactorProblem,
    prior: DemandPrior,
    n_counts: int,
    candidates: Sequence[float] = PRIOR_WEIGHTS,
) -> tuple[float, pd.DataFrame]:
    """The penalty weight that predicts held-out calibration counts best.

    Each of the first ``n_counts`` observations (the calibration counts; the statistics
    after them always stay in) is left out in turn, the factors fitted on the rest, and the
    left-out count predicted with the routes fixed. The weight with the smallest median GEH
    of those predictions wins; a tie goes to the larger weight (the stiffer fit). The
    validation counts never enter.

    Parameters
    ----------
    problem : FactorProblem
        Counts first, then statistics.
    prior : DemandPrior
    n_counts : int
        How many of ``problem``'s observations are calibration counts.
    candidates : sequence of float
        Weights to try (each >= 0).

    Returns
    -------
    weight : float
    table : pandas.DataFrame
        ``prior_weight, loo_geh_median, loo_geh_mean, chosen`` of each candidate.
    """
    arrays = problem.arrays(prior)
    weights = np.ones((n_counts, problem.observed.size))
    weights[np.arange(n_counts), np.arange(n_counts)] = 0.0  # fit i leaves count i out
    rows = []
    for lam in candidates:
        many = problem.fit(prior, weights, arrays=arrays, prior_weight=float(lam))
        predicted = np.array(
            [
                problem.modelled(prior, {c: f[i] for c, f in many.items()}, arrays)[i]
                for i in range(n_counts)
            ]
        )
        g = geh(predicted, problem.observed[:n_counts])
        rows.append((float(lam), float(np.median(g)), float(np.mean(g))))
    table = pd.DataFrame(rows, columns=["prior_weight", "loo_geh_median", "loo_geh_mean"])
    best = table["loo_geh_median"].min()
    chosen = float(table.loc[table["loo_geh_median"] <= best + 1e-9, "prior_weight"].max())
    return chosen, table.assign(chosen=table["prior_weight"] == chosen)
