"""`amur assign` and `amur estimate-demand`: JSON schema and one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import assert_one_line_error, run

SIOUX = Path("/work/shared/benchmarks/tntp/SiouxFalls")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(list(args), capsys)


def test_json_schema_builtin(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _run(capsys, "assign", "--scenario", "2022", "--json", "--out", str(tmp_path))
    assert code == 0
    data = json.loads(out)
    assert {"algorithm", "iterations", "relative_gap", "objective", "links"} <= set(data)
    assert data["relative_gap"] < 1e-4
    link = data["links"][0]
    assert {"from", "to", "flow_t_per_year", "cost_usd_per_t", "v_c"} <= set(link)
    assert data["schema_version"] == 2
    assert (tmp_path / "link_flows.parquet").exists()
    assert (tmp_path / "link_flows.gpkg").exists()


@pytest.mark.skipif(not SIOUX.exists(), reason="TNTP networks not available")
def test_json_schema_tntp(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "assign", "--tntp", str(SIOUX), "--algorithm", "b", "--gap", "1e-4", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert len(data["links"]) == 76
    assert data["links"][0]["from"] == 1 and data["links"][0]["to"] == 2
    assert {"flow_per_period", "cost_min", "v_c"} <= set(data["links"][0])


def _demand(tmp_path: Path, rows: str) -> str:
    path = tmp_path / "d.csv"
    path.write_text("origin,destination,value\n" + rows)
    return str(path)


@pytest.mark.parametrize(
    "rows, message",
    [
        ("harbin,atlantis,5\n", "unknown place"),
        ("harbin,hamburg,-5\n", "expected a number >= 0"),
        ("harbin,hamburg,nan\n", "expected a finite number"),
        ("harbin,chayanda,5\n", "no link in service"),
    ],
)
def test_bad_demand(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: str, message: str
) -> None:
    code, _, err = _run(capsys, "assign", "--scenario", "2018", "--demand", _demand(tmp_path, rows))
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
    code, out, _ = _run(
        capsys,
        "estimate-demand",
        "--counts",
        str(counts),
        "--scenario",
        "2018",
        "--out",
        str(out_file),
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["r2"] > data["prior_r2"]
    assert out_file.exists()


def _shares(data: dict) -> dict[str, float]:  # type: ignore[type-arg]
    return {s["corridor"]: s["share"] for s in data["corridor_shares"] if s["share"] > 1e-3}


def test_logit_and_system_optimum_route_choice(capsys: pytest.CaptureFixture[str]) -> None:
    ue = json.loads(_run(capsys, "assign", "--scenario", "2022", "--json")[1])
    # 0.001 per USD/t: with scheduled services and wagonload rail, 0.005 and 0.002 stop near
    # a gap of 4e-3 and 7e-3 after 500 iterations a season (and say so); 0.001 converges.
    code, out, err = _run(capsys, "assign", "--scenario", "2022", "--logit", "0.001", "--json")
    logit = json.loads(out)
    assert code == 0 and ue["route_choice"] == "user equilibrium"
    assert logit["route_choice"] == "logit, dispersion 0.001"
    assert logit["relative_gap"] <= 1e-5 and "warning" not in err
    # shippers spread freight: Harbin's Europe-bound tonnes use more corridors than at the
    # user equilibrium, where most take the cheapest one
    ue_shares, logit_shares = _shares(ue), _shares(logit)
    assert len(logit_shares) > len(ue_shares)

    # and less concentrated (Herfindahl index of the corridor shares); the largest share
    # alone need not fall (a corridor may carry tonnes logit leaves where they are)
    def herfindahl(shares: dict[str, float]) -> float:
        return sum(v * v for v in shares.values())

    assert herfindahl(logit_shares) < herfindahl(ue_shares)
    so = json.loads(_run(capsys, "assign", "--scenario", "2022", "--system-optimum", "--json")[1])
    assert so["route_choice"] == "system optimum"
    # priced at marginal cost, the worst bottleneck (the Heihe crossings, by the demand by
    # commodity) is loaded less than users load it
    peak = {d["route_choice"]: max(b["v_c"] for b in d["bottlenecks"]) for d in (ue, so)}
    assert peak["system optimum"] < peak["user equilibrium"]
    assert ue["objective"] > 0 and "flow_t_per_year_by_commodity" in ue["links"][0]


def test_unconverged_assignment_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys,
        "assign",
        "--tntp",
        str(SIOUX),
        "--algorithm",
        "msa",
        "--max-iterations",
        "3",
        "--json",
    )
    assert code == 0 and json.loads(out)["iterations"] == 3
    assert "amur: warning: stopped at a relative gap" in err and "after 3 iterations" in err


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--logit", "0"], ["--logit: 0; expected logit dispersion", "(0, 100]"]),
        (["--logit", "-1"], ["--logit: -1; expected logit dispersion", "(0, 100]"]),
        (["--logit", "1e308"], ["--logit: 1e+308; expected logit dispersion"]),
        (["--logit", "0.1", "--system-optimum"], ["--logit and --system-optimum"]),
    ],
)
def test_bad_route_choice(
    capsys: pytest.CaptureFixture[str], args: list[str], fragments: list[str]
) -> None:
    code, _, err = _run(capsys, "assign", "--scenario", "2022", *args)
    assert_one_line_error(code, err, *fragments)
