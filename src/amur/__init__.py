"""amur: a freight corridor model.

Routes with days, dollars and CO2 leg by leg through gauge changes, borders and seasons, on
the built-in Northeast Asia network or any network loaded from CSV or GeoPackage.

>>> import amur
>>> net = amur.load("northeast-asia")
>>> best = amur.route(net, "Harbin", "Hamburg")[0]
>>> round(best.length_km) > 9000
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amur.errors import AmurError, InputError, NoRouteError, ScenarioError, UnknownPlaceError

if TYPE_CHECKING:  # pragma: no cover
    from amur.data import load
    from amur.network import Network
    from amur.paths import route

__all__ = [
    "AmurError",
    "InputError",
    "Network",
    "NoRouteError",
    "ScenarioError",
    "UnknownPlaceError",
    "load",
    "route",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import amur` fast (STYLE.md rule 12).
    if name == "load":
        from amur.data import load

        return load
    if name == "Network":
        from amur.network import Network

        return Network
    if name == "route":
        from amur.paths import route

        return route
    raise AttributeError(f"module 'amur' has no attribute {name!r}")
