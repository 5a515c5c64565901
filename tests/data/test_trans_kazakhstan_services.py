"""The trans-Kazakhstan China–Europe trains of the built-in data (Chongqing, Chengdu,
Zhengzhou, Xi'an, Wuhan): each line's periods follow one another, the routes ride them with
the schedule of the year's period, they run only from their first year and cross at
Alashankou–Dostyk, and the derived frequencies follow from the figures their sources quote."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import amur
from amur.graph.service_list import describe_services
from amur.graph.services import service_path_places
from amur.network.services import hop_values, service_calls, service_wait_h, services_running
from cli_support import run

NET = amur.load("northeast-asia")
SERVICES = NET.services.set_index("id")
LINES = {  # line name stem -> its period rows' id prefix
    "Chongqing–Duisburg": "chongqing_duisburg",
    "Chengdu–Łódź": "chengdu_lodz",
    "Zhengzhou–Hamburg": "zhengzhou_hamburg",
    "Xi'an–Moscow": "xian_moscow",
    "Wuhan–Duisburg": "wuhan_duisburg",
}


def _rows(prefix: str) -> pd.DataFrame:
    return NET.services[NET.services["id"].str.startswith(prefix)]


def _running_row(prefix: str, year: int) -> dict[str, object] | None:
    """The period row of a line that runs in ``year``, from the data alone."""
    rows = _rows(prefix)
    on = rows[services_running(rows, year)]
    assert len(on) <= 1, (prefix, year, list(on["id"]))
    return None if on.empty else on.iloc[0].to_dict()


def _route(
    capsys: pytest.CaptureFixture[str], origin: str, dest: str, scenario: str
) -> dict[str, object]:
    code, out, err = run(["route", origin, dest, "--scenario", scenario, "--json"], capsys)
    assert code == 0, err
    best: dict[str, object] = json.loads(out)["routes"][0]
    return best


def test_each_line_has_one_period_a_year_from_its_first_year() -> None:
    for stem, prefix in LINES.items():
        rows = _rows(prefix)
        assert not rows.empty, stem
        assert all(str(n).startswith(stem) for n in rows["name"])
        first = int(rows["first_year"].min())
        assert _running_row(prefix, first - 1) is None
        for year in range(first, 2027):
            assert _running_row(prefix, year) is not None, (prefix, year)
        # one line, one corridor: every period calls at the same places by the same crossing
        assert rows["calls"].nunique() == 1 and rows["via"].nunique() == 1


@pytest.mark.parametrize("scenario", ["2014", "2015", "2018"])
def test_chongqing_duisburg_rides_yuxinou_with_the_years_schedule(
    capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    code, out, err = run(
        ["route", "Chongqing", "Duisburg", "--scenario", scenario, "--json"], capsys
    )
    assert code == 0, err
    answer = json.loads(out)
    row = _running_row("chongqing_duisburg", int(answer["year"]))
    assert row is not None
    route = answer["routes"][0]
    assert [s["id"] for s in route["services"]] == [row["id"]]  # type: ignore[index]
    wait = float(service_wait_h(pd.DataFrame([row]))[0])
    ride = hop_values(row["time_h"], 1)
    assert ride is not None
    legs = route["legs"]
    assert isinstance(legs, list)
    board = [leg for leg in legs if leg["kind"] == "board"]
    assert len(board) == 1 and board[0]["time_h"] == pytest.approx(wait)
    rail = [leg for leg in legs if leg["mode"] == "rail"]
    assert sum(leg["time_h"] for leg in rail) == pytest.approx(ride[0])
    assert route["time_h"] == pytest.approx(wait + ride[0], abs=1e-3)
    assert route["via"] == service_calls(row["via"])


def test_more_departures_make_the_yuxinou_route_faster(capsys: pytest.CaptureFixture[str]) -> None:
    times = {
        s: _route(capsys, "Chongqing", "Duisburg", s)["time_h"] for s in ("2014", "2015", "2018")
    }
    per_week = {
        s: float(_running_row("chongqing_duisburg", int(s))["departures_per_week"])  # type: ignore[index, arg-type]
        for s in times
    }
    assert per_week["2014"] < per_week["2015"] < per_week["2018"]
    assert times["2014"] > times["2015"] > times["2018"]  # type: ignore[operator]


def test_xian_moscow_runs_only_from_its_first_year(capsys: pytest.CaptureFixture[str]) -> None:
    first = int(SERVICES.loc["xian_moscow", "first_year"])
    assert 2015 < first <= 2018
    before = _route(capsys, "Xi'an", "Moscow", "2015")
    after = _route(capsys, "Xi'an", "Moscow", "2018")
    assert "xian_moscow" not in {s["id"] for s in before["services"]}  # type: ignore[union-attr]
    assert [s["id"] for s in after["services"]] == ["xian_moscow"]  # type: ignore[union-attr]
    assert after["time_h"] < before["time_h"]  # type: ignore[operator]
    assert "xian_moscow" not in {s["id"] for s in describe_services(NET, year=first - 1)}
    assert "xian_moscow" in {s["id"] for s in describe_services(NET, year=first)}


def test_the_trains_cross_at_alashankou_dostyk_and_not_through_manzhouli() -> None:
    for prefix in LINES.values():
        for rec in _rows(prefix).to_dict("records"):
            found = service_path_places(NET, rec, int(rec["first_year"]))
            assert found is not None, rec["id"]
            places = found[0]
            assert places[0] == service_calls(rec["calls"])[0]
            assert places[-1] == service_calls(rec["calls"])[-1]
            k = places.index("alashankou")
            assert places[k + 1] == "dostyk"  # leaves China at the Alataw Pass
            assert not {"manzhouli", "zabaykalsk", "erenhot", "khorgos"} & set(places)
            if rec["calls"] != "xian|moscow":
                assert "brest" in places and "malaszewicze" in places


def test_chengdu_lodz_route_changes_with_its_2016_schedule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    early, late = _running_row("chengdu_lodz", 2015), _running_row("chengdu_lodz", 2018)
    assert early is not None and late is not None
    assert float(late["time_h"]) < float(early["time_h"])  # type: ignore[arg-type]
    for scenario, row in (("2015", early), ("2018", late)):
        route = _route(capsys, "Chengdu", "Łódź", scenario)
        assert [s["id"] for s in route["services"]] == [row["id"]]  # type: ignore[union-attr]
        assert route["time_h"] == pytest.approx(
            float(service_wait_h(pd.DataFrame([row]))[0]) + float(row["time_h"]),  # type: ignore[arg-type]
            abs=1e-3,
        )


def test_derived_frequencies_follow_from_the_quoted_figures() -> None:
    def per_week(sid: str) -> float:
        return float(SERVICES.loc[sid, "departures_per_week"])

    # svc_chinadaily_yuxinou_2014: 41 journeys in 2012, 36 in 2013
    assert per_week("chongqing_duisburg_2011") == pytest.approx((41 + 36) / 2 / 52, abs=0.005)
    # svc_wmlip_yuxinou_2015: 102 westbound in 2014; 152 from 1 January to 30 November 2015
    assert per_week("chongqing_duisburg_2014") == pytest.approx(102 / 52, abs=0.005)
    days = (pd.Timestamp("2015-12-01") - pd.Timestamp("2015-01-01")).days
    assert per_week("chongqing_duisburg_2015") == pytest.approx(152 / (days / 7), abs=0.005)
    # svc_silkrails_zhengzhou_2017: 556 one-way trips from 18 July 2013 to mid-March 2017
    days = (pd.Timestamp("2017-03-15") - pd.Timestamp("2013-07-18")).days
    assert per_week("zhengzhou_hamburg_2013") == pytest.approx(556 / 2 / (days / 7), abs=0.005)
    # svc_xinhua_zhengzhou_2017: 4 a week January-May, 5 in June, 6 in July, daily from August
    assert per_week("zhengzhou_hamburg_2017") == pytest.approx((4 * 5 + 5 + 6 + 7 * 5) / 12)
    sources = NET.sources.set_index("id")
    for sid in (
        "yuxinou_departures_derived",
        "zhengzhou_departures_derived",
        "chengdu_time_derived",
    ):
        assert sources.loc[sid, "kind"] == "derived"


def test_hunchun_zarubino_ningbo_sails_2018_to_2020_from_zarubino() -> None:
    row = SERVICES.loc["hunchun_ningbo"]
    first, last = int(row["first_year"]), int(row["last_year"])
    assert (first, last) == (2018, 2020)  # launched September 2018; the 2018-2020
    for year, runs in ((first - 1, False), (first, True), (last, True), (last + 1, False)):
        listed = {s["id"]: s for s in describe_services(NET, year=year, place="Ningbo")}
        assert ("hunchun_ningbo" in listed) is runs, year
    listed = {s["id"]: s for s in describe_services(NET, year=2019)}
    assert listed["hunchun_ningbo"]["path"] == ["zarubino", "ningbo"]
    # 5 voyages in the 69 weeks from September 2018 to January 2020 (svc_hunchun_ningbo_2020)
    assert float(row["departures_per_week"]) == pytest.approx(5 / 69, abs=5e-4)
    node = NET.nodes.set_index("id").loc["ningbo"]
    assert (float(node["lat"]), float(node["lon"])) == pytest.approx((29.867, 121.550))
