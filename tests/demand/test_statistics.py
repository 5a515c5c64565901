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
    # China-Europe westbound 2021, split over three origin regions: the parts keep the total
    west = ["cre_2021_west", "cre_2021_west_sw", "cre_2021_west_central"]
    assert stats.loc["cre_2021_west_sw", "t_per_year"] == pytest.approx(1.46e6 * 0.1465 * 10)
    assert stats.loc[west, "t_per_year"].sum() == pytest.approx(1.46e6 * 0.5348 * 10)
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


def test_russian_coal_to_china_is_mostly_seaborne(prior) -> None:  # type: ignore[no-untyped-def]
    # 2021: China's 57 Mt from Russia (customs) = 6.3 Mt by rail across the border (RZD,
    # January-August x 12 / 8) + the rest by sea from Vostochny and the Nakhodka Bay ports
    coal = prior.matrices["coal", 2021]
    china = [k for k, z in enumerate(prior.zones) if z.country == "CN"]
    sea = [_zone(prior, "RU-VOSTOCHNY"), _zone(prior, "RU-NAKHODKA")]
    rail = [_zone(prior, "RU-KUZ"), _zone(prior, "RU-PRI")]
    by_sea, by_rail = coal[np.ix_(sea, china)].sum(), coal[np.ix_(rail, china)].sum()
    assert by_sea + by_rail == pytest.approx(57e6)
    assert by_rail == pytest.approx(6.3e6, rel=1e-5)  # 12 / 7 is written 1.7143
    # seaborne coal lands on the coast (Shanghai), the only Chinese zone on the sea lanes
    assert coal[np.ix_(sea, china)].sum() == coal[sea, _zone(prior, "CN-EAST")].sum()
    # Kuzbass coal by rail is Zabaykalsk's share only (1.1 Mt in January-July x 12 / 7)
    assert coal[_zone(prior, "RU-KUZ"), china].sum() == pytest.approx(1.1e6 * 1.7143)


def test_seaborne_coal_zones_ship_by_sea_not_through_zabaykalsk(prior) -> None:  # type: ignore[no-untyped-def]
    from amur.data import load
    from amur.demand.builtin import _flow_parameters
    from amur.demand.calibrate import assign_year, commodity_classes

    net = load("northeast-asia")
    commodities = read_commodities(FOLDER / "commodities.csv")
    coal = prior.matrices["coal", 2021]
    seaborne = np.zeros_like(coal)
    for zone in ("RU-VOSTOCHNY", "RU-NAKHODKA"):
        seaborne[_zone(prior, zone)] = coal[_zone(prior, zone)]
    demand = {c: np.zeros_like(coal) for c in commodities}
    demand["coal"] = seaborne
    places = [z.place for z in prior.zones]
    result = assign_year(
        net,
        places,
        commodity_classes(commodities),
        demand,
        _flow_parameters("northeast-asia", commodities),
        2021,
    )
    flow = result.links.groupby("link")["flow_t_per_year:coal"].sum()
    total = seaborne.sum()
    assert total > 50e6
    assert flow.get("manzhouli-zabaykalsk-rail", 0.0) == pytest.approx(0.0, abs=1.0)
    # all of it leaves on a sea lane from Nakhodka or Vostochny (Vostochny Port's coal
    # on the lanes its count covers)
    first_leg = sum(
        flow.get(link, 0.0)
        for link in (
            "nakhodka-shanghai-sea",
            "vostochny-shanghai-sea",
            "vostochny-busan-sea",
            "vostochny-tokyo-sea",
        )
    )
    assert first_leg == pytest.approx(total, rel=1e-6)
    assert flow["nakhodka-shanghai-sea"] == pytest.approx(
        coal[_zone(prior, "RU-NAKHODKA")].sum(), rel=1e-6
    )


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


def test_china_europe_statistics_keep_their_totals_over_the_origin_regions() -> None:
    """Each year's China-Europe TEU, split by origin region (CN-SW, CN-CENTRAL and the other
    Chinese zones), sums to the national figure times the direction's factor, and the new
    regions carry the sourced 2021 shares (0.274 and 0.3591 of the total)."""
    commodities = read_commodities(FOLDER / "commodities.csv")
    zones = read_zones(FOLDER / "demand_zones.csv")
    stats = read_statistics(FOLDER / "trade_statistics.csv", commodities, zones).set_index("id")
    totals = {  # year: (national TEU, westbound factor, eastbound factor)
        2020: (1.135e6, 0.5348, 0.4652),
        2021: (1.46e6, 0.5348, 0.4652),
        2023: (1.749e6, 0.5834, 0.5075),
    }
    for year, (teu, west, east) in totals.items():
        for way, factor in (("west", west), ("east", east)):
            ids = [f"cre_{year}_{way}", f"cre_{year}_{way}_sw", f"cre_{year}_{way}_central"]
            got = stats.loc[ids, "t_per_year"].sum()
            assert got == pytest.approx(teu * factor * 10, rel=2e-4), (year, way)
    whole = stats.loc[[i for i in stats.index if i.startswith("cre_2021_")], "t_per_year"].sum()
    sw = stats.loc[["cre_2021_west_sw", "cre_2021_east_sw"], "t_per_year"].sum()
    central = stats.loc[["cre_2021_west_central", "cre_2021_east_central"], "t_per_year"].sum()
    assert sw / whole == pytest.approx(0.274, abs=1e-3)
    assert central / whole == pytest.approx(0.3591, abs=1e-3)
    assert stats.loc["cre_2021_west_sw", "origin"] == "CN-SW"
    assert stats.loc["cre_2021_east_central", "destination"] == "CN-CENTRAL"
