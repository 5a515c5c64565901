"""Demand from trade statistics: tonnes by commodity, zone and year, and bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from amur.data import dataset_path
from amur.demand.statistics import (
    BUILTIN_YEARS,
    build_prior,
    builtin_prior,
    prior_table,
    read_commodities,
    read_statistics,
    read_zones,
)
from amur.errors import InputError

FOLDER = dataset_path("northeast-asia")


@pytest.fixture(scope="module")
def prior():  # type: ignore[no-untyped-def]
    return builtin_prior()


def _zone(prior, zone_id: str) -> int:  # type: ignore[no-untyped-def]
    return next(k for k, z in enumerate(prior.zones) if z.id == zone_id)


def test_prior_file_is_rebuilt_from_the_statistics(prior) -> None:  # type: ignore[no-untyped-def]
    stored = pd.read_csv(FOLDER / "demand_prior.csv")
    built = prior_table(prior)
    assert list(stored.columns) == list(built.columns)
    assert len(stored) == len(built)
    pd.testing.assert_frame_equal(
        stored[["origin", "destination", "commodity", "year"]],
        built[["origin", "destination", "commodity", "year"]].astype({"year": "int64"}),
    )
    np.testing.assert_allclose(stored["value"], built["value"], rtol=1e-9, atol=1e-5)


def test_statistics_become_tonnes_through_unit_values() -> None:
    commodities = read_commodities(FOLDER / "commodities.csv")
    zones = read_zones(FOLDER / "demand_zones.csv")
    stats = read_statistics(FOLDER / "trade_statistics.csv", commodities, zones).set_index("id")
    # 8 bn USD x 42 % at 194.2 USD/t; TEU at 10 t; tonnes times the factor
    assert stats.loc["timber_2019", "t_per_year"] == pytest.approx(8e9 * 0.42 / 194.2)
    assert stats.loc["cre_2021_west", "t_per_year"] == pytest.approx(1.46e6 * 0.5348 * 10)
    assert stats.loc["mn_coal_2018", "t_per_year"] == pytest.approx(31.352e6 * 1.2)


def test_at_least_seven_commodities_each_with_tonnes(prior) -> None:  # type: ignore[no-untyped-def]
    commodities = {c for c, _ in prior.matrices}
    assert len(commodities) >= 7
    for c in commodities:
        assert prior.matrices[c, 2021].sum() > 0, c


def test_mongolian_coal_goes_into_china_and_crude_into_china(prior) -> None:  # type: ignore[no-untyped-def]
    coal = prior.matrices["coal", 2019]
    mn = _zone(prior, "MN-SOUTH")
    china = [k for k, z in enumerate(prior.zones) if z.country == "CN"]
    assert coal[mn, china].sum() == pytest.approx(36.4e6)
    assert coal[china][:, mn].sum() == 0.0
    crude = prior.matrices["crude_oil", 2021]
    assert crude[:, china].sum() == pytest.approx(79.64e6)
    assert crude[china].sum() == 0.0


def test_mongolian_iron_ore_goes_from_mongolia_into_china(prior) -> None:  # type: ignore[no-untyped-def]
    ore = prior.matrices["ores_metals", 2021]
    mn = _zone(prior, "MN")
    china = [k for k, z in enumerate(prior.zones) if z.country == "CN"]
    # annualised: 6.12 Mt to 21 October 2021 x 365 / 294 (factor rounded to 1.2415)
    assert ore[mn, china].sum() == pytest.approx(6.12e6 * 1.2415)
    assert ore[china][:, mn].sum() == 0.0


def test_the_largest_container_flows_are_chinas_exports(prior) -> None:  # type: ignore[no-untyped-def]
    box = prior.matrices["container", 2021]
    countries = np.array([z.country for z in prior.zones])
    o, d = np.unravel_index(int(np.argmax(box)), box.shape)
    assert countries[o] == "CN" and countries[d] != "CN"
    china = countries == "CN"
    exports, imports = box[china][:, ~china].sum(), box[~china][:, china].sum()
    assert exports > 1.5 * imports


def test_the_matrix_is_asymmetric_as_the_statistics_say(prior) -> None:  # type: ignore[no-untyped-def]
    total = sum(prior.matrices[c, 2021] for c in {c for c, _ in prior.matrices})
    asymmetry = np.abs(total - total.T).sum() / 4 / total.sum()
    assert asymmetry > 0.4  # of at most 0.5: bulk flows one way, into China


def test_years_without_a_statistic_say_where_their_tonnes_come_from(prior) -> None:  # type: ignore[no-untyped-def]
    basis = prior.basis.set_index(["statistic", "year"])
    assert basis.loc[("mn_coal_2019", 2019), "basis"] == "statistic"
    assert basis.loc[("mn_coal_2022", 2022), "basis"] == "statistic"
    assert basis.loc[("mn_coal_2018", 2017), "basis"] == "estimate: the 2018 statistic"
    assert set(prior.years) == set(BUILTIN_YEARS)


def _copy(tmp_path: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    table = pd.read_csv(FOLDER / name, dtype=str, keep_default_na=False)
    edit(table)
    path = tmp_path / name
    table.to_csv(path, index=False)
    return path


def test_unknown_commodity_names_file_row_and_column(tmp_path: Path) -> None:
    def edit(t: pd.DataFrame) -> None:
        t.loc[2, "commodity"] = "uranium"

    path = _copy(tmp_path, "trade_statistics.csv", edit)
    with pytest.raises(
        InputError,
        match=r"trade_statistics.csv, row 4, column commodity: "
        r"unknown commodity 'uranium'",
    ):
        read_statistics(
            path,
            read_commodities(FOLDER / "commodities.csv"),
            read_zones(FOLDER / "demand_zones.csv"),
        )


def test_negative_value_names_file_row_and_column(tmp_path: Path) -> None:
    def edit(t: pd.DataFrame) -> None:
        t.loc[0, "value"] = "-5"

    path = _copy(tmp_path, "trade_statistics.csv", edit)
    with pytest.raises(
        InputError,
        match=r"trade_statistics.csv, row 2, column value: '-5'; "
        r"expected a number >= 0",
    ):
        read_statistics(
            path,
            read_commodities(FOLDER / "commodities.csv"),
            read_zones(FOLDER / "demand_zones.csv"),
        )


def test_unknown_mode_of_a_commodity_names_file_row_and_column(tmp_path: Path) -> None:
    def edit(t: pd.DataFrame) -> None:
        t.loc[1, "modes"] = "rail|teleport"

    path = _copy(tmp_path, "commodities.csv", edit)
    with pytest.raises(InputError, match=r"commodities.csv, row 3, column modes: 'teleport'"):
        read_commodities(path)


def test_teu_of_a_bulk_commodity_is_an_error(tmp_path: Path) -> None:
    def edit(t: pd.DataFrame) -> None:
        t.loc[5, "unit"] = "teu"  # mn_coal_2018: coal has no tonnes per TEU

    path = _copy(tmp_path, "trade_statistics.csv", edit)
    with pytest.raises(InputError, match=r"row 7, column unit: TEU of 'coal'"):
        read_statistics(
            path,
            read_commodities(FOLDER / "commodities.csv"),
            read_zones(FOLDER / "demand_zones.csv"),
        )


def test_a_zone_with_no_place_in_the_network_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"demand_zones.csv, row 2, column places"):
        read_zones(FOLDER / "demand_zones.csv", places={"tokyo"})


def test_a_split_over_zones_weighs_by_mass() -> None:
    commodities = read_commodities(FOLDER / "commodities.csv")
    zones = read_zones(FOLDER / "demand_zones.csv")
    stats = pd.DataFrame(
        [
            {
                "id": "x",
                "year": 2020,
                "commodity": "coal",
                "origin": "MN",
                "destination": "CN-HL|CN-JL",
                "t_per_year": 100.0,
            }
        ]
    )
    prior = build_prior(stats, commodities, zones, [2020])
    ids = [z.id for z in zones]
    m = prior.matrices["coal", 2020]
    hl, jl = m[ids.index("MN"), ids.index("CN-HL")], m[ids.index("MN"), ids.index("CN-JL")]
    assert hl + jl == pytest.approx(100.0)
    assert hl / jl == pytest.approx(194.13 / 170.06)
