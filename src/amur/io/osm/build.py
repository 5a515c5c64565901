"""From OSM ways to a routable network: split at junctions, places and borders, contract
degree-2 chains into links that keep their full geometry and geodesic length.

All steps are array operations over the points of the kept ways except one walk over the
segments (to chain them), which is linear in their number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.errors import InputError
from amur.io.countries import COUNTRIES_SOURCE, country_of, load_countries
from amur.io.osm.chains import _chains, _cuts, _segments, _vertex_places, _way_keys
from amur.io.osm.read import (
    KIND_FERRY,
    KIND_RAIL,
    KIND_ROAD,
    PLACE_BORDER,
    PLACE_PORT,
    PLACE_STATION,
    RawOsm,
)

__all__ = ["DEFAULT_SPEEDS_KMH", "BuildOptions", "OsmTables", "build_tables", "osm_sources"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Freight running speeds where OSM gives no lower ``maxspeed``, km/h: the operating rules
#: of the built-in northeast-asia dataset (sources rail_speed_rule, sea_feeder_speed_est,
#: road_speed_est there), cited in the ``osm_speed`` source row.
DEFAULT_SPEEDS_KMH: dict[str, float] = {"rail": 44.08, "sea": 27.78, "road": 40.0}
_MODE_OF_KIND = {KIND_RAIL: "rail", KIND_FERRY: "sea", KIND_ROAD: "road"}
#: OpenStreetMap's licence terms, carried into every imported network's sources.
ODBL_ATTRIBUTION = (
    "© OpenStreetMap contributors. Data available under the Open Database "
    "Licence (ODbL) 1.0, https://opendatacommons.org/licenses/odbl/; see "
    "https://www.openstreetmap.org/copyright"
)


@dataclass(frozen=True)
class BuildOptions:
    """How to turn ways into links.

    Parameters
    ----------
    countries : tuple of str, optional
        ISO 3166-1 alpha-2 codes: keep ways with a point in one of them.
    simplify_tolerance_m : float
        Douglas-Peucker tolerance for the written geometry, metres (0 keeps every point);
        lengths always come from the full geometry.
    speeds_kmh : dict of str to float
        Freight speed by mode where OSM gives no lower ``maxspeed``.
    """

    countries: tuple[str, ...] | None = None
    simplify_tolerance_m: float = 0.0
    speeds_kmh: tuple[tuple[str, float], ...] = tuple(DEFAULT_SPEEDS_KMH.items())


@dataclass(frozen=True)
class OsmTables:
    """Node and link tables of an imported network (schema columns), before validation."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    n_segments: int


def osm_sources(date: str, file_name: str) -> pd.DataFrame:
    """The sources rows of an imported network: ``osm`` (with the extract's date and the
    ODbL attribution), ``osm_speed`` and the country outlines.
    """
    speeds = ", ".join(f"{m} {v:g} km/h" for m, v in DEFAULT_SPEEDS_KMH.items())
    rows = [
        {
            "id": "osm",
            "kind": "verified",
            "title": f"OpenStreetMap extract {file_name}",
            "url": "https://www.openstreetmap.org/copyright",
            "date": date,
            "note": f"{ODBL_ATTRIBUTION}. Lines, stations, border controls, ferries and their "
            "tags (gauge, usage, electrified, maxspeed, duration) as in the extract; "
            "lengths are geodesic (WGS 84 ellipsoid) along the full way geometry.",
        },
        {
            "id": "osm_speed",
            "kind": "estimate",
            "title": "Freight speed of imported OSM links",
            "url": "",
            "date": date,
            "note": f"the lower of OSM maxspeed and a freight running speed by mode ({speeds}: "
            "the built-in northeast-asia dataset's rules rail_speed_rule, "
            "sea_feeder_speed_est, road_speed_est); a ferry's OSM duration where given. "
            "No cost or CO2 figures: attach a dataset (--attach) for those.",
        },
        dict(COUNTRIES_SOURCE),
    ]
    return pd.DataFrame(rows)


def _fill_along_ways(values: IntArray, way_of: IntArray, starts: IntArray) -> IntArray:
    """Replace -1 by the previous valid value of the same way, then by the next one."""
    n = len(values)
    idx = np.arange(n)
    is_start = np.zeros(n, bool)
    is_start[starts[:-1][starts[:-1] < n]] = True
    ok = (values >= 0) | is_start
    fwd = np.maximum.accumulate(np.where(ok, idx, 0))
    out = values[fwd]
    is_end = np.zeros(n, bool)
    is_end[starts[1:] - 1] = True
    ok = (out >= 0) | is_end
    rev = idx[::-1]
    back = np.minimum.accumulate(np.where(ok[::-1], rev, n - 1))[::-1]
    return np.where(out >= 0, out, out[back])


def _point_countries(raw: RawOsm, way_of: IntArray) -> IntArray:
    inside = country_of(raw.lon, raw.lat, nearest=False)
    filled = _fill_along_ways(inside, way_of, raw.way_ptr)
    missing = np.flatnonzero(filled < 0)
    if len(missing):
        filled[missing] = country_of(raw.lon[missing], raw.lat[missing], nearest=True)
    return filled


def _keep_ways(raw: RawOsm, keep: npt.NDArray[np.bool_]) -> RawOsm:
    """The same data with only the kept ways."""
    lengths = np.diff(raw.way_ptr)
    point_keep = np.repeat(keep, lengths)
    ptr = np.zeros(int(keep.sum()) + 1, np.int64)
    np.cumsum(lengths[keep], out=ptr[1:])
    rows = np.flatnonzero(keep)
    pick = [raw.way_gauge[i] for i in rows]
    return RawOsm(
        way_ptr=ptr,
        ref=raw.ref[point_keep],
        lon=raw.lon[point_keep],
        lat=raw.lat[point_keep],
        way_id=raw.way_id[keep],
        way_kind=raw.way_kind[keep],
        way_gauge=pick,
        way_name=[raw.way_name[i] for i in rows],
        way_usage=[raw.way_usage[i] for i in rows],
        way_electrified=[raw.way_electrified[i] for i in rows],
        way_maxspeed_kmh=raw.way_maxspeed_kmh[keep],
        way_duration_h=raw.way_duration_h[keep],
        way_disused=raw.way_disused[keep],
        place_ref=raw.place_ref,
        place_kind=raw.place_kind,
        place_lon=raw.place_lon,
        place_lat=raw.place_lat,
        place_name=raw.place_name,
        n_ways_read=raw.n_ways_read,
        skipped_gauge=raw.skipped_gauge,
        date=raw.date,
    )


def geodesic_m(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Geodesic distance between consecutive points on the WGS 84 ellipsoid, metres
    (length n - 1).
    """
    from pyproj import Geod

    if len(lon) < 2:
        return np.zeros(0)
    _, _, dist = Geod(ellps="WGS84").inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    return np.asarray(dist, np.float64)


def build_tables(raw: RawOsm, options: BuildOptions | None = None) -> OsmTables:
    """Nodes and links of the network from the kept ways.

    Raises
    ------
    InputError
        If no way is left (after the country filter).
    """
    options = options or BuildOptions()
    countries = load_countries()
    way_of = np.repeat(np.arange(raw.n_ways), np.diff(raw.way_ptr))
    country = _point_countries(raw, way_of)
    if options.countries:
        wanted = np.isin(
            np.asarray(countries.codes, dtype=object)[country], list(options.countries)
        )
        keep = np.zeros(raw.n_ways, bool)
        keep[np.unique(way_of[wanted])] = True
        if not keep.all():
            point_keep = np.repeat(keep, np.diff(raw.way_ptr))
            raw, country = _keep_ways(raw, keep), country[point_keep]
            way_of = np.repeat(np.arange(raw.n_ways), np.diff(raw.way_ptr))
    if raw.n_ways == 0:
        raise InputError("no way left in the countries asked for", field="countries")
    cut, border = _cuts(raw, way_of, country)
    seg_a, seg_b = _segments(raw, way_of, cut)
    pair = geodesic_m(raw.lon, raw.lat)
    pair[way_of[1:] != way_of[:-1]] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(pair)])
    seg_len_km = (cum[seg_b] - cum[seg_a]) / 1000.0
    seg_way = way_of[seg_a]
    vert_ref, inverse = np.unique(
        np.concatenate([raw.ref[seg_a], raw.ref[seg_b]]), return_inverse=True
    )
    seg_u, seg_v = inverse[: len(seg_a)], inverse[len(seg_a) :]
    speeds = dict(options.speeds_kmh)
    mode = np.array([_MODE_OF_KIND[int(k)] for k in raw.way_kind], dtype=object)
    default = np.array([speeds.get(str(m), np.nan) for m in mode])
    way_speed = np.fmin(default, raw.way_maxspeed_kmh)
    key = _way_keys(raw, way_speed)
    seg_key = key[seg_way]
    border_refs = np.unique(raw.ref[border])
    place = _vertex_places(raw, vert_ref, seg_u, seg_v, seg_way, border_refs)
    chains = _chains(seg_u, seg_v, seg_key, place, len(vert_ref))
    links = _links(
        raw,
        vert_ref,
        chains,
        seg_a,
        seg_b,
        seg_u,
        seg_v,
        seg_len_km,
        seg_way,
        mode,
        way_speed,
        options.simplify_tolerance_m,
    )
    used = np.unique(np.concatenate([links.pop("_u"), links.pop("_v")]))
    nodes = _nodes(
        raw,
        vert_ref,
        used,
        country,
        border_refs,
        seg_u,
        seg_v,
        seg_a,
        seg_b,
        seg_way,
        countries.codes,
    )
    return OsmTables(nodes, pd.DataFrame(links), len(seg_a))


def _links(
    raw: RawOsm,
    vert_ref: IntArray,
    chains: list[list[tuple[int, bool]]],
    seg_a: IntArray,
    seg_b: IntArray,
    seg_u: IntArray,
    seg_v: IntArray,
    seg_len_km: FloatArray,
    seg_way: IntArray,
    mode: npt.NDArray[np.object_],
    way_speed: FloatArray,
    tolerance_m: float,
) -> dict[str, Any]:
    """Link columns, one row per chain, and the chains' end vertices (``_u``, ``_v``)."""
    import shapely

    sizes = np.fromiter((len(c) for c in chains), np.int64, len(chains))
    flat = [x for c in chains for x in c]
    c_seg = np.fromiter((s for s, _ in flat), np.int64, len(flat))
    c_fwd = np.fromiter((f for _, f in flat), bool, len(flat))
    c_id = np.repeat(np.arange(len(chains)), sizes)
    is_first = np.zeros(len(flat), bool)
    is_first[np.concatenate([[0], np.cumsum(sizes)[:-1]])] = True
    start = np.where(c_fwd, seg_a[c_seg], seg_b[c_seg])
    step = np.where(c_fwd, 1, -1)
    count = seg_b[c_seg] - seg_a[c_seg] + 1
    start = np.where(is_first, start, start + step)  # the join point is not repeated
    count = np.where(is_first, count, count - 1)
    offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    points = np.repeat(start, count) + np.repeat(step, count) * offsets
    line_of_point = np.repeat(c_id, count)
    lines = shapely.linestrings(raw.lon[points], raw.lat[points], indices=line_of_point)
    if tolerance_m > 0:
        lines = shapely.simplify(lines, tolerance_m / 111_320.0, preserve_topology=False)
    wkt = shapely.to_wkt(lines, rounding_precision=7, trim=True)
    length = np.bincount(c_id, weights=seg_len_km[c_seg], minlength=len(chains)).astype(np.float64)
    first_seg = c_seg[is_first]
    first_fwd = c_fwd[is_first]
    last = np.cumsum(sizes) - 1
    u = np.where(first_fwd, seg_u[first_seg], seg_v[first_seg])
    v = np.where(c_fwd[last], seg_v[c_seg[last]], seg_u[c_seg[last]])
    u, v, keep = _merge_zero_length(u, v, length, len(vert_ref))
    way = seg_way[first_seg]
    duration = np.bincount(
        c_id, weights=np.nan_to_num(raw.way_duration_h[seg_way[c_seg]]), minlength=len(chains)
    )
    has_duration = ~np.isnan(raw.way_duration_h[way])
    ways_of_chain = np.split(raw.way_id[seg_way[c_seg]], np.cumsum(sizes)[:-1])
    notes = []
    for w, ids in zip(way.tolist(), ways_of_chain, strict=True):
        unique = list(dict.fromkeys(ids.tolist()))
        tags = [
            f"{k} {v}"
            for k, v in (("usage", raw.way_usage[w]), ("electrified", raw.way_electrified[w]))
            if v
        ]
        maxspeed = raw.way_maxspeed_kmh[w]
        if not np.isnan(maxspeed):
            tags.append(f"maxspeed {maxspeed:g} km/h")
        head = (
            "OSM way"
            + ("s " if len(unique) > 1 else " ")
            + ", ".join(str(i) for i in unique[:5])
            + (f" (+{len(unique) - 5} more)" if len(unique) > 5 else "")
        )
        notes.append("; ".join([head, *tags]))
    disused = raw.way_disused[way]
    gauge = np.asarray(raw.way_gauge, dtype=object)[way]
    link_mode = mode[way]
    columns: dict[str, Any] = {
        "id": [f"osm_w{w}_{i}" for i, w in enumerate(raw.way_id[way].tolist())],
        "from_node": [node_id(r) for r in vert_ref[u].tolist()],
        "to_node": [node_id(r) for r in vert_ref[v].tolist()],
        "_u": u,
        "_v": v,
        "mode": link_mode,
        "gauge": [g if m == "rail" else None for g, m in zip(gauge, link_mode, strict=True)],
        "length_km": length,
        "speed_kmh": way_speed[way],
        "time_h": np.where(has_duration, duration, np.nan),
        "status": np.where(disused, "closed", "operating"),
        "bidirectional": np.ones(len(chains), bool),
        "name": [raw.way_name[w] or None for w in way.tolist()],
        "source_id": np.full(len(chains), "osm", dtype=object),
        "ops_source_id": np.full(len(chains), "osm_speed", dtype=object),
        "geometry_wkt": wkt,
        "note": notes,
    }
    if keep.all():
        return columns
    return {
        k: (np.asarray(col, dtype=object) if isinstance(col, list) else col)[keep]
        for k, col in columns.items()
    }


def _merge_zero_length(
    u: IntArray, v: IntArray, length: FloatArray, n_vert: int
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Ends of links of zero length (distinct OSM nodes at one position) merged into one
    place (the lowest vertex of each group); those links, and loops this makes, dropped.
    """
    zero = ~(length > 0)
    if not zero.any():
        return u, v, np.ones(len(u), bool)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pairs = coo_matrix((np.ones(int(zero.sum())), (u[zero], v[zero])), shape=(n_vert, n_vert))
    _, label = connected_components(pairs, directed=False)
    rep = np.full(int(label.max()) + 1, n_vert, np.int64)
    np.minimum.at(rep, label, np.arange(n_vert))
    u2, v2 = rep[label[u]], rep[label[v]]
    return u2, v2, ~zero & (u2 != v2)


def node_id(ref: int) -> str:
    """Amur node id of an OSM node id (snake_case; JOSM's negative ids get an ``n``)."""
    return f"osm_{ref}" if ref >= 0 else f"osm_n{-ref}"


def _nodes(
    raw: RawOsm,
    vert_ref: IntArray,
    used: IntArray,
    country: IntArray,
    border_refs: IntArray,
    seg_u: IntArray,
    seg_v: IntArray,
    seg_a: IntArray,
    seg_b: IntArray,
    seg_way: IntArray,
    codes: tuple[str, ...],
) -> pd.DataFrame:
    """One row per vertex that ends a link."""
    refs = vert_ref[used]
    # coordinates and country from any point of that node
    pos = np.concatenate([seg_a, seg_b])
    ends = np.concatenate([seg_u, seg_v])
    where = np.empty(len(vert_ref), np.int64)
    where[ends] = pos
    at = where[used]
    lon, lat = raw.lon[at], raw.lat[at]
    code = np.asarray(codes, dtype=object)[country[at]]
    place_of = dict(zip(raw.place_ref.tolist(), range(len(raw.place_ref)), strict=True))
    border_pts = set(border_refs.tolist())
    ways = np.concatenate([seg_way, seg_way])
    kinds_at = pd.DataFrame(
        {
            "v": ends,
            "kind": raw.way_kind[ways],
            "gauge": np.asarray(raw.way_gauge, dtype=object)[ways],
        }
    )
    ferry_v = set(kinds_at.loc[kinds_at["kind"] == KIND_FERRY, "v"].tolist())
    rail = kinds_at[kinds_at["kind"] == KIND_RAIL]
    gauges = rail.groupby("v")["gauge"].agg(lambda g: sorted(set(g) - {""}))
    kind, name, gauge_col, source = [], [], [], []
    for v, r in zip(used.tolist(), refs.tolist(), strict=True):
        gs = gauges.get(v, [])
        gauge_col.append(gs[0] if len(gs) == 1 else ("dual" if len(gs) > 1 else None))
        p = place_of.get(r)
        if (p is not None and raw.place_kind[p] == PLACE_BORDER) or r in border_pts:
            kind.append("border_crossing")
        elif (p is not None and raw.place_kind[p] == PLACE_PORT) or v in ferry_v:
            kind.append("seaport")
        elif p is not None and raw.place_kind[p] == PLACE_STATION:
            kind.append("rail_terminal")
        else:
            kind.append("junction")
        label = raw.place_name[p] if p is not None else ""
        if not label:
            what = {
                "border_crossing": "border point",
                "seaport": "ferry terminal",
                "rail_terminal": "station",
            }.get(kind[-1], "junction")
            if len(gs) > 1:
                what = "gauge break"
            label = f"{what} {r}"
        name.append(label)
        source.append("natural_earth_110m" if r in border_pts and p is None else "osm")
    return pd.DataFrame(
        {
            "id": [node_id(r) for r in refs.tolist()],
            "name": name,
            "country": code,
            "lat": lat,
            "lon": lon,
            "kind": kind,
            "gauge": gauge_col,
            "source_id": source,
        }
    )
