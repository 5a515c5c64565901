"""Routable networks from OpenStreetMap: railways, ferries and main roads of an extract.

With an extract downloaded from Geofabrik (not shipped)::

    from amur.io.osm import import_osm
    result = import_osm("mongolia-latest.osm.pbf", countries=("MN",))
    result.network.links[["mode", "gauge", "length_km"]].head()
"""

from amur.io.osm.attach import AttachResult, attach
from amur.io.osm.build import DEFAULT_SPEEDS_KMH, ODBL_ATTRIBUTION, BuildOptions
from amur.io.osm.importer import OsmImport, import_osm, parse_bbox
from amur.io.osm.read import OSM_MODES, ReadOptions, read_osm

__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "ODBL_ATTRIBUTION",
    "OSM_MODES",
    "AttachResult",
    "BuildOptions",
    "OsmImport",
    "ReadOptions",
    "attach",
    "import_osm",
    "parse_bbox",
    "read_osm",
]
