"""`amur route` on a built-in network answered from the cache on disk, without pandas, gives
what the full path (the network loaded, the graph expanded) gives: byte for byte, errors too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amur
import amur.cli.route as route_cli
from amur.data import builtin_key
from amur.graph import store
from amur.network.schema import Mode
from amur.network.services import SERVICE_SOURCE_COLUMNS
from amur.paths import quick
from amur.paths.tables import DECODED_COLUMNS, RouteBundle
from cli_support import run

SRC = Path(__file__).resolve().parents[2] / "src"
NET = amur.load("northeast-asia")
PLACES = sorted(NET.nodes["id"])
#: Places by name or alias as a user types them, and one that does not exist.
QUERIES = [*PLACES, "Harbin", "哈尔滨", "Владивосток", "hamburg", "Atlantis"]


@pytest.fixture(scope="module", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of this module's own, so the quick path reads what it wrote."""
    folder = tmp_path_factory.mktemp("amur-cache")
    before = os.environ.get("AMUR_CACHE_DIR")
    os.environ["AMUR_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["AMUR_CACHE_DIR"]
    else:
        os.environ["AMUR_CACHE_DIR"] = before


def both(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """``amur ARGS`` by the quick path and by the full path."""
    fast = run(args, capsys)
    with monkeypatch.context() as m:
        m.setattr(route_cli, "quick", lambda *a: False)
        full = run(args, capsys)
    return fast, full


@st.composite
def route_args(draw: st.DrawFn) -> list[str]:
    args = ["route", draw(st.sampled_from(QUERIES)), draw(st.sampled_from(QUERIES))]
    by = draw(st.sampled_from([None, "generalized", "time", "cost", "co2", "length"]))
    if by:
        args += ["--by", by]
    for place in draw(st.lists(st.sampled_from(PLACES), max_size=1)):
        args += ["--via", place]
    for place in draw(st.lists(st.sampled_from(PLACES), max_size=2)):
        args += ["--avoid", place]
    k = draw(st.integers(1, 3))
    if k > 1:
        args += ["-k", str(k)]
    month = draw(st.one_of(st.none(), st.integers(1, 12)))
    if month is not None:
        args += ["--month", str(month)]
    year = draw(st.sampled_from([None, 2015, 2022]))
    if year is not None:
        args += ["--year", str(year)]
    if draw(st.booleans()):
        args += ["--cargo-value", str(draw(st.sampled_from([5_000, 50_000, 200_000])))]
    if draw(st.booleans()):
        args += ["--time-value", str(draw(st.sampled_from([0.1, 1.0, 3.0])))]
    if draw(st.booleans()):
        args.append("--no-legs")
    if draw(st.booleans()):
        args.append("--json")
    return args


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(args=route_args())
def test_the_quick_path_answers_as_the_full_path(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, full = both(args, capsys, monkeypatch)
    assert fast == full, args


def test_the_quick_path_reads_its_bundle_from_disk(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cache_folder: Path
) -> None:
    read: list[RouteBundle | None] = []
    real = quick.read_bundle

    def spy(*args: object) -> RouteBundle | None:
        read.append(real(*args))  # type: ignore[arg-type]
        return read[-1]

    monkeypatch.setattr(quick, "read_bundle", spy)
    args = ["route", "Harbin", "Hamburg", "--month", "4", "-k", "2"]
    first = run(args, capsys)
    second = run(args, capsys)
    assert first == second and first[0] == 0
    assert read[0] is None or isinstance(read[0], RouteBundle)  # cold, or left by an example
    assert isinstance(read[1], RouteBundle)  # warm: read from the file
    modes = frozenset(m.value for m in Mode) - {Mode.PIPELINE.value}
    name = quick.bundle_name(builtin_key("northeast-asia"), None, 4, modes)
    assert (cache_folder / name).is_file()
    fast, full = both(args, capsys, monkeypatch)
    assert fast == full == first


def test_a_damaged_bundle_is_rebuilt_and_the_answer_is_the_same(
    capsys: pytest.CaptureFixture[str], cache_folder: Path
) -> None:
    args = ["route", "Harbin", "Vladivostok", "--month", "2", "--json"]
    before = run(args, capsys)
    (file,) = cache_folder.glob(f"route-{builtin_key('northeast-asia')}-None-2-*.pickle")
    file.write_bytes(b"not a pickle")
    modes = frozenset(m.value for m in Mode) - {Mode.PIPELINE.value}
    assert quick.read_bundle("northeast-asia", None, 2, modes) is None
    assert run(args, capsys) == before
    assert isinstance(store.read(file.name, RouteBundle), RouteBundle)  # written again


@pytest.mark.parametrize(
    ("network", "scenario", "commodity", "pareto", "expected"),
    [
        ("northeast-asia", None, None, False, True),
        ("northeast-asia", "2018", None, False, False),
        ("northeast-asia", None, "crude_oil", False, False),
        ("northeast-asia", None, None, True, False),
        ("some/folder", None, None, False, False),
    ],
)
def test_only_a_built_in_network_as_it_is_takes_the_quick_path(
    network: str, scenario: str | None, commodity: str | None, pareto: bool, expected: bool
) -> None:
    assert route_cli.quick(network, scenario, commodity, pareto) is expected


def test_the_decoded_service_columns_are_the_services_source_columns() -> None:
    assert DECODED_COLUMNS["services"] == SERVICE_SOURCE_COLUMNS


def test_a_warm_route_imports_neither_pandas_nor_pyarrow_nor_scipy_linalg(
    cache_folder: Path,
) -> None:
    code = (
        "import sys\n"
        "from amur.cli import main\n"
        "try:\n"
        "    main(['route', 'Harbin', 'Hamburg'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pandas', 'pyarrow', 'scipy.linalg', 'amur.network.core')\n"
        "print('loaded:', sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC), AMUR_CACHE_DIR=str(cache_folder))
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
        )
        for _ in range(2)
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
    assert runs[0].stdout == runs[1].stdout and "Hamburg" in runs[1].stdout
    assert runs[1].stderr.strip().splitlines()[-1] == "loaded: []", runs[1].stderr
