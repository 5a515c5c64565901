"""Multi-class assignment by commodity: modes per commodity, directions, shared capacity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amur.assign.commodity import (
    CommodityClass,
    assign_commodities,
    build_commodity_groups,
)
from amur.assign.multimodal import read_flow_parameters
from amur.data import corridors, dataset_path, load
from amur.demand.calibrate import commodity_classes
from amur.demand.statistics import builtin_prior, read_commodities
from amur.errors import InputError
from amur.network import Network
from two_places import two_places

FOLDER = dataset_path("northeast-asia")


@pytest.fixture(scope="module")
def year_2021():  # type: ignore[no-untyped-def]
    """The statistics demand of 2021 assigned in July (one season: fast)."""
    net = load("northeast-asia")
    prior = builtin_prior(years=[2021])
    commodities = read_commodities(FOLDER / "commodities.csv")
    demand = {c: prior.matrices[c, 2021] for c in commodities}
    params = read_flow_parameters(FOLDER / "flow_parameters.csv")
    zones = [z.place for z in prior.zones]
    groups = build_commodity_groups(
        net, zones, commodity_classes(commodities), demand, params, 2021, 7
    )
    result = assign_commodities(
        groups, demand, rounds=2, corridors=corridors("northeast-asia"), parameters=params
    )
    return prior, demand, result


def _flow(result, link: str, start: str, column: str) -> float:  # type: ignore[no-untyped-def]
    rows = result.links[(result.links["link"] == link) & (result.links["from"] == start)]
    return float(rows[column].sum())


def test_crude_goes_through_the_pipeline_into_china_and_nothing_else_does(year_2021) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year_2021
    for link in ("skovorodino-mohe-pipeline-1", "skovorodino-mohe-pipeline-2"):
        assert _flow(result, link, "skovorodino", "flow_t_per_year:crude_oil") > 1e6
        assert _flow(result, link, "mohe", "flow_t_per_year") == 0.0
    pipes = result.links[result.links["mode"] == "pipeline"]
    others = [c for c in result.commodities if c != "crude_oil"]
    assert pipes[[f"flow_t_per_year:{c}" for c in others]].to_numpy().sum() == 0.0
    # the pipeline ends at Daqing: what enters at Skovorodino leaves at Daqing
    into = sum(
        _flow(result, f"mohe-daqing-pipeline-{k}", "mohe", "flow_t_per_year") for k in (1, 2)
    )
    assert into == pytest.approx(30e6, rel=1e-6)


def test_coal_through_gashuunsukhait_comes_from_mongolia_into_china(year_2021) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year_2021
    crossing = "gashuunsukhait-ganqimaodu-road"
    south = _flow(result, crossing, "gashuunsukhait", "flow_t_per_year:coal")
    north = _flow(result, crossing, "ganqimaodu", "flow_t_per_year:coal")
    assert south > 1e6 and north == 0.0
    # South Gobi coal reaches Erenhot only by the Tavan Tolgoi railway, opened in 2022
    erenhot = _flow(result, "erenhot-zamyn_uud-rail", "zamyn_uud", "flow_t_per_year:coal")
    assert erenhot < 0.01 * south


def test_lng_moves_only_by_sea(year_2021) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year_2021
    lng = result.links[result.links["flow_t_per_year:lng"] > 0]
    assert set(lng["mode"]) == {"sea"}


def test_commodity_flows_add_up_to_the_link_flow(year_2021) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year_2021
    parts = result.links[[f"flow_t_per_year:{c}" for c in result.commodities]].sum(axis=1)
    np.testing.assert_allclose(parts, result.links["flow_t_per_year"], rtol=1e-9, atol=1e-3)


def test_every_tonne_leaves_its_origin(year_2021) -> None:  # type: ignore[no-untyped-def]
    _, demand, result = year_2021
    for g in result.groups:
        ng, a = g.graphs[0], g.assignments[0]
        for k, c in enumerate(g.group.commodities, start=1):
            out = a.result.class_flow[k][ng.expanded.n_arcs :].sum() / 2.0
            assert out == pytest.approx(demand[c].sum(), rel=1e-9), c


def test_json_has_flows_by_commodity_and_shares_by_commodity(year_2021) -> None:  # type: ignore[no-untyped-def]
    _, _, result = year_2021
    out = result.to_dict()
    assert set(out["commodities"]) == set(result.commodities)
    link = next(
        x
        for x in out["links"]
        if x["link"] == "gashuunsukhait-ganqimaodu-road" and x["from"] == "gashuunsukhait"
    )
    assert link["flow_t_per_year_by_commodity"]["coal"] > 0
    by_commodity = link["flow_t_per_year_by_commodity"]
    assert sum(by_commodity.values()) == pytest.approx(link["flow_t_per_year"])
    shares = pd.DataFrame(out["corridor_shares_by_commodity"])
    assert {"coal", "container", "crude_oil"} <= set(shares["group"])


def _line() -> Network:
    return two_places(
        {
            "id": ["rail", "pipe"],
            "from_node": ["a", "a"],
            "to_node": ["b", "b"],
            "mode": ["rail", "pipeline"],
            "gauge": ["1435", ""],
            "length_km": [100.0, 100.0],
            "speed_kmh": [50.0, 10.0],
            "cost_usd_per_teu_km": [1.0, 0.1],
            "capacity_t_per_year": [1000.0, 1e9],
        },
        name="line",
    )


def test_capacity_is_shared_between_groups() -> None:
    net = _line()
    boxes = CommodityClass("box", frozenset({"rail"}), 5000.0, 1.0)
    oil = CommodityClass("oil", frozenset({"rail", "pipeline"}), 500.0, 0.3)
    demand = {
        "box": np.array([[0.0, 800.0], [0.0, 0.0]]),
        "oil": np.array([[0.0, 0.0], [0.0, 0.0]]),
    }
    alone = assign_commodities(
        build_commodity_groups(net, ["a", "b"], [boxes, oil], demand), demand, rounds=2
    )
    demand["oil"] = np.array([[0.0, 300.0], [0.0, 0.0]])
    both = assign_commodities(
        build_commodity_groups(net, ["a", "b"], [boxes, oil], demand), demand, rounds=2
    )

    def cost(r: object) -> float:
        links = r.links.set_index(["link", "from"])  # type: ignore[attr-defined]
        return float(links.loc[("rail", "a"), "cost_usd_per_t"])

    # oil goes by pipeline (cheaper), so the boxes' cost on the rail is what it was alone
    assert _flow(both, "pipe", "a", "flow_t_per_year:oil") == pytest.approx(300.0)
    assert cost(both) == pytest.approx(cost(alone), rel=1e-6)
    # forced onto the rail, oil's tonnes delay the boxes
    oil_rail = CommodityClass("oil", frozenset({"rail"}), 500.0, 0.3)
    forced = assign_commodities(
        build_commodity_groups(net, ["a", "b"], [boxes, oil_rail], demand), demand, rounds=2
    )
    assert _flow(forced, "rail", "a", "flow_t_per_year") == pytest.approx(1100.0)
    assert cost(forced) > cost(alone) * 1.01


def test_a_commodity_on_no_allowed_mode_is_an_error() -> None:
    net = _line()
    lng = CommodityClass("lng", frozenset({"sea"}), 500.0, 0.3)
    demand = {"lng": np.array([[0.0, 1.0], [0.0, 0.0]])}
    groups = build_commodity_groups(net, ["a", "b"], [lng], demand)
    with pytest.raises(InputError, match="by the modes of lng"):
        assign_commodities(groups, demand)
    with pytest.raises(InputError, match="commodity 'coal': unknown"):
        build_commodity_groups(net, ["a", "b"], [lng], {"coal": demand["lng"]})
