"""Regimes and customs unions read from files: each bad row is one error naming the file,
the row and the column; good ones round-trip through write_network."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from amur.errors import InputError
from amur.io import read_network
from amur.io.csv import write_network
from amur.network.regimes import parse_union

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import tiny_frames

GOOD = {
    "place": "b",
    "kind": "border",
    "mode": "rail",
    "direction": "CN>RU",
    "time_h_low": 1.0,
    "time_h": 2.0,
    "time_h_high": 5.0,
    "fee_usd_per_teu": 40.0,
    "source_id": "user",
}


def folder_with(
    tmp_path: Path,
    regimes: list[dict[str, object]] | None = None,
    parameters: pd.DataFrame | None = None,
) -> Path:
    folder = tmp_path / "net"
    folder.mkdir()
    for name, frame in zip(("nodes", "links", "sources"), tiny_frames(), strict=True):
        frame.to_csv(folder / f"{name}.csv", index=False)
    if regimes is not None:
        pd.DataFrame(regimes).to_csv(folder / "regimes.csv", index=False)
    if parameters is not None:
        parameters.to_csv(folder / "parameters.csv", index=False)
    return folder


def error_of(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_network(folder)
    return info.value


def test_a_good_regime_is_read_and_its_empty_range_filled(tmp_path: Path) -> None:
    second = {**GOOD, "direction": "RU>CN", "time_h_low": None, "time_h_high": None}
    net = read_network(folder_with(tmp_path, [GOOD, second]))
    assert len(net.regimes) == 2
    row = net.regimes.iloc[1]
    assert row["time_h_low"] == row["time_h"] == row["time_h_high"] == 2.0


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"time_h_low": 3.0}, "time_h_low", "expected time_h_low <= time_h"),
        ({"time_h_high": 1.5}, "time_h_high", "expected time_h <= time_h_high"),
        ({"place": "zulu"}, "place", "unknown place 'zulu'"),
        ({"source_id": "nowhere"}, "source_id", "source 'nowhere' is not in"),
        ({"direction": "CN-RU"}, "direction", "CN>RU"),
        ({"direction": "XX>RU"}, "direction", "ISO country codes"),
        (
            {"kind": "gauge_change", "direction": "1435>1520", "mode": "road"},
            "mode",
            "expected rail",
        ),
        ({"kind": "gauge_change", "direction": "CN>RU"}, "direction", "1435>1520"),
        ({"kind": "port", "direction": "sea>ship"}, "direction", "sea>rail"),
        ({"kind": "customs"}, "kind", "border, gauge_change, port"),
        ({"time_h": -1.0}, "time_h", ">= 0"),
        ({"time_h": "soon"}, "time_h", "not a number"),
    ],
)
def test_a_bad_regime_is_one_error_naming_file_row_and_column(
    tmp_path: Path, change: dict[str, object], column: str, words: str
) -> None:
    folder = folder_with(tmp_path, [{**GOOD, "direction": "RU>CN"}, {**GOOD, **change}])
    error = error_of(folder)
    assert error.message.startswith(f"{folder}/regimes.csv, row 2"), error.message
    assert f"column {column!r}" in error.message and words in error.message, error.message
    assert error.field == column


def test_two_rows_for_the_same_regime_are_an_error(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, [GOOD, {**GOOD, "time_h": 3.0}])
    error = error_of(folder)
    assert error.message.startswith(f"{folder}/regimes.csv, row 2, column 'direction'")
    assert "a second border regime at 'b'" in error.message


def test_a_union_naming_an_unknown_country_is_one_error(tmp_path: Path) -> None:
    parameters = pd.DataFrame(
        {
            "name": ["t_per_teu", "customs_union:EU"],
            "value": [10, 1993],
            "members": [None, "DE|PL=2004|XX"],
            "source_id": [None, "user"],
        }
    )
    folder = folder_with(tmp_path, parameters=parameters)
    error = error_of(folder)
    assert error.message.startswith(f"{folder}/parameters.csv, row 2, column 'members'")
    assert "'XX' is not a known country code" in error.message
    assert error.field == "members"


@pytest.mark.parametrize(
    ("members", "words"),
    [
        (None, "empty"),
        ("DE|PL=later", "CODE=YEAR"),
        ("DE|DE", "appears twice"),
        ("de|PL", "'de' is not a known country code"),
    ],
)
def test_bad_union_members(members: str | None, words: str) -> None:
    with pytest.raises(InputError) as info:
        parse_union("customs_union:EU", 1993, members, "parameters.csv, row 4")
    assert info.value.message.startswith("parameters.csv, row 4, column 'members'")
    assert words in info.value.message


def test_a_union_source_must_resolve(tmp_path: Path) -> None:
    parameters = pd.DataFrame(
        {
            "name": ["customs_union:EAEU"],
            "value": [2011],
            "members": ["RU|BY"],
            "source_id": ["treaty"],
        }
    )
    error = error_of(folder_with(tmp_path, parameters=parameters))
    assert "customs_union:EAEU, column 'source_id': source 'treaty'" in error.message


def test_union_members_by_year() -> None:
    union = parse_union("customs_union:EU", 1993, "DE|NL|PL=2004|HR=2013", "p")
    assert union.members_in(2000) == {"DE", "NL"}
    assert union.members_in(2004) == {"DE", "NL", "PL"}
    assert union.members_in(None) == {"DE", "NL", "PL", "HR"}


def test_regimes_and_unions_round_trip(tmp_path: Path) -> None:
    parameters = pd.DataFrame(
        {
            "name": ["customs_union:EAEU"],
            "value": [2011],
            "members": ["RU|BY|KZ|AM=2015"],
            "source_id": ["user"],
        }
    )
    net = read_network(folder_with(tmp_path, [GOOD], parameters))
    again = read_network(write_network(net, tmp_path / "copy"))
    pd.testing.assert_frame_equal(again.regimes, net.regimes, check_dtype=False)
    assert again.unions == net.unions
    assert again.unions[0].members == (("RU", 2011), ("BY", 2011), ("KZ", 2011), ("AM", 2015))
