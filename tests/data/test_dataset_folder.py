"""A copy of the built-in dataset's folder works like the dataset's name: corridors, demand,
claims and the appraisal's default traffic source do not change with how it is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import amur
from amur.data import corridors, dataset_folder, dataset_path
from amur.impact.appraisal import _traffic_source
from amur.impact.project import read_project
from amur.impact.traffic import builtin_demand_applies
from cli_support import run


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("copies") / "my-copy"
    shutil.copytree(dataset_path("northeast-asia"), target)
    return target


def test_the_copy_is_found_as_a_dataset(copy: Path) -> None:
    by_name, by_folder = amur.load("northeast-asia"), amur.load(str(copy))
    assert by_folder.name == "my-copy"  # named after its folder...
    assert dataset_folder(by_folder) == copy  # ...but known by where it was read from
    assert dataset_path(str(copy)) == copy
    assert [c.name for c in corridors(str(copy))] == [c.name for c in corridors()]
    assert builtin_demand_applies(by_folder) and builtin_demand_applies(by_name)
    project = read_project("amur-road-bridge")
    assert (
        _traffic_source(project, by_folder, "auto", None)
        == _traffic_source(project, by_name, "auto", None)
        == "assignment"
    )


def test_corridors_from_the_copy_on_the_command_line(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    code, out, err = run(["corridors", "-n", str(copy), "--out", str(tmp_path), "--json"], capsys)
    assert code == 0, err
    by_copy = json.loads(out)["rows"]
    code, out, _ = run(["corridors", "--out", str(tmp_path), "--json"], capsys)
    assert code == 0 and json.loads(out)["rows"] == by_copy
