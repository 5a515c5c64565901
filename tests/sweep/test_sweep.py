"""Sweeps on Dask equal the cases run one by one: on a LocalCluster, and on a scheduler and
two workers started as separate processes on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import amur
from amur.errors import AmurError, InputError
from amur.impact import read_project
from amur.sweep import Grid, Setting, read_results, run_case, run_serial, run_sweep
from amur.sweep.run import _collect
from dask_support import free_port


@pytest.fixture(scope="module")
def setting() -> Setting:
    grid = Grid(
        scenarios=("today", "2014"),
        projects=(read_project("amur-road-bridge"),),
        months=(1,),
        parameters={"theta": (4.0, 8.2)},
        draws=1,
        seed=11,
    )
    return Setting(amur.load("northeast-asia"), "northeast-asia", grid)


@pytest.fixture(scope="module")
def serial(setting: Setting, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("serial") / "cases"
    run_serial(setting, out=out)
    return read_results(out)


def test_grid_holds_every_case_once(setting: Setting, serial: pd.DataFrame) -> None:
    # base: 2 scenarios x 1 month x 2 thetas; the project: the same x 2 draws (0 and 1)
    assert len(serial) == 2 * 2 + 2 * 2 * 2
    assert serial["case_id"].tolist() == list(range(len(serial)))
    keys = serial[["scenario", "variant", "month", "theta", "draw"]]
    assert not keys.duplicated().any()
    base = serial[serial["variant"] == "base"]
    assert base["npv_usd_mn"].isna().all() and (base["draw"] == 0).all()
    bridge = serial[serial["variant"] == "amur-road-bridge"]
    assert bridge["bcr"].notna().all()


def test_rows_follow_the_parameters_and_draws(serial: pd.DataFrame) -> None:
    today = serial[serial["scenario"] == "today"]
    base = today[today["variant"] == "base"].set_index("theta")
    # a higher trade elasticity discounts distant markets more: less market access
    assert base.at[8.2, "ma_total_usd_bn"] < base.at[4.0, "ma_total_usd_bn"]
    bridge = today[today["variant"] == "amur-road-bridge"]
    central = bridge[bridge["draw"] == 0]["npv_usd_mn"].iloc[0]
    drawn = bridge[bridge["draw"] == 1]["npv_usd_mn"].iloc[0]
    assert central != drawn
    # a draw does not depend on the grid around it: the same case alone gives the same row
    with_bridge = serial[(serial["variant"] == "amur-road-bridge")]
    assert with_bridge.groupby(["scenario", "draw"])["npv_usd_mn"].nunique().max() == 1


@pytest.mark.slow
def test_local_cluster_equals_the_serial_run(
    setting: Setting, serial: pd.DataFrame, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    result = run_sweep(
        setting,
        out=tmp_path / "cases",
        n_workers=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.workers == 2
    # 2 scenarios + 2 savings + 2 x 2 x 1 contexts computed once each
    assert result.shared_tasks == 2 + 2 + 4
    assert seen[-1] == (len(serial), len(serial))
    assert {p.name for p in (tmp_path / "cases").iterdir()} == {"scenario=today", "scenario=2014"}
    pd.testing.assert_frame_equal(read_results(tmp_path / "cases"), serial)


@pytest.mark.slow
def test_existing_scheduler_equals_the_serial_run(
    setting: Setting, serial: pd.DataFrame, scheduler_address: str, tmp_path: Path
) -> None:
    result = run_sweep(setting, out=tmp_path / "cases", scheduler=scheduler_address)
    assert result.workers == 2
    pd.testing.assert_frame_equal(read_results(tmp_path / "cases"), serial)


def test_unreachable_scheduler_is_one_clear_error(setting: Setting, tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(InputError) as info:
        run_sweep(setting, out=tmp_path / "cases", scheduler=address, timeout_s=1.0)
    assert address in str(info.value) and info.value.field == "scheduler"
    assert not (tmp_path / "cases").exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_corridor_shares_from_the_assignment(scheduler_address: str) -> None:
    grid = Grid(months=(1,), shares=True)
    setting = Setting(amur.load("northeast-asia"), "northeast-asia", grid)
    [case] = grid.cases()
    row = run_case(setting, case)
    shares = {k: v for k, v in row.items() if k.startswith("share_harbin_europe_")}
    assert shares and all(0.0 <= v <= 1.0 + 1e-9 for v in shares.values())
    assert max(shares.values()) > 0.0
    dask_rows = run_sweep(setting, scheduler=scheduler_address).table
    pd.testing.assert_frame_equal(dask_rows, pd.DataFrame([row]))


def test_bad_grids() -> None:
    with pytest.raises(InputError, match="unknown sweep parameter 'speed'"):
        Grid(parameters={"speed": (1.0,)})
    with pytest.raises(InputError, match="month 13"):
        Grid(months=(13,))
    with pytest.raises(InputError, match="draws must be 0 or more"):
        Grid(draws=-1)
    bridge = read_project("amur-road-bridge")
    with pytest.raises(InputError, match="in the grid twice"):
        Grid(projects=(bridge, bridge))


def test_unknown_scenario_fails_before_writing(scheduler_address: str, tmp_path: Path) -> None:
    setting = Setting(
        amur.load("northeast-asia"),
        "northeast-asia",
        Grid(scenarios=("no-such-scenario",), months=(1,)),
    )
    with pytest.raises(AmurError, match="unknown scenario 'no-such-scenario'"):
        run_sweep(setting, out=tmp_path / "cases", scheduler=scheduler_address)
    assert not (tmp_path / "cases").exists()


@pytest.fixture()
def empty_cluster() -> Iterator[Any]:
    """A client on an in-process scheduler with no worker at all."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_a_cluster_without_workers_is_an_error_not_a_hang(
    setting: Setting, tmp_path: Path, empty_cluster: Any
) -> None:
    with pytest.raises(AmurError, match="none connected within 1 s") as info:
        run_sweep(setting, out=tmp_path / "cases", client=empty_cluster, no_workers_s=1.0)
    assert info.value.field == "scheduler"
    assert not (tmp_path / "cases").exists()


def test_workers_gone_mid_sweep_is_an_error_not_a_hang(empty_cluster: Any) -> None:
    # tasks submitted to a scheduler without workers stay pending: what a sweep sees once
    # every worker has died
    tasks = [empty_cluster.submit(len, [i], pure=False) for i in range(3)]
    with pytest.raises(AmurError, match="no worker for 1 s with 3 of 3 tasks left"):
        _collect(empty_cluster, tasks, 3, None, 1.0)
