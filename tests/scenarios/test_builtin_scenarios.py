"""The built-in scenarios of northeast-asia: they apply, their sources resolve, the timeline
and what-ifs do what they say; and the command line around them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import amur
from amur.data import dataset_path
from amur.scenarios import TIMELINE, apply, list_scenarios, load_scenario

WHAT_IFS = (
    "korea-rail",
    "free-port",
    "no-primorye",
    "tianjin-only",
    "crude-oil",
    "lng-yamal",
    "avoid-russia",
)


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


def _known_sources() -> set[str]:
    folder = dataset_path("northeast-asia")
    known = set(pd.read_csv(folder / "sources.csv", dtype=str)["id"])
    extra = folder / "scenario_sources.csv"
    if extra.is_file():
        known |= set(pd.read_csv(extra, dtype=str)["id"])
    return known


def test_every_builtin_scenario_is_listed_and_applies(net: amur.Network) -> None:
    names = [s.name for s in list_scenarios(net)]
    assert names[: len(TIMELINE)] == list(TIMELINE)
    assert set(WHAT_IFS) <= set(names)
    for scenario in list_scenarios(net):
        applied = apply(net, scenario)
        assert applied.network is not net
        assert scenario.description


def test_every_figure_of_a_builtin_scenario_has_a_known_source(net: amur.Network) -> None:
    known = _known_sources()
    for scenario in list_scenarios(net):
        assert scenario.source_ids, scenario.name
        assert set(scenario.source_ids) <= known, scenario.name
        for edit in scenario.edits:
            assert edit.source_id in known, (scenario.name, edit.id)
            columns = edit.columns
            for key in ("source_id", "ops_source_id"):
                if key in columns:
                    assert columns[key] in known, (scenario.name, edit.id, key)
        for scale in scenario.scales:
            assert scale.source_id in known, scenario.name


def test_timeline_years_and_the_amur_bridges(net: amur.Network) -> None:
    years = [apply(net, load_scenario(name, net)).year for name in TIMELINE]
    assert years == [2014, 2015, 2018, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
    for name, open_ in (("2020", False), ("2022", True)):
        applied = apply(net, load_scenario(name, net))
        running = dict(
            zip(applied.network.links["id"], applied.network.in_service(applied.year), strict=True)
        )
        assert bool(running["heihe-blagoveshchensk-road"]) is open_
        assert bool(running["tongjiang-nizhneleninskoye-rail"]) is open_


def test_korea_rail_opens_the_peninsula(net: amur.Network) -> None:
    with pytest.raises(amur.NoRouteError):
        amur.route(net, "Harbin", "Busan", via=["Pyongyang"])
    applied = apply(net, load_scenario("korea-rail", net))
    best = amur.route(applied.network, "Harbin", "Busan", via=["Pyongyang"], year=applied.year)[0]
    assert {"dandong", "sinuiju"} <= set(best.via)
    assert {leg.mode for leg in best.legs if leg.kind == "link"} == {"rail"}


def test_no_primorye_closes_suifenhe_and_hunchun(net: amur.Network) -> None:
    applied = apply(net, load_scenario("no-primorye", net))
    best = amur.route(applied.network, "Harbin", "Vladivostok", year=applied.year)[0]
    assert not {"suifenhe", "grodekovo", "hunchun", "makhalino"} & set(best.via)
    assert "suifenhe" in amur.route(net, "Harbin", "Vladivostok")[0].via


def test_tianjin_only_leaves_no_land_crossing(net: amur.Network) -> None:
    applied = apply(net, load_scenario("tianjin-only", net))
    land = {
        "manzhouli",
        "suifenhe",
        "hunchun",
        "erenhot",
        "heihe",
        "tongjiang",
        "dandong",
        "tumen",
        "alashankou",
        "khorgos",
    }
    for destination in ("Moscow", "Busan", "Niigata"):
        best = amur.route(applied.network, "Harbin", destination, year=applied.year)[0]
        assert not land & set(best.via), (destination, best.via)
        assert {"tianjin", "dalian"} & set(best.via)


def test_free_port_shortens_the_vladivostok_route_by_a_day(net: amur.Network) -> None:
    today = apply(net, load_scenario("today", net))
    free = apply(net, load_scenario("free-port", net))
    before = amur.route(
        today.network, "Harbin", "Niigata", via=["Vladivostok"], by="time", year=today.year
    )[0]
    after = amur.route(
        free.network, "Harbin", "Niigata", via=["Vladivostok"], by="time", year=free.year
    )[0]
    # the port's side of the border to Japan (R&T Russian export, 66 h) becomes 24 h
    regimes = net.regimes.set_index(["place", "kind", "mode", "direction"])
    export = float(regimes.loc[("vladivostok", "border", "any", "RU>JP"), "time_h"])
    assert export > 24.0
    assert before.time_h - after.time_h == pytest.approx(export - 24.0)


# -- the command line -------------------------------------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from amur.cli import main

    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_route_with_scenario_and_month(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["route", "Harbin", "Belogorsk", "--scenario", "2018", "--month", "7", "--json"], capsys
    )
    assert code == 0
    payload = json.loads(out)
    assert (payload["scenario"], payload["year"], payload["month"]) == ("2018", 2018, 7)
    modes = {leg["mode"] for leg in payload["routes"][0]["legs"] if leg["kind"] == "link"}
    assert "river_ferry" in modes


def test_cli_compare_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        [
            "compare",
            "2018",
            "2022",
            "--from",
            "Harbin",
            "--to",
            "Belogorsk",
            "--month",
            "4",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    row = json.loads(out)["rows"][0]
    # April 2018: no Amur crossing runs at Heihe, so rail around by a China-Russia railway
    assert "heihe" not in row["via_a"] and "heihe" in row["via_b"]
    assert row["time_days_change"] < 0


def test_cli_compare_needs_both_places(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["compare", "2018", "2022", "--from", "Harbin"], capsys)
    assert code == 2 and err.count("\n") == 1 and "--from and --to" in err


def test_cli_compare_2021_today_shows_the_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["compare", "2021", "today", "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert {row["to"] for row in payload["rows"]} == {
        "hamburg",
        "moscow",
        "busan",
        "niigata",
        "tokyo",
    }
    changes = {c["link"]: c for c in payload["changes"]}
    # Both Amur bridges opened in 2022; the Power of Siberia ran already in 2021.
    assert changes["heihe-blagoveshchensk-road"]["change"] == "opened"
    assert changes["tongjiang-nizhneleninskoye-rail"]["change"] == "opened"
    assert "chayanda-blagoveshchensk-pipeline" not in changes
    # Capacities by year: the Trans-Caspian ferry carried more each year.
    ferry = changes["aktau-baku-sea"]
    assert ferry["change"] == "capacity"
    assert ferry["capacity_t_per_year_b"] > 2 * ferry["capacity_t_per_year_a"]
    assert all(c["source_id"] for c in payload["changes"])


def test_cli_compare_2024_2025_shows_the_brest_closure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        [
            "compare",
            "2024",
            "2025",
            "--from",
            "Harbin",
            "--to",
            "Hamburg",
            "--month",
            "9",
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    payload = json.loads(out)
    changes = {c["link"]: c for c in payload["changes"]}
    brest = changes["brest-malaszewicze-rail"]
    assert (brest["change"], brest["months_a"], brest["months_b"]) == (
        "months",
        "1-12",
        "1-8,10-12",
    )
    row = payload["rows"][0]
    assert "brest" in row["via_a"] and "brest" not in row["via_b"]


def test_cli_bad_scenario_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["route", "Harbin", "Belogorsk", "--scenario", "1999"], capsys)
    assert code == 2 and err.count("\n") == 1 and "unknown scenario '1999'" in err


def test_cli_scenarios_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["scenarios", "list", "--json"], capsys)
    assert code == 0
    assert [s["name"] for s in json.loads(out)["scenarios"]][:2] == ["2014", "2015"]
    code, out, _ = _run(["scenarios", "show", "korea-rail", "--json"], capsys)
    shown = json.loads(out)
    assert shown["chain"] == ["today", "korea-rail"] and len(shown["edits"]) == 1


def test_cli_check_claims_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check-claims", "--json"], capsys)
    assert code == 0
    claims = json.loads(out)["claims"]
    assert claims and all(c["verdict"] in ("holds", "does not hold", "needs flows") for c in claims)


@pytest.mark.slow
def test_cli_compare_timeline_writes_table_and_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["compare", "--timeline", "--out", str(tmp_path), "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert {r["scenario"] for r in payload["rows"]} == set(TIMELINE)
    png = tmp_path / "timeline.png"
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tongjiang_years = {r["year"] for r in payload["rows"] if r["corridor"] == "tongjiang"}
    assert min(tongjiang_years) == 2022  # the rail bridge opened in 2022
