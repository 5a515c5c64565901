"""Shared fixtures: small networks built in code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from amur.network import Network
from scenario_helpers import amur_network, write
from schema_columns import FIXTURE_LINK_COLUMNS, FIXTURE_NODE_COLUMNS


def tiny_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A five-place network: 1435 rail to a gauge break at a border, 1520 rail to a port,
    and sea on to a second country; plus a slower all-sea alternative."""
    nodes = pd.DataFrame(
        [
            [
                "a",
                "Alpha",
                "Альфа",
                "CN",
                45.0,
                126.0,
                "city",
                "1435",
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "b",
                "Bravo",
                "",
                "CN",
                44.0,
                131.0,
                "border_crossing",
                "dual",
                None,
                None,
                24.0,
                150.0,
                6.0,
                100.0,
            ],
            [
                "c",
                "Charlie",
                "",
                "RU",
                44.0,
                131.3,
                "border_crossing",
                "dual",
                None,
                None,
                24.0,
                150.0,
                6.0,
                100.0,
            ],
            [
                "d",
                "Delta",
                "",
                "RU",
                43.1,
                131.9,
                "seaport",
                "1520",
                24.0,
                200.0,
                None,
                None,
                None,
                None,
            ],
            [
                "e",
                "Echo",
                "",
                "JP",
                37.9,
                139.0,
                "seaport",
                "1067",
                24.0,
                200.0,
                None,
                None,
                None,
                None,
            ],
            [
                "f",
                "Foxtrot",
                "",
                "CN",
                38.9,
                121.6,
                "seaport",
                "1435",
                24.0,
                200.0,
                None,
                None,
                None,
                None,
            ],
        ],
        columns=FIXTURE_NODE_COLUMNS,
    )
    links = pd.DataFrame(
        [
            [
                "a-b",
                "a",
                "b",
                "rail",
                "1435",
                550.0,
                40.0,
                None,
                0.23,
                0.0113,
                "operating",
                1903,
                "all",
            ],
            [
                "b-c",
                "b",
                "c",
                "rail",
                "dual",
                26.0,
                20.0,
                None,
                0.47,
                0.0113,
                "operating",
                1903,
                "all",
            ],
            [
                "c-d",
                "c",
                "d",
                "rail",
                "1520",
                210.0,
                40.0,
                None,
                0.23,
                0.0113,
                "operating",
                1897,
                "all",
            ],
            [
                "d-e",
                "d",
                "e",
                "sea",
                None,
                900.0,
                28.0,
                None,
                0.04,
                0.016,
                "operating",
                None,
                "all",
            ],
            [
                "a-f",
                "a",
                "f",
                "rail",
                "1435",
                950.0,
                40.0,
                None,
                0.23,
                0.0113,
                "operating",
                1903,
                "all",
            ],
            [
                "f-e",
                "f",
                "e",
                "sea",
                None,
                2500.0,
                28.0,
                None,
                0.04,
                0.016,
                "operating",
                None,
                "all",
            ],
        ],
        columns=FIXTURE_LINK_COLUMNS,
    )
    sources = pd.DataFrame(
        [["user", "user", "built in code for tests"]], columns=["id", "kind", "title"]
    )
    return nodes, links, sources


@pytest.fixture
def tiny() -> Network:
    nodes, links, sources = tiny_frames()
    return Network.from_frames(nodes, links, sources, name="tiny")


@pytest.fixture
def amur_net() -> Network:
    """The hand-built Amur crossing of the scenario and analysis tests."""
    return amur_network()


@pytest.fixture
def timeline_dir(tmp_path: Path) -> Path:
    """Two scenarios on the hand-built network: 2018 and 2022 (based on 2018)."""
    write(tmp_path, "y2018", 'name = "2018"\nyear = 2018\n')
    write(tmp_path, "y2022", 'name = "2022"\nbase = "2018"\nyear = 2022\n')
    return tmp_path
