"""Reading scenario files (TOML), with errors that name the file, the key and what was expected."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from amur.errors import ScenarioError
from amur.network.schema import (
    LINK_COLUMNS,
    NODE_COLUMNS,
    SERVICE_COLUMNS,
    SOURCE_KINDS,
    Mode,
)
from amur.scenarios.model import Closure, Edit, Scale, Scenario, Source

TOP_KEYS = (
    "name",
    "description",
    "base",
    "year",
    "month",
    "commodity",
    "modes",
    "source_ids",
    "links",
    "nodes",
    "services",
    "scale",
    "sources",
    "subsidies",
    "close",
)
_COLUMNS = {
    "links": {c.name: c for c in LINK_COLUMNS},
    "nodes": {c.name: c for c in NODE_COLUMNS},
    "services": {c.name: c for c in SERVICE_COLUMNS},
}
#: Service columns that hold a number or a '|'-separated list of numbers.
_NUMBER_LISTS = frozenset({"time_h", "price"})
_SOURCE_KEYS = ("id", "kind", "title", "url", "date", "note")


def read_scenario(path: str | Path) -> Scenario:
    """Read one scenario file.

    Parameters
    ----------
    path : str or Path
        A TOML file (see ``amur scenarios show 2018`` for an example).

    Returns
    -------
    Scenario
        With ``parent`` unresolved (see :func:`amur.scenarios.load_scenario`).

    Raises
    ------
    ScenarioError
        If the file is missing or not TOML, or on an unknown key, a value of the wrong
        type, a month outside 1-12, or an edit of a column that does not exist.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"scenario file {path}: not UTF-8 text (byte {exc.start}); "
            "expected a TOML file in UTF-8",
            field="scenario",
        ) from None
    except OSError as exc:
        raise ScenarioError(
            f"scenario file {path}: cannot be read ({exc.strerror})", field="scenario"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(
            f"scenario file {path}: not valid TOML: {exc}", field="scenario"
        ) from None
    return scenario_from_dict(data, str(path))


def scenario_from_dict(data: Mapping[str, Any], origin: str = "<scenario>") -> Scenario:
    """Build a scenario from the parsed TOML table (see :func:`read_scenario`).

    Raises
    ------
    ScenarioError
        As :func:`read_scenario`.
    """
    where = f"scenario file {origin}"
    _no_unknown(data, TOP_KEYS, where, "")
    name = _get(data, "name", str, where, required=True)
    month = _get(data, "month", int, where)
    if month is not None and not 1 <= month <= 12:
        raise ScenarioError(
            f"{where}, key 'month': {month} is out of range; expected 1 to 12", field="month"
        )
    modes = tuple(_list_of(data, "modes", str, where))
    known_modes = {m.value for m in Mode}
    for mode in modes:
        if mode not in known_modes:
            raise ScenarioError(
                f"{where}, key 'modes': unknown mode {mode!r}; expected some of "
                f"{', '.join(sorted(known_modes))}",
                field="modes",
            )
    edits: list[Edit] = []
    for table in ("links", "nodes", "services"):
        edits += _edits(data.get(table), table, where)
    return Scenario(
        name=name,
        description=_get(data, "description", str, where) or "",
        base=_get(data, "base", str, where),
        year=_get(data, "year", int, where),
        month=month,
        commodity=_get(data, "commodity", str, where),
        modes=modes,
        edits=tuple(edits),
        scales=tuple(_scales(data.get("scale"), where)),
        closures=tuple(_closures(data.get("close"), where)),
        source_ids=tuple(_list_of(data, "source_ids", str, where)),
        sources=tuple(_sources(data.get("sources"), where)),
        subsidies=_get(data, "subsidies", bool, where),
        path=origin if origin != "<scenario>" else "",
    )


def _type_name(kind: type) -> str:
    return {
        int: "an integer",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }.get(kind, kind.__name__)


def _check_type(value: Any, kind: type, where: str, key: str) -> Any:
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok, value = True, float(value)
    if not ok:
        raise ScenarioError(
            f"{where}, key {key!r}: expected {_type_name(kind)}, got "
            f"{type(value).__name__} {value!r}",
            field=key.split(".")[-1],
        )
    return value


def _get(data: Mapping[str, Any], key: str, kind: type, where: str, required: bool = False) -> Any:
    if key not in data:
        if required:
            raise ScenarioError(
                f"{where}: missing key {key!r}; expected {_type_name(kind)}", field=key
            )
        return None
    return _check_type(data[key], kind, where, key)


def _list_of(data: Mapping[str, Any], key: str, kind: type, where: str) -> list[Any]:
    values = _get(data, key, list, where) or []
    return [_check_type(v, kind, where, f"{key}[{i}]") for i, v in enumerate(values)]


def _no_unknown(
    data: Mapping[str, Any], allowed: tuple[str, ...] | frozenset[str], where: str, prefix: str
) -> None:
    for key in data:
        if key not in allowed:
            raise ScenarioError(
                f"{where}: unknown key {prefix + key!r}; expected one of "
                f"{', '.join(sorted(allowed))}",
                field=key,
            )


def _edits(section: Any, table: str, where: str) -> list[Edit]:
    if section is None:
        return []
    section = _check_type(section, dict, where, table)
    _no_unknown(section, ("add", "remove", "change"), where, f"{table}.")
    out: list[Edit] = []
    for i, row_id in enumerate(_list_of(section, "remove", str, f"{where}, {table}")):
        out.append(Edit(table, "remove", row_id, where=f"{where}, {table}.remove[{i}]"))
    for action in ("add", "change"):
        rows = _check_type(section.get(action, []), list, where, f"{table}.{action}")
        for i, row in enumerate(rows):
            at = f"{where}, {table}.{action}[{i}]"
            row = _check_type(row, dict, at, "")
            out.append(_edit(row, table, action, at))
    return out


def _edit(row: Mapping[str, Any], table: str, action: str, at: str) -> Edit:
    columns = _COLUMNS[table]
    row_id = _get(row, "id", str, at, required=True)
    at = f"{at} (id {row_id!r})"
    values: list[tuple[str, Any]] = []
    source_id = None
    for key, value in row.items():
        if key == "id":
            continue
        if key == "source_id" and action == "change":
            source_id = _check_type(value, str, at, key)
            continue
        if key not in columns:
            raise ScenarioError(
                f"{at}: unknown column {key!r}; expected one of {', '.join(sorted(columns))}",
                field=key,
            )
        column = columns[key]
        if (
            table == "services"
            and key in _NUMBER_LISTS
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            value = str(value)
        kind: type = {"float": float, "int": int, "bool": bool, "str": str}[column.kind]
        values.append((key, _check_type(value, kind, at, key)))
    if action == "change" and not values:
        raise ScenarioError(
            f"{at}: changes no column; expected at least one column to set", field="id"
        )
    if action == "add":
        source_id = dict(values).get("source_id")
    return Edit(table, action, row_id, tuple(values), source_id, where=at)


def _scales(section: Any, where: str) -> list[Scale]:
    if section is None:
        return []
    rows = _check_type(section, list, where, "scale")
    out = []
    known_modes = {m.value for m in Mode}
    for i, row in enumerate(rows):
        at = f"{where}, scale[{i}]"
        row = _check_type(row, dict, at, "")
        _no_unknown(row, ("mode", "cost", "speed", "source_id"), at, "")
        mode = _get(row, "mode", str, at, required=True)
        if mode not in known_modes:
            raise ScenarioError(
                f"{at}, key 'mode': unknown mode {mode!r}; expected one of "
                f"{', '.join(sorted(known_modes))}",
                field="mode",
            )
        factors = {k: _get(row, k, float, at) for k in ("cost", "speed")}
        for key, value in factors.items():
            if value is not None and value <= 0:
                raise ScenarioError(
                    f"{at}, key {key!r}: {value:g} is out of range; expected a factor above 0",
                    field=key,
                )
        out.append(
            Scale(
                mode,
                factors["cost"] or 1.0,
                factors["speed"] or 1.0,
                _get(row, "source_id", str, at),
                where=at,
            )
        )
    return out


def _sources(section: Any, where: str) -> list[Source]:
    if section is None:
        return []
    rows = _check_type(section, list, where, "sources")
    out = []
    for i, row in enumerate(rows):
        at = f"{where}, sources[{i}]"
        row = _check_type(row, dict, at, "")
        _no_unknown(row, _SOURCE_KEYS, at, "")
        kind = _get(row, "kind", str, at, required=True)
        if kind not in SOURCE_KINDS:
            raise ScenarioError(
                f"{at}, key 'kind': {kind!r}; expected one of {', '.join(SOURCE_KINDS)}",
                field="kind",
            )
        out.append(
            Source(
                _get(row, "id", str, at, required=True),
                kind,
                _get(row, "title", str, at, required=True),
                *(_get(row, k, str, at) for k in ("url", "date", "note")),
            )
        )
    return out


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _year_month(row: Mapping[str, Any], key: str, at: str) -> tuple[int, int]:
    text = _get(row, key, str, at, required=True)
    match = _YEAR_MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ScenarioError(
            f"{at}, key {key!r}: {text!r}; expected a month as 'YYYY-MM' (e.g. '2025-09')",
            field=key,
        )
    return int(match.group(1)), int(match.group(2))


def _closures(section: Any, where: str) -> list[Closure]:
    """``[[close]]`` tables: a place or a link, from and to months (both included)."""
    if section is None:
        return []
    rows = _check_type(section, list, where, "close")
    out = []
    for i, row in enumerate(rows):
        at = f"{where}, close[{i}]"
        row = _check_type(row, dict, at, "")
        _no_unknown(row, ("place", "link", "from", "to", "source_id", "note"), at, "")
        if ("place" in row) == ("link" in row):
            raise ScenarioError(
                f"{at}: expected exactly one of the keys 'place' and 'link'", field="place"
            )
        key = "place" if "place" in row else "link"
        start, end = _year_month(row, "from", at), _year_month(row, "to", at)
        if end < start:
            raise ScenarioError(
                f"{at}, key 'to': {end[0]}-{end[1]:02d} precedes 'from' "
                f"{start[0]}-{start[1]:02d}; expected an end on or after the "
                "start",
                field="to",
            )
        _get(row, "note", str, at)
        out.append(
            Closure(
                "nodes" if key == "place" else "links",
                _get(row, key, str, at, required=True),
                start,
                end,
                _get(row, "source_id", str, at),
                where=at,
            )
        )
    return out
