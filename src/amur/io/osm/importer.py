"""``import_osm``: read an extract, build the network, optionally attach a dataset, write it."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from amur.errors import InputError
from amur.io.countries import load_countries
from amur.io.osm.attach import AttachResult, attach
from amur.io.osm.build import BuildOptions, build_tables, osm_sources
from amur.io.osm.read import OSM_MODES, ReadOptions, read_osm
from amur.network import Network

__all__ = ["OsmImport", "import_osm", "parse_bbox"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class OsmImport:
    """What an import built and how.

    Attributes
    ----------
    network : Network
        The routable network (sources ``osm``, ``osm_speed``, ``natural_earth_110m``).
    date : str
        Date of the extract.
    n_ways_read, n_ways_kept, n_segments : int
        Tagged ways seen, ways kept, segments between split points before contraction.
    skipped_gauge : dict of str to int
        Railway ways left out for a gauge amur does not model.
    seconds : float
        Wall time of the import, s.
    attached : AttachResult or None
        The matches of a dataset's places, when one was attached.
    path : pathlib.Path or None
        Folder written.
    """

    network: Network
    date: str
    n_ways_read: int
    n_ways_kept: int
    n_segments: int
    skipped_gauge: dict[str, int]
    seconds: float
    attached: AttachResult | None = None
    path: Path | None = None


def parse_bbox(text: str | Sequence[float]) -> tuple[float, float, float, float]:
    """``"min_lon,min_lat,max_lon,max_lat"`` (degrees) as four floats.

    Raises
    ------
    InputError
        If it is not four numbers with min below max inside the world.
    """
    parts = text.split(",") if isinstance(text, str) else list(text)
    try:
        values = [float(p) for p in parts]
    except (TypeError, ValueError):
        values = []
    if len(values) != 4:
        raise InputError(
            f"bbox {text!r}: expected four numbers min_lon,min_lat,max_lon,max_lat in degrees",
            field="bbox",
        )
    x0, y0, x1, y1 = values
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise InputError(
            f"bbox {text!r}: expected -180 <= min_lon < max_lon <= 180 and "
            "-90 <= min_lat < max_lat <= 90",
            field="bbox",
        )
    return x0, y0, x1, y1


def _check_modes(modes: Sequence[str]) -> tuple[str, ...]:
    out = tuple(m.strip() for m in modes if m.strip())
    bad = [m for m in out if m not in OSM_MODES]
    if bad or not out:
        raise InputError(
            f"modes {', '.join(modes)!r}: expected some of {', '.join(OSM_MODES)}", field="modes"
        )
    return out


def import_osm(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    modes: Sequence[str] = ("rail", "ferry"),
    bbox: str | Sequence[float] | None = None,
    countries: Sequence[str] | None = None,
    simplify_tolerance_m: float = 0.0,
    include_service: bool = False,
    include_disused: bool = False,
    attach_to: Network | None = None,
    max_attach_km: float = 10.0,
    name: str | None = None,
) -> OsmImport:
    """Build a routable network from an OpenStreetMap extract.

    Parameters
    ----------
    path : path
        The extract (``.osm.pbf``; XML and O5M work too).
    out : path, optional
        Folder to write (``nodes.csv``, ``links.csv``, ``sources.csv``); nothing is written
        when absent, and nothing half-written on an error.
    modes : sequence of str
        Any of ``rail``, ``ferry``, ``road`` (motorway, trunk and primary).
    bbox : str or four floats, optional
        ``min_lon,min_lat,max_lon,max_lat`` in degrees: keep ways with a node inside.
    countries : sequence of str, optional
        ISO 3166-1 alpha-2 codes: keep ways with a point in one of them.
    simplify_tolerance_m : float
        Tolerance for the written geometry, metres (0 keeps every point); lengths always
        come from the full geometry.
    include_service, include_disused : bool
        Keep sidings, yard, spur and industrial tracks; keep disused lines (as closed).
    attach_to : Network, optional
        A dataset whose places are matched to the nearest OSM stations and whose figures
        carry over (:func:`amur.io.osm.attach`).
    max_attach_km : float
        Largest distance allowed between a dataset place and its station, km.
    name : str, optional
        Network name (the file's stem by default).

    Returns
    -------
    OsmImport

    Raises
    ------
    InputError
        On a missing, unreadable or truncated file; an unknown mode or country code; a bad
        bbox; no railway (or ferry or road) left after the filters; a dataset place too far
        from any station.
    """
    started = time.perf_counter()
    source = Path(path)
    mode_list = _check_modes(modes)
    box = parse_bbox(bbox) if bbox is not None else None
    codes = tuple(load_countries().check_codes(list(countries))) if countries else None
    if simplify_tolerance_m < 0:
        raise InputError(
            f"simplify tolerance must be 0 or more metres, not {simplify_tolerance_m:g}",
            field="simplify_tolerance",
        )
    raw = read_osm(source, ReadOptions(mode_list, include_service, include_disused, box))
    where = []
    if box is not None:
        where.append(f"bbox {','.join(f'{v:g}' for v in box)}")
    if raw.n_ways == 0:
        what = " or ".join("railway" if m == "rail" else m for m in mode_list)
        raise InputError(
            f"{source}: no {what} in the extract"
            + (f" inside {where[0]}" if where else "")
            + f" ({raw.n_ways_read} tagged ways read)",
            field="bbox" if where else "file",
        )
    tables = build_tables(
        raw, BuildOptions(countries=codes, simplify_tolerance_m=simplify_tolerance_m)
    )
    file_name = source.name
    net_name = name or file_name.split(".")[0]
    network = Network.from_frames(
        tables.nodes,
        tables.links,
        osm_sources(raw.date, file_name),
        name=net_name,
        origin=str(source),
    )
    attached = None
    if attach_to is not None:
        attached = attach(network, attach_to, max_km=max_attach_km)
        network = attached.network
    written = None
    if out is not None:
        from amur.io.csv import write_network

        written = write_network(network, out)
        if attached is not None:
            from amur.io.atomic import write_text

            write_text(written / "attach_matches.csv", attached.matches.to_csv(index=False))
    seconds = time.perf_counter() - started
    log.info(
        "imported %s: %d ways -> %d links in %.1f s",
        source,
        raw.n_ways,
        len(network.links),
        seconds,
    )
    return OsmImport(
        network,
        raw.date,
        raw.n_ways_read,
        raw.n_ways,
        tables.n_segments,
        dict(raw.skipped_gauge),
        seconds,
        attached,
        written,
    )


def summary(result: OsmImport) -> pd.DataFrame:
    """One-row table of an import's counts, for the command line."""
    net = result.network
    return pd.DataFrame(
        [
            {
                "ways_read": result.n_ways_read,
                "ways_kept": result.n_ways_kept,
                "segments": result.n_segments,
                "links": len(net.links),
                "places": len(net.nodes),
                "length_km": round(float(net.links["length_km"].sum()), 1),
                "extract_date": result.date,
                "seconds": round(result.seconds, 2),
            }
        ]
    )
