"""The places of a network by id, English name and alias, without pandas.

:class:`Places` is what finding a place and naming it needs: :meth:`Network.place` and
:meth:`Network.place_name` are its methods, and a route question answered from the cache on
disk (:mod:`amur.paths.quick`) uses the same object without the network's tables.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from amur.errors import UnknownPlaceError

__all__ = ["Places", "winter_hours"]


class Places:
    """Place ids in node order, with their names and the lookup of names and aliases.

    Parameters
    ----------
    network : str
        The network's name (for messages).
    ids, names : iterable of str
        Node ids and English names, in node order.
    aliases : iterable
        Each node's aliases separated by ``|`` (anything not a string for none).
    """

    def __init__(
        self, network: str, ids: Iterable[str], names: Iterable[str], aliases: Iterable[object]
    ) -> None:
        self.network = network
        self.ids = tuple(str(i) for i in ids)
        self.names = tuple(str(n) for n in names)
        #: Position of each node id.
        self.index = {node_id: i for i, node_id in enumerate(self.ids)}
        lookup: dict[str, str] = {}
        for node_id, name, alias in zip(self.ids, self.names, aliases, strict=True):
            keys = [node_id, name, node_id.replace("_", " ")]
            if isinstance(alias, str):
                keys += [a for a in alias.split("|") if a.strip()]
            for key in keys:
                lookup.setdefault(key.strip().casefold(), node_id)
        self.lookup = lookup

    def place(self, query: str) -> str:
        """Find a place by id, English name or alias, case-insensitively.

        Parameters
        ----------
        query : str
            ``"harbin"``, ``"Harbin"``, ``"哈尔滨"`` or ``"Харбин"`` all find Harbin.

        Returns
        -------
        str
            The node id.

        Raises
        ------
        UnknownPlaceError
            If nothing matches; the message suggests the closest names.
        """
        key = str(query).strip().casefold()
        found = self.lookup.get(key)
        if found is not None:
            return found
        close = difflib.get_close_matches(key, list(self.lookup), n=3, cutoff=0.6)
        hint = ""
        if close:
            names = sorted({self.place_name(self.lookup[c]) for c in close})
            hint = f"; did you mean {' or '.join(repr(n) for n in names)}?"
        raise UnknownPlaceError(
            f"unknown place {query!r} in network {self.network!r}{hint} "
            "(`amur places` lists the places)",
            field="place",
        )

    def place_name(self, node_id: str) -> str:
        """English name of the node with this id."""
        return self.names[self.index[node_id]]


def winter_hours(
    masks: npt.NDArray[np.int64], hours: npt.NDArray[np.float64], month: int | None
) -> npt.NDArray[np.float64]:
    """Extra hours for a change of mode at each node in a month, from the nodes' winter
    months (bit ``m - 1`` set for month ``m``) and winter hours (0 where none).

    Without a month (no season asked for), no node has a winter regime.
    """
    extra = np.zeros(len(masks))
    if month is None:
        return extra
    active = (masks & (1 << (int(month) - 1))) != 0
    return np.where(active, hours, 0.0)
