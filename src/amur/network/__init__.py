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
from amur.network.validate import open_border_pair, parse_months

__all__ = [
    "LINK_COLUMNS",
    "NODE_COLUMNS",
    "RAIL_GAUGES",
    "SOURCE_COLUMNS",
    "Mode",
    "Network",
    "NodeKind",
    "Status",
    "open_border_pair",
    "parse_months",
    "validate_network",
]
