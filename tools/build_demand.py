"""Rebuild the built-in demand of northeast-asia from its statistics tables.

Reads commodities.csv, demand_zones.csv, trade_statistics.csv (sources in
demand_sources.csv), commodity_counts.csv (calibration, to 2021) and
commodity_validation_counts.csv (held out); builds the demand by commodity and year from
the statistics (amur.demand.statistics), calibrates it to the counts and statistics and
checks it on the held-out counts (amur.demand.calibrate), and writes beside them:

- demand_prior.csv, demand_prior_basis.csv: the statistics demand, and which years take a
  nearer year's statistic;
- demand.csv: the calibrated demand of the base year (2021), by commodity;
- demand_years.csv: every year, each cell with its bootstrap range (low, high);
- demand_fit.csv, demand_validation.csv: observed and modelled counts, GEH, ranges;
- demand_statistics_fit.csv: each statistic against the calibrated demand;
- demand_cross_validation.csv: the leave-one-out choice of the calibration's prior weight.

Run: .venv/bin/python tools/build_demand.py
"""

from __future__ import annotations

import numpy as np

from amur.data import dataset_path
from amur.demand.builtin import BASE_YEAR, build_builtin_demand
from amur.demand.matrix import ODMatrices
from amur.demand.statistics import builtin_prior, prior_table
from amur.demand.tables import write_demand_csv

#: Bootstrap resamples of the calibration counts.
BOOTSTRAP = 200


def write_prior(folder) -> None:  # type: ignore[no-untyped-def]
    """demand_prior.csv and demand_prior_basis.csv."""
    prior = builtin_prior()
    prior_table(prior).to_csv(folder / "demand_prior.csv", index=False, float_format="%.6f")
    prior.basis.to_csv(folder / "demand_prior_basis.csv", index=False, float_format="%.6f")


def main() -> None:
    """Build, calibrate, write the files; print the fit."""
    folder = dataset_path("northeast-asia")
    write_prior(folder)
    cal = build_builtin_demand(bootstrap=BOOTSTRAP)
    names = sorted({c for c, _ in cal.matrices})
    base = ODMatrices(cal.zones, {c: cal.matrices[c, BASE_YEAR] for c in names})
    write_demand_csv(base, folder / "demand.csv")
    cal.ranges.to_csv(folder / "demand_years.csv", index=False, float_format="%.6f")
    cal.calibration.table.to_csv(folder / "demand_fit.csv", index=False, float_format="%.6g")
    cal.validation.table.to_csv(folder / "demand_validation.csv", index=False, float_format="%.6g")
    cal.statistics_fit.to_csv(
        folder / "demand_statistics_fit.csv", index=False, float_format="%.6g"
    )
    if cal.cross_validation is not None:
        cal.cross_validation.to_csv(
            folder / "demand_cross_validation.csv", index=False, float_format="%.6g"
        )
        print(cal.cross_validation.to_string(index=False))
    print(f"prior weight: {cal.prior_weight:g}")
    for name, fit in (("calibration", cal.calibration), ("validation", cal.validation)):
        print(
            f"{name}: {len(fit.table)} counts, median GEH "
            f"{float(np.median(fit.table['geh'])):.1f}, R2 {fit.r2:.3f}"
        )
        print(fit.table.to_string(index=False))
    print(cal.totals().to_string(index=False))


if __name__ == "__main__":
    main()
