"""Demand as long tables, ``origin,destination,value[,commodity]``, in CSV or Parquet files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from amur.demand.matrix import ODMatrices
from amur.errors import InputError

__all__ = [
    "demand_from_frame",
    "read_demand_csv",
    "read_demand_parquet",
    "write_demand_csv",
    "write_demand_parquet",
]

_REQUIRED = ("origin", "destination", "value")
DEFAULT_COMMODITY = "all"


def _from_table(
    table: pd.DataFrame, source: str, zones: Sequence[str] | None, unit: str, first_row: int
) -> ODMatrices:
    missing = [c for c in _REQUIRED if c not in table.columns]
    if missing:
        raise InputError(
            f"{source}: no column {missing[0]!r}; expected columns origin, destination, value "
            "and optionally commodity",
            field=missing[0],
        )
    origin = table["origin"].astype(str).str.strip()
    destination = table["destination"].astype(str).str.strip()
    values = pd.to_numeric(table["value"], errors="coerce")
    raw = table["value"]
    numbers = values.to_numpy(dtype=np.float64)
    not_finite = np.flatnonzero(~np.isfinite(numbers))
    if not_finite.size:
        row = int(not_finite[0])
        raise InputError(
            f"{source}, row {row + first_row}, column value: {raw.iloc[row]!r}; "
            "expected a finite number",
            field="value",
        )
    negative = np.flatnonzero(numbers < 0)
    if negative.size:
        row = int(negative[0])
        raise InputError(
            f"{source}, row {row + first_row}, column value: {float(numbers[row])!r}; "
            "expected a number >= 0",
            field="value",
        )
    commodity = (
        table["commodity"].astype(str).str.strip()
        if "commodity" in table.columns
        else pd.Series(DEFAULT_COMMODITY, index=table.index)
    )
    if zones is None:
        zone_list = list(dict.fromkeys([*origin, *destination]))
    else:
        zone_list = [str(z) for z in zones]
    index = {z: k for k, z in enumerate(zone_list)}
    for column, ids in (("origin", origin), ("destination", destination)):
        unknown = ~ids.isin(list(index))
        if unknown.any():
            row = int(np.flatnonzero(unknown.to_numpy())[0])
            raise InputError(
                f"{source}, row {row + first_row}, column {column}: unknown zone "
                f"{ids.iloc[row]!r}; expected one of the {len(zone_list)} zones",
                field=column,
            )
    n = len(zone_list)
    rows = origin.map(index).to_numpy()
    cols = destination.map(index).to_numpy()
    matrices = {}
    for name in dict.fromkeys(commodity):
        mask = (commodity == name).to_numpy()
        matrix = np.zeros((n, n))
        np.add.at(matrix, (rows[mask], cols[mask]), numbers[mask])
        matrices[name] = matrix
    return ODMatrices(tuple(zone_list), matrices, unit)


def _to_table(demand: ODMatrices) -> pd.DataFrame:
    frames = []
    zones = np.asarray(demand.zones, dtype=object)
    for name, matrix in demand.matrices.items():
        o, d = np.nonzero(matrix)
        frames.append(
            pd.DataFrame(
                {
                    "origin": zones[o],
                    "destination": zones[d],
                    "value": matrix[o, d],
                    "commodity": name,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["origin", "destination", "value", "commodity"])
    return pd.concat(frames, ignore_index=True)


def demand_from_frame(
    table: pd.DataFrame,
    source: str = "demand",
    zones: Sequence[str] | None = None,
    unit: str = "t_per_year",
) -> ODMatrices:
    """Demand from a table with the columns of :func:`read_demand_csv` (rows numbered as a
    spreadsheet numbers them, header = row 1); raises as that function does.
    """
    table = table.copy()
    table.columns = [str(c).strip().lower() for c in table.columns]
    return _from_table(table.astype(str), source, zones, unit, first_row=2)


def read_demand_csv(
    path: str | Path, zones: Sequence[str] | None = None, unit: str = "t_per_year"
) -> ODMatrices:
    """Read demand from a CSV file with columns ``origin,destination,value[,commodity]``.

    Parameters
    ----------
    path : str or Path
        The file. Rows for the same pair and commodity are added up; without a commodity
        column every row is commodity ``"all"``.
    zones : sequence of str, optional
        The zones the matrices span, in order; ids not among them are errors. Defaults to the
        ids found in the file, in order of first appearance.
    unit : {"t_per_year", "teu_per_year"}
        Unit of the values.

    Returns
    -------
    ODMatrices

    Raises
    ------
    InputError
        If the file cannot be read, lacks a column, or a row has an unknown zone or a value
        that is not a finite number >= 0; the message names the file, row (as numbered by a
        spreadsheet, header = row 1) and column.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start}); expected a CSV file in UTF-8",
            field="demand",
        ) from None
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})", field="demand") from None
    table.columns = [c.strip().lower() for c in table.columns]
    return _from_table(table, str(path), zones, unit, first_row=2)


def write_demand_csv(demand: ODMatrices, path: str | Path) -> None:
    """Write the non-zero cells as ``origin,destination,value,commodity`` rows, atomically.

    Raises
    ------
    OutputError
        If the file cannot be written; a previous file is kept.
    """
    from amur.io.atomic import write_text

    write_text(path, _to_table(demand).to_csv(index=False, float_format="%.17g"))


def read_demand_parquet(
    path: str | Path, zones: Sequence[str] | None = None, unit: str = "t_per_year"
) -> ODMatrices:
    """Read demand from a Parquet file with the columns of :func:`read_demand_csv`.

    Rows are numbered from 1. Raises :class:`~amur.errors.InputError` as that function does.
    """
    path = Path(path)
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read as Parquet ({exc})") from exc
    table.columns = [str(c).strip().lower() for c in table.columns]
    return _from_table(table, str(path), zones, unit, first_row=1)


def write_demand_parquet(demand: ODMatrices, path: str | Path) -> None:
    """Write the non-zero cells as a Parquet table (origin, destination, value, commodity),
    atomically.

    Raises
    ------
    OutputError
        If the file cannot be written; a previous file is kept.
    """
    from amur.io.atomic import atomic_path

    table = _to_table(demand)
    table.attrs = {}
    with atomic_path(path) as tmp:
        table.to_parquet(tmp, index=False)
