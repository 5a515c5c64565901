"""Rebuild the built-in demand of northeast-asia: src/amur/data/northeast_asia/demand.csv.

Gravity prior from regions.csv (GDP) and free-flow generalized costs, estimated against
counts.csv on the 2018 network (see amur.demand.estimate); prints the fit (GEH, R²) and
writes demand_fit.csv beside the demand, and the check against the held-out counts
(validation_counts.csv) to demand_validation.csv. Run: .venv/bin/python tools/build_demand.py
"""

from __future__ import annotations

from amur.data import dataset_path
from amur.demand.builtin import build_builtin_demand, validate_builtin_demand
from amur.demand.tables import write_demand_csv


def main() -> None:
    """Estimate, write demand.csv and demand_fit.csv, print the fit."""
    demand, estimate = build_builtin_demand()
    folder = dataset_path("northeast-asia")
    write_demand_csv(demand, folder / "demand.csv")
    table = estimate.fit.table.assign(prior_t_per_year=estimate.prior_fit.table[
        "modelled_t_per_year"], prior_geh=estimate.prior_fit.table["geh"])
    table.to_csv(folder / "demand_fit.csv", index=False, float_format="%.6g")
    print(table.to_string(index=False))
    print(f"R2 prior {estimate.prior_fit.r2:.4f}, estimated {estimate.fit.r2:.4f}; "
          f"total {demand.total():,.0f} t/year")
    held_out = validate_builtin_demand()
    held_out.table.to_csv(folder / "demand_validation.csv", index=False, float_format="%.6g")
    print("held out:")
    print(held_out.table.to_string(index=False))


if __name__ == "__main__":
    main()
