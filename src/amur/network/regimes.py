"""Border, gauge-change and port regimes by place, mode and direction; customs unions.

A *regime* row says what crossing a border, changing gauge or changing mode costs at one
place, for one mode and one direction: a dwell range in hours (low, typical, high), a fee
per TEU and, for gauge-change yards, a daily throughput. :func:`regime_figures` picks the
most specific row for each query (an exact direction beats ``both``, then an exact mode
beats ``any``); where no row applies, the expansion falls back to the node's own columns.

A *customs union* (``customs_union:EU`` in a network's parameters, with its members) has no
border controls between its members: links between two members get no border arc from the
year both belong to it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.errors import InputError
from amur.network.schema import (
    ANY_MODE,
    BOTH_DIRECTIONS,
    RAIL_GAUGES,
    REGIME_COLUMNS,
    Mode,
    RegimeKind,
)

__all__ = [
    "CUSTOMS_UNION_PREFIX",
    "CustomsUnion",
    "RegimeFigures",
    "check_regimes",
    "empty_regimes",
    "is_country_code",
    "parse_union",
    "regime_figures",
]

#: Prefix of the network parameters that declare a customs union (``customs_union:EU``).
CUSTOMS_UNION_PREFIX = "customs_union:"

_LAYER_MODES = ("rail", "road", "sea", "pipeline")


def empty_regimes() -> pd.DataFrame:
    """A regimes table with every column and no rows."""
    frame = pd.DataFrame(
        {
            c.name: pd.Series(dtype="float64" if c.kind == "float" else "object")
            for c in REGIME_COLUMNS
        }
    )
    return frame


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code (``"DE"``, ``"RU"``)."""
    import pycountry

    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def _direction_ok(kind: str, direction: str) -> str | None:
    """None if a direction fits its kind, else what was expected."""
    if direction == BOTH_DIRECTIONS:
        return None
    parts = direction.split(">")
    if kind == RegimeKind.BORDER:
        if len(parts) == 2 and all(is_country_code(p) for p in parts) and parts[0] != parts[1]:
            return None
        return "'both' or two different ISO country codes such as CN>RU"
    if kind == RegimeKind.GAUGE_CHANGE:
        if len(parts) == 2 and all(p in RAIL_GAUGES for p in parts) and parts[0] != parts[1]:
            return None
        return f"'both' or two different gauges of {', '.join(RAIL_GAUGES)} such as 1435>1520"
    if len(parts) == 2 and all(p in _LAYER_MODES for p in parts) and parts[0] != parts[1]:
        return None
    return f"'both' or two different modes of {', '.join(_LAYER_MODES)} such as sea>rail"


def check_regimes(
    regimes: pd.DataFrame,
    nodes: pd.DataFrame,
    sources: pd.DataFrame,
    where: str,
    nodes_at: str,
    sources_at: str,
) -> pd.DataFrame:
    """Check a typed regimes table against the network and fill empty low and high times.

    Parameters
    ----------
    regimes : pandas.DataFrame
        Columns of :data:`amur.network.schema.REGIME_COLUMNS`, already typed.
    nodes, sources : pandas.DataFrame
        The network's places and sources.
    where, nodes_at, sources_at : str
        File names used in messages.

    Returns
    -------
    pandas.DataFrame
        The table with ``time_h_low`` and ``time_h_high`` filled from ``time_h`` where empty.

    Raises
    ------
    InputError
        On an unknown place or source, a direction that does not fit the kind, a gauge
        change for a mode other than rail, ``time_h_low > time_h``, ``time_h > time_h_high``,
        or two rows for the same place, kind, mode and direction.
    """
    out = regimes.reset_index(drop=True).copy()
    known_places = set(nodes["id"])
    known_sources = set(sources["id"])
    for row, (place, source) in enumerate(zip(out["place"], out["source_id"], strict=True)):
        if place not in known_places:
            close = difflib.get_close_matches(str(place), sorted(known_places), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"{where}, row {row + 1}, column 'place': unknown place {place!r}; "
                f"expected an id from {nodes_at}{hint}",
                field="place",
            )
        if source not in known_sources:
            raise InputError(
                f"{where}, row {row + 1}, column 'source_id': source {source!r} "
                f"is not in {sources_at}",
                field="source_id",
            )
    for row, (kind, mode, direction) in enumerate(
        zip(out["kind"], out["mode"], out["direction"], strict=True)
    ):
        expected = _direction_ok(kind, direction)
        if expected is not None:
            raise InputError(
                f"{where}, row {row + 1}, column 'direction': {direction!r} does "
                f"not fit a {kind} regime; expected {expected}",
                field="direction",
            )
        if kind == RegimeKind.GAUGE_CHANGE and mode not in (Mode.RAIL.value, ANY_MODE):
            raise InputError(
                f"{where}, row {row + 1}, column 'mode': a gauge change for "
                f"{mode!r}; expected rail",
                field="mode",
            )
    typical = out["time_h"].to_numpy(np.float64)
    low = out["time_h_low"].to_numpy(np.float64, na_value=np.nan)
    high = out["time_h_high"].to_numpy(np.float64, na_value=np.nan)
    low = np.where(np.isnan(low), typical, low)
    high = np.where(np.isnan(high), typical, high)
    for column, bad, problem in (
        ("time_h_low", low > typical, "is above time_h {typ:g}; expected time_h_low <= time_h"),
        ("time_h_high", high < typical, "is below time_h {typ:g}; expected time_h <= time_h_high"),
    ):
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            value = (low if column == "time_h_low" else high)[row]
            raise InputError(
                f"{where}, row {row + 1} (place {out['place'].iloc[row]!r}), column "
                f"{column!r}: {value:g} " + problem.format(typ=typical[row]),
                field=column,
            )
    out["time_h_low"] = low
    out["time_h_high"] = high
    keys = out[["place", "kind", "mode", "direction"]]
    dup = keys.duplicated().to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        kind, place, mode, direction = (
            out[c].iloc[row] for c in ("kind", "place", "mode", "direction")
        )
        raise InputError(
            f"{where}, row {row + 1}, column 'direction': a second {kind} regime "
            f"at {place!r} for mode {mode!r} and direction {direction!r}; "
            "expected one row each",
            field="direction",
        )
    return out


@dataclass(frozen=True)
class RegimeFigures:
    """Figures of the regime row that applies to each query, NaN (row -1) where none does.

    Attributes
    ----------
    row : ndarray of int64
        Row of the regimes table, -1 where no row applies.
    time_h_low, time_h, time_h_high : ndarray of float64
        Dwell range, hours.
    fee_usd_per_teu : ndarray of float64
        Fees, USD per TEU.
    """

    row: npt.NDArray[np.int64]
    time_h_low: npt.NDArray[np.float64]
    time_h: npt.NDArray[np.float64]
    time_h_high: npt.NDArray[np.float64]
    fee_usd_per_teu: npt.NDArray[np.float64]


def _keys(
    kind: object, place: Iterable[str], mode: Iterable[str], direction: Iterable[str]
) -> npt.NDArray[np.str_]:
    """Lookup keys ``kind|place|mode|direction``."""
    out = np.char.add(np.asarray(kind, dtype=str), "|")
    out = np.char.add(out, np.asarray(list(place), dtype=str))
    for part in (mode, direction):
        out = np.char.add(np.char.add(out, "|"), np.asarray(list(part), dtype=str))
    return out


def regime_figures(
    regimes: pd.DataFrame,
    place: npt.ArrayLike,
    kind: str,
    mode: npt.ArrayLike,
    direction: npt.ArrayLike,
) -> RegimeFigures:
    """The most specific regime row for each (place, mode, direction) query of one kind.

    Parameters
    ----------
    regimes : pandas.DataFrame
        A checked regimes table (:func:`check_regimes`).
    place : array of str
        Node ids.
    kind : {"border", "gauge_change", "port"}
        Kind of the queries.
    mode : array of str
        Mode of each query (a link mode, ``"rail"``, or a port's land-side mode).
    direction : array of str
        ``FROM>TO`` of each query (countries, gauges or modes, by kind).

    Returns
    -------
    RegimeFigures
        One entry per query. An exact direction beats ``both``; then an exact mode beats
        ``any``.
    """
    place_arr = np.asarray(place, dtype=str)
    n = len(place_arr)
    row = np.full(n, -1, np.int64)
    if n and len(regimes):
        index = pd.Index(
            _keys(
                regimes["kind"].to_numpy(dtype=str),
                regimes["place"],
                regimes["mode"],
                regimes["direction"],
            )
        )
        mode_arr = np.asarray(mode, dtype=str)
        direction_arr = np.asarray(direction, dtype=str)
        any_mode = np.full(n, ANY_MODE)
        both = np.full(n, BOTH_DIRECTIONS)
        for m, d in (
            (mode_arr, direction_arr),
            (any_mode, direction_arr),
            (mode_arr, both),
            (any_mode, both),
        ):
            found = index.get_indexer(pd.Index(_keys(kind, place_arr, m, d)))
            fill = (row < 0) & (found >= 0)
            row[fill] = found[fill]
    hit = row >= 0
    safe = np.where(hit, row, 0)

    def column(name: str) -> npt.NDArray[np.float64]:
        if not len(regimes):
            return np.full(n, np.nan)
        values = regimes[name].to_numpy(np.float64, na_value=np.nan)[safe]
        return np.where(hit, values, np.nan)

    return RegimeFigures(
        row,
        column("time_h_low"),
        column("time_h"),
        column("time_h_high"),
        column("fee_usd_per_teu"),
    )


@dataclass(frozen=True)
class CustomsUnion:
    """A customs union: no border controls between its members.

    Attributes
    ----------
    name : str
        Name (``"EU"``, ``"EAEU"``).
    since : int
        Year internal controls ended for the founding members.
    members : tuple of (str, int)
        ISO 3166-1 alpha-2 code of each member and the year it joined (``since`` for
        founding members).
    source_id : str
        Source of the membership and the years.
    """

    name: str
    since: int
    members: tuple[tuple[str, int], ...]
    source_id: str = ""

    def members_in(self, year: int | None) -> frozenset[str]:
        """Members in a year (every member when no year is given)."""
        return frozenset(code for code, joined in self.members if year is None or joined <= year)


def parse_union(
    name: str, value: float, members: object, where: str, source_id: str = ""
) -> CustomsUnion:
    """A customs union from a parameters row.

    Parameters
    ----------
    name : str
        ``customs_union:NAME``.
    value : float
        Year internal controls ended for the founding members.
    members : str
        Members separated by ``|``; a member that joined later carries its year:
        ``"RU|BY|KZ|AM=2015"``.
    where : str
        File and row, for messages (``"parameters.csv, row 5"``).
    source_id : str
        Source of the declaration.

    Raises
    ------
    InputError
        If the members are missing, a code is not an ISO 3166-1 alpha-2 country code, a
        year is not a whole number, or a member is named twice; the message names the
        column.

    Examples
    --------
    >>> union = parse_union("customs_union:EAEU", 2011, "RU|BY|KZ|AM=2015", "parameters.csv")
    >>> sorted(union.members_in(2014))
    ['BY', 'KZ', 'RU']
    """
    union_name = name[len(CUSTOMS_UNION_PREFIX) :]
    if not union_name:
        raise InputError(
            f"{where}, column 'name': {name!r} names no union; expected "
            "customs_union:NAME such as customs_union:EU",
            field="name",
        )
    if not isinstance(members, str) or not members.strip():
        raise InputError(
            f"{where}, column 'members': empty; expected the member countries "
            "as ISO codes separated by '|' (DE|FR|PL=2004)",
            field="members",
        )
    since = int(value)
    if since != value:
        raise InputError(f"{where}, column 'value': {value:g} is not a year", field="value")
    parsed: list[tuple[str, int]] = []
    for part in members.split("|"):
        code, _, joined_text = part.strip().partition("=")
        code = code.strip()
        if not is_country_code(code):
            raise InputError(
                f"{where}, column 'members': {code!r} is not a known country code; "
                "expected ISO 3166-1 alpha-2 codes such as DE or RU",
                field="members",
            )
        joined = since
        if joined_text:
            if not joined_text.strip().isdigit():
                raise InputError(
                    f"{where}, column 'members': {part.strip()!r} has no year after "
                    "'='; expected CODE=YEAR such as PL=2004",
                    field="members",
                )
            joined = max(since, int(joined_text))
        if code in {c for c, _ in parsed}:
            raise InputError(f"{where}, column 'members': {code!r} appears twice", field="members")
        parsed.append((code, joined))
    return CustomsUnion(union_name, since, tuple(parsed), source_id)
