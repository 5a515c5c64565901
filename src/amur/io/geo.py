"""A network as GeoPackage (layers nodes, links, services, sources) or GeoJSON, for QGIS and
web maps.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from amur.errors import InputError
from amur.io.atomic import atomic_path, write_text
from amur.network import Network

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

CRS = "EPSG:4326"
_SUFFIXES = (".gpkg", ".geojson", ".json")


def link_geometries(net: Network) -> list[Any]:
    """Line geometry of every link: its ``geometry_wkt``, or a straight line between its ends.

    Returns
    -------
    list of shapely.LineString
        One per row of ``net.links``, in degrees WGS 84.
    """
    import shapely

    lon = dict(zip(net.nodes["id"], net.nodes["lon"], strict=True))
    lat = dict(zip(net.nodes["id"], net.nodes["lat"], strict=True))
    out = []
    for a, b, wkt in zip(
        net.links["from_node"], net.links["to_node"], net.links["geometry_wkt"], strict=True
    ):
        if isinstance(wkt, str) and wkt.strip():
            out.append(shapely.from_wkt(wkt))
        else:
            out.append(shapely.LineString([(lon[a], lat[a]), (lon[b], lat[b])]))
    return out


def service_geometries(net: Network) -> list[Any]:
    """Line geometry of every service: straight lines through its calls, in order.

    Returns
    -------
    list of shapely.LineString
        One per row of ``net.services``, in degrees WGS 84.
    """
    import shapely

    from amur.network.services import service_calls

    lon = dict(zip(net.nodes["id"], net.nodes["lon"], strict=True))
    lat = dict(zip(net.nodes["id"], net.nodes["lat"], strict=True))
    return [
        shapely.LineString([(lon[c], lat[c]) for c in service_calls(calls)])
        for calls in net.services["calls"]
    ]


def to_geodataframes(net: Network) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The nodes as points and the links as lines, in EPSG:4326."""
    import geopandas as gpd

    nodes = gpd.GeoDataFrame(
        net.nodes.copy(),
        geometry=gpd.points_from_xy(net.nodes["lon"], net.nodes["lat"]),
        crs=CRS,
    )
    links = gpd.GeoDataFrame(
        net.links.drop(columns=["geometry_wkt"]).copy(), geometry=link_geometries(net), crs=CRS
    )
    return nodes, links


def write_geo(net: Network, path: str | os.PathLike[str]) -> Path:
    """Write a network to a GeoPackage (``.gpkg``) or a GeoJSON file (``.geojson``).

    A GeoPackage holds the layers ``nodes`` (points), ``links`` (lines), ``services`` (lines
    through their calls, when the network has services) and ``sources`` (a table). A GeoJSON
    file holds one FeatureCollection of nodes and links, told apart by the property
    ``feature_type``; its sources go to ``<name>.sources.csv`` and its services to
    ``<name>.services.csv`` beside it. The
    file is written beside the target and moved into place, so a failure leaves no
    half-written file.

    Raises
    ------
    InputError
        If the suffix is neither ``.gpkg`` nor ``.geojson``.
    OutputError
        If the file cannot be written (the previous one is kept).
    """
    import pyogrio

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(
            f"{target}: unknown format {suffix!r}; expected .gpkg or .geojson", field="path"
        )
    nodes, links = to_geodataframes(net)
    with atomic_path(target, field="path") as tmp:
        if suffix == ".gpkg":
            pyogrio.write_dataframe(nodes, tmp, layer="nodes", driver="GPKG")
            pyogrio.write_dataframe(links, tmp, layer="links", driver="GPKG", append=True)
            if len(net.services):
                import geopandas as gpd

                services = gpd.GeoDataFrame(
                    net.services.copy(), geometry=service_geometries(net), crs=CRS
                )
                pyogrio.write_dataframe(services, tmp, layer="services", driver="GPKG", append=True)
            pyogrio.write_dataframe(
                net.sources.copy(), tmp, layer="sources", driver="GPKG", append=True
            )
        else:
            both = pd.concat(
                [nodes.assign(feature_type="node"), links.assign(feature_type="link")],
                ignore_index=True,
            )
            pyogrio.write_dataframe(both, tmp, driver="GeoJSON")
    if suffix != ".gpkg":
        write_text(
            target.with_suffix(".sources.csv"), net.sources.to_csv(index=False), field="path"
        )
        if len(net.services):
            write_text(
                target.with_suffix(".services.csv"), net.services.to_csv(index=False), field="path"
            )
    return target


def read_geo(path: str | os.PathLike[str], name: str | None = None) -> Network:
    """Read a network written by :func:`write_geo` (or drawn in QGIS with the same columns).

    Node coordinates come from the point geometry where ``lat``/``lon`` are missing; link
    geometries are kept as ``geometry_wkt``.

    Raises
    ------
    InputError
        If the file is missing, is not readable as GeoPackage/GeoJSON, or lacks a layer.
    """
    import pyogrio

    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: no such file", field="path")
    try:
        if source.suffix.lower() == ".gpkg":
            layers = {row[0] for row in pyogrio.list_layers(source)}
            for layer in ("nodes", "links"):
                if layer not in layers:
                    raise InputError(
                        f"{source}: no layer {layer!r}; expected layers nodes, links (and sources)",
                        field="layer",
                    )
            nodes = pyogrio.read_dataframe(source, layer="nodes")
            links = pyogrio.read_dataframe(source, layer="links")
            sources = (
                pyogrio.read_dataframe(source, layer="sources", read_geometry=False)
                if "sources" in layers
                else None
            )
            services = (
                pyogrio.read_dataframe(source, layer="services", read_geometry=False)
                if "services" in layers
                else None
            )
        else:
            both = pyogrio.read_dataframe(source)
            if "feature_type" not in both.columns:
                raise InputError(
                    f"{source}: no 'feature_type' property; expected features "
                    "marked 'node' or 'link'",
                    field="feature_type",
                )
            nodes = both[both["feature_type"] == "node"].dropna(axis=1, how="all")
            links = both[both["feature_type"] == "link"].dropna(axis=1, how="all")
            side = source.with_suffix(".sources.csv")
            sources = pd.read_csv(side, dtype=str) if side.is_file() else None
            side = source.with_suffix(".services.csv")
            services = pd.read_csv(side, dtype=str) if side.is_file() else None
    except InputError:
        raise
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise InputError(f"{source}: cannot be read as a network ({exc})", field="path") from None
    nodes = pd.DataFrame(nodes)
    links = pd.DataFrame(links)
    if "lat" not in nodes.columns or nodes["lat"].isna().any():
        nodes["lat"] = [g.y for g in nodes.geometry]
        nodes["lon"] = [g.x for g in nodes.geometry]
    links["geometry_wkt"] = [g.wkt if g is not None else None for g in links.geometry]
    nodes = nodes.drop(columns=["geometry", "feature_type"], errors="ignore")
    links = links.drop(columns=["geometry", "feature_type"], errors="ignore")
    if services is not None:
        services = pd.DataFrame(services).drop(columns=["geometry"], errors="ignore")
    return Network.from_frames(
        nodes, links, sources, name=name or source.stem, origin=str(source), services=services
    )
