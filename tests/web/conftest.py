"""Fixtures of the web tests: the Harbin-Hamburg test network, apps on a temporary store (on
the test network and on the built-in northeast-asia dataset), and real uvicorn servers on free
localhost ports for the browser tests."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
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


@pytest.fixture
def builtin_client(store_path: Path) -> Iterator[TestClient]:
    """The app on the built-in northeast-asia dataset, with an empty store."""
    from amur.web import create_app

    with TestClient(create_app(network="northeast-asia", store=store_path)) as test_client:
        yield test_client


def cli_json(*args: str) -> dict[str, object]:
    """What ``amur ARGS`` prints, parsed as JSON (run in this process)."""
    from amur.cli import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        main(list(args))
    result: dict[str, object] = json.loads(buffer.getvalue())
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER_SCRIPT = """
import sys
from amur.web import serve
serve(host="127.0.0.1", port=int(sys.argv[1]), store=sys.argv[2], network=sys.argv[3])
"""


def _serve(network: str, store: Path) -> Iterator[str]:
    """``amur.web.serve`` in a child process; yields its base address."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(port), str(store), network],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
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


@pytest.fixture(scope="session")
def live_server(network_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the Harbin-Hamburg test network."""
    yield from _serve(str(network_folder), tmp_path_factory.mktemp("live-store") / "amur.sqlite")


@pytest.fixture(scope="session")
def builtin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the built-in northeast-asia dataset."""
    yield from _serve("northeast-asia", tmp_path_factory.mktemp("builtin-store") / "amur.sqlite")
