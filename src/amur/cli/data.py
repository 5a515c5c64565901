"""`amur data sources`: the sources behind a network's figures."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from amur.cli._app import (
    JsonOpt,
    NetworkOpt,
    data_app,
    load_network,
    out,
    print_json,
)


@data_app.command("sources")
def data_sources(
    route_places: Annotated[
        tuple[str, str] | None,
        typer.Option("--route", help="FROM TO: only the sources the best route rests on."),
    ] = None,
    by: Annotated[str, typer.Option(help="Criterion of that route.")] = "generalized",
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """List the sources of a network's figures, or of one route, and which are estimates."""
    from amur.paths import route

    net = load_network(network)
    sources = net.sources
    if route_places is not None:
        best = route(net, route_places[0], route_places[1], by=by)[0]
        sources = sources[sources["id"].isin(best.source_ids)]
    columns = ["id", "kind", "title", "url", "note"]
    records = sources[columns].astype(object).where(sources[columns].notna(), None)
    if as_json:
        print_json({"network": net.name, "sources": records.to_dict("records")})
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
