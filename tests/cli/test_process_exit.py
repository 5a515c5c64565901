"""The `amur` program ends without interpreter shutdown, yet keeps its output and exit codes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _amur(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, "-m", "amur.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_help_is_printed_whole_with_exit_code_0() -> None:
    done = _amur("--help")
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout
    assert "route" in done.stdout  # the command list, the end of the help, was flushed


def test_a_user_error_keeps_exit_code_2_and_its_one_line() -> None:
    done = _amur("route", "Harbin", "Atlantis")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("amur: error: ")
    assert "Atlantis" in lines[0]


def test_the_command_line_loads_no_heavy_package_before_a_command_runs() -> None:
    # `amur --help` and every command's start pay only for typer and rich: the libraries
    # a command needs are imported inside it
    code = "import sys; import amur.cli; print(sorted({m.split('.')[0] for m in sys.modules}))"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    loaded = set(ast.literal_eval(done.stdout))
    heavy = {"numba", "pandas", "geopandas", "fastapi", "scipy", "pyarrow", "matplotlib"}
    assert loaded & heavy == set()
