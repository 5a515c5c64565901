"""`amur appraise`: a project's economic and financial appraisal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amur.cli._app import (
    JsonOpt,
    NetworkOpt,
    app,
    checked,
    err,
    load_network,
    out,
    output,
    print_json,
)


@app.command("appraise")
def appraise_command(
    project: Annotated[
        str,
        typer.Argument(
            help="Built-in project (amur-road-bridge, tongjiang-rail-bridge, korea-rail, "
            "primorye-upgrade) or a project TOML file."
        ),
    ],
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            callback=checked("draws", "--draws"),
            help="Monte Carlo draws (0: the central case only).",
        ),
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", callback=checked("seed", "--seed"), help="Seed of the draws.")
    ] = 20240601,
    discount: Annotated[
        float | None,
        typer.Option(
            "--discount",
            callback=checked("discount_pct", "--discount"),
            help="Economic discount rate, % real (default: the project's, 6).",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            callback=output("--report", folder=True),
            help="Also write an HTML report with charts under DIR/appraise/PROJECT/.",
        ),
    ] = None,
    network: NetworkOpt = "northeast-asia",
    traffic: Annotated[
        str,
        typer.Option(
            "--traffic",
            help="assignment (assign the built-in demand with and without the "
            "project; rule-of-a-half benefits by OD pair), project (the project "
            "file's traffic; 'file' is the same) or auto (the default: "
            "assignment where the project names links and od in the network and "
            "the built-in demand applies, else project).",
        ),
    ] = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Economic NPV, BCR and IRR, DSCR by year, and percentiles over Monte Carlo draws."""
    from amur.impact import appraise
    from amur.impact.format import appraisal_table

    result = appraise(
        project,
        network=load_network(network),
        draws=draws,
        seed=seed,
        discount_pct=discount,
        traffic=traffic,
    )
    if report is not None:
        from amur.report.html import appraisal_report

        written = appraisal_report(result, report)
    if as_json:
        print_json(result.to_dict())
    else:
        out.print(appraisal_table(result))
    if report is not None:
        err.print(f"amur: report written to {written}", markup=False, highlight=False)
