"""`amur check-claims`: the claims file checked against the model."""

from __future__ import annotations

from pathlib import Path
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
from amur.cli._format import number


@app.command("check-claims")
def check_claims_command(
    claims: Annotated[
        Path | None, typer.Option(help="Claims TOML file (the dataset's claims.toml by default).")
    ] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Evaluate the claims file: holds / does not hold, with the numbers, for every claim.
    A claim that does not hold is a finding, not an error (exit code 0).
    """
    from amur.analysis import check_claims, read_claims
    from amur.analysis.claims import builtin_claims_path

    net = load_network(network)
    path = claims or builtin_claims_path(network)
    results = check_claims(net, read_claims(path))
    if as_json:
        print_json(
            {
                "network": net.name,
                "claims_file": str(path),
                "claims": [r.to_dict() for r in results],
            }
        )
        return
    table = Table(title=f"{len(results)} claims ({path.name})")
    for c in ("claim", "scenario", "value", "holds for", "verdict"):
        table.add_column(c, overflow="fold", justify="right" if c == "value" else "left")
    colours = {"holds": "green", "does not hold": "red", "needs flows": "yellow"}
    for r in results:
        value = "" if r.value is None else number(r.value)
        table.add_row(
            r.id,
            r.scenario,
            value,
            f"{number(r.low)} to {number(r.high)}",
            f"[{colours.get(r.verdict, 'white')}]{r.verdict}[/]",
        )
    out.print(table)
    for r in results:
        out.print(f"{r.id}: {r.detail}", markup=False, highlight=False)
