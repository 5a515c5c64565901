"""South Gobi coal in the built-in network: Tavan Tolgoi's crossings into China.

Most South Gobi coal crosses by truck at Gashuunsukhait-Ganqimaodu; the Tavan Tolgoi railway
to Zuunbayan and Zamyn-Uud opened only in 2022, so before that the South Gobi has no other way
into China here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import amur
from amur.errors import NoRouteError

FOLDER = Path(__file__).resolve().parents[2] / "src" / "amur" / "data" / "northeast_asia"


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


@pytest.mark.parametrize("year", [2019, 2023])
@pytest.mark.parametrize("destination", ["baotou", "beijing"])
def test_south_gobi_coal_crosses_at_gashuunsukhait(
    net: amur.Network, year: int, destination: str
) -> None:
    best = amur.route(net, "tavan_tolgoi", destination, year=year, by="cost")[0]
    assert tuple(best.via[:2]) == ("gashuunsukhait", "ganqimaodu")
    assert not {"zamyn_uud", "erenhot"} & set(best.via)


def test_zamyn_uud_is_the_other_way_only_from_2022(net: amur.Network) -> None:
    # Before the Tavan Tolgoi railway (2022) Gashuunsukhait is the only way out.
    with pytest.raises(NoRouteError, match="no route from Tavan Tolgoi to Baotou"):
        amur.route(net, "tavan_tolgoi", "baotou", year=2021, avoid=["gashuunsukhait"])
    detour = amur.route(net, "tavan_tolgoi", "baotou", year=2023, avoid=["gashuunsukhait"])[0]
    assert {"zamyn_uud", "erenhot"} <= set(detour.via)


def test_crossing_links_have_their_sourced_figures(net: amur.Network) -> None:
    links = net.links.set_index("id")
    rail = links.loc["tavan_tolgoi-gashuunsukhait-rail"]
    assert float(rail["length_km"]) == pytest.approx(233.6)
    assert int(rail["opened"]) == 2022
    assert str(rail["gauge"]) == "1520"
    assert float(links.loc["ganqimaodu-baotou-rail", "length_km"]) == pytest.approx(354)
    nodes = net.nodes.set_index("id")
    assert nodes.loc["gashuunsukhait", "country"] == "MN"
    assert nodes.loc["ganqimaodu", "country"] == "CN"
    sources = set(net.sources["id"])
    for link in ("tavan_tolgoi-gashuunsukhait-rail", "gashuunsukhait-ganqimaodu-road"):
        assert links.loc[link, "source_id"] in sources


def test_mn_south_is_anchored_at_tavan_tolgoi() -> None:
    zones = pd.read_csv(FOLDER / "demand_zones.csv").set_index("zone")
    assert zones.loc["MN-SOUTH", "places"] == "tavan_tolgoi"


def test_built_demand_carries_mongolian_coal_through_gashuunsukhait() -> None:
    fit = pd.read_csv(FOLDER / "demand_fit.csv").set_index("count")
    # 2017: no railway from Tavan Tolgoi yet, so the road crossing takes Mongolia's coal
    assert fit.loc["gashuunsukhait_2017", "modelled_t_per_year"] > 10e6
    # From 2022 the Tavan Tolgoi-Zamyn-Uud railway competes: with bulk paying border fees
    # per truck load (20 t, an estimate) most coal goes to Erenhot by rail and the model
    # misses the held-out Ganqimaodu counts (docs/demand.md); the crossing stays in use.
    held_out = pd.read_csv(FOLDER / "demand_validation.csv").set_index("count")
    for count in ("gashuunsukhait_2022", "gashuunsukhait_2023"):
        assert held_out.loc[count, "modelled_t_per_year"] > 1e6, count
