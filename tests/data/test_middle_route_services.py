"""China–Europe containers of central and south-west China (zones CN-CENTRAL, CN-SW) and
the trains through Erenhot: the Zhengzhou–Erenhot–Hamburg and Tianjin–Erenhot–Moscow trains
are on the best route through Erenhot, and the built-in 2021 containers of the new zones to
Europe that go by land leave China at Alashankou and Khorgos first, and at Erenhot mostly on
the Erenhot train."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import amur
from amur.demand.builtin import assign_demand, builtin_demand
from amur.demand.matrix import ODMatrices
from cli_support import run

NET = amur.load("northeast-asia")
SERVICES = NET.services.set_index("id")


def _best(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, object]:
    code, out, err = run(["route", *args, "--json"], capsys)
    assert code == 0, err
    best: dict[str, object] = json.loads(out)["routes"][0]
    return best


@pytest.mark.parametrize(
    ("origin", "dest", "service"),
    [
        ("Zhengzhou", "Hamburg", "zhengzhou_erenhot_hamburg"),
        ("Beijing", "Moscow", "tianjin_moscow_erenhot"),
    ],
)
def test_the_erenhot_trains_are_the_best_route_through_erenhot(
    capsys: pytest.CaptureFixture[str], origin: str, dest: str, service: str
) -> None:
    first = int(SERVICES.loc[service, "first_year"])
    on = _best(capsys, [origin, dest, "--year", "2021", "--via", "erenhot"])
    assert [s["id"] for s in on["services"]] == [service]  # type: ignore[union-attr]
    assert "erenhot" in on["via"]  # type: ignore[operator]
    # the year before the train, the same crossing is wagonload: slower
    off = _best(capsys, [origin, dest, "--year", str(first - 1), "--via", "erenhot"])
    assert service not in {s["id"] for s in off["services"]}  # type: ignore[union-attr]
    assert off["time_h"] > on["time_h"]  # type: ignore[operator]


def _crossings(year: int, demand: ODMatrices) -> dict[str, float]:
    """Container tonnes a year leaving China westbound at each crossing, and at Brest."""
    result, _ = assign_demand(NET, "northeast-asia", year, None, None, demand=demand)
    flow = result.links.groupby(["from", "to"])["flow_t_per_year"].sum()
    pairs = {
        "alashankou": ("alashankou", "dostyk"),
        "khorgos": ("khorgos", "altynkol"),
        "erenhot": ("erenhot", "zamyn_uud"),
        "manzhouli": ("manzhouli", "zabaykalsk"),
        "suifenhe": ("suifenhe", "grodekovo"),
        "brest": ("brest", "malaszewicze"),
    }
    return {k: float(flow.get(p, 0.0)) for k, p in pairs.items()}


@pytest.fixture(scope="module")
def new_zones_to_europe() -> ODMatrices:
    """The built-in 2021 container demand from CN-CENTRAL and CN-SW to Europe, alone."""
    base = builtin_demand(year=2021)
    zones = list(base.zones)
    full = base.matrices["container"]
    only = np.zeros_like(full)
    europe = [zones.index(p) for p in ("duisburg", "lodz", "rotterdam")]
    for origin in ("zhengzhou", "chongqing"):  # the anchors of CN-CENTRAL and CN-SW
        only[zones.index(origin), europe] = full[zones.index(origin), europe]
    assert only.sum() > 1e6  # 2021: 0.274 + 0.3591 of 1.46 M TEU westbound, at 10 t
    return ODMatrices(tuple(zones), {"container": only})


def test_new_zones_reach_europe_by_land_mostly_through_xinjiang(
    new_zones_to_europe: ODMatrices,
) -> None:
    out = _crossings(2021, new_zones_to_europe)
    xinjiang = out["alashankou"] + out["khorgos"]
    by_land = xinjiang + out["erenhot"] + out["manzhouli"] + out["suifenhe"]
    # every tonne that goes by land to Poland, Germany or the Netherlands crosses at Brest
    assert by_land == pytest.approx(out["brest"], rel=1e-6)
    assert by_land > 0
    assert xinjiang > 0.5 * by_land
    assert xinjiang > out["erenhot"] > 0


def test_erenhot_carries_them_mostly_on_the_erenhot_train(new_zones_to_europe: ODMatrices) -> None:
    """The same demand on the network of the year before the Zhengzhou–Erenhot train: only
    wagonload overflow crosses at Erenhot (49 kt in the data against 407 kt with the train)."""
    first = int(SERVICES.loc["zhengzhou_erenhot_hamburg", "first_year"])
    before = _crossings(first - 1, new_zones_to_europe)
    after = _crossings(first, new_zones_to_europe)
    assert after["erenhot"] > 2 * before["erenhot"]
    assert before["alashankou"] + before["khorgos"] > 0


def test_the_new_zones_and_services_cite_sources() -> None:
    zones = pd.read_csv(
        amur.data.dataset_path("northeast-asia") / "demand_zones.csv", keep_default_na=False
    ).set_index("zone")
    assert zones.loc["CN-CENTRAL", "places"].split("|")[0] == "zhengzhou"
    assert zones.loc["CN-SW", "places"].split("|")[0] == "chongqing"
    for sid in ("zhengzhou_erenhot_hamburg", "tianjin_moscow_erenhot"):
        row = SERVICES.loc[sid]
        assert row["via"].split("|")[:2] == ["erenhot", "zamyn_uud"]
        assert row["source_id"] and row["frequency_source_id"] and row["time_source_id"]
