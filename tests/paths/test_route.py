"""Routes on the tiny fixture and small hand-built networks, with expected numbers worked out
from the inputs.

The tiny fixture (tests/conftest.py) joins Alpha (a, CN) to Echo (e, JP) two ways:

north, via Bravo/Charlie/Delta (b, c, d), 1,686 km:
  a-b rail 1435, 550 km at 40 km/h = 13.75 h, 0.23 USD/TEU-km = 126.5 USD,
      0.0113 kg/t-km x 10 t/TEU = 62.15 kg
  gauge change 1435>1520 at b or c: 24 h, 150 USD
  b-c rail dual, 26 km at 20 km/h = 1.3 h, 0.47 x 26 = 12.22 USD, 2.938 kg
  border CN>RU at b/c: 6 + 6 = 12 h, 100 + 100 = 200 USD
  c-d rail 1520, 210 km at 40 km/h = 5.25 h, 48.3 USD, 23.73 kg
  handling rail>sea at d: 24 h, 200 USD
  d-e sea, 900 km at 28 km/h = 32.142857 h, 0.04 x 900 = 36 USD, 0.016 x 900 x 10 = 144 kg
  border RU>JP at d/e: no figures, 0
  total 112.442857 h, 773.02 USD, 232.818 kg

south, via Foxtrot (f), 3,450 km:
  a-f rail 1435, 950 km at 40 km/h = 23.75 h, 218.5 USD, 107.35 kg
  handling rail>sea at f: 24 h, 200 USD
  f-e sea, 2,500 km at 28 km/h = 89.285714 h, 100 USD, 400 kg
  border CN>JP: no figures, 0
  total 137.035714 h, 518.5 USD, 507.35 kg

So by time, CO2 and length the north route wins, by cost the south one. Generalized cost is
cost + time x value x pct / 100 / 24: at 50,000 USD and 1 %/day (20.83 USD/h) north is
3,115.58 against 3,373.41 USD; at 0.1 %/day (2.083 USD/h) north is 1,007.28 against 803.99.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import amur
from amur.errors import InputError, NoRouteError, UnknownPlaceError
from amur.network import Network

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import itertools

from conftest import tiny_frames

NORTH = {
    "time_h": 13.75 + 24 + 1.3 + 12 + 5.25 + 24 + 900 / 28,
    "cost_usd_per_teu": 126.5 + 150 + 12.22 + 200 + 48.3 + 200 + 36,
    "co2_kg_per_teu": (550 + 26 + 210) * 0.0113 * 10 + 900 * 0.016 * 10,
    "length_km": 550 + 26 + 210 + 900.0,
}
SOUTH = {
    "time_h": 950 / 40 + 24 + 2500 / 28,
    "cost_usd_per_teu": 950 * 0.23 + 200 + 2500 * 0.04,
    "co2_kg_per_teu": 950 * 0.0113 * 10 + 2500 * 0.016 * 10,
    "length_km": 950 + 2500.0,
}
NORTH_VIA = ("b", "c", "d")
SOUTH_VIA = ("f",)


def _totals(r: amur.paths.Route) -> dict[str, float]:
    return {k: getattr(r, k) for k in NORTH}


def _generalized(route: dict[str, float], pct_per_day: float) -> float:
    return route["cost_usd_per_teu"] + route["time_h"] * 50_000 * pct_per_day / 100 / 24


def test_expected_totals_worked_out() -> None:
    assert NORTH["time_h"] == pytest.approx(112.442857, abs=1e-6)
    assert NORTH["cost_usd_per_teu"] == pytest.approx(773.02)
    assert SOUTH["time_h"] == pytest.approx(137.035714, abs=1e-6)
    assert _generalized(NORTH, 1.0) == pytest.approx(3115.5795, abs=1e-3)
    assert _generalized(SOUTH, 0.1) == pytest.approx(803.99, abs=1e-2)


@pytest.mark.parametrize(
    ("by", "expected", "via"),
    [
        ("time", NORTH, NORTH_VIA),
        ("cost", SOUTH, SOUTH_VIA),
        ("co2", NORTH, NORTH_VIA),
        ("length", NORTH, NORTH_VIA),
        ("generalized", NORTH, NORTH_VIA),
    ],
)
def test_each_criterion_picks_the_expected_route(
    tiny: Network, by: str, expected: dict[str, float], via: tuple[str, ...]
) -> None:
    best = amur.route(tiny, "a", "e", by=by)[0]
    assert best.via == via
    assert _totals(best) == pytest.approx(expected)
    assert best.rank == 1 and best.by == by
    assert (best.origin, best.destination) == ("a", "e")
    score = (
        _generalized(expected, 1.0)
        if by == "generalized"
        else expected[
            {
                "time": "time_h",
                "cost": "cost_usd_per_teu",
                "co2": "co2_kg_per_teu",
                "length": "length_km",
            }[by]
        ]
    )
    assert best.score == pytest.approx(score)


def test_generalized_cost_turns_on_the_value_of_time(tiny: Network) -> None:
    cheap_time = amur.route(tiny, "a", "e", time_value_pct_per_day=0.1)[0]
    assert cheap_time.via == SOUTH_VIA
    assert cheap_time.score == pytest.approx(_generalized(SOUTH, 0.1))
    dear_cargo = amur.route(tiny, "a", "e", value_usd_per_teu=5_000.0, time_value_pct_per_day=1.0)[
        0
    ]
    # 5,000 USD at 1 %/day is 2.083 USD/h: the same trade-off as 50,000 at 0.1 %
    assert dear_cargo.via == SOUTH_VIA


def test_network_parameters_set_the_value_of_time(tiny: Network) -> None:
    nodes, links, sources = tiny_frames()
    net = Network.from_frames(nodes, links, sources)
    net.parameters["time_value_pct_per_day"] = 0.1
    assert amur.route(net, "a", "e")[0].via == SOUTH_VIA
    assert amur.route(tiny, "a", "e")[0].via == NORTH_VIA


def test_north_route_legs(tiny: Network) -> None:
    best = amur.route(tiny, "a", "e", by="co2")[0]
    kinds = [leg.kind for leg in best.legs]
    assert [k for k in kinds if k != "gauge_change"] == [
        "link",
        "link",
        "border",
        "link",
        "handling",
        "link",
        "border",
    ]
    # b and c both have gauge-change figures (24 h, 150 USD) and the dual track b-c carries
    # both gauges, so changing at b or at c costs the same: either is right
    change = next(leg for leg in best.legs if leg.kind == "gauge_change")
    assert change.gauge == "1435>1520" and change.from_node == change.to_node
    assert best.gauge_changes == (change.from_node,)
    rail = [leg.gauge for leg in best.legs if leg.kind == "link" and leg.mode == "rail"]
    assert rail == {"b": ["1435", "1520", "1520"], "c": ["1435", "1435", "1520"]}[change.from_node]
    assert kinds.index("gauge_change") == (1 if change.from_node == "b" else 3)
    assert [leg.link_id for leg in best.legs if leg.kind == "link"] == ["a-b", "b-c", "c-d", "d-e"]
    border = next(leg for leg in best.legs if leg.kind == "border")
    assert (border.time_h, border.cost_usd_per_teu) == (12.0, 200.0)
    assert border.to_node == "c"


@pytest.mark.parametrize("by", ["time", "cost", "co2", "generalized", "length"])
def test_legs_sum_to_the_totals(tiny: Network, by: str) -> None:
    for r in amur.route(tiny, "a", "e", by=by, alternatives=2):
        for key in ("length_km", "time_h", "cost_usd_per_teu", "co2_kg_per_teu"):
            assert sum(getattr(leg, key) for leg in r.legs) == pytest.approx(getattr(r, key))
        links = [leg for leg in r.legs if leg.kind == "link"]
        assert links[0].from_node == "a" and links[-1].to_node == "e"
        for first, second in itertools.pairwise(links):
            assert first.to_node == second.from_node


def test_via_forces_a_corridor(tiny: Network) -> None:
    by_time = amur.route(tiny, "a", "e", by="time", via=["Foxtrot"])[0]
    assert by_time.via == SOUTH_VIA
    assert _totals(by_time) == pytest.approx(SOUTH)
    by_cost = amur.route(tiny, "a", "e", by="cost", via=["d"])[0]
    assert by_cost.via == NORTH_VIA
    assert by_cost.cost_usd_per_teu == pytest.approx(NORTH["cost_usd_per_teu"])


def test_via_in_order_through_several_places() -> None:
    # square w-x-z, w-y-z with a rung x-y (km: w-x 100, x-z 100, w-y 120, y-z 150, x-y 50):
    # no via: w-x-z 200; via y then x: w-y-x-z 120+50+100 = 270; via x then y: w-x-y-z 300
    ids = ["w", "x", "y", "z"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [i.upper() for i in ids],
            "country": "CN",
            "lat": [40.0, 40.5, 39.5, 40.0],
            "lon": [120.0, 120.5, 120.5, 121.0],
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "from_node": ["w", "x", "w", "y", "x"],
            "to_node": ["x", "z", "y", "z", "y"],
            "length_km": [100.0, 100.0, 120.0, 150.0, 50.0],
            "mode": "road",
            "speed_kmh": 50.0,
        }
    )
    net = Network.from_frames(nodes, links)
    assert amur.route(net, "w", "z", by="length")[0].length_km == pytest.approx(200.0)
    y_x = amur.route(net, "w", "z", by="length", via=["y", "x"])[0]
    assert [leg.to_node for leg in y_x.legs] == ["y", "x", "z"]
    assert y_x.length_km == pytest.approx(270.0)
    x_y = amur.route(net, "w", "z", by="length", via=["x", "y"])[0]
    assert [leg.to_node for leg in x_y.legs] == ["x", "y", "z"]
    assert x_y.length_km == pytest.approx(300.0)


def test_via_place_reached_in_the_layer_the_rest_of_the_route_needs() -> None:
    """o to t via v, where v has rail and road but no handling (no change of mode there):
    rail o-v is the cheaper way to v, but only road leaves v for t, so the route must come
    to v by road: o-v road 300 km + v-t road 100 km = 400 km."""
    ids = ["o", "v", "t"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": ["O", "V", "T"],
            "country": "CN",
            "lat": [40.0, 41.0, 42.0],
            "lon": [120.0, 120.0, 120.0],
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "from_node": ["o", "o", "v"],
            "to_node": ["v", "v", "t"],
            "mode": ["rail", "road", "road"],
            "gauge": ["1435", None, None],
            "length_km": [150.0, 300.0, 100.0],
            "speed_kmh": 50.0,
        }
    )
    net = Network.from_frames(nodes, links)
    plain = amur.route(net, "o", "t", by="length")[0]
    assert plain.length_km == pytest.approx(400.0)
    forced = amur.route(net, "o", "t", by="length", via=["v"])[0]
    assert forced.length_km == pytest.approx(400.0)
    assert [leg.mode for leg in forced.legs] == ["road", "road"]


def _line_network() -> Network:
    """w - x - y - z along a line by road (100 km each), and a 300 km bypass w - y."""
    nodes = pd.DataFrame(
        {
            "id": list("wxyz"),
            "name": ["W", "X", "Y", "Z"],
            "country": "CN",
            "lat": [40.0, 40.0, 40.0, 40.0],
            "lon": [120.0, 121.0, 122.0, 123.0],
            "kind": "city",
        }
    )
    links = pd.DataFrame(
        {
            "from_node": ["w", "x", "y", "w"],
            "to_node": ["x", "y", "z", "y"],
            "mode": "road",
            "length_km": [100.0, 100.0, 200.0, 300.0],
            "speed_kmh": 50.0,
            "cost_usd_per_teu_km": 1.0,
        }
    )
    return Network.from_frames(nodes, links)


def _three_crossings() -> Network:
    """o (CN) to t (RU) by road through three crossings x1, x2, x3 (CN) and their twins y1,
    y2, y3 (RU): 100 + 10 + L_k km with L = 400, 300, 500, so by length x2 < x1 < x3."""
    ids = ["o", "t", "x1", "x2", "x3", "y1", "y2", "y3"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [i.upper() for i in ids],
            "country": ["CN", "RU", "CN", "CN", "CN", "RU", "RU", "RU"],
            "lat": [45.0, 48.0, 46.0, 46.5, 47.0, 46.1, 46.6, 47.1],
            "lon": [125.0, 128.0, 126.0, 126.0, 126.0, 126.1, 126.1, 126.1],
            "kind": ["city", "city"] + ["border_crossing"] * 6,
            "border_time_h": [None, None, 2, 2, 2, 3, 3, 3],
        }
    )
    rows = []
    for k, far in zip((1, 2, 3), (400.0, 300.0, 500.0), strict=True):
        rows += [("o", f"x{k}", 100.0), (f"x{k}", f"y{k}", 10.0), (f"y{k}", "t", far)]
    links = pd.DataFrame(rows, columns=["from_node", "to_node", "length_km"]).assign(
        mode="road", speed_kmh=50.0, cost_usd_per_teu_km=1.0
    )
    return Network.from_frames(nodes, links)


def test_alternatives_differ_by_corridor_in_order() -> None:
    net = _three_crossings()
    routes = amur.route(net, "o", "t", by="length", alternatives=5)
    assert [r.via for r in routes] == [("x2", "y2"), ("x1", "y1"), ("x3", "y3")]
    assert [r.length_km for r in routes] == pytest.approx([410.0, 510.0, 610.0])
    assert [r.rank for r in routes] == [1, 2, 3]
    assert len({r.corridor for r in routes}) == len(routes)
    scores = [r.score for r in routes]
    assert scores == sorted(scores)
    # border: 2 + 3 h on every corridor; road 50 km/h
    assert routes[0].time_h == pytest.approx(410 / 50 + 5)


@pytest.mark.parametrize("by", ["time", "cost", "generalized"])
def test_alternatives_on_the_tiny_network(tiny: Network, by: str) -> None:
    routes = amur.route(tiny, "a", "e", by=by, alternatives=3)
    assert len(routes) == 2  # only two corridors exist
    assert {r.via for r in routes} == {NORTH_VIA, SOUTH_VIA}
    assert routes[0].score <= routes[1].score


def test_route_dict_schema(tiny: Network) -> None:
    payload = amur.route(tiny, "a", "e")[0].to_dict()
    assert {
        "rank",
        "length_km",
        "time_h",
        "cost_usd_per_teu",
        "co2_kg_per_teu",
        "via",
        "gauge_changes",
        "legs",
    } <= set(payload)
    assert payload["rank"] == 1
    assert payload["via"] == list(NORTH_VIA)
    assert payload["gauge_changes"] in (["b"], ["c"])
    assert payload["time_h"] == pytest.approx(NORTH["time_h"], abs=1e-3)
    for leg in payload["legs"]:
        assert {
            "from",
            "to",
            "mode",
            "gauge",
            "length_km",
            "time_h",
            "cost_usd_per_teu",
            "co2_kg_per_teu",
        } <= set(leg)
        assert isinstance(leg["from"], str) and isinstance(leg["length_km"], float)
    assert next(leg["from"] for leg in payload["legs"]) == "a"


def test_unreachable_place_names_both_ends(tiny: Network) -> None:
    nodes, links, sources = tiny_frames()
    lonely = nodes.iloc[[0]].assign(id="z", name="Zulu", aliases=None)
    net = Network.from_frames(pd.concat([nodes, lonely], ignore_index=True), links, sources)
    with pytest.raises(NoRouteError, match=r"^no route from Alpha to Zulu: .*Zulu"):
        amur.route(net, "a", "z")
    with pytest.raises(NoRouteError, match=r"^no route from Zulu to Echo: .*Zulu"):
        amur.route(net, "Zulu", "e")


def test_no_route_in_a_month_when_the_only_link_does_not_run() -> None:
    net = _line_network()
    links = net.links.assign(months="5-10")
    seasonal = Network.from_frames(net.nodes, links, net.sources)
    assert amur.route(seasonal, "w", "z", month=7)[0].length_km == pytest.approx(400.0)
    with pytest.raises(NoRouteError, match=r"^no route from W to Z \(in month 1\): "):
        amur.route(seasonal, "w", "z", month=1)


def test_one_way_link_gives_no_route_back() -> None:
    net = _line_network()
    one_way = Network.from_frames(net.nodes, net.links.assign(bidirectional=False), net.sources)
    assert amur.route(one_way, "w", "z")[0].length_km == pytest.approx(400.0)
    with pytest.raises(NoRouteError, match=r"^no route from Z to W: no chain of links"):
        amur.route(one_way, "z", "w")


def test_misspelled_place_suggests_the_name(tiny: Network) -> None:
    with pytest.raises(UnknownPlaceError, match="did you mean 'Alpha'") as info:
        amur.route(tiny, "Alpah", "e")
    assert "'Alpah'" in str(info.value)
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize("query", ["Альфа", "альфа", "АЛЬФА", "alpha", "ALPHA", " a "])
def test_places_found_by_alias_case_insensitively(tiny: Network, query: str) -> None:
    assert tiny.place(query) == "a"
    assert amur.route(tiny, query, "Echo")[0].origin == "a"


def test_bad_arguments(tiny: Network) -> None:
    with pytest.raises(InputError, match="unknown criterion 'speed'"):
        amur.route(tiny, "a", "e", by="speed")
    with pytest.raises(InputError, match=r"alternatives: 0; expected number of routes"):
        amur.route(tiny, "a", "e", alternatives=0)
    with pytest.raises(InputError, match=r"month: 13; expected month, a whole number in \[1, 12\]"):
        amur.route(tiny, "a", "e", month=13)


def test_pareto_routes_on_the_tiny_network(tiny: Network) -> None:
    routes = amur.paths.pareto_routes(tiny, "a", "e")
    assert [r.via for r in routes] == [NORTH_VIA, SOUTH_VIA]
    assert [_totals(r) for r in routes] == [pytest.approx(NORTH), pytest.approx(SOUTH)]


def test_same_place_at_both_ends(tiny: Network) -> None:
    """Either a clear InputError, or an empty route that still names its ends."""
    try:
        routes = amur.route(tiny, "a", "Alpha")
    except InputError as exc:
        assert "Alpha" in str(exc)
        return
    best = routes[0]
    assert (best.origin, best.destination) == ("a", "a")
    assert best.legs == () and best.time_h == 0.0
