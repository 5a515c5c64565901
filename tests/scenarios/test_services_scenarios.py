"""The timeline through services: 2014 and 2015 differ because the Harbin–Hamburg train
started; scenarios add, remove, re-price and re-time services; no-subsidy removes subsidies."""

from __future__ import annotations

from pathlib import Path

import pytest

import amur
from amur.errors import ScenarioError
from amur.graph.service_list import describe_services
from amur.scenarios import apply, load_scenario


def applied(name_or_path: str | Path):  # type: ignore[no-untyped-def]
    net = amur.load("northeast-asia")
    return apply(net, load_scenario(name_or_path, net))


def best(setting, origin: str, destination: str):  # type: ignore[no-untyped-def]
    return amur.route(
        setting.network,
        origin,
        destination,
        year=setting.year,
        month=setting.month,
        modes=setting.modes,
    )[0]


def test_2015_rides_the_harbin_hamburg_train_and_2014_cannot() -> None:
    before = best(applied("2014"), "Harbin", "Hamburg")
    after = best(applied("2015"), "Harbin", "Hamburg")
    assert "harbin_hamburg" not in {s.id for s in before.services}
    assert [s.id for s in after.services] == ["harbin_hamburg"]
    ridden = [leg for leg in after.legs if leg.services]
    assert ridden and all(leg.services[0].name.startswith("Harbin–Hamburg") for leg in ridden)
    assert after.time_h < before.time_h
    # 15 days on the train plus half a week's wait (once a week), all the rest is the train
    assert after.time_h == pytest.approx(360 + 84)


def test_no_subsidy_adds_the_subsidy_to_the_price() -> None:
    today = {s["id"]: s for s in describe_services(applied("today").network)}
    without = {s["id"]: s for s in describe_services(applied("no-subsidy").network)}
    train = "shenyang_hamburg"
    assert today[train]["subsidy_usd_per_teu"] == pytest.approx(1100)
    assert without[train]["subsidy_usd_per_teu"] == pytest.approx(0)
    assert without[train]["price_usd_per_teu"] == pytest.approx(
        today[train]["price_usd_per_teu"] + 1100
    )
    unsubsidised = [k for k, s in today.items() if not s["subsidy_usd_per_teu"]]
    for key in unsubsidised:
        assert without[key]["price_usd_per_teu"] == today[key]["price_usd_per_teu"]


def test_a_scenario_removes_retimes_and_reprices_services(tmp_path: Path) -> None:
    path = tmp_path / "edits.toml"
    path.write_text(
        """name = "edits"
base = "2015"

[services]
remove = ["yingkou_warsaw"]

[[services.change]]
id = "harbin_hamburg"
departures_per_week = 7
time_h = 300
price = 2000
source_id = "svc_my399_ha_ou_2015"

[[services.add]]
id = "harbin_dalian"
name = "Harbin–Dalian sea-rail train"
mode = "rail"
calls = "harbin|dalian"
first_year = 2015
departures_per_week = 14
time_h = 30
source_id = "svc_my399_ha_ou_2015"
""",
        encoding="utf-8",
    )
    setting = applied(path)
    services = setting.network.services.set_index("id")
    assert "yingkou_warsaw" not in services.index
    assert services.loc["harbin_dalian", "calls"] == "harbin|dalian"
    assert services.loc["harbin_hamburg", "price_source_id"] == "svc_my399_ha_ou_2015"
    assert services.loc["harbin_hamburg", "time_source_id"] == "svc_my399_ha_ou_2015"
    assert services.loc["harbin_hamburg", "capacity_source_id"] == "ce_capacity_82teu"
    route = best(setting, "Harbin", "Hamburg")
    assert route.cost_usd_per_teu == pytest.approx(2000)
    assert route.time_h == pytest.approx(300 + 168 / 2 / 7)
    dalian = best(setting, "Harbin", "Dalian")
    assert [s.id for s in dalian.services] == ["harbin_dalian"]


def test_an_edit_of_an_unknown_service_names_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad"\nbase = "2015"\n[[services.change]]\nid = "harbin_hambrug"\nprice = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(
        ScenarioError,
        match=r"unknown service 'harbin_hambrug'.*did you mean "
        r"'harbin_hamburg'",
    ):
        applied(path)


def test_a_scenario_that_breaks_a_service_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "bad"\nbase = "2015"\n[[services.change]]\nid = "harbin_hamburg"\n'
        "departures_per_week = 0.0\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ScenarioError,
        match=r"services.csv, row \d+ \(id 'harbin_hamburg'\), "
        r"column 'departures_per_week'",
    ):
        applied(path)
