"""The cache on disk of built-in networks and expanded graphs (amur.graph.store): what it
gives back is what reading the files gives, and a change of data or code, a damaged file or
an unusable folder means a rebuild, never a stale answer or a crash.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import amur
import amur.data as data_module
import amur.io.csv as csv_module
from amur.data import load
from amur.graph import expand, store
from amur.graph.expand import ExpandedGraph, _build, _expand_cached
from amur.network import Mode
from amur.paths import route

NAME = "store-test-copy"


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the built-in network files registered as a built-in dataset, with its own
    cache folder; the in-process caches emptied before and after.
    """
    folder = tmp_path / "dataset"
    shutil.copytree(data_module.DATASETS["northeast-asia"], folder)
    assert (folder / "links.csv").is_file()
    monkeypatch.setitem(data_module.DATASETS, NAME, folder)
    monkeypatch.setenv("AMUR_CACHE_DIR", str(tmp_path / "cache"))
    data_module._load_cached.cache_clear()
    _expand_cached.cache_clear()
    yield folder
    data_module._load_cached.cache_clear()
    _expand_cached.cache_clear()


class Reads:
    """Counts the reads of network folders (calls of amur.io.csv.read_network)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = csv_module.read_network

        def counted(*args: object, **kwargs: object) -> object:
            self.count += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(csv_module, "read_network", counted)


def new_process() -> None:
    """Forget what this process loaded, as a new process would."""
    data_module._load_cached.cache_clear()
    _expand_cached.cache_clear()


def cache_files(kind: str) -> list[Path]:
    folder = store.cache_dir()
    assert folder is not None
    return sorted(folder.glob(f"{kind}-*.pickle"))


def assert_same_graph(a: ExpandedGraph, b: ExpandedGraph) -> None:
    for f in dataclasses.fields(ExpandedGraph):
        if f.name == "network":
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, f.name
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), f.name
        else:
            assert x == y, f.name


def test_a_cached_network_and_graph_are_what_the_files_give(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    first = load(NAME)
    g_first = expand(first, month=1)
    assert reads.count == 1
    assert len(cache_files("network")) == 1 and len(cache_files("graph")) == 1

    new_process()
    second = load(NAME)
    g_second = expand(second, month=1)
    assert reads.count == 1, "the second load must come from the cache"
    assert second is not first and g_second.network is second
    for table in ("nodes", "links", "sources", "regimes", "services"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table))
    assert (second.parameters, second.unions, second.origin) == (
        first.parameters,
        first.unions,
        first.origin,
    )
    # The graph read back equals one built afresh from the network read back.
    modes = frozenset(m.value for m in Mode) - {Mode.PIPELINE.value}
    assert_same_graph(g_second, _build(second, None, 1, modes))
    assert_same_graph(g_second, g_first)
    a = route(first, "Harbin", "Hamburg", month=1)
    b = route(second, "Harbin", "Hamburg", month=1)
    assert [r.to_dict() for r in a] == [r.to_dict() for r in b]


def test_a_changed_data_file_is_read_again(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = Reads(monkeypatch)
    before = load(NAME)
    new_process()
    links = pd.read_csv(dataset / "links.csv", dtype=str, keep_default_na=False)
    row = 0
    old_km = float(before.links["length_km"].iloc[row])
    links.loc[row, "length_km"] = str(old_km + 123.0)
    links.to_csv(dataset / "links.csv", index=False)
    after = load(NAME)
    assert reads.count == 2
    assert float(after.links["length_km"].iloc[row]) == pytest.approx(old_km + 123.0)
    assert len(cache_files("network")) == 2  # a new key; the old file is not read


def test_a_change_of_code_or_version_is_read_again(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    load(NAME)
    new_process()
    load(NAME)
    assert reads.count == 1
    new_process()
    monkeypatch.setattr(amur, "__version__", "999.0")
    load(NAME)
    assert reads.count == 2
    new_process()
    monkeypatch.setattr(store, "code_fingerprint", lambda: "another amur")
    load(NAME)
    assert reads.count == 3


def test_the_fingerprint_follows_the_modules(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "sub").mkdir(parents=True)
    module = package / "sub" / "expand.py"
    module.write_text("x = 1\n")
    (package / "data").mkdir()
    (package / "data" / "table.py").write_text("ignored")
    before = store.code_fingerprint(package)
    assert store.code_fingerprint(package) == before
    (package / "data" / "table.py").write_text("data files are hashed by content, apart")
    assert store.code_fingerprint(package) == before
    module.write_text("x = 2\n")  # same size, later modification
    os.utime(module, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns + 10**9))
    assert store.code_fingerprint(package) != before
    assert store.code_fingerprint() != before


@pytest.mark.parametrize("damage", ["truncate", "empty", "garbage", "wrong object"])
def test_a_damaged_cache_file_is_rebuilt(
    dataset: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    reads = Reads(monkeypatch)
    net = load(NAME)
    expected = route(net, "Harbin", "Hamburg")
    for path in [*cache_files("network"), *cache_files("graph")]:
        content = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(content[: len(content) // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "garbage":
            path.write_bytes(b"not a pickle at all" * 10)
        else:
            path.write_bytes(pickle.dumps({"a": 1}))
    new_process()
    again = load(NAME)
    assert reads.count == 2
    got = route(again, "Harbin", "Hamburg")
    assert [r.to_dict() for r in got] == [r.to_dict() for r in expected]
    new_process()  # and the files were written anew, whole
    load(NAME)
    assert reads.count == 2


def test_no_cache_when_turned_off_or_unwritable(
    dataset: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AMUR_CACHE_DIR", "")
    assert store.cache_dir() is None
    reads = Reads(monkeypatch)
    net = load(NAME)
    expand(net)
    new_process()
    load(NAME)
    assert reads.count == 2
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    monkeypatch.setenv("AMUR_CACHE_DIR", str(blocker / "cache"))  # cannot be made
    new_process()
    net = load(NAME)
    assert len(route(net, "Harbin", "Hamburg")) == 1
    assert not (blocker / "cache").exists()


def test_only_networks_read_from_a_dataset_are_kept(dataset: Path) -> None:
    net = load(NAME)
    assert store.key_of(net) is not None
    other = net.without_places(["Hamburg"])
    assert store.key_of(other) is None
    expand(other)
    assert cache_files("graph") == []


def test_prune_keeps_the_newest_networks_and_their_graphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMUR_CACHE_DIR", str(tmp_path))
    for i in range(10):
        for name in (f"network-k{i}.pickle", f"graph-k{i}-None-None-rail.pickle"):
            (tmp_path / name).write_bytes(b"x")
            os.utime(tmp_path / name, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
    (tmp_path / "unrelated.txt").write_text("kept")
    removed = store.prune(keep=3)
    assert sorted(removed) == [f"k{i}" for i in range(7)]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        ["unrelated.txt"]
        + [f"network-k{i}.pickle" for i in (7, 8, 9)]
        + [f"graph-k{i}-None-None-rail.pickle" for i in (7, 8, 9)]
    )
    assert store.prune(keep=3) == []


def test_loading_prunes_the_cache(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "KEEP_KEYS", 1)
    load(NAME)
    for i in range(3):  # three more versions of the data: one network file stays
        new_process()
        links = (dataset / "links.csv").read_text()
        (dataset / "links.csv").write_text(links + "\n" * (i + 1))
        load(NAME)
        assert len(cache_files("network")) == 1


def test_a_scenario_of_a_kept_network_is_kept_with_its_graphs(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from amur.scenarios import apply, load_scenario

    apply_module = importlib.import_module("amur.scenarios.apply")  # the name is the function's

    applies = []
    real = apply_module._apply_new

    def counted(net: object, scenario: object) -> object:
        applies.append(scenario)
        return real(net, scenario)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_module, "_apply_new", counted)
    net = load(NAME)
    scenario = load_scenario("severe-ice", net)
    first = apply(net, scenario)
    expected = route(first.network, "Harbin", "Hamburg", year=first.year, month=first.month)
    assert len(applies) == 1 and len(cache_files("scenario")) == 1

    new_process()
    apply_module._apply_cached.cache_clear()
    net = load(NAME)
    again = apply(net, load_scenario("severe-ice", net))
    assert len(applies) == 1, "the applied scenario must come from the cache"
    assert (again.year, again.month, again.modes) == (first.year, first.month, first.modes)
    assert again.scenario == first.scenario
    pd.testing.assert_frame_equal(again.network.links, first.network.links)
    got = route(again.network, "Harbin", "Hamburg", year=again.year, month=again.month)
    assert [r.to_dict() for r in got] == [r.to_dict() for r in expected]
    assert any(p.name.count("-") >= 3 for p in cache_files("graph"))  # the scenario's graph

    other = dataclasses.replace(scenario, month=2)  # another scenario: another key
    apply(net, other)
    assert len(applies) == 2 and len(cache_files("scenario")) == 2
    apply_module._apply_cached.cache_clear()
