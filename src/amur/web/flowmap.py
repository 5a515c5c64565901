"""Flows for the map: one GeoJSON line per physical link, both directions summed (t/year),
its highest v/c, whether it is a bottleneck, and the freight of each share group.
"""

from __future__ import annotations

import math
from typing import Any

from amur.network import Network


def flow_map(net: Network, result: Any, v_c: float) -> dict[str, Any]:
    """The links that carry freight after an assignment, as a GeoJSON FeatureCollection.

    Parameters
    ----------
    net : Network
        The network the assignment ran on (with its scenario applied), for link geometry.
    result : amur.assign.seasons.YearAssignment
        The assignment: its ``links`` (one row per link direction, ``flow_t_per_year`` and
        ``v_c``), ``physical_flows()`` and ``shares``.
    v_c : float
        Bottleneck threshold: a link is a bottleneck when a direction's v/c is above it.

    Returns
    -------
    dict
        ``features``: one LineString per link with a flow above 0 t/year, smallest flow
        first (so that the largest is drawn on top), with properties ``link``, ``from``,
        ``to``, ``mode``, ``flow_t_per_year`` (both directions), ``v_c`` (the higher
        direction's, None without a capacity) and ``bottleneck``;
        ``largest_flow_t_per_year`` (0 without any flow) and ``groups``, the freight of
        each share group over its corridors (t/year).
    """
    from amur.io.geo import link_geometries

    links = result.links
    totals = result.physical_flows().set_index("link")["flow_t_per_year"]
    highest = links.groupby("link", sort=False)["v_c"].max()
    first = links.drop_duplicates("link").set_index("link")
    bottlenecks = set(result.bottlenecks(v_c)["link"])
    geometry = dict(zip(net.links["id"], link_geometries(net), strict=True))
    features: list[dict[str, Any]] = []
    for link, flow in sorted(totals.items(), key=lambda item: (item[1], str(item[0]))):
        if not flow > 0 or link not in geometry:
            continue
        vc = float(highest[link])
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [list(c) for c in geometry[link].coords],
                },
                "properties": {
                    "link": str(link),
                    "from": str(first.at[link, "from"]),
                    "to": str(first.at[link, "to"]),
                    "mode": str(first.at[link, "mode"]),
                    "flow_t_per_year": float(flow),
                    "v_c": None if math.isnan(vc) else float(vc),
                    "bottleneck": link in bottlenecks,
                },
            }
        )
    shares = result.shares
    groups = (
        []
        if shares.empty
        else [
            {"group": str(g), "flow_t_per_year": float(t)}
            for g, t in shares.groupby("group", sort=False)["flow_t_per_year"].sum().items()
        ]
    )
    largest = max((f["properties"]["flow_t_per_year"] for f in features), default=0.0)
    return {
        "type": "FeatureCollection",
        "features": features,
        "largest_flow_t_per_year": largest,
        "groups": groups,
    }
