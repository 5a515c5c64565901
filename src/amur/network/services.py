"""Scheduled services (block trains, sailings): their table, its checks, and its figures.

A service is a named line that calls at places in order, runs some years (and months), has
departures a week, a transit time and a price between calls, a capacity a departure, and a
source for each figure. It lives in ``services.csv`` beside ``nodes.csv`` and ``links.csv``
(columns: :data:`amur.network.schema.SERVICE_COLUMNS`).
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.network.schema import SERVICE_COLUMNS
from amur.network.validate import _where, parse_months

__all__ = [
    "HOURS_PER_WEEK",
    "SERVICE_SOURCE_COLUMNS",
    "empty_services",
    "hop_values",
    "service_calls",
    "service_capacity_t_per_year",
    "service_wait_h",
    "services_running",
    "validate_services",
]

HOURS_PER_WEEK = 168.0
WEEKS_PER_YEAR = 52.0
#: Columns of services.csv that hold source ids.
SERVICE_SOURCE_COLUMNS = (
    "source_id",
    "frequency_source_id",
    "time_source_id",
    "price_source_id",
    "subsidy_source_id",
    "capacity_source_id",
)


def empty_services() -> pd.DataFrame:
    """A services table with every column and no row."""
    from amur.network.validate import coerce_table

    frame = pd.DataFrame(
        {c.name: pd.Series([], dtype=object) for c in SERVICE_COLUMNS if c.required}
    )
    table = coerce_table(frame, SERVICE_COLUMNS, "services.csv")
    return table[[c.name for c in SERVICE_COLUMNS]]


def service_calls(text: object) -> list[str]:
    """Place ids of a ``calls`` or ``via`` cell (``"harbin|manzhouli"``), blanks dropped."""
    if not isinstance(text, str):
        return []
    return [part.strip() for part in text.split("|") if part.strip()]


def hop_values(text: object, n_hops: int) -> list[float] | None:
    """Numbers of a per-hop cell (``time_h``, ``price``): one per hop, or one for the line.

    Parameters
    ----------
    text : str or None
        ``"48|300"`` (one value per pair of successive calls) or ``"348"``.
    n_hops : int
        Number of pairs of successive calls.

    Returns
    -------
    list of float or None
        ``n_hops`` values, or one value (the whole line; shared by length when the line is
        expanded), or ``None`` for an empty cell.

    Raises
    ------
    ValueError
        If a part is not a non-negative number or the count is neither 1 nor ``n_hops``.

    Examples
    --------
    >>> hop_values("48|300", 2)
    [48.0, 300.0]
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    parts = [p.strip() for p in str(text).split("|")]
    if parts == [""]:
        return None
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise ValueError(f"{part!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{part!r} is out of range; expected a number >= 0")
        values.append(value)
    if len(values) not in (1, n_hops):
        raise ValueError(
            f"{len(values)} values for {n_hops} pairs of successive calls; "
            f"expected 1 (the whole line) or {n_hops} separated by '|'"
        )
    return values


def service_wait_h(services: pd.DataFrame) -> np.ndarray:
    """Expected wait for a departure of each service, hours: ``wait_h`` if given, else half
    the headway (84 h over departures a week).
    """
    given = services["wait_h"].to_numpy(dtype=np.float64, na_value=np.nan)
    per_week = services["departures_per_week"].to_numpy(dtype=np.float64)
    return np.where(np.isnan(given), HOURS_PER_WEEK / 2.0 / per_week, given)


def service_capacity_t_per_year(services: pd.DataFrame, t_per_teu: float) -> np.ndarray:
    """Capacity of each service each way, t/year: departures a week x 52 x capacity a
    departure (TEU turned into tonnes at ``t_per_teu``); inf where none is given.
    """
    per = services["capacity_per_departure"].to_numpy(dtype=np.float64, na_value=np.nan)
    unit = services["capacity_unit"].to_numpy(dtype=object)
    tonnes = np.where(unit == "teu", per * t_per_teu, per)
    annual = services["departures_per_week"].to_numpy(dtype=np.float64) * WEEKS_PER_YEAR * tonnes
    return np.where(np.isnan(annual), np.inf, annual)


def services_running(
    services: pd.DataFrame, year: int | None = None, month: int | None = None
) -> np.ndarray:
    """Which services run in a year and month.

    Parameters
    ----------
    services : pandas.DataFrame
        A validated services table.
    year : int, optional
        A service runs in ``year`` if it started in or before it and had not stopped before
        it. Without a year, the services that still run (no ``last_year``).
    month : int, optional
        Month 1-12; a seasonal service runs only in its ``months``.

    Returns
    -------
    numpy.ndarray of bool
        One flag per row.
    """
    first = services["first_year"].to_numpy(dtype="float64", na_value=np.nan)
    last = services["last_year"].to_numpy(dtype="float64", na_value=np.nan)
    # Without a year: the services that still run.
    ok = np.isnan(last) if year is None else (first <= year) & (np.isnan(last) | (last >= year))
    if month is not None:
        bit = 1 << (int(month) - 1)
        masks = np.array(
            [parse_months(m if isinstance(m, str) else None) for m in services["months"].tolist()],
            dtype=np.int64,
        )
        ok &= (masks & bit) != 0
    return np.asarray(ok, dtype=bool)


def validate_services(
    services: pd.DataFrame, node_ids: Sequence[str], source_ids: Sequence[str], origin: str
) -> None:
    """Check a typed services table against the network's places and sources.

    Parameters
    ----------
    services : pandas.DataFrame
        As returned by :func:`amur.network.validate.coerce_table` with
        :data:`~amur.network.schema.SERVICE_COLUMNS`.
    node_ids, source_ids : sequence of str
        The network's place ids and source ids.
    origin : str
        The file (``"folder/services.csv"``), for messages.

    Raises
    ------
    InputError
        Naming the file, row, id and column: a duplicate or badly formed id, a call or via
        at an unknown place, fewer than two calls, a time or price list that does not parse
        or has the wrong length, neither time nor speed, a price or subsidy without a unit, a
        capacity without a unit, months that do not parse, a last year before the first, or
        a source id not in the sources.
    """
    from amur.network.validate import check_identifiers

    check_identifiers(services, origin, snake_case=True)
    known = set(node_ids)
    for row in range(len(services)):
        _check_row(services, row, known, origin)
    known_sources = set(source_ids)
    for column in SERVICE_SOURCE_COLUMNS:
        values = services[column]
        bad = (values.notna() & ~values.isin(known_sources)).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{_where(origin, row, services)}, column {column!r}: source "
                f"{values.iloc[row]!r} is not in sources.csv",
                field=column,
            )


def _check_row(services: pd.DataFrame, row: int, known: set[str], origin: str) -> None:
    rec = services.iloc[row]
    at = _where(origin, row, services)
    calls = service_calls(rec["calls"])
    if len(calls) < 2:
        raise InputError(
            f"{at}, column 'calls': {len(calls)} call(s) {rec['calls']!r}; "
            "expected at least two place ids separated by '|'",
            field="calls",
        )
    for column, places in (("calls", calls), ("via", service_calls(rec["via"]))):
        for place in places:
            if place not in known:
                close = difflib.get_close_matches(place, sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise InputError(
                    f"{at}, column {column!r}: unknown place {place!r}; expected "
                    f"an id from nodes.csv{hint}",
                    field=column,
                )
    for a, b in itertools.pairwise(calls):
        if a == b:
            raise InputError(
                f"{at}, column 'calls': {a!r} twice in a row; expected "
                "successive calls at different places",
                field="calls",
            )
    for column in ("time_h", "price"):
        try:
            hop_values(rec[column], len(calls) - 1)
        except ValueError as exc:
            raise InputError(f"{at}, column {column!r}: {exc}", field=column) from None
    if hop_values(rec["time_h"], len(calls) - 1) is None and pd.isna(rec["speed_kmh"]):
        raise InputError(
            f"{at}: neither time_h nor speed_kmh is given; expected one of them", field="time_h"
        )
    for value_column, unit_column, units in (
        ("price", "price_unit", "usd_per_teu or usd_per_t"),
        ("subsidy", "price_unit", "usd_per_teu or usd_per_t"),
        ("capacity_per_departure", "capacity_unit", "teu or t"),
    ):
        if pd.notna(rec[value_column]) and pd.isna(rec[unit_column]):
            raise InputError(
                f"{at}, column {unit_column!r}: empty while {value_column} is "
                f"{rec[value_column]}; expected the unit, {units}",
                field=unit_column,
            )
    months = rec["months"]
    if isinstance(months, str):
        try:
            parse_months(months)
        except ValueError as exc:
            raise InputError(
                f"{at}, column 'months': {exc}; expected 'all', a range like "
                "'5-10' or a list like '1,2,3'",
                field="months",
            ) from None
    if pd.notna(rec["last_year"]) and int(rec["last_year"]) < int(rec["first_year"]):
        raise InputError(
            f"{at}, column 'last_year': {int(rec['last_year'])} is before the "
            f"first year {int(rec['first_year'])}; expected a year from "
            f"{int(rec['first_year'])} on",
            field="last_year",
        )
