"""Appraisal: a hand-worked example to the cent, the loan schedule, the draws, bad inputs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest

from amur.errors import InputError
from amur.impact import appraise, builtin_projects, debt_schedule, read_project
from amur.impact.project import Financing, project_from_dict


def small(**changes: dict) -> dict:
    """A small project worked out by hand (money in USD million).

    Capital 100 spent in 2020; opens 2021; appraised for 2 years (2021, 2022).
    Traffic with the project 1.0 Mt in 2021, without 0.5 Mt, both growing 20 %:
    2022 is 1.2 Mt and 0.6 Mt. Generalized-cost saving 80 USD/t; operating cost 10 a year;
    tariff 40 USD/t. Discount rate 6 %. Loan 30 at 5 %, drawn 2020, grace 1, maturity 2.

    User benefits (rule of a half, saving x (with + without) / 2):
        2021: 80 x (1.0 + 0.5) / 2 = 60;   2022: 80 x (1.2 + 0.6) / 2 = 72.
    Economic net flow: 2020: -100;  2021: 60 - 10 = 50;  2022: 72 - 10 = 62.
    NPV at 6 % (to 2020): -100 + 50 / 1.06 + 62 / 1.06^2
        = -100 + 47.169811320755 + 55.179779280883 = 2.349590601638 -> USD 2,349,590.60.
    BCR = (60 / 1.06 + 72 / 1.1236) / (100 + 10 / 1.06 + 10 / 1.1236)
        = (56.603773585 + 64.079743681) / (100 + 9.433962264 + 8.899964400)
        = 120.683517266 / 118.333926664 = 1.019855596
    IRR: with u = 1 + r, 100 u^2 - 50 u - 62 = 0, so u = (50 + sqrt(2500 + 24800)) / 200
        = (50 + 165.227116419) / 200 = 1.076135582 -> IRR = 7.6135582 %.
    Debt: 2021 interest only, 30 x 5 % = 1.5; 2022 principal 30 + interest 1.5 = 31.5.
    Revenue 40 x traffic: 40 (2021), 48 (2022); cash flow for debt service = revenue - 10:
        30 and 38. DSCR 2021 = 30 / 1.5 = 20.0; 2022 = 38 / 31.5 = 1.206349...
    So debt service is covered every year (DSCR >= 1) but 2022 breaches a 1.3 covenant.
    """
    data = {
        "project": {"id": "small", "name": "Small bridge", "discount_pct": 6.0},
        "capital": {"years": [2020], "cost_usd_mn": [100.0]},
        "operations": {
            "opening_year": 2021,
            "horizon_years": 2,
            "operating_cost_usd_mn_per_year": 10.0,
        },
        "traffic": {
            "unit": "t",
            "per_year": 1_000_000.0,
            "without_per_year": 500_000.0,
            "growth_pct": 20.0,
        },
        "tariff": {"usd_per_unit": 40.0},
        "benefits": {"generalized_cost_saving_usd_per_unit": 80.0},
        "uncertainty": {},
        "financing": {
            "loan_usd_mn": 30.0,
            "interest_pct": 5.0,
            "grace_years": 1,
            "maturity_years": 2,
            "start_year": 2020,
            "covenant_dscr": 1.3,
        },
    }
    for key, value in changes.items():
        section, name = key.split("__")
        data[section][name] = value
    return data


def test_hand_worked_example_to_the_cent() -> None:
    result = appraise(project_from_dict(small()))
    assert round(result.npv_usd_mn * 1e6, 2) == 2_349_590.60
    assert result.bcr == pytest.approx(1.019855596, abs=1e-9)
    u = (50 + math.sqrt(2500 + 24800)) / 200
    assert result.irr == pytest.approx(u - 1, abs=1e-10)
    flows = result.cash_flow.set_index("year")
    assert flows.loc[2021, "user_benefits_usd_mn"] == pytest.approx(60.0)
    assert flows.loc[2022, "user_benefits_usd_mn"] == pytest.approx(72.0)
    assert round(flows.loc[2021, "debt_service_usd_mn"] * 1e6, 2) == 1_500_000.00
    assert round(flows.loc[2022, "debt_service_usd_mn"] * 1e6, 2) == 31_500_000.00
    assert flows.loc[2021, "dscr"] == pytest.approx(20.0)
    assert flows.loc[2022, "dscr"] == pytest.approx(38 / 31.5)
    assert np.isnan(flows.loc[2020, "dscr"])
    assert result.uncovered_years == ()
    assert result.covenant_breach_years == (2022,)
    assert result.min_dscr == pytest.approx(38 / 31.5)
    assert result.traffic_basis == "project file"


def test_repayment_before_opening_is_not_covered() -> None:
    # Same project, but the loan is drawn in 2019 and repaid in 2020 before the opening.
    result = appraise(project_from_dict(small(financing__start_year=2018)))
    assert result.uncovered_years == (2019, 2020)
    assert result.min_dscr == 0.0
    assert math.isinf(result.min_dscr_operating)


def test_annuity_schedule_matches_numpy_financial() -> None:
    f = Financing(
        loan_usd_mn=100.0, interest_pct=4.2, grace_years=2, maturity_years=10, start_year=2020
    )
    years = np.arange(2020, 2032)
    interest, principal = debt_schedule(f, years)
    assert principal.sum() == pytest.approx(100.0)
    assert interest[1] == pytest.approx(4.2) and principal[1] == 0.0
    payment = -npf.pmt(0.042, 8, 100.0)
    service = interest + principal
    assert service[3:11] == pytest.approx(np.full(8, payment))
    assert service[11] == 0.0


def test_draws_are_seeded_vectorised_and_centred() -> None:
    data = small(uncertainty__traffic_growth_sd_pct=5.0)
    data["uncertainty"].update(
        {
            "traffic_level": [0.6, 1.0, 1.2],
            "capital_overrun": [1.0, 1.1, 1.6],
            "delay_years": [0, 1],
            "delay_probability": [0.7, 0.3],
        }
    )
    p = project_from_dict(data)
    one = appraise(p, draws=2000, seed=7)
    two = appraise(p, draws=2000, seed=7)
    assert one.draws is not None and two.draws is not None
    assert np.array_equal(one.draws.npv_usd_mn, two.draws.npv_usd_mn)
    # overruns and delays only make things worse: the median NPV is below the central one
    assert np.median(one.draws.npv_usd_mn) < one.npv_usd_mn
    d = one.to_dict()
    assert set(d["npv"]["percentiles"]) == {"p5", "p50", "p95"}
    assert 0.0 < d["dscr"]["probability_min_below_covenant"] <= 1.0


def test_draws_without_spread_equal_the_central_case() -> None:
    result = appraise(project_from_dict(small()), draws=50)
    assert result.draws is not None
    assert result.draws.npv_usd_mn == pytest.approx(np.full(50, result.npv_usd_mn))
    assert result.draws.irr == pytest.approx(np.full(50, result.irr), abs=1e-9)
    assert result.draws.bcr == pytest.approx(np.full(50, result.bcr))
    assert result.draws.min_dscr == pytest.approx(np.full(50, result.min_dscr))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capital__cost_usd_mn": [-5.0]}, "negative"),
        ({"operations__operating_cost_usd_mn_per_year": -1.0}, "negative"),
        ({"tariff__usd_per_unit": -2.0}, "negative"),
        ({"financing__interest_pct": 101.0}, r"outside \(-100, 100\]"),
        ({"financing__interest_pct": -100.0}, r"outside \(-100, 100\]"),
        ({"financing__interest_pct": -150.0}, r"outside \(-100, 100\]"),
        ({"financing__maturity_years": 1, "financing__grace_years": 3}, "shorter than the grace"),
        ({"financing__loan_usd_mn": -1.0}, "negative"),
    ],
)
def test_bad_projects_are_refused(change: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        project_from_dict(small(**change))


def test_missing_benefit_source_is_an_error() -> None:
    data = small()
    del data["benefits"]["generalized_cost_saving_usd_per_unit"]
    with pytest.raises(InputError, match="no network given"):
        appraise(project_from_dict(data))


def test_unknown_project_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown project"):
        read_project("no-such-project")
    bad = tmp_path / "bad.toml"
    bad.write_text("[project\nid=")
    with pytest.raises(InputError, match="not valid TOML"):
        read_project(bad)


def test_builtin_projects_read_and_every_figure_has_a_source() -> None:
    ids = builtin_projects()
    assert {"amur-road-bridge", "tongjiang-rail-bridge", "korea-rail", "primorye-upgrade"} <= set(
        ids
    )
    for name in ids:
        p = read_project(name)
        known = set(p.sources["id"])
        assert p.figure_sources, name
        assert set(p.figure_sources.values()) <= known
        for figure in (
            "capital.cost_usd_mn",
            "operations.opening_year",
            "traffic.per_year",
            "tariff.usd_per_unit",
            "operations.operating_cost_usd_mn_per_year",
        ):
            assert figure in p.figure_sources, (name, figure)


def test_vectorised_irr_matches_numpy_financial_and_the_power_form() -> None:
    from amur.impact.appraisal import _irr_vectorised

    rng = np.random.default_rng(7)
    flows = np.hstack([-rng.uniform(50, 150, (40, 3)), rng.uniform(0, 30, (40, 27))])
    flows[0] = 1.0  # never changes sign: no IRR
    got = _irr_vectorised(flows)
    assert np.isnan(got[0])
    for row, irr in zip(flows[1:], got[1:], strict=True):
        assert irr == pytest.approx(npf.irr(row), abs=1e-9)
        # NPV at the IRR, by powers, is zero
        t = np.arange(row.size)
        assert (row * (1 + irr) ** -t).sum() == pytest.approx(0.0, abs=1e-6)


def test_the_central_case_lies_inside_its_own_monte_carlo_band() -> None:
    """A project whose NPV is mostly its capital cost (like the Amur road bridge's): with
    the central case at no overrun at all, the least of the triangular 1.0/1.2/1.8, it lay
    above its own 95th percentile. At the modes of its uncertain factors it lies inside."""
    from amur.impact.appraisal import central_case

    data = small(benefits__generalized_cost_saving_usd_per_unit=0.5)
    data["uncertainty"].update(
        {"capital_overrun": [1.0, 1.2, 1.8], "traffic_level": [0.5, 1.0, 1.2]}
    )
    result = appraise(project_from_dict(data), draws=4000, seed=3)
    assert result.draws is not None
    p5, p95 = np.percentile(result.draws.npv_usd_mn, [5, 95])
    assert p5 <= result.npv_usd_mn <= p95
    assert central_case(result.project) == (1.0, 1.2, 0)
    # the capital cost of the central case is the most likely one: 1.2 x 100
    assert result.cash_flow["capital_cost_usd_mn"].sum() == pytest.approx(120.0)
    assert result.to_dict()["central_case"] == {
        "traffic_level": 1.0,
        "capital_overrun": 1.2,
        "delay_years": 0,
    }
