"""Comparing two scenarios: per OD pair, time, cost and CO2 in each, the change, the corridor."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from amur.errors import InputError, NoRouteError
from amur.network import Network
from amur.scenarios import AppliedScenario, Scenario, apply, load_scenario

#: Figures compared, with the Route attribute each comes from.
FIGURES = {"length_km": "length_km", "time_days": "time_days",
           "cost_usd_per_teu": "cost_usd_per_teu", "co2_kg_per_teu": "co2_kg_per_teu"}


def _applied(net: Network, scenario: Scenario | str | AppliedScenario) -> AppliedScenario:
    if isinstance(scenario, AppliedScenario):
        return scenario
    if isinstance(scenario, str):
        scenario = load_scenario(scenario, net)
    return apply(net, scenario)


def compare(
    net: Network,
    a: Scenario | str | AppliedScenario,
    b: Scenario | str | AppliedScenario,
    pairs: Sequence[tuple[str, str]],
    month: int | None = None,
    by: str = "generalized",
) -> pd.DataFrame:
    """Route every OD pair in two scenarios and set the results side by side.

    Parameters
    ----------
    net : Network
        Base network (each scenario is applied to it).
    a, b : Scenario, str or AppliedScenario
        The scenarios (names are looked up in the dataset's scenarios folder).
    pairs : sequence of (origin, destination)
        Places by id, name or alias.
    month : int, optional
        Month to route in, overriding the scenarios' own months (1-12).
    by : str
        Routing criterion (see :func:`amur.route`).

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``from``, ``to``; for each figure in ``length_km``, ``time_days``,
        ``cost_usd_per_teu``, ``co2_kg_per_teu`` the columns ``<figure>_a``, ``<figure>_b``
        and ``<figure>_change`` (B minus A; NaN where a scenario has no route); ``via_a``,
        ``via_b`` (crossings and ports passed, ``" > "``-joined, or ``"no route"``);
        ``services_a``, ``services_b`` (scheduled services ridden, ``"; "``-joined);
        ``modes_a``, ``modes_b`` (link modes in order, repeats merged: ``"rail > ice_road >
        rail"``); ``scenario_a``, ``scenario_b``, ``month``.

    Raises
    ------
    UnknownPlaceError
        If a place is not in the network.
    ScenarioError
        If a scenario cannot be found or applied.
    InputError
        On a month outside 1-12.

    Examples
    --------
    >>> import amur
    >>> table = compare(amur.load(), "2018", "2022", [("Harbin", "Belogorsk")], month=1)
    >>> list(table["via_b"])
    ['heihe > blagoveshchensk']
    """
    if month is not None and not 1 <= month <= 12:
        raise InputError(f"month {month} is out of range; expected 1 to 12", field="month")
    sides = {"a": _applied(net, a), "b": _applied(net, b)}
    rows = []
    for origin, destination in pairs:
        row: dict[str, object] = {"from": net.place(origin), "to": net.place(destination)}
        for side, applied in sides.items():
            figures, via, modes, services = _best(applied, str(row["from"]), str(row["to"]),
                                                  month, by)
            for name, value in figures.items():
                row[f"{name}_{side}"] = value
            row[f"via_{side}"] = via
            row[f"modes_{side}"] = modes
            row[f"services_{side}"] = services
        for name in FIGURES:
            row[f"{name}_change"] = row[f"{name}_b"] - row[f"{name}_a"]  # type: ignore[operator]
        rows.append(row)
    columns = ["from", "to"]
    for name in FIGURES:
        columns += [f"{name}_a", f"{name}_b", f"{name}_change"]
    columns += ["via_a", "via_b", "modes_a", "modes_b", "services_a", "services_b"]
    table = pd.DataFrame(rows, columns=columns)
    table["scenario_a"] = sides["a"].scenario.name
    table["scenario_b"] = sides["b"].scenario.name
    table["month"] = month
    return table


def _best(applied: AppliedScenario, origin: str, destination: str, month: int | None,
          by: str) -> tuple[dict[str, float], str, str, str]:
    from amur.paths import route

    try:
        best = route(applied.network, origin, destination, by=by, year=applied.year,
                     month=month if month is not None else applied.month, modes=applied.modes)[0]
    except NoRouteError:
        return {name: np.nan for name in FIGURES}, "no route", "", ""
    modes = [leg.mode for leg in best.legs if leg.kind == "link"]
    merged = [m for i, m in enumerate(modes) if i == 0 or modes[i - 1] != m]
    return ({name: float(getattr(best, attr)) for name, attr in FIGURES.items()},
            " > ".join(best.via), " > ".join(merged), "; ".join(s.name for s in best.services))


def read_od(path: str) -> list[tuple[str, str]]:
    """OD pairs from a CSV with columns ``from`` and ``to`` (places by id, name or alias).

    Raises
    ------
    InputError
        If the file cannot be read or lacks a column.
    """
    try:
        table = pd.read_csv(path, dtype=str)
    except (OSError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({exc})", field="od") from None
    for column in ("from", "to"):
        if column not in table.columns:
            raise InputError(f"{path}: missing column {column!r} (required: from, to)",
                             field="od")
    return [(str(o).strip(), str(d).strip()) for o, d in zip(table["from"], table["to"],
                                                              strict=True)]
