"""The smallest networks the tests build in code: places ``a`` and ``b`` and links between them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from amur.network import Network


def two_places(
    links: dict[str, list[Any]],
    *,
    name: str,
    country: Sequence[str] = ("CN", "CN"),
    lat: Sequence[float] = (45.0, 46.0),
    lon: Sequence[float] = (126.0, 127.0),
) -> Network:
    """Cities ``a`` (A) and ``b`` (B) in ``country``, joined by the link columns ``links``."""
    nodes = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["A", "B"],
            "country": list(country),
            "lat": list(lat),
            "lon": list(lon),
            "kind": ["city", "city"],
        }
    )
    return Network.from_frames(nodes, pd.DataFrame(links), name=name)
