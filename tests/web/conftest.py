"""Fixtures of the web tests: the Harbin-Hamburg test network, an app on a temporary store,
and a real uvicorn server on a free localhost port for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from .corridor_network import write_corridor_network

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def network_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corridor_network(tmp_path_factory.mktemp("networks") / "corridors")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "amur.sqlite"


@pytest.fixture
def client(network_folder: Path, store_path: Path) -> Iterator[TestClient]:
    from amur.web import create_app

    with TestClient(create_app(network=str(network_folder), store=store_path)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER_SCRIPT = """
import sys
from amur.web import serve
serve(host="127.0.0.1", port=int(sys.argv[1]), store=sys.argv[2], network=sys.argv[3])
"""


@pytest.fixture(scope="session")
def live_server(network_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``amur.web.serve`` in a child process; yields its base address."""
    port = free_port()
    store = tmp_path_factory.mktemp("live-store") / "amur.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(port), str(store), str(network_folder)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/capabilities", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"amur server did not start:\n{output}")
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
