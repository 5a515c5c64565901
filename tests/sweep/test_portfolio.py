"""Portfolio appraisal: with and without each project, and all; rankings."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import amur
from amur.data import dataset_path
from amur.errors import InputError
from amur.impact import appraise, read_project
from amur.impact.market_access import market_access
from amur.impact.regions import builtin_regions
from amur.sweep.compute import variant_network
from amur.sweep.portfolio import portfolio, read_projects


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("projects")
    for name in ("amur-road-bridge", "korea-rail", "primorye-upgrade"):
        shutil.copy(dataset_path("northeast-asia") / "projects" / f"{name}.toml", root)
    return root


@pytest.fixture(scope="module")
def result(folder: Path):  # type: ignore[no-untyped-def]
    net = amur.load("northeast-asia")
    return portfolio(net, read_projects(folder), months=(7,), draws=2, serial=True)


def test_ranking_rows_and_appraisal_match_appraise(result) -> None:  # type: ignore[no-untyped-def]
    ranking = result.ranking.set_index("variant")
    assert list(ranking.index) == ["amur-road-bridge", "korea-rail", "primorye-upgrade", "all"]
    net = amur.load("northeast-asia")
    for pid in ("amur-road-bridge", "korea-rail", "primorye-upgrade"):
        p = read_project(pid)
        others = tuple(x for q in result.projects if q.id != pid for x in q.link_ids)
        alone = appraise(p, variant_network(net, (), others))
        assert ranking.at[pid, "bcr"] == pytest.approx(alone.bcr, rel=1e-12)
        assert ranking.at[pid, "npv_usd_mn"] == pytest.approx(alone.npv_usd_mn, rel=1e-12)
        assert ranking.at[pid, "capital_cost_usd_mn"] == pytest.approx(sum(p.capital_cost_usd_mn))
    assert ranking.at["all", "capital_cost_usd_mn"] == pytest.approx(
        ranking.loc[
            ["amur-road-bridge", "korea-rail", "primorye-upgrade"], "capital_cost_usd_mn"
        ].sum()
    )
    assert ranking["p_bcr_below_1"].iloc[:3].between(0, 1).all()


def test_market_access_gain_against_a_direct_computation(result) -> None:  # type: ignore[no-untyped-def]
    net = amur.load("northeast-asia")
    regions = builtin_regions(None)
    links = [x for p in result.projects for x in p.link_ids]
    from amur.graph import expand

    base = market_access(expand(variant_network(net, (), tuple(links)), month=7), regions)
    ranking = result.ranking.set_index("variant")
    assert ranking.at["all", "ma_total_base_usd_bn"] == pytest.approx(
        base.market_access.sum(), rel=1e-12
    )
    every = market_access(expand(variant_network(net, tuple(links), ()), month=7), regions)
    gain = every.market_access.sum() - base.market_access.sum()
    assert gain > 0
    assert ranking.at["all", "ma_gain_usd_bn"] == pytest.approx(gain, rel=1e-9)


def test_ranks_order_by_bcr_and_by_gain_per_dollar(result) -> None:  # type: ignore[no-untyped-def]
    single = result.ranking[result.ranking["variant"] != "all"]
    by_bcr = single.sort_values("bcr", ascending=False)["rank_bcr"].tolist()
    assert by_bcr == [1, 2, 3]
    per = single.sort_values("ma_gain_pct_per_usd_bn", ascending=False)
    assert per["rank_ma_per_usd"].tolist() == [1, 2, 3]
    assert np.allclose(
        single["ma_gain_pct_per_usd_bn"],
        single["ma_gain_pct"] / (single["capital_cost_usd_mn"] / 1000.0),
    )


def test_bad_project_folders(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        read_projects(tmp_path / "missing")
    with pytest.raises(InputError, match=r"no project \.toml file"):
        read_projects(tmp_path)
    (tmp_path / "broken.toml").write_text("[project\n")
    with pytest.raises(InputError, match=r"broken\.toml"):
        read_projects(tmp_path)
