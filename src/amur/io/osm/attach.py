"""Attach a dataset to an imported OSM network: its places matched to the nearest OSM
stations, so that its figures (border regimes, gauge changes, handling, operating costs)
and sources carry over and routes run on the real tracks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.graph.expand import haversine_km
from amur.network import Network
from amur.network.schema import NODE_COLUMNS

__all__ = ["STATION_KINDS", "AttachResult", "attach"]

#: Kinds of imported places a dataset place may be matched to (and gauge breaks).
STATION_KINDS = ("rail_terminal", "border_crossing", "seaport")
#: Node columns that carry over from the dataset (all but the location).
_CARRIED = tuple(c.name for c in NODE_COLUMNS if c.name not in ("lat", "lon", "note"))
_OPS = ("cost_usd_per_teu_km", "cost_usd_per_tkm", "co2_kg_per_tkm", "ops_source_id")


@dataclass(frozen=True, eq=False)
class AttachResult:
    """The joined network and the match of every dataset place.

    Attributes
    ----------
    network : Network
        The OSM network with matched stations renamed to the dataset's ids and carrying
        its figures; links carry the dataset's most common operating figures of their mode.
    matches : pandas.DataFrame
        One row per dataset place: ``place``, ``name``, ``osm_node``, ``osm_name``,
        ``distance_km`` (empty for places outside the extract) and ``status``
        (``matched`` or ``outside the extract``).
    """

    network: Network
    matches: pd.DataFrame


def _inside(lat: np.ndarray, lon: np.ndarray, net: Network, margin_km: float) -> np.ndarray:
    nl, no = net.nodes["lat"].to_numpy(float), net.nodes["lon"].to_numpy(float)
    dlat = margin_km / 111.0
    dlon = margin_km / (111.0 * max(np.cos(np.radians(max(abs(nl.min()), abs(nl.max())))), 0.05))
    return (
        (lat >= nl.min() - dlat)
        & (lat <= nl.max() + dlat)
        & (lon >= no.min() - dlon)
        & (lon <= no.max() + dlon)
    )


def attach(osm: Network, dataset: Network, max_km: float = 10.0) -> AttachResult:
    """Match each dataset place inside the extract to the nearest OSM station (a station,
    border point, port or gauge break).

    Parameters
    ----------
    osm : Network
        An imported network (:func:`amur.io.osm.import_osm`).
    dataset : Network
        The dataset (``amur.load("northeast-asia")``).
    max_km : float
        Largest allowed distance between a place and its station, km (great circle).

    Returns
    -------
    AttachResult

    Raises
    ------
    InputError
        If a dataset place inside the extract's extent has no station within ``max_km``
        (the message names the place, the nearest station and the distance), if two places
        match one station, or if the import has no stations.
    """
    if not max_km > 0:
        raise InputError(
            f"max attach distance must be above 0 km, not {max_km:g}", field="max_attach_km"
        )
    nodes = osm.nodes
    stations = np.flatnonzero(
        (nodes["kind"].isin(STATION_KINDS) | (nodes["gauge"] == "dual")).to_numpy()
    )
    if len(stations) == 0:
        raise InputError(
            f"network {osm.name!r} has no stations, border points or ports to "
            "attach a dataset's places to",
            field="attach",
        )
    d_lat = dataset.nodes["lat"].to_numpy(float)
    d_lon = dataset.nodes["lon"].to_numpy(float)
    inside = _inside(d_lat, d_lon, osm, max_km)
    s_lat = nodes["lat"].to_numpy(float)[stations]
    s_lon = nodes["lon"].to_numpy(float)[stations]
    rows = []
    chosen: dict[int, str] = {}
    for i in np.flatnonzero(inside).tolist():
        dist = haversine_km(d_lat[i], d_lon[i], s_lat, s_lon)
        k = int(np.argmin(dist))
        station, km = int(stations[k]), float(dist[k])
        place, station_id = str(dataset.nodes["id"].iat[i]), str(nodes["id"].iat[station])
        if km > max_km:
            raise InputError(
                f"place {place!r} ({dataset.nodes['name'].iat[i]}): the nearest OSM station "
                f"{station_id!r} ({nodes['name'].iat[station]}) is {km:.1f} km away; expected "
                f"one within {max_km:g} km (raise --max-attach-km or widen the extract)",
                field="attach",
            )
        if station in chosen:
            raise InputError(
                f"places {chosen[station]!r} and {place!r} both match OSM station "
                f"{station_id!r}; expected one station per place",
                field="attach",
            )
        chosen[station] = place
        rows.append(
            {
                "place": place,
                "name": dataset.nodes["name"].iat[i],
                "osm_node": station_id,
                "osm_name": nodes["name"].iat[station],
                "distance_km": round(km, 3),
                "status": "matched",
            }
        )
    for i in np.flatnonzero(~inside).tolist():
        rows.append(
            {
                "place": dataset.nodes["id"].iat[i],
                "name": dataset.nodes["name"].iat[i],
                "osm_node": None,
                "osm_name": None,
                "distance_km": None,
                "status": "outside the extract",
            }
        )
    matches = pd.DataFrame(
        rows, columns=["place", "name", "osm_node", "osm_name", "distance_km", "status"]
    )
    return AttachResult(_joined(osm, dataset, chosen), matches)


def _joined(osm: Network, dataset: Network, chosen: dict[int, str]) -> Network:
    nodes = osm.nodes.copy()
    by_id = dataset.nodes.set_index("id")
    rename: dict[str, str] = {}
    for station, place in chosen.items():
        old = str(nodes.at[station, "id"])
        rename[old] = place
        for column in _CARRIED:
            value: Any = place if column == "id" else by_id.at[place, column]
            nodes.at[station, column] = value
        nodes.at[station, "note"] = f"matched to OSM node {old}"
    links = osm.links.copy()
    for column in ("from_node", "to_node"):
        links[column] = links[column].replace(rename)
    for mode, profile in _mode_profiles(dataset).items():
        rows = (links["mode"] == mode).to_numpy()
        for column in _OPS:
            links.loc[rows, column] = profile[column]
    sources = pd.concat(
        [osm.sources, dataset.sources[~dataset.sources["id"].isin(osm.sources["id"])]],
        ignore_index=True,
    )
    net = Network.from_frames(nodes, links, sources, name=f"{osm.name}+{dataset.name}")
    net.parameters.update(dataset.parameters)
    return net


def _mode_profiles(dataset: Network) -> dict[str, dict[str, Any]]:
    """The most common operating figures of each mode's links in the dataset."""
    links = dataset.links[dataset.links["ops_source_id"].notna()]
    out: dict[str, dict[str, Any]] = {}
    for mode, group in links.groupby("mode"):
        top = group["ops_source_id"].value_counts().index[0]
        row = group[group["ops_source_id"] == top].iloc[0]
        out[str(mode)] = {c: row[c] for c in _OPS}
    return out
