"""Scheduled services in the expanded graph and in routes, on a small network worked by hand.

Places a, m, q, z (all CN, no borders); a and z handle containers (5 h, 25 USD a move).

    a-m rail 500 km, m-z rail 500 km: wagonload, 10 km/h and 0.5 USD/TEU-km
        -> a-m-z 100 h, 500 USD
    a-q rail 300 km, q-z rail 300 km: 10 km/h, 1.0 USD/TEU-km -> a-q-z 60 h, 600 USD
    a-z road 1,200 km at 40 km/h, 0.85 USD/TEU-km -> 30 h, 1,020 USD

The block train ``ab`` calls at a and z, via m, from 2015, twice a week (a wait of half the
headway: 168 / 2 / 2 = 42 h), 20 h and 300 USD/TEU a-z. Boarding at a: 42 + 5 h and 25 USD;
riding 20 h and 300 USD (10 h and 150 USD on each 500 km link); alighting at z 5 h, 25 USD:
72 h and 350 USD in all. By cost it wins (350 < 500 < 600 < 1,020); by time the road does
(30 h); in 2014 it does not run and the cheapest route is wagonload via m (500 USD).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import amur
from amur.graph import ArcKind, expand
from amur.network import Network

NODES = pd.DataFrame({
    "id": ["a", "m", "q", "z"], "name": ["A", "M", "Q", "Z"], "country": "CN",
    "lat": [40.0, 41.0, 39.0, 40.0], "lon": [120.0, 125.0, 125.0, 130.0], "kind": "city",
    "handling_time_h": [5.0, np.nan, np.nan, 5.0],
    "handling_cost_usd_per_teu": [25.0, np.nan, np.nan, 25.0],
})
LINKS = pd.DataFrame({
    "id": ["am", "mz", "aq", "qz", "az"],
    "from_node": ["a", "m", "a", "q", "a"], "to_node": ["m", "z", "q", "z", "z"],
    "mode": ["rail", "rail", "rail", "rail", "road"],
    "gauge": ["1435", "1435", "1435", "1435", None],
    "length_km": [500.0, 500.0, 300.0, 300.0, 1200.0],
    "speed_kmh": [10.0, 10.0, 10.0, 10.0, 40.0],
    "cost_usd_per_teu_km": [0.5, 0.5, 1.0, 1.0, 0.85],
})
TRAIN = {"id": "ab", "name": "A–Z block train", "operator": "AZ Rail", "mode": "rail",
         "calls": "a|z", "via": "m", "first_year": 2015, "departures_per_week": 2,
         "time_h": "20", "price": "300", "price_unit": "usd_per_teu",
         "capacity_per_departure": 41, "capacity_unit": "teu"}


def network(**changes: object) -> Network:
    service = pd.DataFrame([{**TRAIN, **changes}])
    return Network.from_frames(NODES, LINKS, services=service)


def test_the_service_wins_by_cost_where_it_runs() -> None:
    best = amur.route(network(), "a", "z", by="cost", year=2015)[0]
    assert best.cost_usd_per_teu == pytest.approx(350.0)
    assert best.time_h == pytest.approx(72.0)
    assert [leg.kind for leg in best.legs] == ["board", "link", "link", "alight"]
    assert [leg.link_id for leg in best.legs if leg.kind == "link"] == ["am", "mz"]
    board = best.legs[0]
    assert board.time_h == pytest.approx(47.0)
    assert board.services[0].wait_h == pytest.approx(42.0)
    assert [s.name for s in best.services] == ["A–Z block train"]
    data = best.to_dict()
    assert data["legs"][1]["services"][0]["operator"] == "AZ Rail"
    assert data["services"][0]["departures_per_week"] == 2


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
    assert best.time_h == pytest.approx(10 + 5 + 20 + 5)
    back = amur.route(network(), "z", "a", by="cost", year=2015)[0]
    assert back.services and back.cost_usd_per_teu == pytest.approx(350.0)
    one_way = amur.route(network(bidirectional=False), "z", "a", by="cost", year=2015)[0]
    assert one_way.services == () and one_way.cost_usd_per_teu == pytest.approx(500.0)


def test_per_hop_times_and_prices_and_boarding_midway() -> None:
    net = network(calls="a|m|z", via=None, time_h="8|12", price="100|200")
    mid = amur.route(net, "m", "z", by="cost", year=2015)[0]
    # Boarding at m (no handling there): 42 h wait, then 12 h and 200 USD, then 5 h, 25 USD.
    assert mid.time_h == pytest.approx(42 + 12 + 5)
    assert mid.cost_usd_per_teu == pytest.approx(225.0)
    back = amur.route(net, "z", "m", by="cost", year=2015)[0]
    assert back.time_h == pytest.approx(5 + 42 + 12)  # the z-m hop, reversed


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
    own = [s for s, name in zip(service_states, layer_names, strict=True)
           if name.startswith("service:")]
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
