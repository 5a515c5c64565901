"""Commodities decide the modes: containers never in pipelines, LNG only by sea."""

from __future__ import annotations

import pytest

import amur
from amur.errors import InputError, NoRouteError
from amur.scenarios import apply, commodity_modes, load_scenario


def test_modes_by_commodity() -> None:
    assert "pipeline" not in commodity_modes("container")
    assert commodity_modes("crude_oil") == {"pipeline", "rail", "sea"}
    assert commodity_modes("lng") == {"sea"}
    assert commodity_modes() == commodity_modes("container")
    assert commodity_modes("crude_oil", ["pipeline"]) == {"pipeline"}


def test_a_mode_the_commodity_cannot_use() -> None:
    with pytest.raises(InputError, match="'container' cannot go by pipeline"):
        commodity_modes("container", ["rail", "pipeline"])


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


def test_crude_takes_the_espo_spur_by_length(net: amur.Network) -> None:
    applied = apply(net, load_scenario("crude-oil", net))
    best = amur.route(
        applied.network,
        "Skovorodino",
        "Daqing",
        by="length",
        year=applied.year,
        modes=applied.modes,
    )[0]
    assert {leg.mode for leg in best.legs if leg.kind == "link"} == {"pipeline"}
    assert best.via == ("mohe",)


def test_containers_never_use_the_pipeline(net: amur.Network) -> None:
    best = amur.route(net, "Skovorodino", "Daqing", by="length")[0]
    assert "pipeline" not in {leg.mode for leg in best.legs}


@pytest.mark.parametrize(
    ("month", "link"), [(1, "sabetta-dalian-sea-suez"), (8, "sabetta-dalian-sea-nsr")]
)
def test_lng_from_yamal_by_season(net: amur.Network, month: int, link: str) -> None:
    applied = apply(net, load_scenario("lng-yamal", net))
    best = amur.route(
        applied.network,
        "Sabetta",
        "Dalian",
        by="time",
        year=applied.year,
        month=month,
        modes=applied.modes,
    )[0]
    assert [leg.link_id for leg in best.legs if leg.kind == "link"] == [link]


def test_lng_cannot_reach_harbin(net: amur.Network) -> None:
    applied = apply(net, load_scenario("lng-yamal", net))
    with pytest.raises(NoRouteError):
        amur.route(applied.network, "Sabetta", "Harbin", year=applied.year, modes=applied.modes)
