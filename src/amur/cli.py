"""The command line: ``amur places``, ``amur route``, ``amur corridors``, ``amur compare``,
``amur scenarios``, ``amur check-claims``, ``amur data sources``.

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
scenarios_app = typer.Typer(help="Scenarios: the built-in timeline and what-ifs.",
                            no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")

out = Console()
err = Console(stderr=True, soft_wrap=True)

NetworkOpt = Annotated[str, typer.Option("--network", "-n",
                                         help="Built-in dataset name or a network folder.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Links in service in this year.")]
MonthOpt = Annotated[int | None, typer.Option("--month", min=1, max=12,
                                              help="Links running in this month (1-12).")]
ScenarioOpt = Annotated[str | None, typer.Option(
    "--scenario", "-s", help="Scenario name (`amur scenarios list`) or a .toml file.")]
CommodityOpt = Annotated[str | None, typer.Option(
    help="container (default), crude_oil or lng: decides the modes.")]


def _load(network: str) -> Any:
    from amur.data import load

    return load(network)


def _setting(network: str, scenario: str | None, year: int | None, month: int | None,
             commodity: str | None = None) -> tuple[Any, int | None, int | None, Any]:
    """Network, year, month and modes to route on: the scenario's, overridden by options."""
    net = _load(network)
    modes = None
    if scenario is not None:
        from amur.scenarios import apply, load_scenario

        applied = apply(net, load_scenario(scenario, net))
        net, modes = applied.network, applied.modes
        year = year if year is not None else applied.year
        month = month if month is not None else applied.month
    if commodity is not None:
        from amur.scenarios import commodity_modes

        modes = commodity_modes(commodity)
    return net, year, month, modes


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
    scenario: ScenarioOpt = None,
    commodity: CommodityOpt = None,
    network: NetworkOpt = "northeast-asia",
    legs: Annotated[bool, typer.Option(help="Show the legs of each route.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """The best freight route between two places, leg by leg."""
    from amur.paths import pareto_routes, route

    net, year, month, modes = _setting(network, scenario, year, month, commodity)
    if pareto:
        routes = pareto_routes(net, origin, destination, year=year, month=month, modes=modes)
        by_label = "pareto:time,cost"
    else:
        routes = route(net, origin, destination, by=by, via=via or (),
                       alternatives=alternatives, year=year, month=month, modes=modes,
                       value_usd_per_teu=cargo_value, time_value_pct_per_day=time_value)
        by_label = by
    if as_json:
        _print_json({
            "from": routes[0].origin,
            "to": routes[0].destination,
            "by": by_label,
            "network": net.name,
            "scenario": scenario,
            "year": year,
            "month": month,
            "routes": [r.to_dict() for r in routes],
        })
        return
    when = "".join([f", scenario {scenario}" if scenario else "",
                    f", {year}" if year is not None else "",
                    f", month {month}" if month is not None else ""])
    summary = Table(title=f"{net.place_name(routes[0].origin)} to "
                          f"{net.place_name(routes[0].destination)}, by {by_label}{when}")
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
    scenario: ScenarioOpt = None,
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

    net, year, month, _ = _setting(network, scenario, year, month)
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


def _rich_frame(table: Any, title: str, formats: dict[str, str] | None = None) -> Table:
    rich_table = Table(title=title)
    formats = formats or {}
    for c in table.columns:
        rich_table.add_column(str(c), justify="right" if c in formats else "left",
                              overflow="fold")
    for rec in table.to_dict("records"):
        cells = []
        for c in table.columns:
            v = rec[c]
            if v is None or (isinstance(v, float) and v != v):
                cells.append("")
            elif c in formats:
                cells.append(format(v, formats[c]))
            else:
                cells.append(str(v))
        rich_table.add_row(*cells)
    return rich_table


@app.command()
def compare(
    a: Annotated[str | None, typer.Argument(help="Scenario A (name or .toml).")] = None,
    b: Annotated[str | None, typer.Argument(help="Scenario B (name or .toml).")] = None,
    origin: Annotated[str | None, typer.Option("--from", help="Origin place.")] = None,
    destination: Annotated[str | None, typer.Option("--to", help="Destination place.")] = None,
    od: Annotated[Path | None, typer.Option(help="CSV of OD pairs (columns from, to).")] = None,
    month: MonthOpt = None,
    by: Annotated[str, typer.Option(
        help="generalized, time, cost, co2 or length.")] = "generalized",
    timeline: Annotated[bool, typer.Option(
        help="Run the built-in timeline over the mission's corridor table (and chart).")] = False,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder for CSV, Markdown (and the timeline chart).")] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Compare two scenarios route by route: time, cost and CO2 in A and B, the change, and
    the corridor each uses; or, with --timeline, the corridor table year by year."""
    from amur.report.tables import write_table

    net = _load(network)
    if timeline:
        _compare_timeline(net, month, by, out_dir or Path("out"), as_json)
        return
    if a is None or b is None:
        raise InputError("compare needs two scenarios (A and B), or --timeline", field="a")
    if od is not None and (origin or destination):
        raise InputError("give either --from and --to, or --od, not both", field="od")
    if od is not None:
        from amur.scenarios import read_od

        pairs = read_od(str(od))
    elif origin and destination:
        pairs = [(origin, destination)]
    else:
        raise InputError("compare needs --from and --to, or --od FILE", field="from")
    from amur.scenarios import compare as compare_scenarios

    table = compare_scenarios(net, a, b, pairs, month=month, by=by)
    written = [] if out_dir is None else write_table(table, out_dir, f"compare_{a}_{b}",
                                                     title=f"{a} against {b}")
    if as_json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        _print_json({"a": a, "b": b, "by": by, "month": month, "rows": records,
                     "files": [str(p) for p in written]})
        return
    when = f", month {month}" if month is not None else ""
    for rec in table.to_dict("records"):
        pair = Table(title=f"{net.place_name(rec['from'])} to {net.place_name(rec['to'])}: "
                           f"{a} against {b}, by {by}{when}")
        for c in ("", a, b, "change"):
            pair.add_column(c, justify="left" if c == "" else "right", overflow="fold")
        for figure, label, fmt in (("length_km", "km", ",.0f"), ("time_days", "days", ".2f"),
                                   ("cost_usd_per_teu", "USD/TEU", ",.0f"),
                                   ("co2_kg_per_teu", "kg CO2/TEU", ",.1f")):
            pair.add_row(label, *[_cell(rec[f"{figure}_{s}"], fmt)
                                  for s in ("a", "b", "change")])
        pair.add_row("via", rec["via_a"], rec["via_b"], "")
        pair.add_row("modes", rec["modes_a"], rec["modes_b"], "")
        out.print(pair)
    for path in written:
        out.print(f"wrote {path}")


def _cell(value: Any, fmt: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return format(value, fmt)


def _compare_timeline(net: Any, month: int | None, by: str, out_dir: Path,
                      as_json: bool) -> None:
    from amur.report.tables import write_table
    from amur.scenarios import timeline_chart, timeline_table

    table = timeline_table(net, month=month, by=by)
    written = write_table(table, out_dir, "timeline", title="Corridors by year")
    written.append(timeline_chart(table, out_dir / "timeline.png"))
    if as_json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        _print_json({"by": by, "month": month, "rows": records,
                     "files": [str(p) for p in written]})
        return
    columns = ["scenario", "destination", "corridor", "length_km", "time_days",
               "cost_usd_per_teu", "co2_kg_per_teu", "via"]
    out.print(_rich_frame(table[columns], f"Corridors from Harbin by year (by {by})",
                          {"length_km": ",.0f", "time_days": ".2f", "cost_usd_per_teu": ",.0f",
                           "co2_kg_per_teu": ",.0f"}))
    for path in written:
        out.print(f"wrote {path}")


@scenarios_app.command("list")
def scenarios_list(network: NetworkOpt = "northeast-asia", as_json: JsonOpt = False) -> None:
    """List the scenarios of a dataset: the timeline first, then the what-ifs."""
    from amur.scenarios import list_scenarios

    found = list_scenarios(network)
    rows = [{"name": s.name, "base": s.base, "year": s.effective_year,
             "month": s.effective_month, "commodity": s.effective_commodity,
             "edits": len(s.edits), "description": " ".join(s.description.split())}
            for s in found]
    if as_json:
        _print_json({"network": network, "scenarios": rows})
        return
    table = Table(title=f"{len(rows)} scenarios of {network}")
    for c in ("name", "base", "year", "month", "commodity", "edits", "description"):
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*["" if row[c] is None else str(row[c]) for c in
                        ("name", "base", "year", "month", "commodity", "edits",
                         "description")])
    out.print(table)


@scenarios_app.command("show")
def scenarios_show(
    name: Annotated[str, typer.Argument(help="Scenario name or .toml file.")],
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Show one scenario: its chain of bases, year, month, commodity, edits and sources."""
    from amur.scenarios import load_scenario

    scenario = load_scenario(name, network)
    chain = [s.name for s in scenario.chain()]
    edits: list[dict[str, Any]] = [
        {"table": e.table, "action": e.action, "id": e.id, "set": dict(e.values),
         "source_id": e.source_id, "from_scenario": s.name}
        for s in scenario.chain() for e in s.edits]
    scales = [{"mode": c.mode, "cost": c.cost, "speed": c.speed, "source_id": c.source_id}
              for s in scenario.chain() for c in s.scales]
    payload = {"name": scenario.name, "file": scenario.path, "chain": chain,
               "year": scenario.effective_year, "month": scenario.effective_month,
               "commodity": scenario.effective_commodity,
               "description": " ".join(scenario.description.split()),
               "source_ids": list(scenario.source_ids), "edits": edits, "scales": scales}
    if as_json:
        _print_json(payload)
        return
    out.print(f"[bold]{scenario.name}[/bold]  ({' > '.join(chain)})  file: {scenario.path}")
    out.print(payload["description"])
    out.print(f"year {payload['year']}, month {payload['month'] or 'all'}, commodity "
              f"{payload['commodity'] or 'container'}; sources: "
              f"{', '.join(scenario.source_ids) or '-'}")
    table = Table(title=f"{len(edits)} edits, {len(scales)} scale factors")
    for c in ("scenario", "table", "action", "id", "set", "source"):
        table.add_column(c, overflow="fold")
    for e in edits:
        table.add_row(str(e["from_scenario"]), str(e["table"]), str(e["action"]), str(e["id"]),
                      ", ".join(f"{k}={v}" for k, v in e["set"].items()),
                      str(e["source_id"] or ""))
    out.print(table)


@app.command("check-claims")
def check_claims_command(
    claims: Annotated[Path | None, typer.Option(
        help="Claims TOML file (the dataset's claims.toml by default).")] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Evaluate the claims file: holds / does not hold, with the numbers, for every claim.
    A claim that does not hold is a finding, not an error (exit code 0)."""
    from amur.scenarios import check_claims, read_claims
    from amur.scenarios.claims import builtin_claims_path

    net = _load(network)
    path = claims or builtin_claims_path(network)
    results = check_claims(net, read_claims(path))
    if as_json:
        _print_json({"network": net.name, "claims_file": str(path),
                     "claims": [r.to_dict() for r in results]})
        return
    table = Table(title=f"{len(results)} claims ({path.name})")
    for c in ("claim", "scenario", "value", "holds for", "verdict"):
        table.add_column(c, overflow="fold", justify="right" if c == "value" else "left")
    colours = {"holds": "green", "does not hold": "red", "needs flows": "yellow"}
    for r in results:
        value = "" if r.value is None else _number(r.value)
        table.add_row(r.id, r.scenario, value, f"{_number(r.low)} to {_number(r.high)}",
                      f"[{colours.get(r.verdict, 'white')}]{r.verdict}[/]")
    out.print(table)
    for r in results:
        out.print(f"{r.id}: {r.detail}", markup=False, highlight=False)


def _number(value: float) -> str:
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1e4 else \
        f"{value:,.0f}"


@app.command("impact")
def impact_command(
    a: Annotated[str | None, typer.Argument(
        help="Scenario A (before): a scenario name such as 2014, a TOML file, or 'today'.")] = None,
    b: Annotated[str | None, typer.Argument(help="Scenario B (after), e.g. 'today'.")] = None,
    theta: Annotated[float, typer.Option(
        "--theta", help="Trade elasticity, above 0 (sensitivity: 4 and 8.2).")] = 5.0,
    kind: Annotated[str, typer.Option(
        "--kind", help="Market access form: firm (costs from the region), consumer (costs "
                       "to it) or combined (Reed & Trubetskoy, beta 0.65).")] = "firm",
    regions: Annotated[Path | None, typer.Option(
        "--regions", help="Regions CSV (region_id, name, gdp_usd_bn, node) instead of the "
                          "built-in table.")] = None,
    show_story: Annotated[bool, typer.Option(
        "--story", help="Dongbei: corridors alone (2014 against today) and export mix, "
                        "theta 4, 5 and 8.2.")] = False,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="Also write a bar chart (PNG) of the change here.")] = None,
    geojson: Annotated[Path | None, typer.Option(
        "--geojson", help="Also write the map layer (GeoJSON points) here.")] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write an HTML report with charts under DIR/impact/A-B/.")]
    = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Market access by region in two scenarios and its change, or the Dongbei story."""
    from amur.impact import compare_scenarios, read_regions, story, write_geojson
    from amur.impact.format import change_table, story_table

    net = _load(network)
    user_regions = read_regions(regions, network=net) if regions is not None else None
    if show_story:
        if report is not None:
            raise InputError("--report is not available with --story; give two scenarios, "
                             "e.g. `amur impact 2014 today --report out`", field="report")
        result = story(net, regions=user_regions)
        if as_json:
            _print_json(result.to_dict())
        else:
            out.print(story_table(result))
        return
    if a is None or b is None:
        raise InputError("give two scenarios, e.g. `amur impact 2014 today`, or --story",
                         field="scenario")
    change = compare_scenarios(net, a, b, theta=theta, regions=user_regions, kind=kind)
    if chart is not None:
        change.chart(chart)
    if geojson is not None:
        write_geojson(change, geojson)
    if report is not None:
        from amur.report.html import impact_report

        written = impact_report(change, report)
    if as_json:
        _print_json(change.to_dict())
    else:
        out.print(change_table(change))
    if report is not None:
        err.print(f"amur: report written to {written}", markup=False, highlight=False)


@app.command("appraise")
def appraise_command(
    project: Annotated[str, typer.Argument(
        help="Built-in project (amur-road-bridge, tongjiang-rail-bridge, korea-rail, "
             "primorye-upgrade) or a project TOML file.")],
    draws: Annotated[int, typer.Option(
        "--draws", min=0, help="Monte Carlo draws (0: the central case only).")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws.")] = 20240601,
    discount: Annotated[float | None, typer.Option(
        "--discount", help="Economic discount rate, % real (default: the project's, 6).")] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write an HTML report with charts under DIR/appraise/PROJECT/.")]
    = None,
    network: NetworkOpt = "northeast-asia",
    traffic: Annotated[str, typer.Option(
        "--traffic", help="assignment (assign the built-in demand with and without the "
                          "project; rule-of-a-half benefits by OD pair), project (the project "
                          "file's traffic; 'file' is the same) or auto (the default: "
                          "assignment where the project names links and od in the network and "
                          "the built-in demand applies, else project).")] = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Economic NPV, BCR and IRR, DSCR by year, and percentiles over Monte Carlo draws."""
    from amur.impact import appraise
    from amur.impact.format import appraisal_table

    result = appraise(project, network=_load(network), draws=draws, seed=seed,
                      discount_pct=discount, traffic=traffic)
    if report is not None:
        from amur.report.html import appraisal_report

        written = appraisal_report(result, report)
    if as_json:
        _print_json(result.to_dict())
    else:
        out.print(appraisal_table(result))
    if report is not None:
        err.print(f"amur: report written to {written}", markup=False, highlight=False)


@app.command("assign")
def assign_command(
    scenario: ScenarioOpt = None,
    month: MonthOpt = None,
    demand: Annotated[Path | None, typer.Option(
        help="Demand CSV or Parquet (origin, destination, value[, commodity]) in t/year; "
             "the dataset's built-in demand by default.")] = None,
    tntp: Annotated[Path | None, typer.Option(
        help="A TNTP folder (*_net.tntp and *_trips.tntp) instead of the network.")] = None,
    algorithm: Annotated[str, typer.Option(help="b, bfw, cfw, fw, msa or aon.")] = "b",
    gap: Annotated[float, typer.Option(help="Stop at this relative gap.")] = 1e-5,
    max_iterations: Annotated[int, typer.Option(min=1, help="Stop after this many.")] = 500,
    vc: Annotated[float, typer.Option("--vc", help="Bottleneck threshold: v/c above this.")]
    = 0.9,
    logit: Annotated[float | None, typer.Option(
        help="Logit route choice with this dispersion, per USD/t (per minute of cost on a "
             "TNTP network): shippers spread freight over routes of similar cost. User "
             "equilibrium by default.")] = None,
    system_optimum: Annotated[bool, typer.Option(
        "--system-optimum", help="Minimise total cost instead (links priced at marginal "
                                 "cost).")] = False,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder for link flows (Parquet and GeoPackage).")] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Equilibrium assignment of freight demand: bottlenecks and corridor shares."""
    from amur.assign import ALGORITHMS

    if algorithm not in ALGORITHMS:
        raise InputError(f"unknown algorithm {algorithm!r}; expected one of "
                         f"{', '.join(ALGORITHMS)}", field="algorithm")
    if logit is not None and not logit > 0:
        raise InputError(f"--logit {logit:g}: expected a dispersion above 0", field="logit")
    if logit is not None and system_optimum:
        raise InputError("--logit and --system-optimum: choose one route choice",
                         field="system_optimum")
    choice = ("system optimum" if system_optimum else
              f"logit, dispersion {logit:g}" if logit is not None else "user equilibrium")
    if tntp is not None:
        _assign_tntp(tntp, algorithm, gap, max_iterations, as_json, system_optimum, logit,
                     choice)
        return
    from amur.demand import read_demand_csv, read_demand_parquet
    from amur.demand.builtin import assign_demand, builtin_demand

    net, year, month, modes = _setting(network, scenario, None, month)
    if demand is None:
        od = builtin_demand(network)
    elif demand.suffix.lower() == ".parquet":
        od = read_demand_parquet(demand)
    else:
        od = read_demand_csv(demand)
    result, europe = assign_demand(net, network, year, month, modes, od, algorithm, gap,
                                   max_iterations, system_optimum, logit)
    _warn_unconverged(result.relative_gap, gap, result.iterations, max_iterations *
                      len(result.seasons.months))
    written = [] if out_dir is None else _write_flows(net, result.links, out_dir)
    if as_json:
        _print_json({"network": net.name, "scenario": scenario, "year": year, "month": month,
                     **result.to_dict(vc), "files": [str(p) for p in written]})
        return
    when = f"scenario {scenario}" if scenario else "base network"
    seasons = "; ".join("-".join(map(str, (m[0], m[-1]))) if len(m) > 1 and m[-1] - m[0] ==
                        len(m) - 1 else ",".join(map(str, m)) for m in result.seasons.months)
    out.print(f"{net.name} ({when}), {result.route_choice}: {result.algorithm}, "
              f"{result.iterations} "
              "iterations over "
              f"{len(result.seasons.months)} season(s) (months {seasons}), relative gap "
              f"{result.relative_gap:.2e}, objective {result.objective:,.4g} (USD/t x "
              f"t/year); demand {od.total():,.0f} t/year")
    columns = ["link", "from", "to", "mode", "flow_t_per_year", "capacity_t_per_year", "v_c",
               "delay_h"]
    out.print(_rich_frame(result.bottlenecks(vc)[columns], f"Bottlenecks: v/c above {vc}",
                          {"flow_t_per_year": ",.0f", "capacity_t_per_year": ",.0f",
                           "v_c": ".2f", "delay_h": ",.1f"}))
    shares = result.shares[result.shares["share"] > 0] if len(result.shares) else \
        result.shares
    out.print(_rich_frame(shares, "Harbin's Europe-bound freight by corridor "
                          f"({', '.join(europe)})",
                          {"flow_t_per_year": ",.0f", "share": ".1%"}))
    for path in written:
        out.print(f"wrote {path}")


def _assign_tntp(folder: Path, algorithm: str, gap: float, max_iterations: int,
                 as_json: bool, system_optimum: bool = False, logit: float | None = None,
                 choice: str = "user equilibrium") -> None:
    from amur.assign import assign, graph_from_tntp
    from amur.io.tntp import read_tntp_network, read_tntp_trips

    if not folder.is_dir():
        raise InputError(f"{folder}: no such TNTP folder", field="tntp")
    nets, trips = sorted(folder.glob("*_net.tntp")), sorted(folder.glob("*_trips.tntp"))
    if not nets or not trips:
        raise InputError(f"{folder}: expected a *_net.tntp and a *_trips.tntp file",
                         field="tntp")
    tnet = read_tntp_network(nets[0])
    graph = graph_from_tntp(tnet)
    r = assign(graph, read_tntp_trips(trips[0], tnet.n_nodes), algorithm, gap=gap,
               max_iterations=max_iterations, system_optimum=system_optimum,
               logit_theta=logit)
    v_c = r.flow / graph.capacity
    _warn_unconverged(r.relative_gap, gap, r.iterations, max_iterations)
    if as_json:
        _print_json({"network": nets[0].name, "route_choice": choice,
                     "algorithm": r.algorithm,
                     "iterations": r.iterations, "relative_gap": r.relative_gap,
                     "objective": r.objective,
                     "links": [{"from": int(a) + 1, "to": int(b) + 1, "flow": float(f),
                                "cost": float(c), "v_c": float(x)} for a, b, f, c, x in
                               zip(graph.init, graph.term, r.flow, r.cost, v_c, strict=True)]})
        return
    out.print(f"{nets[0].name}, {choice}: {r.algorithm}, {r.iterations} iterations, "
              "relative gap "
              f"{r.relative_gap:.2e}, objective {r.objective:,.8g}")


def _warn_unconverged(reached: float, asked: float, iterations: int, limit: int) -> None:
    """A line on standard error when an assignment stopped before its gap."""
    if reached > asked:
        err.print(f"amur: warning: stopped at a relative gap of {reached:.1e} after "
                  f"{iterations:,} iterations (limit {limit:,}), short of the {asked:g} asked "
                  "for; --max-iterations raises the limit", markup=False, highlight=False)


def _write_flows(net: Any, links: Any, out_dir: Path) -> list[Path]:
    """Link flows to Parquet and GeoPackage, each written beside its target then moved."""
    import os
    import tempfile

    import geopandas as gpd
    import pyogrio

    from amur.io.geo import CRS, link_geometries

    out_dir.mkdir(parents=True, exist_ok=True)
    geometry = dict(zip(net.links["id"], link_geometries(net), strict=True))
    written = []
    for name, write in (
        ("link_flows.parquet", lambda p: links.to_parquet(p, index=False)),
        ("link_flows.gpkg", lambda p: pyogrio.write_dataframe(
            gpd.GeoDataFrame(links, geometry=[geometry[i] for i in links["link"]], crs=CRS),
            p, layer="link_flows", driver="GPKG")),
    ):
        target = out_dir / name
        handle, tmp = tempfile.mkstemp(suffix=target.suffix, dir=out_dir, prefix=".amur-")
        os.close(handle)
        os.unlink(tmp)
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(target)
    return written


@app.command("estimate-demand")
def estimate_demand_command(
    counts: Annotated[Path, typer.Option(help="Counts CSV: id, link or from,to, "
                                               "[direction], value, unit.")],
    prior: Annotated[Path | None, typer.Option(
        help="Prior demand CSV (origin, destination, value); a gravity prior from the "
             "dataset's regions by default.")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the demand CSV.")]
    = None,
    scenario: ScenarioOpt = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Estimate OD demand from link counts (gravity or given prior, bi-level adjustment)."""
    from amur.demand import ODMatrices, read_demand_csv, write_demand_csv
    from amur.demand.builtin import builtin_setting
    from amur.demand.estimate import estimate_demand, gravity_prior, read_counts

    net, year, month, modes = _setting(network, scenario, None, None)
    if prior is not None:
        od = read_demand_csv(prior)
        setting = builtin_setting(net, network, year, month, modes,
                                  zones=[net.place(z) for z in od.zones])
        matrix = od.combined()
    else:
        setting = builtin_setting(net, network, year, month, modes)
        matrix = gravity_prior(setting.seasons, setting.regions["gdp_usd_bn"],
                               setting.regions["country"])
    seasons = setting.seasons
    est = estimate_demand(seasons, matrix, read_counts(counts, seasons.t_per_teu))
    if out_file is not None:
        write_demand_csv(ODMatrices(seasons.zones, {"all": est.demand}), out_file)
    table = est.fit.table.assign(prior_geh=est.prior_fit.table["geh"])
    if as_json:
        _print_json({"r2": est.fit.r2, "prior_r2": est.prior_fit.r2,
                     "counts": table.to_dict("records"), "total_t_per_year":
                     float(est.demand.sum()), "file": str(out_file) if out_file else None})
        return
    out.print(_rich_frame(table, f"Fit to counts: R² {est.fit.r2:.3f} (prior "
                          f"{est.prior_fit.r2:.3f}); GEH on kt/year",
                          {"observed_t_per_year": ",.0f", "modelled_t_per_year": ",.0f",
                           "geh": ".1f", "prior_geh": ".1f"}))
    if out_file is not None:
        out.print(f"wrote {out_file}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    store: Annotated[Path | None, typer.Option(
        help="SQLite file for scenarios and runs ($AMUR_STORE, else the user data folder).")]
    = None,
    network: NetworkOpt = "northeast-asia",
) -> None:
    """Serve the map page and the HTTP API (http://HOST:PORT, API docs at /docs)."""
    from amur.web import serve as serve_web

    out.print(f"amur: serving {network} on http://{host}:{port}")
    serve_web(host=host, port=port, store=store, network=network)


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
        message = getattr(exc, "format_message", None)
        if isinstance(exc, typer.TyperException) and callable(message):
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `amur`: show the help
                getattr(exc, "show", lambda: None)()
                raise SystemExit(0) from None
            command = getattr(getattr(exc, "ctx", None), "command_path", "amur")
            err.print(f"amur: error: {message()} (see `{command} --help`)", markup=False,
                      highlight=False)
            raise SystemExit(2) from None
        err.print(f"amur: internal error: {type(exc).__name__}: {exc} (please report it)",
                  markup=False, highlight=False)
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
