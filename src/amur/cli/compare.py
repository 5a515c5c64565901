"""`amur compare`: two scenarios route by route, or the corridor table through the timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from amur.cli._app import (
    JsonOpt,
    MonthOpt,
    NetworkOpt,
    app,
    load_network,
    out,
    output,
    print_json,
)
from amur.cli._format import cell, rich_frame
from amur.errors import InputError


@app.command()
def compare(
    a: Annotated[str | None, typer.Argument(help="Scenario A (name or .toml).")] = None,
    b: Annotated[str | None, typer.Argument(help="Scenario B (name or .toml).")] = None,
    origin: Annotated[str | None, typer.Option("--from", help="Origin place.")] = None,
    destination: Annotated[str | None, typer.Option("--to", help="Destination place.")] = None,
    od: Annotated[Path | None, typer.Option(help="CSV of OD pairs (columns from, to).")] = None,
    month: MonthOpt = None,
    by: Annotated[
        str, typer.Option(help="generalized, time, cost, co2 or length.")
    ] = "generalized",
    timeline: Annotated[
        bool,
        typer.Option(
            help="Run the built-in timeline over the mission's corridor table (and chart)."
        ),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            callback=output("--out", folder=True),
            help="Folder for CSV, Markdown (and the timeline chart).",
        ),
    ] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Compare two scenarios route by route: time, cost and CO2 in A and B, the change, and
    the corridor each uses (Harbin to the corridor table's destinations unless --from and --to
    or --od), and the links whose service or capacity changed; or, with --timeline, the
    corridor table year by year.
    """
    from amur.report.tables import write_table

    net = load_network(network)
    if timeline:
        _compare_timeline(net, month, by, out_dir or Path("out"), as_json)
        return
    if a is None or b is None:
        raise InputError("compare needs two scenarios (A and B), or --timeline", field="a")
    if od is not None and (origin or destination):
        raise InputError("give either --from and --to, or --od, not both", field="od")
    if od is not None:
        from amur.analysis import read_od

        pairs = read_od(str(od))
    elif origin and destination:
        pairs = [(origin, destination)]
    elif origin or destination:
        raise InputError("compare needs both --from and --to, or --od FILE", field="from")
    else:
        from amur.analysis.timeline import MISSION_DESTINATIONS

        pairs = [("harbin", d) for d in MISSION_DESTINATIONS if d in net.node_index]
    from amur.analysis import compare as compare_scenarios
    from amur.analysis import network_changes

    table = compare_scenarios(net, a, b, pairs, month=month, by=by)
    changes = network_changes(net, a, b)
    written = (
        []
        if out_dir is None
        else write_table(table, out_dir, f"compare_{a}_{b}", title=f"{a} against {b}")
    )
    if as_json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        print_json(
            {
                "a": a,
                "b": b,
                "by": by,
                "month": month,
                "rows": records,
                "changes": changes.astype(object).where(changes.notna(), None).to_dict("records"),
                "files": [str(p) for p in written],
            }
        )
        return
    when = f", month {month}" if month is not None else ""
    for rec in table.to_dict("records"):
        pair = Table(
            title=f"{net.place_name(rec['from'])} to {net.place_name(rec['to'])}: "
            f"{a} against {b}, by {by}{when}"
        )
        for c in ("", a, b, "change"):
            pair.add_column(c, justify="left" if c == "" else "right", overflow="fold")
        for figure, label, fmt in (
            ("length_km", "km", ",.0f"),
            ("time_days", "days", ".2f"),
            ("cost_usd_per_teu", "USD/TEU", ",.0f"),
            ("co2_kg_per_teu", "kg CO2/TEU", ",.1f"),
        ):
            pair.add_row(label, *[cell(rec[f"{figure}_{s}"], fmt) for s in ("a", "b", "change")])
        pair.add_row("via", rec["via_a"], rec["via_b"], "")
        pair.add_row("modes", rec["modes_a"], rec["modes_b"], "")
        pair.add_row("services", rec["services_a"], rec["services_b"], "")
        out.print(pair)
    if len(changes):
        out.print(
            rich_frame(
                changes,
                f"Links that changed from {a} to {b} (months running, capacity t/year)",
                {"capacity_t_per_year_a": ",.0f", "capacity_t_per_year_b": ",.0f"},
            )
        )
    for path in written:
        out.print(f"wrote {path}")


def _compare_timeline(net: Any, month: int | None, by: str, out_dir: Path, as_json: bool) -> None:
    from amur.analysis import timeline_chart, timeline_table
    from amur.report.tables import write_table

    table = timeline_table(net, month=month, by=by)
    written = write_table(table, out_dir, "timeline", title="Corridors by year")
    written.append(timeline_chart(table, out_dir / "timeline.png"))
    if as_json:
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        print_json({"by": by, "month": month, "rows": records, "files": [str(p) for p in written]})
        return
    columns = [
        "scenario",
        "destination",
        "corridor",
        "length_km",
        "time_days",
        "cost_usd_per_teu",
        "co2_kg_per_teu",
        "via",
    ]
    out.print(
        rich_frame(
            table[columns],
            f"Corridors from Harbin by year (by {by})",
            {
                "length_km": ",.0f",
                "time_days": ".2f",
                "cost_usd_per_teu": ",.0f",
                "co2_kg_per_teu": ",.0f",
            },
        )
    )
    for path in written:
        out.print(f"wrote {path}")
