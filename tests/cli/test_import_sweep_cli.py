"""`amur import osm` and `amur sweep` on the command line: results, files, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from amur.data import dataset_path
from amur.report.html import PNG_SIGNATURE
from cli_support import assert_one_line_error, run
from dask_support import free_port
from osm_files import write_osm


@pytest.fixture(scope="module")
def corridor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_osm(tmp_path_factory.mktemp("osm") / "corridor.osm.pbf")


def test_import_osm_writes_a_network(
    corridor: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(
        [
            "import",
            "osm",
            str(corridor),
            "--out",
            str(tmp_path / "net"),
            "--modes",
            "rail,ferry",
            "--simplify-tolerance",
            "10",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    summary = json.loads(stdout)["summary"]
    links = pd.read_csv(tmp_path / "net" / "links.csv")
    assert summary["links"] == len(links) == 6
    assert summary["extract_date"] == "2026-11-30"
    code, stdout, _ = run(
        [
            "route",
            "gauge break 20",
            "Port One",
            "--network",
            str(tmp_path / "net"),
            "--by",
            "length",
            "--json",
        ],
        capsys,
    )
    assert code == 0, stdout
    assert json.loads(stdout)["routes"][0]["length_km"] == pytest.approx(
        links[links["gauge"] == 1520]["length_km"].sum(), abs=1e-3
    )  # JSON keeps 3 decimals


def _bad_pbf(tmp_path: Path, corridor: Path) -> dict[str, Path]:
    text = tmp_path / "text.osm.pbf"
    text.write_text("not OSM at all\n")
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(corridor.read_bytes()[:-40])
    return {"text": text, "cut": cut}


@pytest.mark.parametrize(
    ("case", "extra", "fragments"),
    [
        ("text", [], ["not a readable OSM file"]),
        ("cut", [], ["not a readable OSM file"]),
        ("good", ["--bbox", "10,10,11,11"], ["no railway or ferry in the extract inside bbox"]),
        ("good", ["--countries", "CN,QQ"], ["unknown country code 'QQ'"]),
    ],
)
def test_import_osm_bad_input(
    case: str,
    extra: list[str],
    fragments: list[str],
    corridor: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = {**_bad_pbf(tmp_path, corridor), "good": corridor}
    target = tmp_path / "net"
    code, _, stderr = run(["import", "osm", str(files[case]), "--out", str(target), *extra], capsys)
    assert_one_line_error(code, stderr, *fragments)
    assert not target.exists()
    assert not any(p.name.startswith(".net") for p in tmp_path.iterdir())


def test_sweep_serial_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(
        [
            "sweep",
            "--serial",
            "--month",
            "1",
            "--theta",
            "4",
            "--theta",
            "5",
            "--out",
            str(tmp_path / "cases"),
            "--json",
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(stdout)["cases"] == 2
    table = pd.read_parquet(tmp_path / "cases")
    assert sorted(table["theta"]) == [4.0, 5.0]
    assert table["route_harbin_hamburg_time_h"].notna().all()


def test_sweep_portfolio_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    shutil.copy(dataset_path("northeast-asia") / "projects" / "primorye-upgrade.toml", folder)
    code, stdout, stderr = run(
        [
            "sweep",
            "--projects",
            str(folder),
            "--serial",
            "--month",
            "7",
            "--out",
            str(tmp_path / "cases"),
            "--report",
            str(tmp_path / "out"),
            "--json",
        ],
        capsys,
    )
    assert code == 0, stderr
    ranking = json.loads(stdout)["ranking"]
    assert [r["variant"] for r in ranking] == ["primorye-upgrade", "all"]
    report = tmp_path / "out" / "portfolio"
    assert "primorye-upgrade" in (report / "index.html").read_text()
    assert (report / "map.png").read_bytes().startswith(PNG_SIGNATURE)
    assert pd.read_csv(report / "ranking.csv")["rank_bcr"].iloc[0] == 1


def test_sweep_unreachable_scheduler(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    code, _, stderr = run(
        [
            "sweep",
            "--scheduler",
            address,
            "--connect-timeout",
            "1",
            "--month",
            "1",
            "--out",
            str(tmp_path / "cases"),
        ],
        capsys,
    )
    assert_one_line_error(code, stderr, f"scheduler {address!r}: cannot connect")
    assert not (tmp_path / "cases").exists()


def test_sweep_bad_project_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(["sweep", "--projects", str(tmp_path / "none"), "--serial"], capsys)
    assert_one_line_error(code, stderr, "no such folder")
