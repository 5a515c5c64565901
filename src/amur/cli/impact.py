"""`amur impact`: market access by region in two scenarios, or the Dongbei story."""

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
from amur.errors import InputError


@app.command("impact")
def impact_command(
    a: Annotated[
        str | None,
        typer.Argument(
            help="Scenario A (before): a scenario name such as 2014, a TOML file, or 'today'."
        ),
    ] = None,
    b: Annotated[str | None, typer.Argument(help="Scenario B (after), e.g. 'today'.")] = None,
    theta: Annotated[
        float,
        typer.Option(
            "--theta",
            callback=checked("theta", "--theta"),
            help="Trade elasticity, above 0 (sensitivity: 4 and 8.2).",
        ),
    ] = 5.0,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="Market access form: firm (costs from the region), consumer (costs "
            "to it) or combined (Reed & Trubetskoy, beta 0.65).",
        ),
    ] = "firm",
    regions: Annotated[
        Path | None,
        typer.Option(
            "--regions",
            help="Regions CSV (region_id, name, gdp_usd_bn, node) instead of the built-in table.",
        ),
    ] = None,
    show_story: Annotated[
        bool,
        typer.Option(
            "--story",
            help="Dongbei: corridors alone (2014 against today) and export mix, "
            "theta 4, 5 and 8.2.",
        ),
    ] = False,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            callback=output("--chart"),
            help="Also write a bar chart (PNG) of the change here.",
        ),
    ] = None,
    geojson: Annotated[
        Path | None,
        typer.Option(
            "--geojson",
            callback=output("--geojson"),
            help="Also write the map layer (GeoJSON points) here.",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            callback=output("--report", folder=True),
            help="Also write an HTML report with charts under DIR/impact/A-B/.",
        ),
    ] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Market access by region in two scenarios and its change, or the Dongbei story."""
    from amur.impact import compare_scenarios, read_regions, story, write_geojson
    from amur.impact.format import change_table, story_table

    net = load_network(network)
    user_regions = read_regions(regions, network=net) if regions is not None else None
    if show_story:
        if report is not None:
            raise InputError(
                "--report is not available with --story; give two scenarios, "
                "e.g. `amur impact 2014 today --report out`",
                field="report",
            )
        result = story(net, regions=user_regions)
        if as_json:
            print_json(result.to_dict())
        else:
            out.print(story_table(result))
        return
    if a is None or b is None:
        raise InputError(
            "give two scenarios, e.g. `amur impact 2014 today`, or --story", field="scenario"
        )
    change = compare_scenarios(net, a, b, theta=theta, regions=user_regions, kind=kind)
    if chart is not None:
        change.chart(chart)
    if geojson is not None:
        write_geojson(change, geojson)
    if report is not None:
        from amur.report.html import impact_report

        written = impact_report(change, report)
    if as_json:
        print_json(change.to_dict())
    else:
        out.print(change_table(change))
    if report is not None:
        err.print(f"amur: report written to {written}", markup=False, highlight=False)
