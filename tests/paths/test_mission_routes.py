"""The routes the foundation issue must show, on the built-in network.

These check published facts, not tuned numbers: the data is built from sourced figures and
these tests report what it gives.
"""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest

import amur
from amur.data import dataset_path
from amur.errors import NoRouteError


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


def _check(name: str) -> pd.Series:
    checks = pd.read_csv(dataset_path("northeast-asia") / "checks.csv")
    return checks.set_index("name").loc[name]


def _infrastructure(net: amur.Network) -> amur.Network:
    """The network without its scheduled services: routes on the links alone (wagonload)."""
    import dataclasses

    from amur.network.services import empty_services

    return dataclasses.replace(net, services=empty_services(), name=f"{net.name}-links")


def test_harbin_hamburg_follows_the_published_train(net: amur.Network) -> None:
    # On the links alone (no scheduled service, wagonload), the fastest way is the path of the
    # published train (by generalized cost the sea via Dalian is as fast and cheaper).
    best = amur.route(_infrastructure(net), "Harbin", "Hamburg", by="time")[0]
    published = _check("harbin_hamburg_length_km")
    # Within 5 % of the published 9,820 km of the Harbin-Hamburg service.
    assert abs(best.length_km - published["value"]) / published["value"] < 0.05
    assert {"manzhouli", "zabaykalsk"} & set(best.via)
    assert {"manzhouli", "zabaykalsk"} & set(best.gauge_changes)
    assert {"brest", "malaszewicze"} & set(best.gauge_changes)
    assert {leg.mode for leg in best.legs if leg.kind == "link"} == {"rail"}
    # borders: China-Russia and Belarus-Poland (EU entry) only; none between Russia and
    # Belarus (EAEU) nor between Poland and Germany (EU)
    borders = [(leg.from_node, leg.to_node) for leg in best.legs if leg.kind == "border"]
    assert borders == [("manzhouli", "zabaykalsk"), ("brest", "malaszewicze")]
    assert best.time_h_low <= best.time_h <= best.time_h_high
    assert best.time_h_low < best.time_h_high  # the border regimes give a range
    # In 2015 the route rides the train itself, on that path, in its published time.
    train = amur.route(net, "Harbin", "Hamburg", year=2015)[0]
    assert [s.id for s in train.services] == ["harbin_hamburg"]
    assert abs(train.length_km - published["value"]) / published["value"] < 0.05
    assert {"manzhouli", "zabaykalsk"} & set(train.via)
    riding_days = sum(leg.time_h for leg in train.legs if leg.kind == "link") / 24
    days = _check("china_europe_schedule_days")
    assert days["low"] <= riding_days <= days["high"], (
        f"{riding_days:.1f} days is outside the published range {days['low']}-{days['high']} days"
    )


def test_rail_route_changes_gauge_only_at_transfer_stations(net: amur.Network) -> None:
    best = amur.route(_infrastructure(net), "Harbin", "Hamburg", by="time")[0]
    gauges = [leg.gauge for leg in best.legs if leg.kind == "link"]
    changes = [leg for leg in best.legs if leg.kind == "gauge_change"]
    # every switch between consecutive rail gauges is matched by one gauge-change leg
    switches = sum(1 for a, b in itertools.pairwise(gauges) if a != b)
    assert switches == len(changes) == 2


def test_primorye_corridor_against_tianjin(net: amur.Network) -> None:
    """The mission's claim: the Primorye corridor roughly halves the journey to Japan.

    Prints both lengths and the ratio; the ratio is what the data gives, not a tuned number.
    """
    primorye = amur.route(net, "Harbin", "Niigata", via=["Vladivostok"], by="length")[0]
    tianjin = amur.route(net, "Harbin", "Niigata", via=["Tianjin"], by="length")[0]
    ratio = primorye.length_km / tianjin.length_km
    print(
        f"Harbin-Niigata via Vladivostok {primorye.length_km:,.0f} km, via Tianjin "
        f"{tianjin.length_km:,.0f} km, ratio {ratio:.2f}"
    )
    assert "vladivostok" in primorye.via and "tianjin" in tianjin.via
    assert "tianjin" not in primorye.via and "vladivostok" not in tianjin.via
    assert 0.0 < ratio < 1.0


def test_alternatives_to_hamburg_use_distinct_corridors(net: amur.Network) -> None:
    routes = amur.route(net, "Harbin", "Hamburg", alternatives=4)
    assert len(routes) >= 3
    assert len({r.corridor for r in routes}) == len(routes)
    scores = [r.score for r in routes]
    assert scores == sorted(scores)


def test_route_json_schema(net: amur.Network, capsys: pytest.CaptureFixture[str]) -> None:
    from amur.cli import main

    main(["route", "Harbin", "Hamburg", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert {"from", "to", "by", "routes"} <= payload.keys()
    first = payload["routes"][0]
    assert {
        "rank",
        "length_km",
        "time_h",
        "cost_usd_per_teu",
        "co2_kg_per_teu",
        "via",
        "gauge_changes",
        "legs",
    } <= first.keys()
    for leg in first["legs"]:
        assert {
            "from",
            "to",
            "mode",
            "gauge",
            "length_km",
            "time_h",
            "cost_usd_per_teu",
            "co2_kg_per_teu",
        } <= leg.keys()
    assert sum(leg["length_km"] for leg in first["legs"]) == pytest.approx(
        first["length_km"], abs=0.01
    )


def test_proposed_korean_link_is_not_used_today(net: amur.Network) -> None:
    for r in amur.route(net, "Harbin", "Seoul", alternatives=3):
        assert "pyongyang" not in {leg.to_node for leg in r.legs}


def test_pipeline_is_not_a_container_route(net: amur.Network) -> None:
    with pytest.raises(NoRouteError):
        amur.route(net, "Harbin", "Mohe")
