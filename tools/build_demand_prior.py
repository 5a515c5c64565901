"""Rebuild the statistics demand of northeast-asia: src/amur/data/northeast_asia/demand_prior.csv.

Reads commodities.csv, demand_zones.csv and trade_statistics.csv (sources in
demand_sources.csv), converts every statistic to tonnes a year and splits it over its zones
(amur.demand.statistics), and writes one row per zone pair, commodity and year, plus
demand_prior_basis.csv saying which years have their own statistic and which take the
nearest year's. Run: .venv/bin/python tools/build_demand_prior.py
"""

from __future__ import annotations

from amur.data import dataset_path
from amur.demand.statistics import builtin_prior, prior_table


def main() -> None:
    """Build and write the two files; print the totals by commodity and year."""
    prior = builtin_prior()
    folder = dataset_path("northeast-asia")
    table = prior_table(prior)
    table.to_csv(folder / "demand_prior.csv", index=False, float_format="%.6f")
    prior.basis.to_csv(folder / "demand_prior_basis.csv", index=False, float_format="%.6f")
    print(table.pivot_table(index="commodity", columns="year", values="value",
                            aggfunc="sum").div(1e6).round(2).to_string())


if __name__ == "__main__":
    main()
