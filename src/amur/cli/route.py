"""`amur route`: the best route between two places, leg by leg."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from amur.cli._app import (
    CommodityOpt,
    JsonOpt,
    MonthOpt,
    NetworkOpt,
    ScenarioOpt,
    YearOpt,
    app,
    checked,
    out,
    print_json,
    setting,
)


@app.command("route")
def route_command(
    origin: Annotated[str, typer.Argument(help="From: place id, name or alias.")],
    destination: Annotated[str, typer.Argument(help="To: place id, name or alias.")],
    by: Annotated[
        str | None,
        typer.Option(
            help="generalized (money + value of time, the default), time, cost, co2 or length."
        ),
    ] = None,
    via: Annotated[list[str] | None, typer.Option(help="Pass this place (repeatable).")] = None,
    avoid: Annotated[
        list[str] | None,
        typer.Option(help="Do not pass this place, e.g. a closed crossing (repeatable)."),
    ] = None,
    alternatives: Annotated[
        int,
        typer.Option(
            "--alternatives",
            "-k",
            callback=checked("alternatives", "--alternatives"),
            help="Routes by this many corridors (1-10).",
        ),
    ] = 1,
    pareto: Annotated[bool, typer.Option(help="The Pareto set over time and cost.")] = False,
    cargo_value: Annotated[
        float | None,
        typer.Option(
            callback=checked("value_usd_per_teu", "--cargo-value"),
            help="Cargo value, USD per TEU (generalized cost).",
        ),
    ] = None,
    time_value: Annotated[
        float | None,
        typer.Option(
            callback=checked("time_value_pct_per_day", "--time-value"),
            help="Cost of a day in transit, % of cargo value (generalized cost).",
        ),
    ] = None,
    year: YearOpt = None,
    month: MonthOpt = None,
    scenario: ScenarioOpt = None,
    commodity: CommodityOpt = None,
    network: NetworkOpt = "northeast-asia",
    legs: Annotated[bool, typer.Option(help="Show the legs of each route.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """The best freight route between two places, leg by leg."""
    from amur.options import check_choice, check_pareto
    from amur.paths import CRITERIA
    from amur.paths.answer import route_document

    if pareto:
        check_pareto(
            via=via or (),
            alternatives=alternatives,
            by=by,
            names={
                "pareto": "--pareto",
                "via": "--via",
                "by": "--by",
                "alternatives": "--alternatives",
            },
        )
    by = check_choice("by", by or "generalized", CRITERIA, "--by", what="criterion")
    question: dict[str, Any] = {
        "by": by,
        "via": via or (),
        "avoid": avoid or (),
        "alternatives": alternatives,
        "value_usd_per_teu": cargo_value,
        "time_value_pct_per_day": time_value,
    }
    if quick(network, scenario, commodity, pareto):
        # A built-in network as it is: answered from the cache on disk, without pandas.
        from amur.paths.quick import route_builtin

        routes, tables = route_builtin(
            network, origin, destination, year=year, month=month, **question
        )
        places, name, by_label = tables.places, tables.name, by
    else:
        routes, places, name, by_label, year, month = _routes_on_setting(
            origin,
            destination,
            question,
            pareto=pareto,
            year=year,
            month=month,
            scenario=scenario,
            commodity=commodity,
            network=network,
        )
    if as_json:
        print_json(
            route_document(
                routes,
                by=by_label,
                network=name,
                scenario=scenario,
                year=year,
                month=month,
                avoid=[places.place(a) for a in avoid or ()],
            )
        )
        return
    when = "".join(
        [
            f", scenario {scenario}" if scenario else "",
            f", {year}" if year is not None else "",
            f", month {month}" if month is not None else "",
        ]
    )
    summary = Table(
        title=f"{places.place_name(routes[0].origin)} to "
        f"{places.place_name(routes[0].destination)}, by {by_label}{when}"
    )
    ridden = any(r.services for r in routes)  # a column for services only if one rides one
    for c in (
        "rank",
        "km",
        "days",
        "USD/TEU",
        "kg CO2/TEU",
        "via",
        "gauge changes",
        *(("services",) if ridden else ()),
    ):
        summary.add_column(
            c, justify="left" if c in ("via", "gauge changes", "services") else "right"
        )
    for r in routes:
        summary.add_row(
            str(r.rank),
            f"{r.length_km:,.0f}",
            days_range(r),
            f"{r.cost_usd_per_teu:,.0f}",
            f"{r.co2_kg_per_teu:,.0f}",
            " > ".join(r.via),
            " ".join(r.gauge_changes),
            *(("; ".join(s.name for s in r.services),) if ridden else ()),
        )
    out.print(summary)
    if legs:
        for r in routes:
            out.print(_legs_table(places, r))


def days_range(r: Any) -> str:
    """Typical days with the range where there is one: ``16.6 d (14–21)``."""
    low, high = r.time_days_range
    if round(low, 1) == round(high, 1):
        return f"{r.time_days:.1f} d"
    return f"{r.time_days:.1f} d ({low:.0f}–{high:.0f})"


def hours_range(leg: Any) -> str:
    """Typical hours of a leg with its range where there is one: ``4.0 (0.5–12)``."""
    if round(leg.time_h_low, 1) == round(leg.time_h_high, 1):
        return f"{leg.time_h:,.1f}"
    return f"{leg.time_h:,.1f} ({leg.time_h_low:,.3g}–{leg.time_h_high:,.3g})"


def quick(network: str, scenario: str | None, commodity: str | None, pareto: bool) -> bool:
    """Whether a route question is answered from the cache on disk
    (:func:`amur.paths.quick.route_builtin`): a built-in network with no scenario,
    commodity or Pareto set; the answer is the same either way (a test compares them).
    """
    from amur.data import DATASETS

    return network in DATASETS and scenario is None and commodity is None and not pareto


def _routes_on_setting(
    origin: str,
    destination: str,
    question: dict[str, Any],
    *,
    pareto: bool,
    year: int | None,
    month: int | None,
    scenario: str | None,
    commodity: str | None,
    network: str,
) -> tuple[list[Any], Any, str, str, int | None, int | None]:
    """Routes on the loaded network with its scenario applied: the routes, the places,
    the network's name, the criterion's label, the year and the month.
    """
    from amur.paths import pareto_routes, route

    net, year, month, modes = setting(network, scenario, year, month, commodity)
    if pareto:
        routes = pareto_routes(
            net.without_places(question["avoid"]),
            origin,
            destination,
            year=year,
            month=month,
            modes=modes,
        )
        return routes, net.places, net.name, "pareto:time,cost", year, month
    routes = route(net, origin, destination, year=year, month=month, modes=modes, **question)
    return routes, net.places, net.name, question["by"], year, month


def _legs_table(places: Any, r: Any) -> Table:
    table = Table(title=f"route {r.rank}: legs")
    ridden = bool(r.services)
    for c in (
        "from",
        "to",
        "mode",
        "gauge",
        "km",
        "hours",
        "USD/TEU",
        "kg CO2/TEU",
        *(("service",) if ridden else ()),
    ):
        table.add_column(
            c, justify="right" if c in ("km", "hours", "USD/TEU", "kg CO2/TEU") else "left"
        )
    for leg in r.legs:
        mode = leg.mode if leg.kind == "link" else leg.kind.replace("_", " ")
        table.add_row(
            places.place_name(leg.from_node),
            places.place_name(leg.to_node),
            mode,
            leg.gauge,
            f"{leg.length_km:,.0f}",
            hours_range(leg),
            f"{leg.cost_usd_per_teu:,.0f}",
            f"{leg.co2_kg_per_teu:,.1f}",
            *(("; ".join(s.name for s in leg.services),) if ridden else ()),
        )
    return table
