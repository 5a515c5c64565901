"""`amur services`: the scheduled services of a network (block trains, sailings)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from amur.cli._app import JsonOpt, NetworkOpt, ScenarioOpt, YearOpt, app, out, print_json, setting


@app.command("services")
def services_command(
    place: Annotated[
        str | None, typer.Option(help="Only services calling at this place (id, name or alias).")
    ] = None,
    year: YearOpt = None,
    operator: Annotated[
        str | None, typer.Option(help="Only services whose operator contains this text.")
    ] = None,
    scenario: ScenarioOpt = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """List the scheduled services: calls, departures, transit time, price, capacity, sources."""
    from amur.graph.service_list import describe_services

    net, year, _, _ = setting(network, scenario, year, None)
    found = describe_services(net, place=place, year=year, operator=operator)
    if as_json:
        print_json(
            {
                "network": net.name,
                "scenario": scenario,
                "year": year,
                "unit": "time in hours; price, subsidy in USD per TEU",
                "services": found,
            }
        )
        return
    when = f" in {year}" if year is not None else ""
    table = Table(title=f"{len(found)} services in {net.name}{when}")
    for c in (
        "service",
        "operator",
        "calls",
        "years",
        "a week",
        "wait h",
        "days",
        "USD/TEU",
        "subsidy",
        "TEU/dep.",
    ):
        table.add_column(
            c,
            justify="right"
            if c in ("a week", "wait h", "days", "USD/TEU", "subsidy", "TEU/dep.")
            else "left",
        )
    for s in found:
        years = f"{s['first_year']}–{s['last_year'] or ''}"
        table.add_row(
            str(s["name"]),
            str(s["operator"] or ""),
            " > ".join(s["call_names"]),  # type: ignore[arg-type]
            years,
            f"{s['departures_per_week']:g}",
            f"{s['wait_h']:.0f}",
            _num(s["time_h"], 24.0, "{:.1f}"),
            _num(s["price_usd_per_teu"], 1.0, "{:,.0f}"),
            _num(s["subsidy_usd_per_teu"], 1.0, "{:,.0f}"),
            _num(s["capacity_teu_per_departure"], 1.0, "{:,.0f}"),
        )
    out.print(table)


def _num(value: object, divide: float, form: str) -> str:
    return "" if value is None else form.format(float(value) / divide)  # type: ignore[arg-type]
