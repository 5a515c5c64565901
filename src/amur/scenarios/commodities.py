"""Commodities and the modes each may use: containers never in pipelines, LNG only by sea."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from amur.errors import InputError
from amur.network import Mode


@dataclass(frozen=True)
class Commodity:
    """A kind of freight and the modes that can carry it.

    Attributes
    ----------
    id : str
        ``"container"``, ``"crude_oil"`` or ``"lng"``.
    name : str
        English name.
    modes : frozenset of str
        Modes that can carry it.
    note : str
        Why those modes.
    """

    id: str
    name: str
    modes: frozenset[str]
    note: str = ""


COMMODITIES: dict[str, Commodity] = {
    c.id: c
    for c in (
        Commodity(
            "container",
            "Containers (TEU)",
            frozenset(
                {Mode.RAIL, Mode.ROAD, Mode.SEA, Mode.RIVER_FERRY, Mode.ICE_ROAD, Mode.PONTOON}
            ),
            "by rail, truck (over bridges, ferries, pontoons and ice roads) and ship; "
            "never in a pipeline",
        ),
        Commodity(
            "crude_oil",
            "Crude oil",
            frozenset({Mode.PIPELINE, Mode.RAIL, Mode.SEA}),
            "by pipeline, rail tank car or tanker",
        ),
        Commodity(
            "lng",
            "Liquefied natural gas",
            frozenset({Mode.SEA}),
            "by LNG carrier only (no LNG rail or pipeline in the network)",
        ),
    )
}


def get_commodity(commodity: str) -> Commodity:
    """The commodity with this id.

    Raises
    ------
    InputError
        If there is none.
    """
    try:
        return COMMODITIES[commodity]
    except KeyError:
        raise InputError(
            f"unknown commodity {commodity!r}; expected one of {', '.join(COMMODITIES)}",
            field="commodity",
        ) from None


def commodity_modes(
    commodity: str | None = None, modes: Iterable[str] | None = None
) -> frozenset[str]:
    """Modes to route a commodity on, optionally narrowed further.

    Parameters
    ----------
    commodity : str, optional
        Commodity id; ``"container"`` when absent.
    modes : iterable of str, optional
        Modes asked for; each must be one the commodity can use.

    Returns
    -------
    frozenset of str
        Pass as ``modes=`` to :func:`amur.route` or :func:`amur.graph.expand`.

    Raises
    ------
    InputError
        On an unknown commodity, or a mode the commodity cannot use (LNG by rail, containers
        by pipeline).

    Examples
    --------
    >>> sorted(commodity_modes("crude_oil"))
    ['pipeline', 'rail', 'sea']
    """
    item = get_commodity(commodity or "container")
    if modes is None:
        return frozenset(str(m) for m in item.modes)
    asked = frozenset(modes)
    bad = sorted(asked - item.modes)
    if bad:
        raise InputError(
            f"commodity {item.id!r} cannot go by {', '.join(bad)}; it may use "
            f"{', '.join(sorted(item.modes))}",
            field="modes",
        )
    return asked
