"""Closures: a scenario switches a place or a link off for a range of months, and on again."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import amur
from amur.errors import ScenarioError
from amur.scenarios import apply, load_scenario, read_scenario
from amur.scenarios.model import Closure


def _write(tmp_path: Path, body: str, name: str = "c") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'name = "{name}"\nbase = "2018"\n' + body, encoding="utf-8")
    return path


@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(0, 40), st.integers(1995, 2035))
def test_months_closed_match_a_month_by_month_count(
    start_year: int, start_month: int, span: int, year: int
) -> None:
    first = start_year * 12 + start_month - 1
    last = first + span
    end = (last // 12, last % 12 + 1)
    closure = Closure("links", "x", (start_year, start_month), end)
    expected = {m for m in range(1, 13) if first <= year * 12 + m - 1 <= last}
    assert closure.months_closed(year) == expected


@pytest.mark.parametrize(
    "body, fragment, key",
    [
        (
            '[[close]]\nplace = "brest"\nfrom = "2025-10"\nto = "2025-09"\n',
            "close[0], key 'to': 2025-09 precedes 'from' 2025-10",
            "to",
        ),
        (
            '[[close]]\nplace = "brest"\nfrom = "2025-13"\nto = "2025-12"\n',
            "close[0], key 'from': '2025-13'; expected a month as 'YYYY-MM'",
            "from",
        ),
        (
            '[[close]]\nplace = "brest"\nlink = "x"\nfrom = "2025-01"\nto = "2025-02"\n',
            "close[0]: expected exactly one of the keys 'place' and 'link'",
            "place",
        ),
        ('[[close]]\nplace = "brest"\nfrom = "2025-01"\n', "close[0]: missing key 'to'", "to"),
    ],
)
def test_bad_closures_are_one_clear_error_naming_file_and_key(
    tmp_path: Path, body: str, fragment: str, key: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert str(path) in info.value.message and fragment in info.value.message
    assert info.value.field == key


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


def test_unknown_place_or_link_is_named(net: amur.Network, tmp_path: Path) -> None:
    for key, value in (("place", "Atlantis"), ("link", "brest-atlantis-rail")):
        path = _write(
            tmp_path,
            f'year = 2025\n[[close]]\n{key} = "{value}"\nfrom = "2025-01"\nto = "2025-02"\n',
            name=f"bad_{key}",
        )
        with pytest.raises(ScenarioError, match=f"close\\[0\\], key '{key}'"):
            apply(net, load_scenario(path, net))


def _brest_links(network: amur.Network) -> list[int]:
    links = network.links
    return list(links.index[(links["from_node"] == "brest") | (links["to_node"] == "brest")])


def test_a_closure_switches_a_crossing_off_and_on_by_month(
    net: amur.Network, tmp_path: Path
) -> None:
    path = _write(
        tmp_path, 'year = 2025\n[[close]]\nplace = "Brest"\nfrom = "2025-09"\nto = "2025-10"\n'
    )
    applied = apply(net, load_scenario(path, net)).network
    rows = _brest_links(applied)
    for month, running in ((8, True), (9, False), (10, False), (11, True)):
        flags = applied.in_service(2025, month)[rows]
        assert bool(flags.all()) is running and bool(flags.any()) is running, month
    september = amur.route(applied, "Harbin", "Hamburg", year=2025, month=9)[0]
    november = amur.route(applied, "Harbin", "Hamburg", year=2025, month=11)[0]
    assert "brest" not in {leg.to_node for leg in september.legs}
    assert "brest" in {leg.to_node for leg in november.legs}


def test_a_closure_outside_the_year_changes_nothing_and_a_whole_year_closes(
    net: amur.Network, tmp_path: Path
) -> None:
    other = _write(
        tmp_path,
        'year = 2024\n[[close]]\nlink = "brest-malaszewicze-rail"\n'
        'from = "2025-09"\nto = "2025-10"\n',
        name="other",
    )
    applied = apply(net, load_scenario(other, net)).network
    row = applied.links.index[applied.links["id"] == "brest-malaszewicze-rail"][0]
    assert applied.links.at[row, "status"] == "operating"
    assert applied.in_service(2024, 9)[row]
    whole = _write(
        tmp_path,
        'year = 2024\n[[close]]\nlink = "brest-malaszewicze-rail"\n'
        'from = "2023-06"\nto = "2025-01"\n',
        name="whole",
    )
    closed = apply(net, load_scenario(whole, net)).network
    assert closed.links.at[row, "status"] == "closed"
    assert not closed.in_service(2024, 6)[row]


def test_the_2025_scenario_closes_brest_in_september_only(net: amur.Network) -> None:
    applied = apply(net, load_scenario("2025", net))
    rows = _brest_links(applied.network)
    assert not applied.network.in_service(2025, 9)[rows].any()
    assert applied.network.in_service(2025, 10)[rows].all()
    today = apply(net, load_scenario("today", net)).network
    assert today.in_service(today_year(net), 9)[_brest_links(today)].all()


def today_year(net: amur.Network) -> int:
    scenario = load_scenario("today", net)
    year = scenario.effective_year
    assert year is not None
    return year
