"""Link flows of an assignment on a network, written as Parquet and GeoPackage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from amur.io.atomic import atomic_path, check_target
from amur.network import Network

__all__ = ["flow_geometries", "write_link_flows"]


def flow_geometries(net: Network, links: Any) -> list[Any]:
    """The line of each row of link flows, drawn in the row's direction of travel.

    A row whose ``from`` is the link's ``to_node`` (the reverse direction of a two-way
    link) gets the link's line reversed, so that a map's arrows and a line's first point
    follow the freight.

    Returns
    -------
    list of shapely.LineString
        One per row of ``links``, in degrees WGS 84.
    """
    import shapely

    from amur.io.geo import link_geometries

    geometry = dict(zip(net.links["id"], link_geometries(net), strict=True))
    start = dict(zip(net.links["id"], net.links["from_node"], strict=True))
    out = []
    for link, origin in zip(links["link"], links["from"], strict=True):
        line = geometry[link]
        out.append(line if origin == start[link] else shapely.reverse(line))
    return out


def write_link_flows(net: Network, links: Any, out_dir: Path) -> list[Path]:
    """Write link flows to ``link_flows.parquet`` and ``link_flows.gpkg`` in a folder.

    Each file is written atomically (:mod:`amur.io.atomic`), so a failed write leaves any
    previous file intact and no temporary file behind.

    Parameters
    ----------
    net : Network
        The network the flows were assigned on (for the links' geometry).
    links : pandas.DataFrame
        One row per link and direction, with ``link`` (link id) and ``from`` (node id)
        columns; a row's line runs in its direction (:func:`flow_geometries`).
    out_dir : Path
        The folder; created if missing.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    OutputError
        If a file cannot be written.
    """
    import geopandas as gpd
    import pyogrio

    from amur.io.geo import CRS

    out_dir = Path(out_dir)
    targets = [out_dir / "link_flows.parquet", out_dir / "link_flows.gpkg"]
    for target in targets:
        check_target(target, field="out")
    frame = gpd.GeoDataFrame(links, geometry=flow_geometries(net, links), crs=CRS)
    with atomic_path(targets[0], field="out") as tmp:
        links.to_parquet(tmp, index=False)
    with atomic_path(targets[1], field="out") as tmp:
        pyogrio.write_dataframe(frame, tmp, layer="link_flows", driver="GPKG")
    return targets
