"""The Typer application, its sub-applications, the consoles and the options shared by
several commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = [
    "CommodityOpt",
    "JsonOpt",
    "MonthOpt",
    "NetworkOpt",
    "ScenarioOpt",
    "YearOpt",
    "app",
    "checked",
    "data_app",
    "err",
    "load_network",
    "out",
    "output",
    "print_json",
    "scenarios_app",
    "setting",
]

app = typer.Typer(
    name="amur",
    help="amur: freight corridor model. Routes with days, dollars and CO2 leg by leg.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(
    help="The data behind the network: sources and estimates.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
scenarios_app = typer.Typer(
    help="Scenarios: the built-in timeline and what-ifs.", no_args_is_help=True
)
app.add_typer(scenarios_app, name="scenarios")


class _Out(Console):
    """Standard output: Rich tables as wide as they need when piped (not cut to 80
    columns), or as CSV with ``amur --csv``.
    """

    csv = False

    def print(self, *objects: Any, **options: Any) -> None:
        if not self.csv:
            super().print(*objects, **options)
            return
        for item in objects:
            if isinstance(item, Table):
                sys.stdout.write(table_csv(item) + "\n")
            else:  # notes ("wrote ...") to standard error: standard output stays CSV
                err.print(item, markup=False, highlight=False)


def table_csv(table: Table) -> str:
    """A Rich table's header and cells as CSV text."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(c.header) for c in table.columns])
    cells = [[str(cell) for cell in c._cells] for c in table.columns]
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


#: Width of tables written to a file or pipe: wide enough that no id is cut or folded.
PIPE_WIDTH = 1000

out = _Out(width=None if sys.stdout.isatty() else PIPE_WIDTH)
err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        from amur import __version__

        sys.stdout.write(f"amur {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _global_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print amur's version."),
    ] = False,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            min=40,
            max=100_000,
            help="Width of tables, characters (the terminal's; unlimited when piped).",
        ),
    ] = None,
    as_csv: Annotated[
        bool,
        typer.Option(
            "--csv", help="Print tables as CSV (header row first; notes on standard error)."
        ),
    ] = False,
) -> None:
    """amur: freight corridor model. Routes with days, dollars and CO2 leg by leg."""
    out.csv = as_csv
    if width is not None:
        out.width = width


NetworkOpt = Annotated[
    str, typer.Option("--network", "-n", help="Built-in dataset name or a network folder.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def checked(name: str, flag: str) -> Callable[[Any], Any]:
    """An option callback checking the value against its domain in :mod:`amur.options`,
    with the message the Python and HTTP APIs give, naming the flag.
    """
    from amur.options import check

    def callback(value: Any) -> Any:
        if value is not None:
            check(name, value, flag)
        return value

    return callback


def output(flag: str, folder: bool = False) -> Callable[[Any], Any]:
    """An option callback checking, before any work and writing nothing, that an output
    file (or folder) can be written there (:func:`amur.io.atomic.check_writable`).
    """
    from amur.errors import OutputError

    def callback(value: Any) -> Any:
        if value is not None:
            from amur.io.atomic import check_writable  # amur.io loads pandas: only when used

            try:
                check_writable(value, flag, folder=folder)
            except OutputError as exc:
                raise OutputError(f"{flag} {exc.message}", field=flag) from None
        return value

    return callback


YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year", callback=checked("year", "--year"), help="Links in service in this year."
    ),
]
MonthOpt = Annotated[
    int | None,
    typer.Option(
        "--month", callback=checked("month", "--month"), help="Links running in this month (1-12)."
    ),
]
ScenarioOpt = Annotated[
    str | None,
    typer.Option("--scenario", "-s", help="Scenario name (`amur scenarios list`) or a .toml file."),
]
CommodityOpt = Annotated[
    str | None, typer.Option(help="container (default), crude_oil or lng: decides the modes.")
]


def load_network(network: str) -> Any:
    """The network of a built-in dataset name or a network folder."""
    from amur.data import load

    return load(network)


def setting(
    network: str,
    scenario: str | None,
    year: int | None,
    month: int | None,
    commodity: str | None = None,
) -> tuple[Any, int | None, int | None, Any]:
    """Network, year, month and modes to answer on: the scenario's, overridden by options."""
    from amur.scenarios import resolve_setting

    found = resolve_setting(
        load_network(network), scenario, year=year, month=month, commodity=commodity
    )
    return found.network, found.year, found.month, found.modes


def print_json(payload: Any) -> None:
    """Write a JSON document to standard output (UTF-8 kept, indented)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
