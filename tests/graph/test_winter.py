"""A port's winter regime: extra time on its changes of mode in its months, and only there."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import amur
from amur.assign.seasons import season_months
from amur.graph.expand import ArcKind, expand
from amur.network import Network
from amur.paths import route
from amur.scenarios import apply, load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import tiny_frames


def _iced(hours: float) -> Network:
    nodes, links, sources = tiny_frames()
    nodes = nodes.astype(object)
    nodes.loc[nodes["id"] == "d", ["winter_months", "winter_time_h"]] = ["12-3", hours]
    return Network.from_frames(nodes, links, sources, name="iced")


@pytest.mark.parametrize("month", [None, *range(1, 13)])
def test_winter_time_is_added_to_handling_at_the_port_in_its_months(month: int | None) -> None:
    plain = expand(_iced(0.0), None, month)
    iced = expand(_iced(12.5), None, month)
    assert plain.n_arcs == iced.n_arcs
    port = plain.network.node_index["d"]
    at_port = (plain.node == port) & (plain.kind == ArcKind.HANDLING)
    extra = iced.time_h - plain.time_h
    winter = month in (12, 1, 2, 3)
    assert at_port.any()
    np.testing.assert_allclose(extra[at_port], 12.5 if winter else 0.0)
    np.testing.assert_allclose(extra[~at_port], 0.0)  # links, borders, gauge changes, others
    np.testing.assert_array_equal(iced.cost_usd, plain.cost_usd)


def test_a_route_through_the_port_waits_in_winter_and_says_why() -> None:
    net = _iced(12.5)
    january = route(net, "a", "e", by="time", month=1)[0]
    july = route(net, "a", "e", by="time", month=7)[0]
    assert january.time_h == pytest.approx(july.time_h + 12.5)
    legs = [leg for leg in january.legs if leg.kind == "handling" and leg.from_node == "d"]
    assert [leg.winter_time_h for leg in legs] == [12.5]
    assert all(leg.winter_time_h == 0 for leg in july.legs)
    assert "winter_time_h" in legs[0].to_dict()


def test_builtin_ports_winter_and_the_severe_ice_scenario() -> None:
    net = amur.load("northeast-asia")
    yingkou = net.nodes.set_index("id").loc["yingkou"]
    assert yingkou["winter_months"] == "12-3" and yingkou["winter_time_h"] == 0
    assert yingkou["winter_source_id"] in set(net.sources["id"])
    severe = apply(net, load_scenario("severe-ice", net))
    trips = {
        m: route(severe.network, "harbin", "busan", via=["yingkou"], month=m, year=severe.year)[0]
        for m in (1, 7)
    }
    assert trips[1].time_h == pytest.approx(trips[7].time_h + 7.9)
    assert trips[1].cost_usd_per_teu == pytest.approx(trips[7].cost_usd_per_teu)
    assert net.nodes.set_index("id").loc["yingkou", "winter_time_h"] == 0  # base untouched
    # the edit's source goes to the winter regime, not to the place's location or handling
    edited = severe.network.nodes.set_index("id").loc["yingkou"]
    assert edited["winter_source_id"] == "severe_ice_wait_est"
    assert edited["source_id"] == yingkou["source_id"]
    assert edited["ops_source_id"] == yingkou["ops_source_id"]


def test_a_winter_regime_that_costs_time_makes_its_months_a_season() -> None:
    assert season_months(_iced(0.0)) == [tuple(range(1, 13))]
    assert season_months(_iced(12.5)) == [(1, 2, 3, 12), tuple(range(4, 12))]
