"""Atomic writes: every output kind, interrupted half-way, keeps the previous file whole and
leaves no temporary file; outputs get the user's umask permissions.

Each case writes a good file first, then runs the same writer in a child process that
either hits a file-size limit (RLIMIT_FSIZE: the kernel refuses the bytes past the limit,
as a full disk does) or is killed (SIGKILL) in the middle of the write. The previous file
must be byte-for-byte the same and no ``.amur-tmp-`` file may remain (after a SIGKILL, the
next write into the folder removes the dead writer's leftover).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from amur.errors import OutputError
from amur.io.atomic import TEMP_PREFIX, atomic_folder, atomic_path, sweep, write_text

SRC = str(Path(__file__).resolve().parents[2] / "src")
TESTS = str(Path(__file__).resolve().parents[1])

#: Each output kind: the file (or folder) name, and Python that writes it to ``target``.
WRITERS: dict[str, tuple[str, str]] = {
    "gpkg": ("net.gpkg", "from amur.io import write_geo; write_geo(net, target)"),
    "geojson": ("net.geojson", "from amur.io import write_geo; write_geo(net, target)"),
    "csv-table": (
        "table.csv",
        "from amur.report.tables import write_table; "
        "write_table(net.links, target.parent, 'table')",
    ),
    "demand-csv": (
        "demand.csv",
        "from amur.demand import write_demand_csv; write_demand_csv(demand, target)",
    ),
    "parquet": (
        "demand.parquet",
        "from amur.demand.tables import write_demand_parquet; write_demand_parquet(demand, target)",
    ),
    "omx": ("demand.omx", "from amur.demand.omx import write_omx; write_omx(demand, target)"),
    "json": (
        "links.json",
        "from amur.io.atomic import write_text; import json; "
        "write_text(target, json.dumps(net.links.astype(str).to_dict("
        "'records')))",
    ),
    "link flows (parquet+gpkg)": (
        "link_flows.gpkg",
        "from amur.io.flows import write_link_flows; write_link_flows(net, flows, target.parent)",
    ),
    "timeline png": (
        "timeline.png",
        "from amur.analysis.timeline import timeline_chart; timeline_chart(timeline, target)",
    ),
    "png+html report": (
        "appraise/small",
        "from amur.report.html import appraisal_report; "
        "appraisal_report(appraisal, target.parent.parent)",
    ),
}

CHILD = textwrap.dedent("""
    import json, os, resource, signal, sys
    from pathlib import Path
    import numpy as np
    import matplotlib; matplotlib.use("Agg")
    import matplotlib.figure, openmatrix, pyarrow, pyogrio  # loaded before any limit
    import amur
    from amur.demand import ODMatrices
    from amur.errors import AmurError
    from amur.impact import appraise
    from amur.impact.project import project_from_dict
    sys.path.insert(0, {tests!r})
    from impact.test_appraisal import small
    net = amur.load("northeast-asia")
    zones = list(net.nodes["id"][:30])
    demand = ODMatrices(zones, {{"all": np.random.default_rng({seed}).uniform(0, 1e6, (30, 30))}})
    appraisal = appraise(project_from_dict(small()))
    import pandas as pd
    links = net.links
    flows = pd.DataFrame({{"link": list(links["id"]) * 2,
                          "from": list(links["from_node"]) + list(links["to_node"]),
                          "to": list(links["to_node"]) + list(links["from_node"]),
                          "flow_t_per_year": np.arange(2.0 * len(links)) * {seed}}})
    timeline = pd.DataFrame({{"destination": ["hamburg"] * 4, "corridor": ["a", "a", "b", "b"],
                             "year": [2014, 2020] * 2, "time_days": [20.0, 18, 25, 21],
                             "cost_usd_per_teu": [4000.0, 3800, 3000, 3100 + {seed}]}})
    writers = {writers!r}
    folders = {folders!r}
    mode = {mode!r}
    outcome = {{}}
    for kind, (name, write) in writers.items():
        target = Path(folders[kind]) / name
        read, send = os.pipe()
        pid = os.fork()
        if pid == 0:  # one writer per child process, so a kill or a limit stays in it
            os.close(read)
            if mode == "limit":
                resource.setrlimit(resource.RLIMIT_FSIZE, (700, 700))
            if mode == "kill":  # killed just before the rename: the most it can leave
                import amur.io.atomic as atomic
                atomic.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
            code, message = 0, ""
            try:
                exec(write)
            except AmurError as exc:
                code, message = 2, str(exc)
            except BaseException as exc:
                code, message = 1, f"{{type(exc).__name__}}: {{exc}}"
            os.write(send, message.encode())
            os._exit(code)
        os.close(send)
        with os.fdopen(read, "rb") as pipe:
            message = pipe.read().decode()
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        outcome[kind] = [code, message]
    print(json.dumps(outcome))
""")


def _run(mode: str, folders: dict[str, Path], seed: int) -> dict[str, list]:
    """Run every writer in its own forked child of one Python process: ``good`` (plain),
    ``limit`` (RLIMIT_FSIZE of 700 bytes) or ``kill`` (SIGKILL before the rename)."""
    import json

    code = CHILD.format(
        tests=TESTS,
        seed=seed,
        writers=WRITERS,
        mode=mode,
        folders={k: str(v) for k, v in folders.items()},
    )
    env = {**os.environ, "PYTHONPATH": SRC, "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and TEMP_PREFIX not in str(p.relative_to(folder))
    }


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """For every kind: its folder after a good write, then the outcome of a write under a
    size limit and of a killed write, with the folder's files before and after each."""
    folders = {
        kind: tmp_path_factory.mktemp(kind.replace("+", "_").replace(" ", "_")) for kind in WRITERS
    }
    good = _run("good", folders, seed=1)
    out: dict[str, dict] = {k: {"good": good[k], "folder": folders[k]} for k in WRITERS}
    for mode, seed in (("limit", 2), ("kill", 3)):
        before = {k: _snapshot(f) for k, f in folders.items()}
        result = _run(mode, folders, seed)
        for kind, folder in folders.items():
            out[kind][mode] = {
                "outcome": result[kind],
                "before": before[kind],
                "after": _snapshot(folder),
                "leftovers": _leftovers(folder),
            }
            for leftover in _leftovers(folder):
                sweep(leftover.parent)
    return out


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_full_disk_keeps_the_previous_file(kind: str, interrupted: dict) -> None:
    case = interrupted[kind]
    assert case["good"][0] == 0, case["good"][1]
    limited = case["limit"]
    assert limited["before"], "the first write wrote nothing"
    code, message = limited["outcome"]
    assert code == 2, message
    assert "cannot write" in message and "size limit" in message, message
    assert limited["after"] == limited["before"]
    assert limited["leftovers"] == []


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_killed_write_keeps_the_previous_file(kind: str, interrupted: dict) -> None:
    killed = interrupted[kind]["kill"]
    assert killed["outcome"][0] == -signal.SIGKILL, killed["outcome"]
    assert killed["after"] == killed["before"]
    # the dead writer's temporary stays until the next write into the folder sweeps it
    assert killed["leftovers"], "the kill came before anything was written"
    assert _leftovers(interrupted[kind]["folder"]) == []


def test_the_next_write_removes_a_dead_writers_leftover(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    leftover = tmp_path / f"{TEMP_PREFIX}{int(dead.stdout)}-x-abc.csv"
    leftover.write_text("half")
    live = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-y-abc.csv"
    live.write_text("being written")
    write_text(tmp_path / "x.csv", "a\n1\n")
    assert not leftover.exists()
    assert live.exists()  # a live writer's temporary is not touched


def test_an_exception_while_writing_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    write_text(target, "old\n")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as tmp:
        tmp.write_text("new, half")
        raise RuntimeError("boom")
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_a_failed_report_keeps_the_previous_report(tmp_path: Path) -> None:
    def good(folder: Path) -> None:
        (folder / "index.html").write_text("old")

    def bad(folder: Path) -> None:
        (folder / "index.html").write_text("new")
        raise OSError(28, "No space left on device")

    atomic_folder(tmp_path / "report", good)
    with pytest.raises(OutputError, match="disk is full"):
        atomic_folder(tmp_path / "report", bad)
    assert (tmp_path / "report" / "index.html").read_text() == "old"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: None, "is a file, not a folder"),
    ],
)
def test_bad_targets_are_clear_errors(tmp_path: Path, make, expected: str) -> None:
    target = tmp_path / "out.csv"
    make(target)
    if expected.startswith("is a file"):
        (tmp_path / "file").write_text("x")
        target = tmp_path / "file" / "out.csv"
    with pytest.raises(OutputError, match=expected) as info:
        write_text(target, "x")
    assert str(target) in str(info.value)
    assert _leftovers(tmp_path) == []


def test_a_name_too_long_and_an_unwritable_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="too long"):
        write_text(tmp_path / ("x" * 300 + ".csv"), "x")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # running as root: permissions do not bind
            return
        with pytest.raises(OutputError, match="not writable"):
            write_text(locked / "a.csv", "x")
    finally:
        locked.chmod(0o700)


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        path = write_text(tmp_path / "a.csv", "x")
        report = atomic_folder(tmp_path / "r", lambda f: (f / "i.html").write_text("x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE((report / "i.html").stat().st_mode) == 0o640


def test_sweep_results_are_swapped_in_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    from amur.sweep.run import write_results

    old = pd.DataFrame({"scenario": ["a", "b"], "case_id": [1, 2], "npv": [1.0, 2.0]})
    target = write_results(old, tmp_path / "results")
    assert sorted(pd.read_parquet(target)["npv"]) == [1.0, 2.0]

    def full_disk(self: pd.DataFrame, path: Path, **options: object) -> None:
        (Path(path) / "scenario=a").mkdir()
        (Path(path) / "scenario=a" / "part.parquet").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    with pytest.raises(OutputError, match="disk is full"):
        write_results(old.assign(npv=[9.0, 9.0]), tmp_path / "results")
    monkeypatch.undo()
    assert sorted(pd.read_parquet(target)["npv"]) == [1.0, 2.0]
    assert _leftovers(tmp_path) == []
