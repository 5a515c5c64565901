"""The command line: ``amur places``, ``amur route``, ``amur corridors``, ``amur data sources``.

Thin by design: each command parses its options, calls one library function and formats the
answer as a Rich table or JSON. Every error a user can cause is printed as one line on
standard error with exit code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from amur.errors import AmurError, InputError

app = typer.Typer(
    name="amur",
    help="amur: freight corridor model. Routes with days, dollars and CO2 leg by leg.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(help="The data behind the network: sources and estimates.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")

out = Console()
err = Console(stderr=True, soft_wrap=True)

NetworkOpt = Annotated[str, typer.Option("--network", "-n",
                                         help="Built-in dataset name or a network folder.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Links in service in this year.")]
MonthOpt = Annotated[int | None, typer.Option("--month", min=1, max=12,
                                              help="Links running in this month (1-12).")]


def _load(network: str) -> Any:
    from amur.data import load

    return load(network)


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@app.command()
def places(
    network: NetworkOpt = "northeast-asia",
    country: Annotated[str | None, typer.Option(help="ISO2 country code, e.g. CN.")] = None,
    kind: Annotated[str | None, typer.Option(help="city, rail_terminal, seaport, "
                                             "border_crossing or junction.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the places of a network."""
    from amur.network import NodeKind

    net = _load(network)
    nodes = net.nodes
    if kind is not None and kind not in {k.value for k in NodeKind}:
        raise InputError(f"unknown kind {kind!r}; expected one of "
                         f"{', '.join(k.value for k in NodeKind)}", field="kind")
    if country is not None:
        nodes = nodes[nodes["country"].str.upper() == country.upper()]
    if kind is not None:
        nodes = nodes[nodes["kind"] == kind]
    columns = ["id", "name", "aliases", "country", "kind", "gauge", "lat", "lon"]
    if as_json:
        records = nodes[columns].astype(object).where(nodes[columns].notna(), None)
        _print_json({"network": net.name, "places": records.to_dict("records")})
        return
    table = Table(title=f"{len(nodes)} places in {net.name}")
    for c in columns:
        table.add_column(c, justify="right" if c in ("lat", "lon") else "left")
    for rec in nodes[columns].itertuples(index=False):
        table.add_row(*["" if v is None or v != v else str(v) for v in rec])
    out.print(table)


@app.command("route")
def route_command(
    origin: Annotated[str, typer.Argument(help="From: place id, name or alias.")],
    destination: Annotated[str, typer.Argument(help="To: place id, name or alias.")],
    by: Annotated[str, typer.Option(
        help="generalized (money + value of time), time, cost, co2 or length.")] = "generalized",
    via: Annotated[list[str] | None, typer.Option(help="Pass this place (repeatable).")] = None,
    alternatives: Annotated[int, typer.Option("--alternatives", "-k", min=1,
                                              help="Routes by this many corridors.")] = 1,
    pareto: Annotated[bool, typer.Option(help="The Pareto set over time and cost.")] = False,
    cargo_value: Annotated[float | None, typer.Option(
        help="Cargo value, USD per TEU (generalized cost).")] = None,
    time_value: Annotated[float | None, typer.Option(
        help="Cost of a day in transit, % of cargo value (generalized cost).")] = None,
    year: YearOpt = None,
    month: MonthOpt = None,
    network: NetworkOpt = "northeast-asia",
    legs: Annotated[bool, typer.Option(help="Show the legs of each route.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """The best freight route between two places, leg by leg."""
    from amur.paths import pareto_routes, route

    net = _load(network)
    if pareto:
        routes = pareto_routes(net, origin, destination, year=year, month=month)
        by_label = "pareto:time,cost"
    else:
        routes = route(net, origin, destination, by=by, via=via or (),
                       alternatives=alternatives, year=year, month=month,
                       value_usd_per_teu=cargo_value, time_value_pct_per_day=time_value)
        by_label = by
    if as_json:
        _print_json({
            "from": routes[0].origin,
            "to": routes[0].destination,
            "by": by_label,
            "network": net.name,
            "year": year,
            "month": month,
            "routes": [r.to_dict() for r in routes],
        })
        return
    summary = Table(title=f"{net.place_name(routes[0].origin)} to "
                          f"{net.place_name(routes[0].destination)}, by {by_label}")
    for c in ("rank", "km", "days", "USD/TEU", "kg CO2/TEU", "via", "gauge changes"):
        summary.add_column(c, justify="left" if c in ("via", "gauge changes") else "right")
    for r in routes:
        summary.add_row(str(r.rank), f"{r.length_km:,.0f}", f"{r.time_days:.1f}",
                        f"{r.cost_usd_per_teu:,.0f}", f"{r.co2_kg_per_teu:,.0f}",
                        " > ".join(r.via), " ".join(r.gauge_changes))
    out.print(summary)
    if legs:
        for r in routes:
            out.print(_legs_table(net, r))


def _legs_table(net: Any, r: Any) -> Table:
    table = Table(title=f"route {r.rank}: legs")
    for c in ("from", "to", "mode", "gauge", "km", "hours", "USD/TEU", "kg CO2/TEU"):
        table.add_column(c, justify="right" if c in ("km", "hours", "USD/TEU",
                                                      "kg CO2/TEU") else "left")
    for leg in r.legs:
        mode = leg.mode if leg.kind == "link" else leg.kind.replace("_", " ")
        table.add_row(net.place_name(leg.from_node), net.place_name(leg.to_node), mode,
                      leg.gauge, f"{leg.length_km:,.0f}", f"{leg.time_h:,.1f}",
                      f"{leg.cost_usd_per_teu:,.0f}", f"{leg.co2_kg_per_teu:,.1f}")
    return table


@app.command()
def corridors(
    origin: Annotated[str, typer.Option("--from", help="Origin of every route.")] = "harbin",
    to: Annotated[list[str] | None, typer.Option(
        help="Destination (repeatable); the mission's five by default.")] = None,
    by: Annotated[str, typer.Option(
        help="generalized, time, cost, co2 or length.")] = "generalized",
    year: YearOpt = None,
    month: MonthOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for CSV and Markdown.")] = Path(
        "out"),
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """The mission's corridor table: Harbin to Hamburg, Moscow, Busan, Niigata and Tokyo,
    each by every corridor that reaches it; written as CSV and Markdown."""
    from amur.data import corridors as dataset_corridors
    from amur.paths.corridors import corridor_table
    from amur.report.tables import write_table

    net = _load(network)
    destinations = to or ["hamburg", "moscow", "busan", "niigata", "tokyo"]
    table = corridor_table(net, origin, destinations, dataset_corridors(network), by=by,
                           year=year, month=month)
    written = write_table(table, out_dir, "corridors",
                          title=f"Corridors from {net.place_name(net.place(origin))}, "
                                f"best by {by}")
    if as_json:
        _print_json({"from": net.place(origin), "by": by,
                     "rows": table.to_dict("records"), "files": [str(p) for p in written]})
        return
    rich_table = Table(title=f"Corridors from {net.place_name(net.place(origin))} (by {by})")
    shown = {"destination": "to", "corridor_name": "corridor", "length_km": "km",
             "time_days": "days", "cost_usd_per_teu": "USD/TEU", "co2_kg_per_teu": "kg CO2/TEU",
             f"rank_by_{by}": "rank"}
    for column, label in shown.items():
        rich_table.add_column(label, justify="left" if column in ("destination",
                                                                   "corridor_name") else "right")
    for rec in table.to_dict("records"):
        rich_table.add_row(net.place_name(rec["destination"]), rec["corridor_name"],
                           f"{rec['length_km']:,.0f}", f"{rec['time_days']:.1f}",
                           f"{rec['cost_usd_per_teu']:,.0f}", f"{rec['co2_kg_per_teu']:,.0f}",
                           str(rec[f"rank_by_{by}"]))
    out.print(rich_table)
    for path in written:
        out.print(f"wrote {path}")


@data_app.command("sources")
def data_sources(
    route_places: Annotated[tuple[str, str] | None, typer.Option(
        "--route", help="FROM TO: only the sources the best route rests on.")] = None,
    by: Annotated[str, typer.Option(help="Criterion of that route.")] = "generalized",
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """List the sources of a network's figures, or of one route, and which are estimates."""
    from amur.paths import route

    net = _load(network)
    sources = net.sources
    if route_places is not None:
        best = route(net, route_places[0], route_places[1], by=by)[0]
        sources = sources[sources["id"].isin(best.source_ids)]
    columns = ["id", "kind", "title", "url", "note"]
    records = sources[columns].astype(object).where(sources[columns].notna(), None)
    if as_json:
        _print_json({"network": net.name, "sources": records.to_dict("records")})
        return
    table = Table(title=f"{len(sources)} sources", show_lines=False)
    for c in columns[:4]:
        table.add_column(c, overflow="fold")
    for rec in records.itertuples(index=False):
        style = "yellow" if rec.kind in ("estimate", "recalled") else None
        table.add_row(rec.id, rec.kind, rec.title or "", rec.url or "", style=style)
    out.print(table)
    flagged = int(sources["kind"].isin(["estimate", "recalled"]).sum())
    out.print(f"{flagged} of {len(sources)} are estimates or recalled figures (in yellow).")


def main(argv: list[str] | None = None) -> None:
    """Run the command line; AmurErrors become one line on stderr and exit code 2."""
    try:
        app(args=argv, standalone_mode=False)
    except AmurError as exc:
        err.print(f"amur: error: {exc.message}", markup=False, highlight=False)
        raise SystemExit(2) from None
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        raise SystemExit(code) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except Exception as exc:  # usage errors from the option parser, and anything unexpected
        show = getattr(exc, "show", None)
        if isinstance(exc, typer.TyperException) and callable(show):
            show()
            raise SystemExit(int(getattr(exc, "exit_code", 2))) from None
        err.print(f"amur: internal error: {type(exc).__name__}: {exc} (please report it)",
                  markup=False, highlight=False)
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
