"""`amur data audit`: the dataset's figures by kind of source, and the ones the results
depend on most.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from amur.cli._app import JsonOpt, data_app, err, out, print_json


@data_app.command("audit")
def data_audit(
    dataset: Annotated[
        str, typer.Option("--network", "-n", help="Built-in dataset to audit.")
    ] = "northeast-asia",
    step: Annotated[
        float, typer.Option(help="Relative perturbation of each figure (0.2: -20 % and +20 %).")
    ] = 0.2,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Recompute the v/c and the bridge NPV for every critical figure "
            "(an assignment and an appraisal each way: minutes).",
        ),
    ] = False,
    routes_only: Annotated[
        bool,
        typer.Option("--routes-only", help="Route results only (no assignment, no appraisal)."),
    ] = False,
    top: Annotated[int, typer.Option(min=1, help="Critical figures shown in the table.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Count the figures by source kind and with an address; rank the figures the results
    (Harbin-Hamburg time and cost, Primorye ratio, top bottleneck v/c, Amur bridge NPV)
    depend on, each perturbed by -20 % and +20 %.
    """
    from amur.analysis.audit import audit

    def progress(message: str) -> None:
        if not as_json:
            err.print(f"amur: {message}", markup=False, highlight=False)

    report = audit(
        dataset=dataset, step=step, full=full, assignments=not routes_only, progress=progress
    ).to_dict()
    if as_json:
        print_json(report)
        return
    kinds = ", ".join(f"{k} {v}" for k, v in report["by_kind"].items())
    out.print(
        f"{report['figures']} figures ({kinds}); {report['with_url_share']:.0%} with a "
        f"public address"
    )
    out.print("results: " + ", ".join(f"{k} {v:,.4g}" for k, v in report["baseline"].items()))
    table = Table(
        title=f"{len(report['critical'])} critical figures, "
        f"{report['critical_with_url_share']:.0%} with an address "
        f"(top {min(top, len(report['critical']))})"
    )
    for column in ("table", "id", "column", "value", "kind", "largest move", "address"):
        table.add_column(
            column,
            overflow="fold",
            justify="right" if column in ("value", "largest move") else "left",
        )
    for row in report["critical"][:top]:
        style = "yellow" if row["kind"] in ("estimate", "recalled") else None
        table.add_row(
            row["table"],
            row["id"],
            row["column"],
            f"{row['value']:,.4g}",
            row["kind"],
            f"{row['score']:.1%}",
            "yes" if row["urls"] else "no",
            style=style,
        )
    out.print(table)
    for note in report["notes"]:
        out.print(note, markup=False, highlight=False)
