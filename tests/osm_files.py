"""Small OSM files written in code with pyosmium, for the importer's tests.

The corridor file, around Manzhouli (the 1:110m outlines put the China-Russia border between
49.5 and 49.7 degrees north on 117.4 east):

- station Alpha (CN) -> three 1435 mm ways through untagged nodes (a degree-2 chain) ->
  gauge break node 20;
- node 20 -> 1520 mm way north across the border -> station Bravo (RU) -> port node 40;
- ferry (duration 2:30) from node 40 to port node 50;
- a disused branch from node 12 to node 60, a siding from node 13 to node 61;
- a main road (trunk) from Alpha to node 70.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

#: node id -> (lon, lat, tags)
NODES: dict[int, tuple[float, float, dict[str, str]]] = {
    1: (117.00, 48.80, {"railway": "station", "name": "Alpha"}),
    10: (117.03, 48.86, {}),
    11: (117.06, 48.93, {}),
    12: (117.10, 49.00, {}),
    13: (117.13, 49.06, {}),
    14: (117.16, 49.12, {}),
    20: (117.20, 49.20, {}),
    21: (117.30, 49.35, {}),
    22: (117.40, 49.50, {}),
    23: (117.42, 49.60, {}),
    24: (117.45, 49.70, {}),
    25: (117.48, 50.00, {}),
    30: (117.50, 50.30, {"railway": "station", "name": "Bravo"}),
    31: (117.55, 50.40, {}),
    40: (117.60, 50.50, {"amenity": "ferry_terminal", "name": "Port One"}),
    41: (117.80, 50.70, {}),
    50: (118.00, 50.90, {"amenity": "ferry_terminal", "name": "Port Two"}),
    60: (117.30, 48.95, {}),
    61: (117.14, 49.02, {}),
    70: (116.70, 48.60, {}),
    71: (116.85, 48.70, {}),
}

#: way id -> (node ids, tags)
WAYS: dict[int, tuple[list[int], dict[str, str]]] = {
    100: (
        [1, 10, 11],
        {
            "railway": "rail",
            "gauge": "1435",
            "usage": "main",
            "maxspeed": "120",
            "name": "Alpha line",
        },
    ),
    101: ([11, 12, 13], {"railway": "rail", "gauge": "1435", "usage": "main", "maxspeed": "120"}),
    102: (
        [13, 14, 20],
        {
            "railway": "rail",
            "gauge": "1435",
            "usage": "main",
            "maxspeed": "120",
            "electrified": "contact_line",
        },
    ),
    110: ([20, 21, 22, 23, 24, 25, 30], {"railway": "rail", "gauge": "1520", "usage": "main"}),
    111: ([30, 31, 40], {"railway": "rail", "gauge": "1520", "usage": "branch", "maxspeed": "40"}),
    120: ([40, 41, 50], {"route": "ferry", "duration": "02:30", "name": "Lake ferry"}),
    130: ([12, 60], {"railway": "disused", "gauge": "1435"}),
    131: ([13, 61], {"railway": "rail", "gauge": "1435", "service": "siding"}),
    140: ([1, 71, 70], {"highway": "trunk", "name": "Road 301"}),
}


def write_osm(
    path: Path,
    nodes: dict[int, tuple[float, float, dict[str, str]]] | None = None,
    ways: dict[int, tuple[list[int], dict[str, str]]] | None = None,
    date: str = "2026-11-30T00:00:00Z",
) -> Path:
    """Write nodes and ways (the corridor file by default) as an OSM file; the suffix picks
    the format (.osm.pbf, .osm)."""
    import osmium
    from osmium.osm.mutable import Node, Way

    nodes = NODES if nodes is None else nodes
    ways = WAYS if ways is None else ways
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", date)
    writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
    try:
        for nid in sorted(nodes):
            lon, lat, tags = nodes[nid]
            writer.add_node(Node(id=nid, location=(lon, lat), tags=tags))
        for wid in sorted(ways):
            refs, tags = ways[wid]
            writer.add_way(Way(id=wid, nodes=refs, tags=tags))
    finally:
        writer.close()
    return path


def geodesic_km(points: Iterable[tuple[float, float]]) -> float:
    """Length of a polyline of (lon, lat) points on the WGS 84 ellipsoid, km."""
    from pyproj import Geod

    pts = np.asarray(list(points), dtype=float)
    return float(Geod(ellps="WGS84").line_length(pts[:, 0], pts[:, 1])) / 1000.0
