"""The Typer application, its sub-applications, the consoles and the options shared by
several commands."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = [
    "CommodityOpt",
    "JsonOpt",
    "MonthOpt",
    "NetworkOpt",
    "ScenarioOpt",
    "YearOpt",
    "app",
    "data_app",
    "err",
    "load_network",
    "out",
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


def load_network(network: str) -> Any:
    """The network of a built-in dataset name or a network folder."""
    from amur.data import load

    return load(network)


def setting(network: str, scenario: str | None, year: int | None, month: int | None,
            commodity: str | None = None) -> tuple[Any, int | None, int | None, Any]:
    """Network, year, month and modes to answer on: the scenario's, overridden by options."""
    from amur.scenarios import resolve_setting

    found = resolve_setting(load_network(network), scenario, year=year, month=month,
                            commodity=commodity)
    return found.network, found.year, found.month, found.modes


def print_json(payload: Any) -> None:
    """Write a JSON document to standard output (UTF-8 kept, indented)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
