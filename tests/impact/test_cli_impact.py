"""`amur impact` and `amur appraise` in-process through ``amur.cli.main``: every bad input the
issue lists (negative costs, an interest rate above 100 % or below -100 %, a maturity shorter
than the grace period, a region without GDP, theta <= 0, a project naming a link not in the
network) exits with code 2 and one line on stderr starting "amur: error:"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import assert_one_line_error, run

PROJECT = """\
[project]
id = "small"
name = "Small bridge"
link_ids = {link_ids}
discount_pct = 6.0

[capital]
years = [2020]
cost_usd_mn = [{capital}]

[operations]
opening_year = 2021
horizon_years = 2
operating_cost_usd_mn_per_year = {opex}

[traffic]
unit = "t"
per_year = 1_000_000
without_per_year = 500_000
growth_pct = 20.0

[tariff]
usd_per_unit = {tariff}

[benefits]
generalized_cost_saving_usd_per_unit = 80.0

[financing]
loan_usd_mn = 30.0
interest_pct = {interest}
grace_years = {grace}
maturity_years = {maturity}
start_year = 2020
"""
GOOD = {
    "link_ids": "[]",
    "capital": "100.0",
    "opex": "10.0",
    "tariff": "40.0",
    "interest": "5.0",
    "grace": "1",
    "maturity": "2",
}


def project_file(tmp_path: Path, **changes: str) -> Path:
    """The hand-worked project of test_appraisal.py as TOML, with some values replaced."""
    path = tmp_path / "small.toml"
    path.write_text(PROJECT.format(**{**GOOD, **changes}), encoding="utf-8")
    return path


def test_the_good_project_appraises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["appraise", str(project_file(tmp_path)), "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["npv"]["value"] == 2.349591  # worked by hand; JSON rounds to 1 USD
    assert payload["dscr"]["covenant_breach_years"] == [2022]


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"capital": "-5.0"}, ("key 'cost_usd_mn'", "negative")),
        ({"opex": "-1.0"}, ("key 'operating_cost_usd_mn_per_year'", "negative")),
        ({"tariff": "-2.0"}, ("key 'usd_per_unit'", "negative")),
    ],
)
def test_negative_costs(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, str],
    fragments: tuple[str, ...],
) -> None:
    code, _, err = run(["appraise", str(project_file(tmp_path, **changes))], capsys)
    assert_one_line_error(code, err, "small.toml", *fragments)


@pytest.mark.parametrize("rate", ["100.5", "150.0", "-100.0", "-150.0"])
def test_interest_rate_outside_plus_minus_100_pct(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rate: str
) -> None:
    code, _, err = run(["appraise", str(project_file(tmp_path, interest=rate))], capsys)
    assert_one_line_error(code, err, "key 'interest_pct'", "outside (-100, 100]")


def test_maturity_shorter_than_grace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project_file(tmp_path, grace="3", maturity="2")
    code, _, err = run(["appraise", str(path)], capsys)
    assert_one_line_error(code, err, "key 'maturity_years'", "shorter than the grace period")


def test_project_naming_a_link_not_in_the_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project_file(tmp_path, link_ids='["heihe-blagoveshchensk-raod"]')
    code, _, err = run(["appraise", str(path)], capsys)
    assert_one_line_error(
        code,
        err,
        "link 'heihe-blagoveshchensk-raod' is not in network",
        "did you mean 'heihe-blagoveshchensk-road'",
    )


def test_region_without_gdp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    regions = tmp_path / "regions.csv"
    regions.write_text(
        "region_id,name,gdp_usd_bn,node\nHL,Heilongjiang,194.13,harbin\nJL,Jilin,,changchun\n",
        encoding="utf-8",
    )
    code, _, err = run(["impact", "2014", "today", "--regions", str(regions)], capsys)
    assert_one_line_error(code, err, "regions.csv, row 2 (region 'JL'), column 'gdp_usd_bn'")


@pytest.mark.parametrize("theta", ["0", "-1", "-0.5"])
def test_theta_not_above_zero(capsys: pytest.CaptureFixture[str], theta: str) -> None:
    code, _, err = run(["impact", "2014", "today", f"--theta={theta}"], capsys)
    assert_one_line_error(code, err, f"--theta: {theta}; expected trade elasticity")


def test_unknown_market_access_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["impact", "2014", "today", "--kind", "household"], capsys)
    assert_one_line_error(code, err, "unknown market access form 'household'")


def test_user_regions_and_combined_access(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regions = tmp_path / "regions.csv"
    regions.write_text(
        "region_id,name,gdp_usd_bn,node\nHL,Heilongjiang,194.13,harbin\n"
        "AMU,Amur,10.0,blagoveshchensk\n",
        encoding="utf-8",
    )
    code, out, err = run(
        ["impact", "2014", "today", "--regions", str(regions), "--kind", "combined", "--json"],
        capsys,
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["kind"] == "combined"
    assert [r["region"] for r in payload["regions"]] == ["HL", "AMU"]
    assert payload["welfare"]["status"].startswith("ESTIMATE")
    amur = payload["regions"][1]
    assert amur["market_access_change_pct"] > 0  # the Amur road bridge opened since 2014
    assert amur["land_rent_change_usd_mn"] > 0
