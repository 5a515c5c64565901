"""Listing a network's scheduled services: calls, schedule, price, capacity, path, sources.

The records are what ``amur services --json`` prints and ``/api/services`` answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from amur.graph.expand import DEFAULT_T_PER_TEU
from amur.graph.services import service_path_places
from amur.network import Network
from amur.network.services import (
    SERVICE_SOURCE_COLUMNS,
    hop_values,
    service_calls,
    service_capacity_t_per_year,
    service_wait_h,
)

__all__ = ["describe_services"]


def describe_services(
    net: Network,
    *,
    place: str | None = None,
    year: int | None = None,
    operator: str | None = None,
) -> list[dict[str, object]]:
    """The services of a network as records: calls, schedule, price, capacity and sources.

    Parameters
    ----------
    net : Network
    place : str, optional
        Only services that call at this place (id, name or alias).
    year : int, optional
        Only services running in this year; without one, every service.
    operator : str, optional
        Only services whose operator contains this text (case-insensitive).

    Returns
    -------
    list of dict
        One per service: ``id, name, operator, mode, calls`` (place ids), ``call_names``,
        ``via``, ``first_year, last_year, months, departures_per_week, wait_h``,
        ``length_km`` and ``path`` (the place ids of its modelled path over the links in
        service, first year or ``year``; None where it has none), ``time_h`` (the whole
        line), ``price_usd_per_teu`` and ``subsidy_usd_per_teu`` (the whole line, per TEU at
        the network's tonnes per TEU), ``capacity_teu_per_departure``,
        ``capacity_t_per_year``, the source id of each figure, and ``sources``: each id with
        its kind, title, URL and date.

    Raises
    ------
    UnknownPlaceError
        If ``place`` is not a place of the network.

    Examples
    --------
    >>> import amur
    >>> from amur.graph.service_list import describe_services
    >>> [s["id"] for s in describe_services(amur.load(), place="Harbin", year=2015)]
    ['harbin_hamburg']
    """
    services = net.services
    keep = np.ones(len(services), dtype=bool)
    if place is not None:
        node = net.place(place)
        keep &= np.array([node in service_calls(c) for c in services["calls"]], dtype=bool)
    if year is not None:
        keep &= net.services_running(year)
    if operator is not None:
        text = operator.casefold()
        keep &= (
            services["operator"]
            .fillna("")
            .str.casefold()
            .str.contains(text, regex=False)
            .to_numpy()
        )
    t_per_teu = float(net.parameters.get("t_per_teu", DEFAULT_T_PER_TEU))
    waits = service_wait_h(services)
    annual = service_capacity_t_per_year(services, t_per_teu)
    sources = net.sources.set_index("id")
    out = []
    for row in np.flatnonzero(keep):
        rec = services.iloc[int(row)]
        when = year if year is not None else int(rec["first_year"])
        found = service_path_places(net, {str(k): v for k, v in rec.items()}, when)
        nodes, length = found if found is not None else (None, None)
        out.append(
            _record(
                net, rec, float(waits[row]), float(annual[row]), length, nodes, t_per_teu, sources
            )
        )
    return out


def _record(
    net: Network,
    rec: pd.Series,
    wait_h: float,
    annual_t: float,
    length_km: float | None,
    path: list[str] | None,
    t_per_teu: float,
    sources: pd.DataFrame,
) -> dict[str, object]:
    calls = service_calls(rec["calls"])
    times = hop_values(rec["time_h"], len(calls) - 1)
    time_h = (
        float(sum(times))
        if times is not None
        else (length_km / float(rec["speed_kmh"]) if length_km is not None else None)
    )
    prices = hop_values(rec["price"], len(calls) - 1)
    per_teu = t_per_teu if rec["price_unit"] == "usd_per_t" else 1.0
    price = float(sum(prices)) * per_teu if prices is not None else None
    subsidy = float(rec["subsidy"]) * per_teu if pd.notna(rec["subsidy"]) else None
    capacity = rec["capacity_per_departure"]
    teu = (
        None
        if pd.isna(capacity)
        else float(capacity)
        if rec["capacity_unit"] == "teu"
        else float(capacity) / t_per_teu
    )

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    ids = {column: text(rec[column]) for column in SERVICE_SOURCE_COLUMNS}
    resolved = {}
    for sid in dict.fromkeys(v for v in ids.values() if v):
        found = sources.loc[sid] if sid in sources.index else None
        resolved[sid] = {
            k: text(found[k]) if found is not None else None
            for k in ("kind", "title", "url", "date")
        }
    return {
        "id": str(rec["id"]),
        "name": str(rec["name"]),
        "operator": text(rec["operator"]),
        "mode": str(rec["mode"]),
        "calls": calls,
        "call_names": [net.place_name(c) for c in calls],
        "via": service_calls(rec["via"]),
        "first_year": int(rec["first_year"]),
        "last_year": None if pd.isna(rec["last_year"]) else int(rec["last_year"]),
        "months": text(rec["months"]) or "all",
        "departures_per_week": float(rec["departures_per_week"]),
        "wait_h": round(wait_h, 3),
        "length_km": None if length_km is None else round(length_km, 1),
        "time_h": None if time_h is None else round(time_h, 2),
        "price_usd_per_teu": price,
        "subsidy_usd_per_teu": subsidy,
        "capacity_teu_per_departure": teu,
        "capacity_t_per_year": None if not np.isfinite(annual_t) else annual_t,
        "bidirectional": bool(rec["bidirectional"]),
        **ids,
        "sources": resolved,
        "path": path,
        "note": text(rec["note"]),
    }
