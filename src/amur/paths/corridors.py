"""The corridor table: from one place to several destinations, by every corridor that reaches."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from amur.errors import NoRouteError
from amur.network import Network
from amur.network.corridors import Corridor
from amur.paths.itinerary import Route
from amur.paths.route import route


def corridor_table(
    net: Network,
    origin: str,
    destinations: Sequence[str],
    corridors: Sequence[Corridor],
    *,
    by: str = "generalized",
    year: int | None = None,
    month: int | None = None,
) -> pd.DataFrame:
    """The best route from ``origin`` to each destination through each corridor.

    A corridor that does not reach a destination is left out: where no route passes its
    places, or where the only way through them doubles back on itself (a route that visits a
    place twice, such as Harbin to Tokyo through Manzhouli and back). Two corridors whose best
    routes coincide are both listed, since each answers its own question. A route "by" a
    corridor passes its places and none of the places that define the other corridors.

    Returns
    -------
    pandas.DataFrame
        Columns destination, corridor, corridor_name, length_km, time_days,
        cost_usd_per_teu, co2_kg_per_teu, via, gauge_changes, rank_by_<by> (1 = best
        corridor for that destination).
    """
    rows = []
    key_places = {net.place(p) for c in corridors for p in c.via}
    for destination in destinations:
        dest_id = net.place(destination)
        for corridor in corridors:
            if dest_id in corridor.via or net.place(origin) in corridor.via:
                continue
            try:
                others = key_places - {net.place(p) for p in corridor.via}
                others |= {net.place(p) for p in corridor.avoid} - {dest_id}
                best: Route = route(
                    net,
                    origin,
                    dest_id,
                    by=by,
                    via=corridor.via,
                    avoid=sorted(others),
                    year=year,
                    month=month,
                )[0]
            except NoRouteError:
                continue
            if _doubles_back(best):
                continue
            rows.append(
                {
                    "destination": dest_id,
                    "corridor": corridor.id,
                    "corridor_name": corridor.name,
                    "length_km": round(best.length_km, 1),
                    "time_days": round(best.time_days, 2),
                    "cost_usd_per_teu": round(best.cost_usd_per_teu, 0),
                    "co2_kg_per_teu": round(best.co2_kg_per_teu, 1),
                    "via": " > ".join(best.via),
                    "gauge_changes": " ".join(best.gauge_changes),
                    "_key": best.score,
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table[f"rank_by_{by}"] = table.groupby("destination")["_key"].rank(method="min").astype(int)
    table = table.sort_values(["destination", f"rank_by_{by}"], kind="stable")
    return table.drop(columns="_key").reset_index(drop=True)


def _doubles_back(best: Route) -> bool:
    """Whether a route passes the same place twice."""
    places = [leg.from_node for leg in best.legs if leg.kind == "link"]
    places.append(best.destination)
    return len(places) != len(set(places))
