"""Seasons on the Amur: ferry in the navigation season, ice road in winter, nothing at
freeze-up and break-up, the bridge once it opens. On the hand-built crossing and on the
built-in network."""

from __future__ import annotations

import pytest

import amur
from amur.network import Network
from amur.scenarios import apply, load_scenario

AMUR_MODES = {"river_ferry", "ice_road", "pontoon", "road"}


def _crossing(
    net: Network, scenario: str, month: int, by: str, origin: str, destination: str
) -> tuple[set[str], tuple[str, ...], float]:
    applied = apply(net, load_scenario(scenario, net))
    best = amur.route(
        applied.network,
        origin,
        destination,
        by=by,
        year=applied.year,
        month=month,
        modes=applied.modes,
    )[0]
    modes = {leg.mode for leg in best.legs if leg.kind == "link"}
    return modes & AMUR_MODES, best.via, best.time_h


@pytest.mark.parametrize(
    ("scenario", "month", "crossing", "hours"),
    [
        ("y2018", 1, {"ice_road"}, 53.0),  # 10 rail + 5 + 1 ice + 30 border + 5 + 2 rail
        ("y2018", 7, {"river_ferry"}, 54.0),  # the ferry takes 2 h
        ("y2018", 4, set(), 90.5),  # break-up: the rail detour, 10 + 0.5 + 30 + 30 + 20
        ("y2018", 11, set(), 90.5),  # freeze-up
        ("y2022", 1, {"road"}, 52.5),  # the bridge (0.5 h) beats the ice road (1 h)
        ("y2022", 4, {"road"}, 52.5),
    ],
)
def test_hand_built_crossing_by_month(
    amur_net: Network, timeline_dir, scenario: str, month: int, crossing: set[str], hours: float
) -> None:
    found, _, time_h = _crossing(
        amur_net, str(timeline_dir / f"{scenario}.toml"), month, "time", "h", "be"
    )
    assert found == crossing
    assert time_h == pytest.approx(hours)


@pytest.fixture(scope="module")
def builtin() -> Network:
    return amur.load("northeast-asia")


def test_builtin_2018_january_uses_the_winter_crossing(builtin: Network) -> None:
    found, via, _ = _crossing(builtin, "2018", 1, "generalized", "Harbin", "Belogorsk")
    assert found and found <= {"ice_road", "pontoon"}
    assert "heihe" in via


def test_builtin_2018_july_uses_the_ferry(builtin: Network) -> None:
    found, via, _ = _crossing(builtin, "2018", 7, "generalized", "Harbin", "Belogorsk")
    assert found == {"river_ferry"} and "heihe" in via


@pytest.mark.parametrize("month", [4, 11])
def test_builtin_2018_freeze_up_and_break_up_avoid_heihe(builtin: Network, month: int) -> None:
    found, via, _ = _crossing(builtin, "2018", month, "generalized", "Harbin", "Belogorsk")
    assert not found
    assert "heihe" not in via and "blagoveshchensk" not in via


def test_builtin_2022_january_uses_the_bridge_by_time(builtin: Network) -> None:
    found, via, _ = _crossing(builtin, "2022", 1, "time", "Harbin", "Belogorsk")
    assert found == {"road"} and "heihe" in via


@pytest.mark.parametrize("month", [4, 11])
def test_builtin_2022_crosses_at_heihe_all_year(builtin: Network, month: int) -> None:
    found, via, _ = _crossing(builtin, "2022", month, "generalized", "Harbin", "Belogorsk")
    assert found == {"road"} and "heihe" in via
