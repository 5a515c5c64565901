"""The building blocks of the network schema: modes, node kinds, statuses, regime kinds and
the column type (see :mod:`amur.network.schema` for the tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    """How freight moves on a link."""

    RAIL = "rail"
    ROAD = "road"
    SEA = "sea"
    RIVER_FERRY = "river_ferry"
    ICE_ROAD = "ice_road"
    PONTOON = "pontoon"
    PIPELINE = "pipeline"


class NodeKind(StrEnum):
    """What a place is."""

    CITY = "city"
    RAIL_TERMINAL = "rail_terminal"
    SEAPORT = "seaport"
    BORDER_CROSSING = "border_crossing"
    JUNCTION = "junction"


class Status(StrEnum):
    """Where a link stands (as of the dataset's date; scenarios move it through time)."""

    OPERATING = "operating"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    PROPOSED = "proposed"
    CLOSED = "closed"


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        Column name; its suffix carries its unit (``_km``, ``_h``, ``_usd_per_teu``).
    kind : {"str", "float", "int", "bool"}
        Value type.
    required : bool
        Whether the column must be present in a file.
    nullable : bool
        Whether a cell may be empty.
    minimum : float, optional
        Smallest allowed value (inclusive) for numbers.
    exclusive_minimum : bool
        Whether ``minimum`` itself is excluded.
    choices : tuple of str, optional
        Allowed values for strings.
    doc : str
        What the column means, with its unit.
    """

    name: str
    kind: str
    required: bool = True
    nullable: bool = False
    minimum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] | None = None
    doc: str = ""


class RegimeKind(StrEnum):
    """What a regime row describes at a place."""

    BORDER = "border"
    GAUGE_CHANGE = "gauge_change"
    PORT = "port"
