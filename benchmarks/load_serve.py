"""Load test of ``amur serve``: many concurrent clients against routes, flows and market
access, with and without scenarios, on the loopback interface only.

Starts ``amur serve`` on 127.0.0.1 (a free port, a fresh store) in a child process, stores
one user scenario, warms every request kind once (the first assignment of a season takes
seconds; later ones are answered from the server's cache), then runs ``--clients``
concurrent clients for ``--seconds``, each sending the request kinds in turn. Counts every
answer that is not 2xx, and every connection error or timeout, as an error. Writes
``benchmarks/results/load.json`` and ``benchmarks/results/load.md``: requests, errors and
latency percentiles by kind, and a route with a scenario against one without (its peer in
the same run).

Run: ``.venv/bin/python benchmarks/load_serve.py [--clients 50] [--seconds 60]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

RESULTS = Path(__file__).parent / "results"
HOST = "127.0.0.1"  # loopback only: the load never leaves the machine

#: The request kinds, each a (name, path, query) sent in turn by every client.
KINDS: list[tuple[str, str, dict[str, Any]]] = [
    ("route", "/api/route", {"from": "Harbin", "to": "Hamburg"}),
    (
        "route, built-in scenario",
        "/api/route",
        {"from": "Harbin", "to": "Hamburg", "scenario": "2018"},
    ),
    (
        "route, stored scenario",
        "/api/route",
        {"from": "Harbin", "to": "Hamburg", "scenario": "load-test"},
    ),
    (
        "route, 3 alternatives in January",
        "/api/route",
        {"from": "Harbin", "to": "Busan", "alternatives": 3, "month": 1},
    ),
    ("flows", "/api/flows", {}),
    ("flows, built-in scenario", "/api/flows", {"scenario": "2018"}),
    ("impact, two scenarios", "/api/impact", {"a": "2014", "b": "today"}),
    ("impact, stored scenario", "/api/impact", {"a": "2018", "b": "load-test"}),
]
STORED = 'name = "load-test"\nbase = "2018"\nmonth = 4\n'


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _start(port: int, store: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AMUR_STORE": str(store)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amur.cli",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(base: str, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/capabilities", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit(f"amur serve did not answer at {base} within {seconds:.0f} s")


async def _client(
    client: httpx.AsyncClient,
    offset: int,
    stop: float,
    out: dict[str, list[float]],
    errors: dict[str, list[str]],
) -> None:
    turn = offset
    while time.monotonic() < stop:
        name, path, query = KINDS[turn % len(KINDS)]
        turn += 1
        start = time.perf_counter()
        try:
            answer = await client.get(path, params=query)
            ok = 200 <= answer.status_code < 300
            why = f"{answer.status_code}: {answer.text[:120]}"
        except httpx.HTTPError as exc:
            ok, why = False, f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - start
        if ok:
            out[name].append(elapsed)
        else:
            errors[name].append(why)


async def _load(
    base: str, clients: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, list[str]], float]:
    out: dict[str, list[float]] = {name: [] for name, _, _ in KINDS}
    errors: dict[str, list[str]] = {name: [] for name, _, _ in KINDS}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60.0, limits=limits) as client:
        started = time.monotonic()
        stop = started + seconds
        await asyncio.gather(*[_client(client, i, stop, out, errors) for i in range(clients)])
        wall = time.monotonic() - started
    return out, errors, wall


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ms = np.asarray(values) * 1000.0
    return {
        "p50_ms": float(np.percentile(ms, 50)),
        "p95_ms": float(np.percentile(ms, 95)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="amur-load-"))
    port = _free_port()
    base = f"http://{HOST}:{port}"
    server = _start(port, work / "store.sqlite")
    try:
        _wait(base)
        created = httpx.post(
            f"{base}/api/scenarios", json={"name": "load-test", "toml": STORED}, timeout=60.0
        )
        assert created.status_code == 201, created.text
        warm: dict[str, float] = {}
        for name, path, query in KINDS:  # the first of each kind computes; later ones reuse
            start = time.perf_counter()
            answer = httpx.get(f"{base}{path}", params=query, timeout=300.0)
            assert answer.status_code == 200, (name, answer.text[:300])
            warm[name] = (time.perf_counter() - start) * 1000.0
        latencies, errors, wall = asyncio.run(_load(base, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = []
    for name, _, _ in KINDS:
        rows.append(
            {
                "kind": name,
                "requests": len(latencies[name]) + len(errors[name]),
                "errors": len(errors[name]),
                "first_ms": warm[name],
                **_percentiles(latencies[name]),
                "error_examples": sorted(set(errors[name]))[:3],
            }
        )
    every = [x for values in latencies.values() for x in values]
    total = {
        "requests": sum(r["requests"] for r in rows),
        "errors": sum(r["errors"] for r in rows),
        **_percentiles(every),
        "requests_per_s": sum(r["requests"] for r in rows) / wall,
    }
    by_kind = {r["kind"]: r for r in rows}
    ratio = {
        k: by_kind[k]["p50_ms"] / by_kind["route"]["p50_ms"]
        for k in ("route, built-in scenario", "route, stored scenario")
        if by_kind[k]["p50_ms"] and by_kind["route"]["p50_ms"]
    }
    result = {
        "clients": args.clients,
        "seconds": args.seconds,
        "wall_s": wall,
        "host": HOST,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "total": total,
        "kinds": rows,
        "scenario_route_p50_over_plain": ratio,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "load.md").write_text(_markdown(result))
    print(_markdown(result))


def _markdown(r: dict[str, Any]) -> str:
    t = r["total"]
    lines = [
        "# Load test of `amur serve`",
        "",
        f"{r['clients']} concurrent clients for {r['seconds']:.0f} s against `amur serve` on "
        f"{r['host']} (loopback only), one process, {r['machine']['cpus']} CPUs shared with "
        f"the load generator; Python {r['machine']['python']}. Each client sends the kinds "
        "below in turn; every kind was asked once before (its first answer computes, e.g. "
        "an assignment; later ones are reused from the server's cache). Written by "
        "`benchmarks/load_serve.py`.",
        "",
        f"**{t['requests']:,} requests, {t['errors']} errors** "
        f"({t['requests_per_s']:.0f} requests/s); latency p50 {t['p50_ms']:.0f} ms, "
        f"**p95 {t['p95_ms']:.0f} ms**, p99 {t['p99_ms']:.0f} ms.",
        "",
        "| kind | requests | errors | first (ms) | p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r["kinds"]:
        cells = [
            f"{row[k]:.0f}" if row[k] is not None else "-"
            for k in ("first_ms", "p50_ms", "p95_ms", "p99_ms")
        ]
        lines.append(
            f"| {row['kind']} | {row['requests']:,} | {row['errors']} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "A route under a scenario against the same route without one (p50, same "
        "run): "
        + ", ".join(f"{k} {v:.2f}x" for k, v in r["scenario_route_p50_over_plain"].items())
        + ".",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
