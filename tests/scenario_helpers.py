"""Helpers for the scenario tests: a small hand-built Amur crossing, Heihe-Blagoveshchensk by
ferry (May-October), ice road (December-March) and a road bridge (2022), and a longer rail
detour through a gauge break.

Figures are round so that expected results can be worked out by hand in the tests:
rail 50 km/h and 0.5 USD/TEU-km, borders 10 h + 20 h and 100 + 200 USD, handling 5 h and
25 USD, gauge change 30 h and 200 USD."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from amur.network import Network
from schema_columns import FIXTURE_LINK_COLUMNS, FIXTURE_NODE_COLUMNS

#: No aliases: the places are found by id and name.
NODE_COLUMNS = [c for c in FIXTURE_NODE_COLUMNS if c != "aliases"]
LINK_COLUMNS = FIXTURE_LINK_COLUMNS


def amur_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame(
        [
            ["h", "Hub", "CN", 45.0, 126.0, "city", "1435", None, None, None, None, None, None],
            [
                "hh",
                "River China",
                "CN",
                50.2,
                127.5,
                "border_crossing",
                "1435",
                5.0,
                25.0,
                None,
                None,
                10.0,
                100.0,
            ],
            [
                "bl",
                "River Russia",
                "RU",
                50.3,
                127.5,
                "border_crossing",
                "1520",
                5.0,
                25.0,
                None,
                None,
                20.0,
                200.0,
            ],
            [
                "be",
                "Junction",
                "RU",
                50.9,
                128.5,
                "junction",
                "1520",
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "sf",
                "Gauge China",
                "CN",
                44.4,
                131.2,
                "border_crossing",
                "dual",
                None,
                None,
                30.0,
                200.0,
                10.0,
                100.0,
            ],
            [
                "gr",
                "Gauge Russia",
                "RU",
                44.4,
                131.4,
                "border_crossing",
                "dual",
                None,
                None,
                30.0,
                200.0,
                20.0,
                200.0,
            ],
        ],
        columns=NODE_COLUMNS,
    )
    links = pd.DataFrame(
        [
            [
                "h-hh",
                "h",
                "hh",
                "rail",
                "1435",
                500.0,
                50.0,
                None,
                0.5,
                0.02,
                "operating",
                1990,
                "all",
            ],
            [
                "hh-bl-ferry",
                "hh",
                "bl",
                "river_ferry",
                None,
                4.0,
                None,
                2.0,
                1.0,
                0.06,
                "operating",
                1988,
                "5-10",
            ],
            [
                "hh-bl-ice",
                "hh",
                "bl",
                "ice_road",
                None,
                4.0,
                None,
                1.0,
                1.0,
                0.09,
                "operating",
                1988,
                "12-3",
            ],
            [
                "hh-bl-bridge",
                "hh",
                "bl",
                "road",
                None,
                20.0,
                40.0,
                None,
                1.0,
                0.09,
                "operating",
                2022,
                "all",
            ],
            [
                "bl-be",
                "bl",
                "be",
                "rail",
                "1520",
                100.0,
                50.0,
                None,
                0.5,
                0.02,
                "operating",
                1913,
                "all",
            ],
            [
                "h-sf",
                "h",
                "sf",
                "rail",
                "1435",
                500.0,
                50.0,
                None,
                0.5,
                0.02,
                "operating",
                1903,
                "all",
            ],
            [
                "sf-gr",
                "sf",
                "gr",
                "rail",
                "dual",
                25.0,
                50.0,
                None,
                0.5,
                0.02,
                "operating",
                1903,
                "all",
            ],
            [
                "gr-be",
                "gr",
                "be",
                "rail",
                "1520",
                1000.0,
                50.0,
                None,
                0.5,
                0.02,
                "operating",
                1903,
                "all",
            ],
            [
                "be-x",
                "be",
                "bl",
                "rail",
                "1520",
                100.0,
                50.0,
                None,
                0.5,
                0.02,
                "proposed",
                None,
                "all",
            ],
        ],
        columns=LINK_COLUMNS,
    )
    sources = pd.DataFrame(
        [["user", "user", "built in code for tests"], ["src_a", "estimate", "a test source"]],
        columns=["id", "kind", "title"],
    )
    return nodes, links, sources


def write(folder: Path, name: str, text: str) -> Path:
    """Write a scenario file and return its path."""
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def amur_network() -> Network:
    nodes, links, sources = amur_frames()
    return Network.from_frames(nodes, links, sources, name="amur_tiny")
