"""The built-in demand: rebuilt from the statistics tables, calibrated and validated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from amur.data import dataset_path
from amur.demand.builtin import (
    BASE_YEAR,
    build_builtin_demand,
    builtin_demand,
    demand_summary,
)
from amur.demand.calibrate import read_counts_by_year
from amur.demand.statistics import BUILTIN_YEARS, read_commodities
from amur.errors import InputError

FOLDER = dataset_path("northeast-asia")


def test_demand_and_its_fit_are_rebuilt_from_the_data() -> None:
    cal = build_builtin_demand(bootstrap=0)
    stored = builtin_demand()
    for c in stored.commodities:
        np.testing.assert_allclose(
            stored.matrices[c],
            cal.matrices[c, BASE_YEAR][np.ix_(*[[cal.zones.index(z) for z in stored.zones]] * 2)],
            rtol=1e-6,
            atol=1e-3,
        )
    for name, fit in (
        ("demand_fit.csv", cal.calibration),
        ("demand_validation.csv", cal.validation),
    ):
        table = pd.read_csv(FOLDER / name)
        assert list(table["count"]) == list(fit.table["count"])
        np.testing.assert_allclose(
            table["modelled_t_per_year"], fit.table["modelled_t_per_year"], rtol=1e-4, atol=1.0
        )
    cv = pd.read_csv(FOLDER / "demand_cross_validation.csv")
    assert cal.cross_validation is not None
    np.testing.assert_allclose(
        cv["loo_geh_median"], cal.cross_validation["loo_geh_median"], rtol=1e-5
    )
    assert cv.loc[cv["chosen"], "prior_weight"].item() == cal.prior_weight
    years = pd.read_csv(FOLDER / "demand_years.csv")
    assert sorted(set(years["year"])) == list(BUILTIN_YEARS)
    assert (years["low"] <= years["value"] * (1 + 1e-9)).all()
    assert (years["value"] <= years["high"] * (1 + 1e-9)).all()


def test_calibration_and_validation_counts_are_apart_and_the_late_ones_held_out() -> None:
    commodities = read_commodities(FOLDER / "commodities.csv")
    cal = read_counts_by_year(FOLDER / "commodity_counts.csv", commodities, BUILTIN_YEARS)
    val = read_counts_by_year(
        FOLDER / "commodity_validation_counts.csv", commodities, BUILTIN_YEARS
    )
    assert len(cal) >= 20 and len(val) >= 5
    assert not set(cal["id"]) & set(val["id"])
    assert cal["year"].max() <= 2021
    assert (val["year"] >= 2022).sum() >= 5


def test_summary_has_the_issue_fields() -> None:
    out = demand_summary()
    assert len(out["commodities"]) >= 7
    assert out["years"] == list(BUILTIN_YEARS)
    assert out["calibration"]["counts"] >= 20 and out["validation"]["counts"] >= 5
    assert 0.25 < out["asymmetry"] <= 0.5  # 0.5: every tonne one way
    totals = out["total_t_per_year"]
    assert isinstance(totals, dict)
    assert totals["crude_oil"] > 0 and totals["coal"] > 0
    fit = pd.read_csv(FOLDER / "demand_fit.csv")
    assert out["calibration"]["geh_median"] == pytest.approx(fit["geh"].median())
    # The prior weight is the cross-validation's: the smallest leave-one-out median GEH.
    cv = pd.read_csv(FOLDER / "demand_cross_validation.csv")
    best = cv["loo_geh_median"].min()
    assert (
        out["calibration"]["prior_weight"]
        == cv.loc[cv["loo_geh_median"] <= best + 1e-9, "prior_weight"].max()
    )


def test_the_demand_of_a_year_is_that_years() -> None:
    base = builtin_demand()
    later = builtin_demand(year=2023)
    assert later.zones == base.zones
    assert later.total("crude_oil") > base.total("crude_oil")  # 86 and 105 Mt vs 80 Mt
    assert builtin_demand(year=2030).total() == pytest.approx(later.total())


def test_flows_of_the_builtin_demand_carry_its_range() -> None:
    import amur
    from amur.demand.builtin import assign_demand

    result, _ = assign_demand(amur.load("northeast-asia"), "northeast-asia", 2021, 7, None)
    links = result.links
    flow = links["flow_t_per_year"]
    assert (
        (links["flow_low_t_per_year"] <= flow * (1 + 1e-9) + 1e-6)
        & (flow <= links["flow_high_t_per_year"] * (1 + 1e-9) + 1e-6)
    ).all()
    busy = links[flow > 1e6]
    assert (busy["flow_high_t_per_year"] > flow[flow > 1e6]).any()
    assert (busy["flow_low_t_per_year"] < flow[flow > 1e6]).any()
    record = result.to_dict()["links"][0]
    assert len(record["flow_t_per_year_range"]) == 2


def _copy(tmp_path: Path, row: int, column: str, value: str) -> Path:
    table = pd.read_csv(FOLDER / "commodity_counts.csv", dtype=str, keep_default_na=False)
    table.loc[row, column] = value
    path = tmp_path / "counts.csv"
    table.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("commodity", "uranium", r"row 3, column commodity: unknown commodity 'uranium'"),
        ("value", "-4", r"row 3, column value: '-4'; expected a number > 0"),
        ("year", "2031", r"row 3, column year: '2031'; the demand has the years 2017, "),
        ("unit", "wagons", r"row 3, column unit: 'wagons'"),
    ],
)
def test_bad_counts_name_file_row_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = _copy(tmp_path, 1, column, value)
    with pytest.raises(InputError, match=r"counts.csv, " + message):
        read_counts_by_year(path, read_commodities(FOLDER / "commodities.csv"), BUILTIN_YEARS)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("prior_weight,loo_geh_median\n1,2\n", "no column 'chosen'"),
        ("prior_weight,loo_geh_median,loo_geh_mean,chosen\n1,2,3,False\n", "0 rows are True"),
    ],
)
def test_a_broken_cross_validation_file_is_named(tmp_path: Path, text: str, fragment: str) -> None:
    import shutil

    copy = tmp_path / "northeast_asia"
    shutil.copytree(FOLDER, copy)
    (copy / "demand_cross_validation.csv").write_text(text)
    with pytest.raises(InputError, match=fragment) as info:
        demand_summary(str(copy))
    assert "demand_cross_validation.csv" in str(info.value)
