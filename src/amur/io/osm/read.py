"""One streaming pass over an OSM file: the railway, ferry and road ways amur keeps, with
their node coordinates, and the stations, border controls and ferry terminals.

pyosmium reads the file in C++ threads and keeps node locations in its own compact index
(not Python objects); Python sees only the tagged ways and nodes that pass a key filter, and
stores them in flat arrays, so memory grows with the kept network, not with the extract.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from amur.errors import InputError
from amur.network.schema import RAIL_GAUGES

__all__ = ["OSM_MODES", "RawOsm", "ReadOptions", "read_osm"]

#: Kinds of OSM ways the importer can keep (``--modes``): railways, ferry routes, main roads.
OSM_MODES: tuple[str, ...] = ("rail", "ferry", "road")
#: ``service=*`` values of railway tracks that are not lines (excluded unless asked).
SERVICE_TRACKS = frozenset({"siding", "yard", "spur", "crossover"})
#: ``usage=*`` values of tracks that carry no public freight (excluded unless asked).
NON_LINE_USAGE = frozenset({"industrial", "military", "tourism", "test", "scientific"})
#: ``railway=*`` values of lines out of use (excluded unless asked; then status closed).
DISUSED = frozenset({"disused", "abandoned", "razed"})
#: Main roads (``highway=*``) kept with the road mode.
MAIN_ROADS = frozenset(
    {"motorway", "trunk", "primary", "motorway_link", "trunk_link", "primary_link"}
)
#: Way kinds, stored as small integers.
KIND_RAIL, KIND_FERRY, KIND_ROAD = 0, 1, 2
#: Place kinds of tagged nodes.
PLACE_STATION, PLACE_BORDER, PLACE_PORT = 0, 1, 2


@dataclass(frozen=True)
class ReadOptions:
    """What to keep while reading.

    Parameters
    ----------
    modes : tuple of str
        Any of ``OSM_MODES``.
    include_service : bool
        Keep sidings, yard and spur tracks (``service=*``).
    include_disused : bool
        Keep disused and abandoned lines (imported as closed).
    bbox : tuple of float, optional
        (min_lon, min_lat, max_lon, max_lat), degrees: keep ways with a node inside.
    """

    modes: tuple[str, ...] = ("rail", "ferry")
    include_service: bool = False
    include_disused: bool = False
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class RawOsm:
    """The kept ways and places as flat arrays.

    Attributes
    ----------
    way_ptr : ndarray of int64
        Way ``w`` has the points ``way_ptr[w]:way_ptr[w + 1]``.
    ref : ndarray of int64
        OSM node id of each point.
    lon, lat : ndarray of float64
        Coordinates of each point, degrees WGS 84.
    way_id : ndarray of int64
        OSM id of each way.
    way_kind : ndarray of int8
        ``KIND_RAIL``, ``KIND_FERRY`` or ``KIND_ROAD``.
    way_gauge, way_name, way_usage, way_electrified : list of str
        Tags ("" where absent); gauge is one of amur's gauges or "dual".
    way_maxspeed_kmh, way_duration_h : ndarray of float64
        ``maxspeed`` and a ferry's ``duration``; NaN where absent or unreadable.
    way_disused : ndarray of bool
        Line out of use.
    place_ref, place_kind : ndarray of int64
        Tagged nodes (stations, border controls, ferry terminals) and their kind.
    place_lon, place_lat : ndarray of float64
    place_name : list of str
    n_ways_read : int
        Ways seen (every way of the file that passed the key filter).
    skipped_gauge : dict of str to int
        Railway ways left out because their gauge is not one amur models, by gauge tag.
    date : str
        Date of the extract (its replication timestamp, else the newest way), ISO 8601.
    """

    way_ptr: npt.NDArray[np.int64]
    ref: npt.NDArray[np.int64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    way_id: npt.NDArray[np.int64]
    way_kind: npt.NDArray[np.int8]
    way_gauge: list[str]
    way_name: list[str]
    way_usage: list[str]
    way_electrified: list[str]
    way_maxspeed_kmh: npt.NDArray[np.float64]
    way_duration_h: npt.NDArray[np.float64]
    way_disused: npt.NDArray[np.bool_]
    place_ref: npt.NDArray[np.int64]
    place_kind: npt.NDArray[np.int64]
    place_lon: npt.NDArray[np.float64]
    place_lat: npt.NDArray[np.float64]
    place_name: list[str]
    n_ways_read: int = 0
    skipped_gauge: dict[str, int] = field(default_factory=dict)
    date: str = ""

    @property
    def n_ways(self) -> int:
        """Number of ways kept."""
        return len(self.way_id)


_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh)?\s*$")


def parse_maxspeed(value: str) -> float:
    """km/h of an OSM ``maxspeed`` value ("120", "80 mph"); NaN if it is not a number."""
    m = _NUMBER.match(value or "")
    if not m:
        return math.nan
    speed = float(m.group(1))
    return speed * 1.609344 if m.group(2) == "mph" else speed


def parse_duration(value: str) -> float:
    """Hours of an OSM ``duration`` value ("HH:MM", "HH:MM:SS", "MM", or ISO "PT2H30M");
    NaN if it cannot be read.
    """
    v = (value or "").strip()
    if not v:
        return math.nan
    iso = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", v)
    if iso:
        return int(iso.group(1) or 0) + int(iso.group(2) or 0) / 60.0
    parts = v.split(":")
    if not all(p.strip().isdigit() for p in parts) or len(parts) > 3:
        return math.nan
    numbers = [int(p) for p in parts]
    if len(numbers) == 1:
        return numbers[0] / 60.0
    return numbers[0] + numbers[1] / 60.0 + (numbers[2] / 3600.0 if len(numbers) == 3 else 0)


def parse_gauge(value: str) -> str | None:
    """Amur's gauge for an OSM ``gauge`` tag: "1435", "1520", "dual" (1435 and 1520), ...;
    "" when absent; None for a gauge amur does not model (750 mm).
    """
    parts = sorted({p.strip() for p in (value or "").split(";") if p.strip()})
    if not parts:
        return ""
    if parts == ["1435", "1520"]:
        return "dual"
    if len(parts) == 1 and parts[0] in RAIL_GAUGES:
        return parts[0]
    if len(parts) == 1 and parts[0] == "1524":  # Finnish 1524 mm runs 1520 mm stock
        return "1520"
    return None


def _open(path: Path, keys: tuple[str, ...]) -> object:
    import osmium

    return (
        osmium.FileProcessor(str(path)).with_locations().with_filter(osmium.filter.KeyFilter(*keys))
    )


def read_osm(path: str | Path, options: ReadOptions | None = None) -> RawOsm:
    """Read the ways and places amur keeps from an OSM file (PBF, XML, O5M).

    Parameters
    ----------
    path : path
        The OSM file.
    options : ReadOptions, optional
        What to keep.

    Returns
    -------
    RawOsm

    Raises
    ------
    InputError
        If the file is missing, not an OSM file, or truncated.
    """
    import osmium

    options = options or ReadOptions()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file; expected an OSM file (.osm.pbf)", field="file")
    keys = ["railway", "route", "barrier", "amenity"]
    if "road" in options.modes:
        keys.append("highway")
    try:
        processor = _open(path, tuple(keys))
        header_date = str(
            processor.header.get("osmosis_replication_timestamp", "")  # type: ignore[attr-defined]
            or ""
        )
        raw = _collect(processor, options)
    except RuntimeError as exc:
        raise InputError(
            f"{path}: not a readable OSM file ({exc}); expected an OpenStreetMap "
            "extract in PBF, XML or O5M format, complete",
            field="file",
        ) from None
    except osmium.InvalidLocationError as exc:  # pragma: no cover - guarded by valid()
        raise InputError(
            f"{path}: a way has a node without location ({exc})", field="file"
        ) from None
    raw.date = header_date[:10] if header_date else raw.date
    return raw


class _Collector:
    """Flat buffers filled while streaming."""

    def __init__(self) -> None:
        self.ptr = array("q", [0])
        self.ref = array("q")
        self.lon = array("d")
        self.lat = array("d")
        self.way_id = array("q")
        self.kind = array("b")
        self.gauge: list[str] = []
        self.name: list[str] = []
        self.usage: list[str] = []
        self.electrified: list[str] = []
        self.maxspeed = array("d")
        self.duration = array("d")
        self.disused = array("b")
        self.p_ref = array("q")
        self.p_kind = array("q")
        self.p_lon = array("d")
        self.p_lat = array("d")
        self.p_name: list[str] = []
        self.seen = 0
        self.newest = 0.0
        self.skipped: dict[str, int] = {}


def _way_kind(tags: object, options: ReadOptions, c: _Collector) -> tuple[int, bool, str] | None:
    """Kind, disused flag and gauge of a way, or None if the importer leaves it out."""
    get = tags.get  # type: ignore[attr-defined]
    railway = get("railway")
    if railway is not None and "rail" in options.modes:
        disused = railway in DISUSED
        if railway != "rail" and not (disused and options.include_disused):
            return None
        if not options.include_service and (
            get("service") in SERVICE_TRACKS or get("usage") in NON_LINE_USAGE
        ):
            return None
        gauge = parse_gauge(get("gauge", ""))
        if gauge is None:
            tag = get("gauge", "")
            c.skipped[tag] = c.skipped.get(tag, 0) + 1
            return None
        return KIND_RAIL, disused, gauge
    if get("route") == "ferry" and "ferry" in options.modes:
        return KIND_FERRY, False, ""
    if get("highway") in MAIN_ROADS and "road" in options.modes:
        return KIND_ROAD, False, ""
    return None


def _node_place(tags: object) -> int | None:
    get = tags.get  # type: ignore[attr-defined]
    if get("railway") == "station":
        return PLACE_STATION
    if get("barrier") == "border_control" or get("railway") == "border_control":
        return PLACE_BORDER
    if get("amenity") == "ferry_terminal":
        return PLACE_PORT
    return None


def _collect(processor: object, options: ReadOptions) -> RawOsm:
    c = _Collector()
    bbox = options.bbox
    for obj in processor:  # type: ignore[attr-defined]
        if obj.is_way():
            c.seen += 1
            found = _way_kind(obj.tags, options, c)
            if found is None:
                continue
            _add_way(c, obj, found, bbox)
        elif obj.is_node():
            kind = _node_place(obj.tags)
            if kind is None or not obj.location.valid():
                continue
            c.p_ref.append(obj.id)
            c.p_kind.append(kind)
            c.p_lon.append(obj.location.lon)
            c.p_lat.append(obj.location.lat)
            c.p_name.append(obj.tags.get("name:en") or obj.tags.get("name") or "")
    return RawOsm(
        way_ptr=np.frombuffer(c.ptr, np.int64).copy(),
        ref=np.frombuffer(c.ref, np.int64).copy(),
        lon=np.frombuffer(c.lon, np.float64).copy(),
        lat=np.frombuffer(c.lat, np.float64).copy(),
        way_id=np.frombuffer(c.way_id, np.int64).copy(),
        way_kind=np.frombuffer(c.kind, np.int8).copy(),
        way_gauge=c.gauge,
        way_name=c.name,
        way_usage=c.usage,
        way_electrified=c.electrified,
        way_maxspeed_kmh=np.frombuffer(c.maxspeed, np.float64).copy(),
        way_duration_h=np.frombuffer(c.duration, np.float64).copy(),
        way_disused=np.frombuffer(c.disused, np.int8).astype(bool),
        place_ref=np.frombuffer(c.p_ref, np.int64).copy(),
        place_kind=np.frombuffer(c.p_kind, np.int64).copy(),
        place_lon=np.frombuffer(c.p_lon, np.float64).copy(),
        place_lat=np.frombuffer(c.p_lat, np.float64).copy(),
        place_name=c.p_name,
        n_ways_read=c.seen,
        skipped_gauge=c.skipped,
        date=(datetime.fromtimestamp(c.newest, UTC).date().isoformat() if c.newest > 0 else ""),
    )


def _add_way(
    c: _Collector,
    way: object,
    found: tuple[int, bool, str],
    bbox: tuple[float, float, float, float] | None,
) -> None:
    refs: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    for n in way.nodes:  # type: ignore[attr-defined]
        loc = n.location
        if not loc.valid():  # a node outside the extract: the way is cut there
            continue
        refs.append(n.ref)
        lons.append(loc.lon)
        lats.append(loc.lat)
    if len(refs) < 2:
        return
    if bbox is not None and not any(
        bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3] for x, y in zip(lons, lats, strict=True)
    ):
        return
    kind, disused, gauge = found
    tags = way.tags  # type: ignore[attr-defined]
    c.ref.extend(refs)
    c.lon.extend(lons)
    c.lat.extend(lats)
    c.ptr.append(len(c.ref))
    c.way_id.append(way.id)  # type: ignore[attr-defined]
    c.kind.append(kind)
    c.gauge.append(gauge)
    c.name.append(tags.get("name:en") or tags.get("name") or "")
    c.usage.append(tags.get("usage", ""))
    c.electrified.append(tags.get("electrified", ""))
    c.maxspeed.append(parse_maxspeed(tags.get("maxspeed", "")))
    c.duration.append(parse_duration(tags.get("duration", "")))
    c.disused.append(1 if disused else 0)
    stamp = way.timestamp  # type: ignore[attr-defined]
    if stamp is not None:
        c.newest = max(c.newest, stamp.timestamp())
