"""`amur corridors`: the mission's corridor table (what `make run` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from amur.cli._app import (
    JsonOpt,
    MonthOpt,
    NetworkOpt,
    ScenarioOpt,
    YearOpt,
    app,
    out,
    output,
    print_json,
    setting,
)


@app.command()
def corridors(
    origin: Annotated[str, typer.Option("--from", help="Origin of every route.")] = "harbin",
    to: Annotated[
        list[str] | None,
        typer.Option(help="Destination (repeatable); the mission's five by default."),
    ] = None,
    by: Annotated[
        str, typer.Option(help="generalized, time, cost, co2 or length.")
    ] = "generalized",
    year: YearOpt = None,
    month: MonthOpt = None,
    scenario: ScenarioOpt = None,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", callback=output("--out", folder=True), help="Folder for CSV and Markdown."
        ),
    ] = Path("out"),
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """The mission's corridor table: Harbin to Hamburg, Moscow, Busan, Niigata and Tokyo,
    each by every corridor that reaches it; written as CSV and Markdown.
    """
    from amur.data import corridors as dataset_corridors
    from amur.paths.corridors import corridor_table
    from amur.report.tables import write_table

    net, year, month, _ = setting(network, scenario, year, month)
    destinations = to or ["hamburg", "moscow", "busan", "niigata", "tokyo"]
    table = corridor_table(
        net, origin, destinations, dataset_corridors(network), by=by, year=year, month=month
    )
    written = write_table(
        table,
        out_dir,
        "corridors",
        title=f"Corridors from {net.place_name(net.place(origin))}, best by {by}",
    )
    if as_json:
        print_json(
            {
                "from": net.place(origin),
                "by": by,
                "rows": table.to_dict("records"),
                "files": [str(p) for p in written],
            }
        )
        return
    rich_table = Table(title=f"Corridors from {net.place_name(net.place(origin))} (by {by})")
    shown = {
        "destination": "to",
        "corridor_name": "corridor",
        "length_km": "km",
        "time_days": "days",
        "cost_usd_per_teu": "USD/TEU",
        "co2_kg_per_teu": "kg CO2/TEU",
        f"rank_by_{by}": "rank",
    }
    for column, label in shown.items():
        rich_table.add_column(
            label, justify="left" if column in ("destination", "corridor_name") else "right"
        )
    for rec in table.to_dict("records"):
        rich_table.add_row(
            net.place_name(rec["destination"]),
            rec["corridor_name"],
            f"{rec['length_km']:,.0f}",
            f"{rec['time_days']:.1f}",
            f"{rec['cost_usd_per_teu']:,.0f}",
            f"{rec['co2_kg_per_teu']:,.0f}",
            str(rec[f"rank_by_{by}"]),
        )
    out.print(rich_table)
    for path in written:
        out.print(f"wrote {path}")
