"""The catalogue of bad inputs through the Python API: each raises an AmurError whose message
names the argument, file, row or key at fault, with the same domain check and message as
the command line and the HTTP API, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import amur
from amur.errors import AmurError, OutputError
from catalogue import make_bad_files, snapshot

NAN = float("nan")


def _net() -> Any:
    return amur.load("northeast-asia")


def _route(**options: Any) -> Callable[[Path], Any]:
    return lambda bad: amur.route(_net(), "harbin", "hamburg", **options)


def _pareto(**options: Any) -> Callable[[Path], Any]:
    from amur.paths import pareto_routes

    return lambda bad: pareto_routes(_net(), "harbin", "hamburg", **options)


def _assign(**options: Any) -> Callable[[Path], Any]:
    from amur.assign import assign
    from amur.assign.graph import build_graph

    graph = build_graph([0, 0], [1, 1], [10.0, 10.0], [1.0, 1.0])
    trips = np.array([[0.0, 20.0], [0.0, 0.0]])
    return lambda bad: assign(graph, trips, "b", **options)


def _appraise(**options: Any) -> Callable[[Path], Any]:
    from amur.impact import appraise

    return lambda bad: appraise("amur-road-bridge", **options)


def _read(reader: str, name: str) -> Callable[[Path], Any]:
    def call(bad: Path) -> Any:
        from amur.demand import read_demand_csv
        from amur.demand.omx import read_omx
        from amur.demand.tables import read_demand_parquet
        from amur.io import read_network
        from amur.io.tntp import read_tntp_trips
        from amur.scenarios import load_scenario

        readers: dict[str, Callable[[Path], Any]] = {
            "network": read_network,
            "demand_csv": read_demand_csv,
            "parquet": read_demand_parquet,
            "omx": read_omx,
            "scenario": load_scenario,
            "trips": read_tntp_trips,
        }
        return readers[reader](bad / name)

    return call


def _write_text(name: str) -> Callable[[Path], Any]:
    from amur.io.atomic import write_text

    return lambda bad: write_text(bad / name, "x")


def _store(bad: Path) -> Any:
    from amur.web.store import Store

    return Store(bad / "damaged.sqlite")


def _theta(bad: Path) -> Any:
    from amur.impact.market_access import check_theta

    return check_theta(1e308)


#: (id, call, fragments of the message)
CASES: list[tuple[str, Callable[[Path], Any], list[str]]] = [
    ("cargo value nan", _route(value_usd_per_teu=NAN), ["value_usd_per_teu: nan"]),
    ("cargo value negative", _route(value_usd_per_teu=-5.0), ["value_usd_per_teu: -5"]),
    ("time value negative", _route(time_value_pct_per_day=-1.0), ["time_value_pct_per_day: -1"]),
    ("year 3000", _route(year=3000), ["year: 3000", "[1800, 2200]"]),
    ("month 13", _route(month=13), ["month: 13", "[1, 12]"]),
    ("alternatives 0", _route(alternatives=0), ["alternatives: 0"]),
    ("unknown criterion", _route(by="speed"), ["by: unknown criterion 'speed'"]),
    ("unknown via", _route(via=["atlantis"]), ["atlantis"]),
    ("pareto month", _pareto(month=13), ["month: 13"]),
    ("pareto criterion", _pareto(criteria=("time", "generalized")), ["generalized"]),
    ("gap nan", _assign(gap=NAN), ["gap: nan"]),
    ("iterations 0", _assign(max_iterations=0), ["max_iterations: 0"]),
    ("logit 0", _assign(logit_theta=0.0), ["logit_theta: 0"]),
    ("logit huge", _assign(logit_theta=1e308), ["logit_theta: 1e+308"]),
    (
        "logit and SO",
        _assign(logit_theta=1.0, system_optimum=True),
        ["logit_theta and system_optimum"],
    ),
    ("draws 1e9", _appraise(draws=10**9), ["draws: 1000000000"]),
    ("discount -50", _appraise(discount_pct=-50.0), ["discount_pct: -50"]),
    ("seed -1", _appraise(seed=-1), ["seed: -1"]),
    ("traffic negative", _appraise(traffic=(-1.0, 0.0)), ["traffic: -1"]),
    ("traffic source", _appraise(traffic="guess"), ["traffic", "'guess'"]),
    ("theta huge", _theta, ["theta: 1e+308", "trade elasticity"]),
    ("network alias", _read("network", "net-alias"), ["nodes.csv", "'harbin'", "alias"]),
    ("network geometry", _read("network", "net-geometry"), ["links.csv", "geometry_wkt"]),
    ("network latin-1", _read("network", "net-latin1"), ["nodes.csv", "UTF-8"]),
    ("demand latin-1", _read("demand_csv", "latin1.csv"), ["latin1.csv", "UTF-8"]),
    ("parquet binary", _read("parquet", "binary.parquet"), ["binary.parquet"]),
    ("omx binary", _read("omx", "binary.omx"), ["binary.omx"]),
    ("scenario binary", _read("scenario", "binary.toml"), ["binary.toml", "UTF-8"]),
    ("scenario base itself", _read("scenario", "itself.toml"), ["itself"]),
    ("trips cut short", _read("trips", "tntp-cut/cut_trips.tntp"), ["<TOTAL OD FLOW>"]),
    ("write to a folder", _write_text("a-folder"), ["a-folder", "is a folder"]),
    ("write under a file", _write_text("a-file/x.csv"), ["a-file", "not a folder"]),
    ("write a long name", _write_text("x" * 300), ["too long"]),
    ("store damaged", _store, ["damaged.sqlite", "move it aside"]),
]


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bad_files(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(("call", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_an_amur_error_naming_it(
    call: Callable[[Path], Any], fragments: list[str], bad: Path
) -> None:
    before = snapshot(bad)
    with pytest.raises(AmurError) as info:
        call(bad)
    for fragment in fragments:
        assert fragment in info.value.message, info.value.message
    assert snapshot(bad) == before


def test_a_full_message_is_the_same_in_the_cli_and_python(bad: Path) -> None:
    """The domain check is one function: only the name given to the value differs."""
    from amur.options import check

    with pytest.raises(AmurError) as python:
        amur.route(_net(), "harbin", "hamburg", year=3000)
    with pytest.raises(AmurError) as cli:
        check("year", 3000, "--year")
    assert python.value.message.split(": ", 1)[1] == cli.value.message.split(": ", 1)[1]
    assert isinstance(OutputError("x"), AmurError)
