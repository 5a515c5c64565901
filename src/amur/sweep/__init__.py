"""Many cases at once: grids of scenarios, projects, months, parameter values and Monte Carlo
draws, run on Dask (a LocalCluster or an existing scheduler), with results as Parquet; the
with-and-without appraisal of a portfolio of projects; skims split by origin over workers.

>>> import amur
>>> from amur.sweep import Grid, Setting, run_sweep
>>> setting = Setting(amur.load("northeast-asia"), "northeast-asia", Grid(months=(1, 7)))
>>> result = run_sweep(setting, out="out/sweep")  # doctest: +SKIP
"""

from amur.sweep.compute import Setting, run_case
from amur.sweep.grid import BASE, PARAMETERS, WITH_ALL, Case, Grid
from amur.sweep.run import (
    SweepResult,
    connect,
    read_results,
    run_serial,
    run_sweep,
    write_results,
)

__all__ = [
    "BASE",
    "PARAMETERS",
    "WITH_ALL",
    "Case",
    "Grid",
    "Setting",
    "SweepResult",
    "connect",
    "read_results",
    "run_case",
    "run_serial",
    "run_sweep",
    "write_results",
]
