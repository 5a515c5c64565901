"""`amur estimate-demand`: OD demand estimated from link counts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amur.cli._app import (
    JsonOpt,
    NetworkOpt,
    ScenarioOpt,
    app,
    out,
    output,
    print_json,
    setting,
)
from amur.cli._format import rich_frame


@app.command("estimate-demand")
def estimate_demand_command(
    counts: Annotated[
        Path, typer.Option(help="Counts CSV: id, link or from,to, [direction], value, unit.")
    ],
    prior: Annotated[
        Path | None,
        typer.Option(
            help="Prior demand CSV (origin, destination, value); a gravity prior from the "
            "dataset's regions by default."
        ),
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", callback=output("--out"), help="Write the demand CSV.")
    ] = None,
    scenario: ScenarioOpt = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Estimate OD demand from link counts (gravity or given prior, bi-level adjustment)."""
    from amur.demand import ODMatrices, read_demand_csv, write_demand_csv
    from amur.demand.builtin import builtin_setting
    from amur.demand.estimate import estimate_demand, gravity_prior, read_counts

    net, year, month, modes = setting(network, scenario, None, None)
    if prior is not None:
        od = read_demand_csv(prior)
        built = builtin_setting(
            net, network, year, month, modes, zones=[net.place(z) for z in od.zones]
        )
        matrix = od.combined()
    else:
        built = builtin_setting(net, network, year, month, modes)
        matrix = gravity_prior(built.seasons, built.regions["gdp_usd_bn"], built.regions["country"])
    seasons = built.seasons
    est = estimate_demand(seasons, matrix, read_counts(counts, seasons.t_per_teu))
    if out_file is not None:
        write_demand_csv(ODMatrices(seasons.zones, {"all": est.demand}), out_file)
    table = est.fit.table.assign(prior_geh=est.prior_fit.table["geh"])
    if as_json:
        print_json(
            {
                "r2": est.fit.r2,
                "prior_r2": est.prior_fit.r2,
                "counts": table.to_dict("records"),
                "total_t_per_year": float(est.demand.sum()),
                "file": str(out_file) if out_file else None,
            }
        )
        return
    out.print(
        rich_frame(
            table,
            f"Fit to counts: R² {est.fit.r2:.3f} (prior {est.prior_fit.r2:.3f}); GEH on kt/year",
            {
                "observed_t_per_year": ",.0f",
                "modelled_t_per_year": ",.0f",
                "geh": ".1f",
                "prior_geh": ".1f",
            },
        )
    )
    if out_file is not None:
        out.print(f"wrote {out_file}")
