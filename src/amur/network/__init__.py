"""The network data model: schema (columns, units, enums), the Network, and its validation."""

from amur.network.core import Network, validate_network
from amur.network.schema import (
    LINK_COLUMNS,
    NODE_COLUMNS,
    RAIL_GAUGES,
    SOURCE_COLUMNS,
    Mode,
    NodeKind,
    Status,
)
from amur.network.validate import parse_months

__all__ = [
    "LINK_COLUMNS",
    "NODE_COLUMNS",
    "RAIL_GAUGES",
    "SOURCE_COLUMNS",
    "Mode",
    "Network",
    "NodeKind",
    "Status",
    "parse_months",
    "validate_network",
]
