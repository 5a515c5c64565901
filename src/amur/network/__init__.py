"""The network data model: schema (columns, units, enums), the Network, and its validation.

The names below are imported from their modules when first used, so that importing one
light module of this package (the schema, the place index) does not import pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
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

_MODULES = {
    "Network": "amur.network.core",
    "validate_network": "amur.network.core",
    "LINK_COLUMNS": "amur.network.schema",
    "NODE_COLUMNS": "amur.network.schema",
    "RAIL_GAUGES": "amur.network.schema",
    "SOURCE_COLUMNS": "amur.network.schema",
    "Mode": "amur.network.schema",
    "NodeKind": "amur.network.schema",
    "Status": "amur.network.schema",
    "open_border_pair": "amur.network.validate",
    "parse_months": "amur.network.validate",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
