"""Place search as you type: every place whose id, English name or alias matches a query."""

from __future__ import annotations

from typing import Any

from amur.network.core import Network

__all__ = ["place_records", "search_places"]

#: The columns a place record carries.
PLACE_COLUMNS = ["id", "name", "aliases", "country", "kind", "gauge", "lat", "lon"]


def place_records(net: Network) -> list[dict[str, Any]]:
    """Every place as a plain record: the node columns, aliases as a list, ``None`` for gaps.

    Parameters
    ----------
    net : Network

    Returns
    -------
    list of dict
        Keys ``id, name, aliases, country, kind, gauge, lat, lon`` (degrees WGS 84).
    """
    frame = net.nodes[PLACE_COLUMNS].astype(object).where(net.nodes[PLACE_COLUMNS].notna(), None)
    out: list[dict[str, Any]] = []
    for raw in frame.to_dict("records"):
        rec = {str(k): v for k, v in raw.items()}
        aliases = rec["aliases"] or ""
        rec["aliases"] = [a.strip() for a in str(aliases).split("|") if a.strip()]
        out.append(rec)
    return out


def search_places(net: Network, query: str, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Places whose id, name or alias matches ``query``, best first.

    Exact matches (case-insensitive) come first, then names starting with the query, then
    names containing it; ties in alphabetical order of the English name. An empty query
    matches every place.

    Parameters
    ----------
    net : Network
    query : str
        Start of, or a part of, a name, id or alias.
    limit : int, optional
        At most this many places.

    Returns
    -------
    list of dict
        Place records as :func:`place_records` gives them.

    Examples
    --------
    >>> import amur
    >>> [p["id"] for p in search_places(amur.load(), "harb")]
    ['harbin']
    """
    key = query.strip().casefold()
    ranked: list[tuple[int, str, dict[str, Any]]] = []
    for rec in place_records(net):
        folded = [n.casefold() for n in (rec["id"], rec["name"], *rec["aliases"])]
        if not key or key in folded:
            score = 0
        elif any(n.startswith(key) for n in folded):
            score = 1
        elif any(key in n for n in folded):
            score = 2
        else:
            continue
        ranked.append((score, rec["name"], rec))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [rec for _, _, rec in ranked[:limit]]
