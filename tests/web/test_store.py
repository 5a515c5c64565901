"""The store: what was saved survives a restart, and a process killed in the middle of a save
leaves the previous state intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from amur.web import Store, create_app, default_store_path

from .conftest import ROOT

TEXT = 'name = "kept"\nyear = 2020\n'


def test_a_restarted_server_has_what_was_saved(network_folder: Path, store_path: Path) -> None:
    with TestClient(create_app(network=str(network_folder), store=store_path)) as first:
        assert first.post("/api/scenarios", json={"name": "kept", "toml": TEXT}).status_code == 201
        run = first.post(
            "/api/runs", json={"name": "r", "route": {"from": "Harbin", "to": "Hamburg"}}
        ).json()
    with TestClient(create_app(network=str(network_folder), store=store_path)) as second:
        assert second.get("/api/scenarios/kept").json()["toml"] == TEXT
        assert second.get(f"/api/runs/{run['id']}").json() == run


def test_the_store_path_comes_from_the_environment(monkeypatch: object, tmp_path: Path) -> None:
    monkeypatch.setenv("AMUR_STORE", str(tmp_path / "x.sqlite"))  # type: ignore[attr-defined]
    assert default_store_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("AMUR_STORE")  # type: ignore[attr-defined]
    assert default_store_path().name == "amur.sqlite"
    assert "amur" in default_store_path().parts


def test_writes_are_in_wal_mode(store_path: Path) -> None:
    Store(store_path).put_scenario("a", "x = 1\n")
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_failed_save_rolls_back(store_path: Path) -> None:
    store = Store(store_path)
    store.put_scenario("a", "x = 1\n")

    def fail() -> None:
        raise RuntimeError("disk on fire")

    store.before_commit = fail
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.put_scenario("a", "x = 2\n", replace=True)
    store.before_commit = None
    assert store.get_scenario("a").toml == "x = 1\n"


SAVE_AND_HANG = """
import sys, time
from pathlib import Path
from amur.web.store import Store

store = Store(sys.argv[1])
def hang():
    Path(sys.argv[2]).write_text("inside")
    time.sleep(120)
store.before_commit = hang
store.put_scenario("base", "year = 2040\\n", replace=True)
"""


def test_a_server_killed_mid_save_leaves_the_previous_state(
    store_path: Path, tmp_path: Path
) -> None:
    store = Store(store_path)
    store.put_scenario("base", "year = 2030\n")
    store.save_run("route", "before", {"from": "harbin"}, {"routes": []})
    marker = tmp_path / "inside-transaction"
    child = subprocess.Popen(
        [sys.executable, "-c", SAVE_AND_HANG, str(store_path), str(marker)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the saving process ended before its transaction"
            assert time.monotonic() < deadline, "the save never reached its transaction"
            time.sleep(0.05)
        # The new row is written, uncommitted; the child holds the write lock.
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    after = Store(store_path)
    assert after.get_scenario("base").toml == "year = 2030\n"
    assert [r.name for r in after.list_runs()] == ["before"]
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after.put_scenario("base", "year = 2050\n", replace=True)  # and it can be written again
    assert Store(store_path).get_scenario("base").toml == "year = 2050\n"


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all" * 100,
        b"SQLite format 3\x00" + b"\x00" * 84 + b"\xff" * 4000,
    ],
)
def test_a_damaged_store_is_refused_at_start_up(tmp_path: Path, content: bytes) -> None:
    from amur.web.store import StoreError

    path = tmp_path / "amur.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="the scenario store is damaged") as info:
        Store(path)
    assert str(path) in info.value.message and ".damaged" in info.value.message
    assert path.read_bytes() == content  # nothing written into the damaged file


def test_a_damaged_store_stops_amur_serve_with_one_line(tmp_path: Path) -> None:
    from amur.web import create_app
    from amur.web.store import StoreError

    path = tmp_path / "amur.sqlite"
    path.write_bytes(b"garbage" * 500)
    with pytest.raises(StoreError, match=str(path)):
        create_app(store=path)
