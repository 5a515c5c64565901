"""Comparing two scenarios: per OD pair, time, cost and CO2 in each, the change, the corridor."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from amur.errors import InputError, NoRouteError
from amur.network import Network
from amur.scenarios import AppliedScenario, Scenario, apply, load_scenario

#: Figures compared, with the Route attribute each comes from.
FIGURES = {
    "length_km": "length_km",
    "time_days": "time_days",
    "cost_usd_per_teu": "cost_usd_per_teu",
    "co2_kg_per_teu": "co2_kg_per_teu",
}


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
            figures, via, modes, services = _best(
                applied, str(row["from"]), str(row["to"]), month, by
            )
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


def network_changes(
    net: Network,
    a: Scenario | str | AppliedScenario,
    b: Scenario | str | AppliedScenario,
) -> pd.DataFrame:
    """What differs between two scenarios' networks, link by link: service and capacity.

    A link is listed when, in scenario B's year against scenario A's, it runs in other
    months (opened, closed, or closed for some months by a ``[[close]]``) or its capacity
    (the dataset's flow parameters, by year) differs.

    Parameters
    ----------
    net : Network
        Base network (each scenario is applied to it).
    a, b : Scenario, str or AppliedScenario
        The scenarios.

    Returns
    -------
    pandas.DataFrame
        One row per changed link: ``link``, ``from``, ``to``, ``mode``, ``months_a``,
        ``months_b`` (months 1-12 it runs, as ``"1-12"``, ``"1-8,10-12"`` or ``""`` for
        none), ``capacity_t_per_year_a``, ``capacity_t_per_year_b`` (two-way, t/year; NaN
        where the dataset gives none), ``change`` (``"opened"``, ``"closed"``, ``"months"``
        or ``"capacity"``), ``source_id`` (of the link in B).

    Examples
    --------
    >>> import amur
    >>> table = network_changes(amur.load(), "2018", "2022")
    >>> "heihe-blagoveshchensk-road" in set(table["link"])
    True
    """
    from amur.assign.multimodal import capacity_in_year, read_flow_parameters
    from amur.data import DATASETS

    sides = {"a": _applied(net, a), "b": _applied(net, b)}
    folder = DATASETS.get(net.name.split("+", 1)[0])
    params = {} if folder is None else read_flow_parameters(folder / "flow_parameters.csv")
    tables = {}
    for side, applied in sides.items():
        links = applied.network.links
        masks = np.zeros(len(links), dtype=np.int64)
        for month in range(1, 13):
            masks |= applied.network.in_service(applied.year, month).astype(np.int64) << (month - 1)
        cap = [
            capacity_in_year(params, f"capacity_t_per_year:{link}", applied.year)
            for link in links["id"]
        ]
        given = links["capacity_t_per_year"].to_numpy(dtype=np.float64, na_value=np.nan)
        cap = [
            g if np.isfinite(g) else (np.nan if c is None else c)
            for g, c in zip(given, cap, strict=True)
        ]
        tables[side] = pd.DataFrame(
            {
                "link": links["id"],
                "from": links["from_node"],
                "to": links["to_node"],
                "mode": links["mode"],
                "mask": masks,
                "capacity": cap,
                "source_id": links["source_id"],
            }
        ).set_index("link")
    both = tables["a"].add_suffix("_a").join(tables["b"].add_suffix("_b"), how="outer")
    both["mask_a"] = both["mask_a"].fillna(0).astype(np.int64)
    both["mask_b"] = both["mask_b"].fillna(0).astype(np.int64)
    cap_a, cap_b = both["capacity_a"].to_numpy(float), both["capacity_b"].to_numpy(float)
    same_cap = (np.isnan(cap_a) & np.isnan(cap_b)) | np.isclose(cap_a, cap_b)
    changed = (both["mask_a"] != both["mask_b"]).to_numpy() | ~same_cap
    rows = []
    for link, rec in both[changed].iterrows():
        if rec["mask_a"] == rec["mask_b"]:
            change = "capacity"
        elif rec["mask_a"] == 0:
            change = "opened"
        elif rec["mask_b"] == 0:
            change = "closed"
        else:
            change = "months"
        rows.append(
            {
                "link": link,
                "from": rec["from_b"] if isinstance(rec["from_b"], str) else rec["from_a"],
                "to": rec["to_b"] if isinstance(rec["to_b"], str) else rec["to_a"],
                "mode": rec["mode_b"] if isinstance(rec["mode_b"], str) else rec["mode_a"],
                "months_a": _months_text(int(rec["mask_a"])),
                "months_b": _months_text(int(rec["mask_b"])),
                "capacity_t_per_year_a": rec["capacity_a"],
                "capacity_t_per_year_b": rec["capacity_b"],
                "change": change,
                "source_id": rec["source_id_b"]
                if isinstance(rec["source_id_b"], str)
                else rec["source_id_a"],
            }
        )
    columns = [
        "link",
        "from",
        "to",
        "mode",
        "months_a",
        "months_b",
        "capacity_t_per_year_a",
        "capacity_t_per_year_b",
        "change",
        "source_id",
    ]
    return pd.DataFrame(rows, columns=columns)


def _months_text(mask: int) -> str:
    """A 12-bit month mask as ranges: ``"1-12"``, ``"1-8,10-12"`` or ``""``."""
    months = [m for m in range(1, 13) if mask & (1 << (m - 1))]
    parts: list[str] = []
    for m in months:
        if parts and int(parts[-1].split("-")[-1]) == m - 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{m}"
        else:
            parts.append(str(m))
    return ",".join(parts)


def _best(
    applied: AppliedScenario, origin: str, destination: str, month: int | None, by: str
) -> tuple[dict[str, float], str, str, str]:
    from amur.paths import route

    try:
        best = route(
            applied.network,
            origin,
            destination,
            by=by,
            year=applied.year,
            month=month if month is not None else applied.month,
            modes=applied.modes,
        )[0]
    except NoRouteError:
        return {name: np.nan for name in FIGURES}, "no route", "", ""
    modes = [leg.mode for leg in best.legs if leg.kind == "link"]
    merged = [m for i, m in enumerate(modes) if i == 0 or modes[i - 1] != m]
    return (
        {name: float(getattr(best, attr)) for name, attr in FIGURES.items()},
        " > ".join(best.via),
        " > ".join(merged),
        "; ".join(s.name for s in best.services),
    )


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
            raise InputError(f"{path}: missing column {column!r} (required: from, to)", field="od")
    return [
        (str(o).strip(), str(d).strip()) for o, d in zip(table["from"], table["to"], strict=True)
    ]
