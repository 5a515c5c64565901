"""Capacities of links and places for the assignment, in tonnes per year, by year.

Capacities (tonnes per year, two-way) come from, in order: the link's
``capacity_t_per_year``; a ``capacity_t_per_year:<link id>`` row of the flow parameters; a
``default_capacity_t_per_year:<mode>`` row; :data:`DEFAULT_CAPACITY_T_PER_YEAR`. A capacity
row carries the ``year`` from which it holds and is keyed
``capacity_t_per_year:<link id>@<year>``; a ``transfer_capacity_t_per_year:<place id>`` row
is a place's two-way throughput of changes of mode and gauge. See
:mod:`amur.assign.multimodal` for how the assignment graph shares them among its arcs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from amur.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Two-way capacity by mode where nothing else gives one, t/year: an estimate (see the
#: ``default_capacity_est`` source of the built-in dataset); sea lanes are no constraint.
DEFAULT_CAPACITY_T_PER_YEAR = {
    "rail": 1e8,
    "road": 1e7,
    "ice_road": 1e6,
    "pontoon": 1e6,
    "river_ferry": 1e6,
    "sea": 1e12,
    "pipeline": 1e12,
}
UNCONSTRAINED = 1e12
#: Name prefixes of the flow parameters that are capacities, and so need a year.
CAPACITY_PREFIXES = ("capacity_t_per_year:", "transfer_capacity_t_per_year:")


def read_flow_parameters(path: str | Path) -> dict[str, float]:
    """Flow parameters (``name,value,...`` CSV) as a dict; an absent file gives ``{}``.

    A capacity row (``capacity_t_per_year:<link>`` or ``transfer_capacity_t_per_year:<place>``)
    needs the ``year`` from which it holds and is keyed ``<name>@<year>``; see
    :func:`capacity_in_year`.

    Raises
    ------
    InputError
        Naming the file, row and column: a value that is not a number, a capacity with no
        year (or no ``year`` column), a year that is not a whole number, or a shipment
        parameter out of range (:func:`amur.assign.shipments.check_parameter`: a size in
        t > 0, a cost in USD/t >= 0).
    """
    from amur.assign.shipments import check_parameter

    path = Path(path)
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype={"year": str})
    values = pd.to_numeric(table["value"], errors="coerce")
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0]) + 2
        raise InputError(f"{path}, row {row}, column value: expected a number", field="value")
    years = table["year"] if "year" in table.columns else pd.Series([None] * len(table))
    out: dict[str, float] = {}
    for k, (name, value, year) in enumerate(
        zip(table["name"].astype(str), values, years, strict=True)
    ):
        problem = check_parameter(name, float(value))
        if problem:
            raise InputError(
                f"{path}, row {k + 2}, column value: {name} = {value!r}; {problem}",
                field="value",
            )
        if name.startswith(CAPACITY_PREFIXES):
            name = f"{name}@{_capacity_year(path, k + 2, name, year)}"
        out[name] = float(value)
    return out


def _capacity_year(path: Path, row: int, name: str, text: object) -> int:
    """The year of a capacity row, or an error naming the file, row and column."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        raise InputError(
            f"{path}, row {row}, column year: capacity {name!r} has no year; "
            "expected the year from which it holds (e.g. 2021)",
            field="year",
        )
    try:
        return int(str(text).strip())
    except ValueError:
        raise InputError(
            f"{path}, row {row}, column year: {text!r} is not a year; expected a "
            "whole number such as 2021",
            field="year",
        ) from None


def capacity_in_year(parameters: Mapping[str, float], name: str, year: int | None) -> float | None:
    """The capacity ``name`` (e.g. ``capacity_t_per_year:<link id>``) in force in a year.

    Parameters
    ----------
    parameters : mapping
        Flow parameters, with capacities keyed ``<name>@<year>`` (as read by
        :func:`read_flow_parameters`) or ``<name>`` for every year.
    name : str
        The capacity's name, without a year.
    year : int or None
        Calendar year; ``None`` for the latest figure.

    Returns
    -------
    float or None
        t/year: the latest figure from a year on or before ``year`` (the earliest figure for
        a year before all of them); ``None`` if the parameters have none.

    Examples
    --------
    >>> p = {"capacity_t_per_year:a@2015": 1.0, "capacity_t_per_year:a@2021": 3.0}
    >>> capacity_in_year(p, "capacity_t_per_year:a", 2020)
    1.0
    >>> capacity_in_year(p, "capacity_t_per_year:a", 2024)
    3.0
    """
    dated = sorted(
        (int(key.rsplit("@", 1)[1]), value)
        for key, value in parameters.items()
        if key.startswith(name + "@")
    )
    if not dated:
        return parameters.get(name)
    if year is None:
        return dated[-1][1]
    before = [value for since, value in dated if since <= year]
    return before[-1] if before else dated[0][1]


def link_capacities(
    links: pd.DataFrame, parameters: Mapping[str, float], year: int | None = None
) -> pd.DataFrame:
    """Two-way capacity of every link in a year, t/year, and where it came from.

    Parameters
    ----------
    links : pandas.DataFrame
        The network's links.
    parameters : mapping
        Flow parameters (see the module docstring).
    year : int, optional
        Year whose capacities hold (:func:`capacity_in_year`); the latest without one.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, capacity_t_per_year, basis`` (``dataset``, ``parameter`` or
        ``default``), one row per row of ``links``.
    """
    capacity = links["capacity_t_per_year"].to_numpy(dtype=np.float64, na_value=np.nan).copy()
    basis = np.where(np.isnan(capacity), "", "dataset").astype(object)
    for k, (link_id, mode) in enumerate(zip(links["id"], links["mode"], strict=True)):
        if basis[k]:
            continue
        given = capacity_in_year(parameters, f"capacity_t_per_year:{link_id}", year)
        if given is not None:
            capacity[k], basis[k] = given, "parameter"
            continue
        default = parameters.get(f"default_capacity_t_per_year:{mode}")
        capacity[k] = (
            default
            if default is not None
            else DEFAULT_CAPACITY_T_PER_YEAR.get(str(mode), UNCONSTRAINED)
        )
        basis[k] = "default"
    return pd.DataFrame(
        {"id": links["id"].to_numpy(), "capacity_t_per_year": capacity, "basis": basis}
    )


def place_capacities(
    nodes: pd.DataFrame, parameters: Mapping[str, float], year: int | None = None
) -> FloatArray:
    """Two-way transfer capacity of every place in a year, t/year (``inf`` where none).

    From the ``transfer_capacity_t_per_year:<place id>`` flow parameters
    (:func:`capacity_in_year`): a seaport's or a gauge-change yard's throughput.
    """
    out = np.full(len(nodes), np.inf)
    for k, place in enumerate(nodes["id"]):
        given = capacity_in_year(parameters, f"transfer_capacity_t_per_year:{place}", year)
        if given is not None:
            out[k] = given
    return out
