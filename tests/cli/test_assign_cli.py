"""`amur assign` and `amur estimate-demand`: JSON schema and one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amur.cli import main

SIOUX = Path("/work/shared/benchmarks/tntp/SiouxFalls")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_schema_builtin(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _run(capsys, "assign", "--scenario", "2022", "--json", "--out",
                        str(tmp_path))
    assert code == 0
    data = json.loads(out)
    assert {"algorithm", "iterations", "relative_gap", "objective", "links"} <= set(data)
    assert data["relative_gap"] < 1e-4
    link = data["links"][0]
    assert {"from", "to", "flow", "cost", "v_c"} <= set(link)
    assert (tmp_path / "link_flows.parquet").exists()
    assert (tmp_path / "link_flows.gpkg").exists()


@pytest.mark.skipif(not SIOUX.exists(), reason="TNTP networks not available")
def test_json_schema_tntp(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "assign", "--tntp", str(SIOUX), "--algorithm", "b",
                        "--gap", "1e-4", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["links"]) == 76
    assert data["links"][0]["from"] == 1 and data["links"][0]["to"] == 2


def _demand(tmp_path: Path, rows: str) -> str:
    path = tmp_path / "d.csv"
    path.write_text("origin,destination,value\n" + rows)
    return str(path)


@pytest.mark.parametrize("rows, message", [
    ("harbin,atlantis,5\n", "unknown place"),
    ("harbin,hamburg,-5\n", "expected a number >= 0"),
    ("harbin,hamburg,nan\n", "expected a finite number"),
    ("harbin,pyongyang,5\n", "no link in service"),
])
def test_bad_demand(capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: str,
                    message: str) -> None:
    code, _, err = _run(capsys, "assign", "--scenario", "2018", "--demand",
                        _demand(tmp_path, rows))
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_tntp_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "assign", "--tntp", str(tmp_path / "nope"))
    assert code == 2 and "no such TNTP folder" in err


def test_unknown_algorithm(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "assign", "--algorithm", "magic")
    assert code == 2 and "unknown algorithm" in err


def test_estimate_demand_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    counts = Path(__file__).parents[2] / "src/amur/data/northeast_asia/counts.csv"
    out_file = tmp_path / "demand.csv"
    code, out, _ = _run(capsys, "estimate-demand", "--counts", str(counts), "--scenario",
                        "2018", "--out", str(out_file), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["r2"] > data["prior_r2"]
    assert out_file.exists()
