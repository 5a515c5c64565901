"""A service's capacity in the equilibrium: a full service pushes freight onto the next
corridor, checked against an equilibrium worked out by hand.

Places a and z (CN). Two ways from a to z:

- a road, 100 km at 50 km/h (2 h) and 1 USD/TEU-km (100 USD/TEU), with a capacity so large
  that its cost does not move;
- a block train a -> z on a rail link (the link itself is 100 h and 1,000 USD/TEU by wagonload,
  so nobody rides it without the train): once a week with no wait (``wait_h`` 0), 1 h and
  10 USD/TEU, 10 TEU a departure: 52 x 10 TEU x 10 t = C = 5,200 t/year.

Per tonne (10 t a TEU), at the default 50,000 USD a TEU and 1 % a day, the value of time is
v = 50,000 x 0.01 / 24 / 10 = 2.0833 USD/h. The road costs c2 = 10 + 2 v; the train
c1(x) = 1 + v (1 + 0.15 (x / C)^4) with BPR's 0.15 and 4. With demand D above what the train
takes, the equilibrium has c1(x) = c2, so x = C ((c2 - 1 - v) / (0.15 v))^(1/4) = 2.4404 C =
12,690 t/year on the train and D - x on the road.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amur.assign import AssignmentOptions
from amur.assign.multimodal import assign_network, build_network_graph
from amur.assign.services import service_loads
from amur.graph.expand import expand
from amur.network import Network

NODES = pd.DataFrame(
    {
        "id": ["a", "z"],
        "name": ["A", "Z"],
        "country": "CN",
        "lat": [40.0, 40.5],
        "lon": [120.0, 120.5],
        "kind": "city",
    }
)
LINKS = pd.DataFrame(
    {
        "id": ["rail", "road"],
        "from_node": ["a", "a"],
        "to_node": ["z", "z"],
        "mode": ["rail", "road"],
        "gauge": ["1435", None],
        "length_km": [100.0, 100.0],
        "speed_kmh": [1.0, 50.0],
        "cost_usd_per_teu_km": [10.0, 1.0],
        "capacity_t_per_year": [1e12, 1e12],
    }
)
TRAIN = {
    "id": "t",
    "name": "A–Z train",
    "mode": "rail",
    "calls": "a|z",
    "first_year": 2015,
    "departures_per_week": 1,
    "wait_h": 0,
    "time_h": "1",
    "price": "10",
    "price_unit": "usd_per_teu",
    "capacity_per_departure": 10,
    "capacity_unit": "teu",
    "bidirectional": False,
}
VOT = 50_000 * 0.01 / 24 / 10
CAPACITY = 52 * 10 * 10.0


def assigned(demand: float, **train: object):  # type: ignore[no-untyped-def]
    net = Network.from_frames(NODES, LINKS, services=pd.DataFrame([{**TRAIN, **train}]))
    ng = build_network_graph(expand(net, year=2015), ["a", "z"])
    matrix = np.array([[0.0, demand], [0.0, 0.0]])
    return ng, assign_network(
        ng, matrix, AssignmentOptions(algorithm="b", gap=1e-12, max_iterations=2000)
    )


def test_a_full_service_sends_the_rest_by_the_other_corridor() -> None:
    x = CAPACITY * ((10 + 2 * VOT - 1 - VOT) / (0.15 * VOT)) ** 0.25
    assert x == pytest.approx(12_690, rel=1e-3)  # the figure in the docstring
    ng, result = assigned(50_000.0)
    links = result.links[result.links["from"] == "a"].set_index("link")
    assert links.loc["rail", "flow_t_per_year"] == pytest.approx(x, rel=1e-6)
    assert links.loc["road", "flow_t_per_year"] == pytest.approx(50_000 - x, rel=1e-6)
    g = ng.expanded
    loads = service_loads(
        g, result.result.flow[: g.n_arcs], ng.graph.cost_parameters.capacity[: g.n_arcs]
    )
    row = loads.iloc[0]
    assert (row["service"], row["from"], row["to"]) == ("t", "a", "z")
    assert row["capacity_t_per_year"] == pytest.approx(CAPACITY)
    assert row["flow_t_per_year"] == pytest.approx(x, rel=1e-6)
    assert row["v_c"] > 1.0
    # The rail link's own capacity is not the service's: its v/c stays near zero.
    assert links.loc["rail", "v_c"] < 1e-6


def test_a_service_with_room_takes_everything() -> None:
    _, result = assigned(50_000.0, capacity_per_departure=1_000)
    links = result.links[result.links["from"] == "a"].set_index("link")
    assert links.loc["rail", "flow_t_per_year"] == pytest.approx(50_000, rel=1e-9)
    assert links.loc["road", "flow_t_per_year"] == pytest.approx(0.0, abs=1e-6)


def test_without_the_service_the_road_takes_everything() -> None:
    _, result = assigned(50_000.0, first_year=2016)
    links = result.links[result.links["from"] == "a"].set_index("link")
    assert links.loc["road", "flow_t_per_year"] == pytest.approx(50_000, rel=1e-9)
