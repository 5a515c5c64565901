"""The `amur` program ends without interpreter shutdown, yet keeps its output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _amur(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-m", "amur.cli", *args], capture_output=True,
                          text=True, env=env, timeout=600)


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
