"""Link flows of an assignment on a network, written as Parquet and GeoPackage."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from amur.network import Network

__all__ = ["write_link_flows"]


def write_link_flows(net: Network, links: Any, out_dir: Path) -> list[Path]:
    """Write link flows to ``link_flows.parquet`` and ``link_flows.gpkg`` in a folder.

    Each file is written beside its target and then moved into place, so a failed write
    leaves any previous file intact.

    Parameters
    ----------
    net : Network
        The network the flows were assigned on (for the links' geometry).
    links : pandas.DataFrame
        One row per link and direction, with a ``link`` column of link ids.
    out_dir : Path
        The folder; created if missing.

    Returns
    -------
    list of Path
        The files written.
    """
    import geopandas as gpd
    import pyogrio

    from amur.io.geo import CRS, link_geometries

    out_dir.mkdir(parents=True, exist_ok=True)
    geometry = dict(zip(net.links["id"], link_geometries(net), strict=True))
    written = []
    for name, write in (
        ("link_flows.parquet", lambda p: links.to_parquet(p, index=False)),
        ("link_flows.gpkg", lambda p: pyogrio.write_dataframe(
            gpd.GeoDataFrame(links, geometry=[geometry[i] for i in links["link"]], crs=CRS),
            p, layer="link_flows", driver="GPKG")),
    ):
        target = out_dir / name
        handle, tmp = tempfile.mkstemp(suffix=target.suffix, dir=out_dir, prefix=".amur-")
        os.close(handle)
        os.unlink(tmp)
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(target)
    return written
