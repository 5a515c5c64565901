"""`amur places`: the places of a network."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from amur.cli._app import (
    JsonOpt,
    NetworkOpt,
    app,
    load_network,
    out,
    print_json,
)
from amur.errors import InputError


@app.command()
def places(
    network: NetworkOpt = "northeast-asia",
    country: Annotated[str | None, typer.Option(help="ISO2 country code, e.g. CN.")] = None,
    kind: Annotated[
        str | None, typer.Option(help="city, rail_terminal, seaport, border_crossing or junction.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the places of a network."""
    from amur.network import NodeKind

    net = load_network(network)
    nodes = net.nodes
    if kind is not None and kind not in {k.value for k in NodeKind}:
        raise InputError(
            f"unknown kind {kind!r}; expected one of {', '.join(k.value for k in NodeKind)}",
            field="kind",
        )
    if country is not None:
        nodes = nodes[nodes["country"].str.upper() == country.upper()]
    if kind is not None:
        nodes = nodes[nodes["kind"] == kind]
    columns = ["id", "name", "aliases", "country", "kind", "gauge", "lat", "lon"]
    if as_json:
        records = nodes[columns].astype(object).where(nodes[columns].notna(), None)
        print_json({"network": net.name, "places": records.to_dict("records")})
        return
    table = Table(title=f"{len(nodes)} places in {net.name}")
    for c in columns:
        table.add_column(c, justify="right" if c in ("lat", "lon") else "left")
    for rec in nodes[columns].itertuples(index=False):
        table.add_row(*["" if v is None or v != v else str(v) for v in rec])
    out.print(table)
