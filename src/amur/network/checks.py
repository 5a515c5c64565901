"""Checks of a whole network's tables: ranges, months, unique names, geometry, references
between tables; each failure one :class:`~amur.errors.InputError` naming the table, row,
column and what was expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.network.validate import (
    parse_months,
)

_WHAT = {"id": "id", "name": "name", "aliases": "alias"}


def _check_names(nodes: pd.DataFrame, where: str) -> None:
    """Every id, name and alias finds one place: refuse a name or alias that two places
    share (it would find the first only) or that is another place's id or name.
    """
    owner: dict[str, tuple[str, str]] = {}
    for row, (node_id, name, aliases) in enumerate(
        zip(nodes["id"], nodes["name"], nodes["aliases"], strict=True)
    ):
        keys = [("id", node_id), ("id", node_id.replace("_", " ")), ("name", name)]
        if isinstance(aliases, str):
            keys += [("aliases", a) for a in aliases.split("|") if a.strip()]
        for column, key in keys:
            folded = str(key).strip().casefold()
            first = owner.setdefault(folded, (node_id, column))
            if first[0] != node_id:
                raise InputError(
                    f"{where}, row {row + 1} (id {node_id!r}), column {column!r}: "
                    f"{str(key).strip()!r} is already the {_WHAT[first[1]]} of "
                    f"{first[0]!r}; expected names and aliases that find one place each",
                    field=column,
                )


def _check_geometry(links: pd.DataFrame, where: str) -> None:
    """Parse every ``geometry_wkt`` now: a LineString of two or more points in degrees."""
    if "geometry_wkt" not in links.columns or links["geometry_wkt"].isna().all():
        return
    import shapely

    for row, (link_id, wkt) in enumerate(zip(links["id"], links["geometry_wkt"], strict=True)):
        if not isinstance(wkt, str) or not wkt.strip():
            continue
        problem = None
        try:
            line = shapely.from_wkt(wkt)
        except shapely.errors.ShapelyError as exc:
            problem = f"not well-known text ({str(exc).splitlines()[0][:80]})"
        else:
            coords = np.asarray(line.coords) if line.geom_type == "LineString" else None
            if coords is None:
                problem = f"a {line.geom_type}; expected a LINESTRING"
            elif len(coords) < 2 or not np.isfinite(coords).all():
                problem = "expected a LINESTRING of two or more finite points"
            elif (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
                problem = "a point outside -180..180 degrees of longitude or -90..90 of latitude"
        if problem is not None:
            raise InputError(
                f"{where}, row {row + 1} (id {link_id!r}), column 'geometry_wkt': {problem}",
                field="geometry_wkt",
            )


def _check_months(frame: pd.DataFrame, column: str, where: str, expected: str) -> None:
    """Every non-empty cell of a months column parses (:func:`parse_months`)."""
    for row, text in enumerate(frame[column].tolist()):
        if isinstance(text, float) and np.isnan(text):
            continue
        try:
            parse_months(text)
        except ValueError as exc:
            raise InputError(
                f"{where}, row {row + 1} (id {frame['id'].iloc[row]!r}), column {column!r}: "
                f"{exc}; expected {expected}",
                field=column,
            ) from None


def _check_range(frame: pd.DataFrame, column: str, limit: float, where: str) -> None:
    values = frame[column].to_numpy(dtype="float64")
    bad = np.abs(values) > limit
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{where}, row {row + 1} (id {frame['id'].iloc[row]!r}), column {column!r}: "
            f"{values[row]:g} is out of range; expected -{limit:g} to {limit:g} degrees",
            field=column,
        )
