"""Country outlines bundled with amur (Natural Earth 1:110m) and the country of a point.

The same file the web map draws (``amur/web/static/countries.geojson``, written by
``tools/build_countries.py``): one feature per country with its name and ISO 3166-1 alpha-2
and alpha-3 codes. At 1:110m a border can be off by some kilometres; points near a border
or on the coast may fall outside every outline, and :func:`country_of` then gives the
nearest country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from amur.errors import InputError

__all__ = ["COUNTRIES_SOURCE", "Countries", "country_of", "load_countries"]

#: Source row for figures derived from the outlines (countries of places, border places).
COUNTRIES_SOURCE: dict[str, str] = {
    "id": "natural_earth_110m",
    "kind": "derived",
    "title": "Natural Earth 1:110m Admin 0 countries (public domain), bundled as "
    "amur/web/static/countries.geojson",
    "url": "https://www.naturalearthdata.com/downloads/110m-cultural-vectors/",
    "date": "",
    "note": "country of each place by point in polygon (nearest outline where a point lies "
    "outside all of them); a border place where a line's points change country",
}


@dataclass(frozen=True, eq=False)
class Countries:
    """Country outlines with their codes.

    Attributes
    ----------
    codes : tuple of str
        ISO 3166-1 alpha-2 code of each outline ("" where Natural Earth has none).
    names : tuple of str
        English names.
    geometries : ndarray of shapely geometries
        Polygons and multipolygons, degrees WGS 84.
    tree : shapely.STRtree
        Spatial index over ``geometries``.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    geometries: npt.NDArray[Any]
    tree: Any

    def check_codes(self, codes: list[str], field: str = "countries") -> list[str]:
        """Return the codes upper-cased, or raise InputError naming the first unknown one."""
        known = {c for c in self.codes if c}
        out = []
        for code in codes:
            c = code.strip().upper()
            if c not in known:
                raise InputError(
                    f"unknown country code {code!r}; expected an ISO 3166-1 "
                    "alpha-2 code such as CN, RU, MN or KZ",
                    field=field,
                )
            out.append(c)
        return out


@lru_cache(maxsize=1)
def load_countries() -> Countries:
    """The bundled country outlines (read once per process)."""
    import shapely

    text = (resources.files("amur") / "web" / "static" / "countries.geojson").read_text(
        encoding="utf-8"
    )
    features = json.loads(text)["features"]
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)
    codes = tuple(str(f["properties"].get("iso_a2") or "") for f in features)
    names = tuple(str(f["properties"].get("name") or "") for f in features)
    return Countries(codes, names, geoms, shapely.STRtree(geoms))


def country_of(
    lon: npt.ArrayLike, lat: npt.ArrayLike, nearest: bool = True
) -> npt.NDArray[np.int64]:
    """Index into :func:`load_countries` of the outline holding each point.

    Parameters
    ----------
    lon, lat : array_like of float
        Points, degrees WGS 84.
    nearest : bool
        For a point outside every outline, the nearest outline (planar distance in
        degrees); otherwise -1.

    Returns
    -------
    ndarray of int64
        One index per point, or -1.
    """
    import shapely

    countries = load_countries()
    points = shapely.points(np.asarray(lon, np.float64), np.asarray(lat, np.float64))
    out = np.full(len(points), -1, np.int64)
    if len(points) == 0:
        return out
    hit_point, hit_geom = countries.tree.query(points, predicate="intersects")
    out[hit_point] = hit_geom
    if nearest:
        missing = np.flatnonzero(out < 0)
        if len(missing):
            which_point, which_geom = countries.tree.query_nearest(
                points[missing], all_matches=False
            )
            out[missing[which_point]] = which_geom
    return out
