"""A plain `amur route` command line read without Typer's option machinery does what Typer
does with it; every other command line is left to Typer.
"""

from __future__ import annotations

import typing

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amur.cli._main as cli_main
from amur.cli import app
from amur.cli.route import route_command
from amur.cli.route_argv import CHECKED, OPTIONS, read_route_argv
from cli_support import run


def test_the_options_are_the_commands_own() -> None:
    command = typer.main.get_command(app).commands["route"]  # type: ignore[attr-defined]
    declared: dict[str, tuple[str, object]] = {}
    for param in command.params:
        if param.param_type_name != "option":
            continue
        if param.is_flag:
            declared.update({o: (param.name, True) for o in param.opts})
            declared.update({o: (param.name, False) for o in param.secondary_opts})
        else:
            kind = "list" if param.multiple else None
            declared.update({o: (param.name, kind) for o in param.opts})
    hints = typing.get_type_hints(route_command, include_extras=True)
    for spelling, (name, kind) in OPTIONS.items():
        assert spelling in declared, spelling
        assert declared[spelling][0] == name
        if isinstance(kind, bool) or kind == "list":
            assert declared[spelling][1] == kind, spelling
        else:
            base = typing.get_args(hints[name])[0]  # Annotated[X | None, ...] -> X | None
            assert {kind: str, "int": int, "float": float}.get(kind, str) in (
                typing.get_args(base) or (base,)
            ), (spelling, base)
    assert set(declared) == set(OPTIONS)


def test_the_checks_are_the_option_callbacks() -> None:
    hints = typing.get_type_hints(route_command, include_extras=True)
    with_callbacks = {}
    for name, hint in hints.items():
        for meta in typing.get_args(hint)[1:]:
            callback = getattr(meta, "callback", None)
            if callback is not None and callback.__closure__:
                cells = {c.cell_contents for c in callback.__closure__}
                with_callbacks[name] = cells
    assert set(with_callbacks) == set(CHECKED)
    for name, (domain, flag) in CHECKED.items():
        assert {domain, flag} <= with_callbacks[name], name


@pytest.mark.parametrize(
    "argv",
    [
        ["route", "Harbin"],
        ["places"],
        ["route", "Harbin", "Hamburg", "--help"],
        ["route", "Harbin", "Hamburg", "--by=time"],
        ["route", "Harbin", "Hamburg", "-k3"],
        ["route", "Harbin", "Hamburg", "--by", "time", "--by", "cost"],
        ["route", "Harbin", "Hamburg", "--month", "1e1"],
        ["route", "Harbin", "Hamburg", "--month", "13"],
        ["route", "Harbin", "Hamburg", "--via"],
        ["route", "Harbin", "Hamburg", "Brest"],
        ["--csv", "route", "Harbin", "Hamburg"],
        ["route", "Harbin", "Hamburg", "--", "-x"],
    ],
)
def test_other_command_lines_are_left_to_typer(argv: list[str]) -> None:
    assert read_route_argv(argv) is None


def test_a_plain_command_line_is_read() -> None:
    argv = ["route", "哈尔滨", "Hamburg", "-k", "2", "--via", "Brest", "--via", "Moscow"]
    argv += ["--month", "4", "--cargo-value", "12000.5", "--no-legs", "--json"]
    assert read_route_argv(argv) == {
        "origin": "哈尔滨",
        "destination": "Hamburg",
        "alternatives": 2,
        "via": ["Brest", "Moscow"],
        "month": 4,
        "cargo_value": 12000.5,
        "legs": False,
        "as_json": True,
    }


TOKENS = [
    "Harbin",
    "Hamburg",
    "Vladivostok",
    "Atlantis",
    "-k",
    "2",
    "0",
    "--by",
    "time",
    "cost",
    "--via",
    "Brest",
    "--avoid",
    "Zabaykalsk",
    "--month",
    "13",
    "4",
    "--year",
    "2018",
    "--json",
    "--no-legs",
    "--cargo-value",
    "5000",
    "-1",
    "--time-value",
    "2.5",
    "--scenario",
    "2018",
    "--commodity",
    "crude_oil",
    "--pareto",
    "--network",
    "northeast-asia",
]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    places=st.lists(
        st.sampled_from(["Harbin", "Dalian", "Vladivostok", "Hamburg"]), min_size=2, max_size=2
    ),
    tokens=st.lists(st.sampled_from(TOKENS), max_size=6),
)
def test_plain_and_typer_give_the_same_output(
    places: list[str],
    tokens: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = ["route", *places, *tokens]
    plain = run(argv, capsys)
    with monkeypatch.context() as m:
        m.setattr(cli_main, "_route_plainly", lambda argv: False)
        typed = run(argv, capsys)
    assert plain == typed, argv


def test_global_options_of_an_earlier_run_do_not_stick(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--csv", "route", "Harbin", "Suifenhe"], capsys)
    assert code == 0 and out.startswith("rank,")
    code, out, _ = run(["route", "Harbin", "Suifenhe"], capsys)
    assert code == 0 and not out.startswith("rank,") and "Harbin to Suifenhe" in out
