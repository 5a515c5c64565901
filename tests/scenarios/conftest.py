"""Fixtures of the scenario tests: the hand-built Amur crossing and scenario folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_helpers import amur_network, write

from amur.network import Network


@pytest.fixture
def amur_net() -> Network:
    return amur_network()


@pytest.fixture
def timeline_dir(tmp_path: Path) -> Path:
    """Two scenarios on the hand-built network: 2018 and 2022 (based on 2018)."""
    write(tmp_path, "y2018", 'name = "2018"\nyear = 2018\n')
    write(tmp_path, "y2022", 'name = "2022"\nbase = "2018"\nyear = 2022\n')
    return tmp_path
