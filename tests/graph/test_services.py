"""Scheduled services in the expanded graph and in routes, on a small network worked by hand.

Places a, m, q, z (all CN, no borders); a and z handle containers (5 h, 25 USD a move).

    a-m rail 500 km, m-z rail 500 km: wagonload, 10 km/h and 0.5 USD/TEU-km
        -> a-m-z 100 h, 500 USD
    a-q rail 300 km, q-z rail 300 km: 10 km/h, 1.0 USD/TEU-km -> a-q-z 60 h, 600 USD
    a-z road 1,200 km at 40 km/h, 0.85 USD/TEU-km -> 30 h, 1,020 USD

The block train ``ab`` calls at a and z, via m, from 2015, twice a week (a wait of half the
headway: 168 / 2 / 2 = 42 h), 20 h and 300 USD/TEU a-z. Boarding at a from the rail layer:
42 h and no handling (no change of mode); riding 20 h and 300 USD (10 h and 150 USD on each
500 km link); alighting at z into the rail layer: nothing. 62 h and 300 USD in all. By cost
it wins (300 < 500 < 600 < 1,020); by time the road does (30 h); in 2014 it does not run and
the cheapest route is wagonload via m (500 USD). A container that reaches a by road changes
mode to board: 5 h and 25 USD on top.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import amur
from amur.graph import ArcKind, expand
from amur.network import Network

NODES = pd.DataFrame(
    {
        "id": ["a", "m", "q", "z"],
        "name": ["A", "M", "Q", "Z"],
        "country": "CN",
        "lat": [40.0, 41.0, 39.0, 40.0],
        "lon": [120.0, 125.0, 125.0, 130.0],
        "kind": "city",
        "handling_time_h": [5.0, np.nan, np.nan, 5.0],
        "handling_cost_usd_per_teu": [25.0, np.nan, np.nan, 25.0],
    }
)
LINKS = pd.DataFrame(
    {
        "id": ["am", "mz", "aq", "qz", "az"],
        "from_node": ["a", "m", "a", "q", "a"],
        "to_node": ["m", "z", "q", "z", "z"],
        "mode": ["rail", "rail", "rail", "rail", "road"],
        "gauge": ["1435", "1435", "1435", "1435", None],
        "length_km": [500.0, 500.0, 300.0, 300.0, 1200.0],
        "speed_kmh": [10.0, 10.0, 10.0, 10.0, 40.0],
        "cost_usd_per_teu_km": [0.5, 0.5, 1.0, 1.0, 0.85],
    }
)
TRAIN = {
    "id": "ab",
    "name": "A–Z block train",
    "operator": "AZ Rail",
    "mode": "rail",
    "calls": "a|z",
    "via": "m",
    "first_year": 2015,
    "departures_per_week": 2,
    "time_h": "20",
    "price": "300",
    "price_unit": "usd_per_teu",
    "capacity_per_departure": 41,
    "capacity_unit": "teu",
}


def network(**changes: object) -> Network:
    service = pd.DataFrame([{**TRAIN, **changes}])
    return Network.from_frames(NODES, LINKS, services=service)


def test_the_service_wins_by_cost_where_it_runs() -> None:
    best = amur.route(network(), "a", "z", by="cost", year=2015)[0]
    assert best.cost_usd_per_teu == pytest.approx(300.0)
    assert best.time_h == pytest.approx(62.0)
    assert [leg.kind for leg in best.legs] == ["board", "link", "link", "alight"]
    assert [leg.link_id for leg in best.legs if leg.kind == "link"] == ["am", "mz"]
    board = best.legs[0]
    assert board.time_h == pytest.approx(42.0)
    assert board.services[0].wait_h == pytest.approx(42.0)
    assert [s.name for s in best.services] == ["A–Z block train"]
    data = best.to_dict()
    assert data["legs"][1]["services"][0]["operator"] == "AZ Rail"
    assert data["services"][0]["departures_per_week"] == 2


def test_a_route_through_a_place_the_train_passes_stays_on_board() -> None:
    # Via m, the train's own path: the same 300 USD ride, not wagonload a-m and m-z (500 USD).
    through = amur.route(network(), "a", "z", by="cost", year=2015, via=("m",))[0]
    assert through.cost_usd_per_teu == pytest.approx(300.0)
    assert [leg.kind for leg in through.legs] == ["board", "link", "link", "alight"]
    assert [leg.link_id for leg in through.legs if leg.kind == "link"] == ["am", "mz"]
    # Via q, which the train does not pass: off the train, the wagonload a-q-z (600 USD).
    elsewhere = amur.route(network(), "a", "z", by="cost", year=2015, via=("q",))[0]
    assert elsewhere.cost_usd_per_teu == pytest.approx(600.0)
    assert not elsewhere.services


def test_coming_by_road_pays_the_change_of_mode() -> None:
    nodes = pd.concat(
        [
            NODES,
            pd.DataFrame(
                {
                    "id": ["o"],
                    "name": ["O"],
                    "country": "CN",
                    "lat": [40.0],
                    "lon": [119.9],
                    "kind": "city",
                }
            ),
        ]
    )
    links = pd.concat(
        [
            LINKS,
            pd.DataFrame(
                {
                    "id": ["oa"],
                    "from_node": ["o"],
                    "to_node": ["a"],
                    "mode": ["road"],
                    "gauge": [None],
                    "length_km": [10.0],
                    "speed_kmh": [40.0],
                    "cost_usd_per_teu_km": [0.85],
                }
            ),
        ]
    )
    net = Network.from_frames(nodes, links, services=pd.DataFrame([TRAIN]))
    best = amur.route(net, "o", "z", by="cost", year=2015)[0]
    board = next(leg for leg in best.legs if leg.kind == "board")
    assert board.time_h == pytest.approx(42 + 5) and board.cost_usd_per_teu == pytest.approx(25)
    assert best.cost_usd_per_teu == pytest.approx(8.5 + 25 + 300)


def test_before_it_starts_the_route_is_wagonload() -> None:
    best = amur.route(network(), "a", "z", by="cost", year=2014)[0]
    assert best.cost_usd_per_teu == pytest.approx(500.0)
    assert best.time_h == pytest.approx(100.0)
    assert best.services == ()


def test_the_road_still_wins_by_time() -> None:
    best = amur.route(network(), "a", "z", by="time", year=2015)[0]
    assert best.time_h == pytest.approx(30.0)
    assert best.services == ()


def test_its_own_wait_and_a_one_way_service() -> None:
    best = amur.route(network(wait_h=10.0), "a", "z", by="cost", year=2015)[0]
    assert best.time_h == pytest.approx(10 + 20)
    back = amur.route(network(), "z", "a", by="cost", year=2015)[0]
    assert back.services and back.cost_usd_per_teu == pytest.approx(300.0)
    one_way = amur.route(network(bidirectional=False), "z", "a", by="cost", year=2015)[0]
    assert one_way.services == () and one_way.cost_usd_per_teu == pytest.approx(500.0)


def test_per_hop_times_and_prices_and_boarding_midway() -> None:
    net = network(calls="a|m|z", via=None, time_h="8|12", price="100|200")
    mid = amur.route(net, "m", "z", by="cost", year=2015)[0]
    # Boarding at m from the rail layer: 42 h wait, then 12 h and 200 USD.
    assert mid.time_h == pytest.approx(42 + 12)
    assert mid.cost_usd_per_teu == pytest.approx(200.0)
    back = amur.route(net, "z", "m", by="cost", year=2015)[0]
    assert back.time_h == pytest.approx(42 + 12)  # the z-m hop, reversed
    whole = amur.route(net, "a", "z", by="cost", year=2015)[0]
    assert whole.time_h == pytest.approx(42 + 8 + 12)  # no second wait at m


def test_price_per_tonne_and_speed() -> None:
    net = network(time_h=None, speed_kmh=50.0, price="30", price_unit="usd_per_t")
    best = amur.route(net, "a", "z", by="cost", year=2015)[0]
    ride = [leg for leg in best.legs if leg.kind == "link"]
    assert sum(leg.time_h for leg in ride) == pytest.approx(1000 / 50)
    assert sum(leg.cost_usd_per_teu for leg in ride) == pytest.approx(300.0)  # 30 x 10 t


def test_service_states_are_not_places() -> None:
    g = expand(network(), year=2015)
    service_states = np.flatnonzero(g.state_layer >= 0)
    layer_names = [g.layers[k] for k in g.state_layer[service_states]]
    own = [
        s
        for s, name in zip(service_states, layer_names, strict=True)
        if name.startswith("service:")
    ]
    assert own, "the service has states of its own"
    for node in range(4):
        assert not set(g.states_of(node)) & set(own)
    rides = np.flatnonzero(g.kind == ArcKind.RIDE)
    assert len(rides) == 4  # two links, both ways
    assert set(g.link[rides]) == {0, 1}
    assert (g.service[g.kind <= ArcKind.BORDER] == -1).all()


def test_a_seasonal_service_runs_only_in_its_months() -> None:
    net = network(months="5-10")
    assert amur.route(net, "a", "z", by="cost", year=2015, month=7)[0].services
    assert not amur.route(net, "a", "z", by="cost", year=2015, month=1)[0].services


def test_a_service_that_stopped_no_longer_runs() -> None:
    net = network(last_year=2018)
    assert amur.route(net, "a", "z", by="cost", year=2018)[0].services
    assert not amur.route(net, "a", "z", by="cost", year=2019)[0].services
    assert not amur.route(net, "a", "z", by="cost")[0].services  # no year: as of the data


def test_a_service_keeps_to_its_border_crossing() -> None:
    """Two crossings from A (CN) to Z (RU): X on the short way, Y on a long one. The train
    via X does not detour through Y when X is closed: it does not run."""
    nodes = pd.DataFrame(
        {
            "id": ["a", "x", "y", "z"],
            "name": ["A", "X", "Y", "Z"],
            "country": ["CN", "CN", "CN", "RU"],
            "lat": [40.0, 41.0, 39.0, 40.0],
            "lon": [120.0, 121.0, 121.0, 122.0],
            "kind": ["city", "border_crossing", "border_crossing", "city"],
        }
    )
    links = pd.DataFrame(
        {
            "id": ["ax", "xz", "ay", "yz"],
            "from_node": ["a", "x", "a", "y"],
            "to_node": ["x", "z", "y", "z"],
            "mode": "rail",
            "gauge": "1435",
            "length_km": [100.0, 100.0, 300.0, 300.0],
            "speed_kmh": 10.0,
            "cost_usd_per_teu_km": 5.0,
            "status": ["operating", "operating", "operating", "operating"],
        }
    )
    train = {**TRAIN, "via": "x", "calls": "a|z"}
    open_net = Network.from_frames(nodes, links, services=pd.DataFrame([train]))
    ride = amur.route(open_net, "a", "z", by="cost", year=2015)[0]
    assert ride.services and [leg.link_id for leg in ride.legs if leg.kind == "link"] == [
        "ax",
        "xz",
    ]
    closed = links.assign(status=["operating", "closed", "operating", "operating"])
    closed_net = Network.from_frames(nodes, closed, services=pd.DataFrame([train]))
    assert not amur.route(closed_net, "a", "z", by="cost", year=2015)[0].services
    g = expand(closed_net, year=2015)
    assert not (g.kind == ArcKind.RIDE).any()
