"""Checks of a whole network's tables: ranges, months, unique names, geometry, references
between tables; each failure one :class:`~amur.errors.InputError` naming the table, row,
column and what was expected."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.network.schema import (
    Mode,
)
from amur.network.validate import (
    check_identifiers,
    parse_months,
)

if TYPE_CHECKING:
    from amur.network.core import Network


_WHAT = {"id": "id", "name": "name", "aliases": "alias"}


def _check_names(nodes: pd.DataFrame, where: str) -> None:
    """Every id, name and alias finds one place: refuse a name or alias that two places
    share (it would find the first only) or that is another place's id or name."""
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
            raise InputError(f"{where}, row {row + 1} (id {link_id!r}), column 'geometry_wkt': "
                             f"{problem}", field="geometry_wkt")


def validate_network(net: Network, prefix: str = "") -> None:
    """Check the relations between a network's tables.

    Raises
    ------
    InputError
        On a duplicate or non-snake_case node id, a duplicate link id, a link to an unknown
        node, a link from a node to itself, a rail link without gauge or a gauge on a
        non-rail link, a link with neither speed nor fixed time, a latitude or longitude out
        of range, a months field that does not parse, a closing year before the opening
        year, or a source id that is not in the sources table.
    """
    nodes_at, links_at, sources_at = (f"{prefix}{t}.csv" for t in ("nodes", "links", "sources"))
    nodes, links, sources = net.nodes, net.links, net.sources
    check_identifiers(nodes, nodes_at, snake_case=True)
    check_identifiers(links, links_at, snake_case=False)
    check_identifiers(sources, sources_at, snake_case=False)
    _check_range(nodes, "lat", 90.0, nodes_at)
    _check_range(nodes, "lon", 180.0, nodes_at)
    known = set(nodes["id"])
    for column in ("from_node", "to_node"):
        unknown = ~links[column].isin(known).to_numpy()
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            value = links[column].iloc[row]
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}), column {column!r}: "
                f"unknown node {value!r}; expected an id from {nodes_at}{hint}",
                field=column,
            )
    loops = (links["from_node"] == links["to_node"]).to_numpy()
    if loops.any():
        row = int(np.flatnonzero(loops)[0])
        raise InputError(
            f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}): starts and ends at "
            f"{links['from_node'].iloc[row]!r}; expected two different nodes",
            field="to_node",
        )
    is_rail = (links["mode"] == Mode.RAIL.value).to_numpy()
    has_gauge = links["gauge"].notna().to_numpy()
    for mask, problem in (
        (is_rail & ~has_gauge, "a rail link without a gauge; expected 1435, 1520, 1067, "
         "1000 or dual"),
        (~is_rail & has_gauge, "a gauge on a link that is not rail; expected an empty gauge"),
    ):
        if mask.any():
            row = int(np.flatnonzero(mask)[0])
            raise InputError(
                f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}), column 'gauge': "
                f"{problem}",
                field="gauge",
            )
    no_time = (links["speed_kmh"].isna() & links["time_h"].isna()).to_numpy()
    if no_time.any():
        row = int(np.flatnonzero(no_time)[0])
        raise InputError(
            f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}): neither speed_kmh nor "
            "time_h is given; expected one of them",
            field="speed_kmh",
        )
    _check_months(links, "months", links_at, "'all', a range like '5-10' or a list like '1,2,3'")
    _check_names(nodes, nodes_at)
    _check_geometry(links, links_at)
    opened = links["opened"].to_numpy(dtype="float64", na_value=np.nan)
    closed = links["closed"].to_numpy(dtype="float64", na_value=np.nan)
    bad_years = closed < opened
    if bad_years.any():
        row = int(np.flatnonzero(bad_years)[0])
        raise InputError(
            f"{links_at}, row {row + 1} (id {links['id'].iloc[row]!r}), column 'closed': "
            f"{int(closed[row])} is before the opening year {int(opened[row])}",
            field="closed",
        )
    _check_months(nodes, "winter_months", nodes_at, "a range like '12-3' or a list like '1,2'")
    lonely = (nodes["winter_time_h"].notna() & nodes["winter_months"].isna()).to_numpy()
    if lonely.any():
        row = int(np.flatnonzero(lonely)[0])
        raise InputError(
            f"{nodes_at}, row {row + 1} (id {nodes['id'].iloc[row]!r}), column "
            "'winter_time_h': given without winter_months; expected the months it applies in",
            field="winter_months",
        )
    known_sources = set(sources["id"])
    for frame, where, columns in ((nodes, nodes_at, ("source_id", "ops_source_id",
                                                     "winter_source_id")),
                                  (links, links_at, ("source_id", "ops_source_id"))):
        for column in columns:
            values = frame[column]
            bad = (values.notna() & ~values.isin(known_sources)).to_numpy()
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"{where}, row {row + 1} (id {frame['id'].iloc[row]!r}), column "
                    f"{column!r}: source {values.iloc[row]!r} is not in {sources_at}",
                    field=column,
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
