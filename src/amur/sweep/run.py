"""Run a grid's cases on Dask (a LocalCluster, or a scheduler's address) or one by one.

On Dask the setting is scattered once to every worker; each scenario is applied once, each
scenario x variant x month's graph, skims, trade costs and shares are computed once, and
each scenario x project's saving once; the cases of one scenario, variant and month run as
one task over those futures. Results are one row per case, written as Parquet partitioned
by scenario, and equal the rows of :func:`run_serial` (each case alone).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from amur.errors import AmurError, InputError
from amur.sweep.compute import (
    Context,
    Setting,
    build_context,
    case_row,
    project_saving,
    run_case,
    scenario_network,
)
from amur.sweep.grid import Case

__all__ = [
    "Progress",
    "SweepResult",
    "check_scenarios",
    "connect",
    "read_results",
    "run_serial",
    "run_sweep",
    "write_results",
]

log = logging.getLogger(__name__)

#: Called with (cases done, cases in all) as results arrive.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Rows of a sweep and how it ran.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per case, in case order.
    path : pathlib.Path or None
        Parquet folder written (partitioned by scenario).
    seconds : float
        Wall time, s.
    workers : int
        Dask workers used (0 for a serial run).
    shared_tasks : int
        Shared pieces computed (scenarios, contexts, savings); 0 for a serial run.
    """

    table: pd.DataFrame
    path: Path | None
    seconds: float
    workers: int
    shared_tasks: int

    @property
    def seconds_per_case(self) -> float:
        """Wall time over the number of cases, s."""
        return self.seconds / max(len(self.table), 1)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows).sort_values("case_id", kind="stable").reset_index(drop=True)


def write_results(table: pd.DataFrame, folder: str | os.PathLike[str]) -> Path:
    """Write result rows as Parquet partitioned by scenario, atomically (built in a folder
    beside the target and swapped in by :func:`amur.io.atomic.atomic_folder`; an older
    result is replaced only once the new one is complete).

    Raises
    ------
    OutputError
        If the folder cannot be written; the older result is kept.
    """
    from amur.io.atomic import atomic_folder

    target = Path(folder)
    atomic_folder(
        target,
        lambda tmp: table.to_parquet(tmp, partition_cols=["scenario"], index=False),
        field="out",
    )
    return target


def read_results(folder: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a sweep's Parquet folder back, in case order (scenario as a plain string)."""
    table = pd.read_parquet(folder)
    table["scenario"] = table["scenario"].astype(str)
    return table.sort_values("case_id", kind="stable").reset_index(drop=True)


def check_scenarios(setting: Setting) -> None:
    """Read every scenario of the grid once, so an unknown one fails before any work.

    Raises
    ------
    AmurError
        A ScenarioError naming the scenario.
    """
    from amur.impact.scenario import TODAY

    names = [s for s in setting.grid.scenarios if s.strip().lower() not in TODAY]
    if not names:
        return
    from amur.scenarios import load_scenario

    for name in names:
        load_scenario(name, setting.dataset or setting.network)


def run_serial(
    setting: Setting, *, out: str | os.PathLike[str] | None = None, progress: Progress | None = None
) -> SweepResult:
    """Every case alone, one after the other, in this process (the reference)."""
    started = time.perf_counter()
    check_scenarios(setting)
    cases = setting.grid.cases()
    rows = []
    for k, case in enumerate(cases, start=1):
        rows.append(run_case(setting, case))
        if progress is not None:
            progress(k, len(cases))
    table = _frame(rows)
    path = write_results(table, out) if out is not None else None
    return SweepResult(table, path, time.perf_counter() - started, 0, 0)


@contextmanager
def connect(
    scheduler: str | None = None, n_workers: int = 2, timeout_s: float = 5.0
) -> Iterator[Any]:
    """A Dask client: on a new LocalCluster of ``n_workers`` single-threaded processes, or
    on the scheduler at ``scheduler`` (``tcp://host:port``).

    Raises
    ------
    InputError
        If the scheduler cannot be reached within ``timeout_s`` seconds, or ``n_workers`` is
        below 1.
    """
    from distributed import Client, LocalCluster

    if scheduler is None:
        if n_workers < 1:
            raise InputError(f"workers must be 1 or more, not {n_workers}", field="workers")
        # one thread per worker, and one numba thread: the cases are the parallelism
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
            env={"NUMBA_NUM_THREADS": "1"},
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout=f"{timeout_s}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"scheduler {scheduler!r}: cannot connect within {timeout_s:g} s "
            f"({type(exc).__name__}); expected the address of a running Dask "
            "scheduler, such as tcp://127.0.0.1:8786",
            field="scheduler",
        ) from None
    try:
        yield client
    finally:
        client.close()


@contextmanager
def _client(given: Any, scheduler: str | None, n_workers: int, timeout_s: float) -> Iterator[Any]:
    if given is not None:
        yield given
        return
    with connect(scheduler, n_workers, timeout_s) as client:
        yield client


def _no_workers(what: str) -> AmurError:
    return AmurError(
        f"the Dask cluster {what}; expected at least one running worker "
        "(start one with: dask worker SCHEDULER_ADDRESS)",
        field="scheduler",
    )


def _wait_for_a_worker(client: Any, seconds: float) -> None:
    try:
        client.wait_for_workers(1, timeout=seconds)
    except TimeoutError:
        raise _no_workers(f"has no worker: none connected within {seconds:g} s") from None


def _collect(
    client: Any,
    tasks: list[Any],
    total: int,
    progress: Progress | None,
    no_workers_s: float,
) -> list[dict[str, Any]]:
    """The rows of ``tasks`` as they finish; an error once no worker is left to run them.

    A cluster whose workers have all died (or never connected) would otherwise leave the
    sweep waiting for ever: ``as_completed`` cannot tell a slow case from one nobody runs.
    """
    from distributed import wait

    rows: list[dict[str, Any]] = []
    pending = set(tasks)
    no_workers_since: float | None = None
    while pending:
        try:
            done, pending = wait(pending, timeout=1.0, return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = set()
        for future in done:
            rows.extend(future.result())
            if progress is not None:
                progress(len(rows), total)
        if client.scheduler_info().get("workers"):
            no_workers_since = None
            continue
        now = time.perf_counter()
        no_workers_since = now if no_workers_since is None else no_workers_since
        if pending and now - no_workers_since >= no_workers_s:
            raise _no_workers(
                f"has had no worker for {no_workers_s:g} s with {len(pending)} of "
                f"{len(tasks)} tasks left (its workers died)"
            )
    return rows


def _rows(
    setting: Setting, cases: list[Case], context: Context, savings: dict[str, float]
) -> list[dict[str, Any]]:
    return [case_row(setting, c, context, savings.get(c.variant)) for c in cases]


def _saving_map(*pairs: Any) -> dict[str, float]:
    return {str(k): float(v) for k, v in zip(pairs[::2], pairs[1::2], strict=True)}


def run_sweep(
    setting: Setting,
    *,
    out: str | os.PathLike[str] | None = None,
    scheduler: str | None = None,
    n_workers: int = 2,
    progress: Progress | None = None,
    timeout_s: float = 5.0,
    client: Any = None,
    no_workers_s: float = 60.0,
) -> SweepResult:
    """Run every case of the setting's grid on Dask.

    Parameters
    ----------
    setting : Setting
        Network, dataset and grid.
    out : path, optional
        Parquet folder to write (partitioned by scenario).
    scheduler : str, optional
        Address of a running Dask scheduler; a LocalCluster of ``n_workers`` otherwise.
    n_workers : int
        Workers of the LocalCluster.
    progress : callable, optional
        Called with (cases done, cases in all) as results arrive.
    timeout_s : float
        How long to try to reach the scheduler, s.
    client : distributed.Client, optional
        A client already connected (then ``scheduler`` and ``n_workers`` are ignored).
    no_workers_s : float
        How long the cluster may have no worker at all while cases are left, s; then the
        sweep stops with an error instead of waiting for ever.

    Returns
    -------
    SweepResult

    Raises
    ------
    AmurError
        If the scheduler cannot be reached (InputError), the cluster has no worker for
        ``no_workers_s`` seconds while cases are left, a scenario is unknown
        (ScenarioError), or a case fails on bad input (a place the network does not know);
        nothing is written then.
    """
    started = time.perf_counter()
    check_scenarios(setting)
    cases = setting.grid.cases()
    groups: dict[tuple[str, str, int], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.scenario, case.variant, case.month), []).append(case)
    with _client(client, scheduler, n_workers, timeout_s) as client:
        _wait_for_a_worker(client, no_workers_s)
        workers = len(client.scheduler_info().get("workers", {}))
        [shared] = client.scatter([setting], broadcast=True)
        scen: dict[str, Any] = {
            s: client.submit(scenario_network, shared, s, pure=False)
            for s in dict.fromkeys(c.scenario for c in cases)
        }
        saving: dict[tuple[str, str], Any] = {
            (s, p.id): client.submit(project_saving, shared, scen[s], p, pure=False)
            for s in scen
            for p in setting.grid.projects
        }
        tasks = []
        for (s, variant, month), group in groups.items():
            context = client.submit(build_context, shared, scen[s], variant, month, pure=False)
            pairs = [
                x
                for p in setting.grid.projects
                if p.id == variant
                for x in (p.id, saving[(s, p.id)])
            ]
            savings = client.submit(_saving_map, *pairs, pure=False)
            tasks.append(client.submit(_rows, shared, group, context, savings, pure=False))
        try:
            rows = _collect(client, tasks, len(cases), progress, no_workers_s)
        except BaseException:
            for t in tasks:
                t.cancel()
            raise
        n_shared = len(scen) + len(saving) + len(groups)
    table = _frame(rows)
    path = write_results(table, out) if out is not None else None
    log.info(
        "sweep: %d cases on %d workers in %.1f s",
        len(cases),
        workers,
        time.perf_counter() - started,
    )
    return SweepResult(table, path, time.perf_counter() - started, workers, n_shared)
