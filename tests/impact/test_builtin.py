"""The built-in regions and projects on the built-in network, and the story."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import amur
from amur.errors import InputError
from amur.impact import appraise, builtin_regions, compare_scenarios, read_project, story


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


def test_every_region_sits_on_a_place_and_cites_a_source(net: amur.Network) -> None:
    regions = builtin_regions(net)
    assert {"CN-HL", "CN-JL", "CN-LN"} <= set(regions.ids)
    known = set(regions.sources["id"])
    assert set(regions.table["source_id"]) <= known
    assert set(regions.table["population_source_id"]) <= known
    assert set(regions.sources["kind"]) <= {"verified", "derived", "recalled", "estimate"}
    # the recommended GDP of Heilongjiang: 1,284.65 bn CNY / 6.6174 (shared/econ)
    hl = regions.table.set_index("region_id").loc["CN-HL"]
    assert hl["gdp_usd_bn"] == pytest.approx(1284.65 / 6.6174, abs=0.01)
    assert hl["node"] == "harbin"


def test_the_amur_bridge_raises_amur_oblast_access_2014_to_today(net: amur.Network) -> None:
    change = compare_scenarios(net, "2014", "today")
    table = change.table().set_index("region")
    assert table.loc["RU-AMU", "market_access_change_pct"] > 0
    assert (table["market_access_change_pct"] >= 0).all()


def test_amur_road_bridge_appraisal_on_the_network(net: amur.Network) -> None:
    result = appraise("amur-road-bridge", network=net, draws=2000, seed=1)
    assert result.generalized_cost_saving_usd_per_unit > 0
    assert "network" in result.benefit_basis
    assert result.traffic_basis == "project file"
    d = result.to_dict()
    assert d["npv"]["percentiles"]["p5"] <= d["npv"]["percentiles"]["p95"]
    # repayments fall due in 2019 before the planned 2020 opening: not covered
    assert 2019 in result.uncovered_years


def test_a_project_naming_a_link_not_in_the_network(net: amur.Network) -> None:
    project = replace(read_project("amur-road-bridge"), link_ids=("heihe-blagoveshchensk-tunnel",))
    with pytest.raises(InputError, match="link 'heihe-blagoveshchensk-tunnel' is not in"):
        appraise(project, network=net)


def test_story_reports_dongbei_with_theta_sensitivity(net: amur.Network) -> None:
    result = story(net)
    assert set(result.table["region"]) == {"CN-HL", "CN-JL", "CN-LN"}
    assert sorted(set(result.table["theta"])) == [4.0, 5.0, 8.2]
    # corridors never lower access; "both" compounds corridors and mix
    assert (result.table["corridors_ma_pct"] >= 0).all()
    both = (1 + result.table["corridors_ma_pct"] / 100) * (1 + result.table["mix_ma_pct"] / 100)
    assert np.allclose(1 + result.table["both_ma_pct"] / 100, both)
    # a higher value per TEU at the same value of time lowers every ad-valorem freight
    # cost, so access rises; the default mix is also more time-sensitive (2.1 %/day), and
    # the time cost, proportional to value, then outweighs it
    value_only = story(net, mix_time_value_pct_per_day=1.0, thetas=(5.0,))
    assert (value_only.table["mix_ma_pct"] > 0).all()
