"""`amur scenarios list` and `amur scenarios show`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from amur.cli._app import (
    JsonOpt,
    NetworkOpt,
    out,
    print_json,
    scenarios_app,
)


@scenarios_app.command("list")
def scenarios_list(network: NetworkOpt = "northeast-asia", as_json: JsonOpt = False) -> None:
    """List the scenarios of a dataset: the timeline first, then the what-ifs."""
    from amur.scenarios import list_scenarios

    found = list_scenarios(network)
    rows = [
        {
            "name": s.name,
            "base": s.base,
            "year": s.effective_year,
            "month": s.effective_month,
            "commodity": s.effective_commodity,
            "edits": len(s.edits),
            "description": " ".join(s.description.split()),
        }
        for s in found
    ]
    if as_json:
        print_json({"network": network, "scenarios": rows})
        return
    table = Table(title=f"{len(rows)} scenarios of {network}")
    for c in ("name", "base", "year", "month", "commodity", "edits", "description"):
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(
            *[
                "" if row[c] is None else str(row[c])
                for c in ("name", "base", "year", "month", "commodity", "edits", "description")
            ]
        )
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
        {
            "table": e.table,
            "action": e.action,
            "id": e.id,
            "set": dict(e.values),
            "source_id": e.source_id,
            "from_scenario": s.name,
        }
        for s in scenario.chain()
        for e in s.edits
    ]
    scales = [
        {"mode": c.mode, "cost": c.cost, "speed": c.speed, "source_id": c.source_id}
        for s in scenario.chain()
        for c in s.scales
    ]
    payload = {
        "name": scenario.name,
        "file": scenario.path,
        "chain": chain,
        "year": scenario.effective_year,
        "month": scenario.effective_month,
        "commodity": scenario.effective_commodity,
        "description": " ".join(scenario.description.split()),
        "source_ids": list(scenario.source_ids),
        "edits": edits,
        "scales": scales,
    }
    if as_json:
        print_json(payload)
        return
    out.print(f"[bold]{scenario.name}[/bold]  ({' > '.join(chain)})  file: {scenario.path}")
    out.print(payload["description"])
    out.print(
        f"year {payload['year']}, month {payload['month'] or 'all'}, commodity "
        f"{payload['commodity'] or 'container'}; sources: "
        f"{', '.join(scenario.source_ids) or '-'}"
    )
    table = Table(title=f"{len(edits)} edits, {len(scales)} scale factors")
    for c in ("scenario", "table", "action", "id", "set", "source"):
        table.add_column(c, overflow="fold")
    for e in edits:
        table.add_row(
            str(e["from_scenario"]),
            str(e["table"]),
            str(e["action"]),
            str(e["id"]),
            ", ".join(f"{k}={v}" for k, v in e["set"].items()),
            str(e["source_id"] or ""),
        )
    out.print(table)
