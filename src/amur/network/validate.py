"""Validation of network tables: one clear error naming the file, row, column and expectation."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from amur.errors import InputError
from amur.network.schema import Column

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _where(origin: str, row: int, frame: pd.DataFrame) -> str:
    ident = ""
    if "id" in frame.columns:
        value = frame["id"].iloc[row]
        if isinstance(value, str) and value:
            ident = f" (id {value!r})"
    return f"{origin}, row {row + 1}{ident}"


def _is_blank(series: pd.Series) -> np.ndarray:
    blank = series.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return np.asarray(blank, dtype=bool)
    text = series.astype("string").str.strip()
    return blank | (text == "").fillna(True).to_numpy()


def coerce_table(frame: pd.DataFrame, columns: Sequence[Column], origin: str) -> pd.DataFrame:
    """Check a raw table against its columns and convert it to typed columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read (cells may be strings).
    columns : sequence of Column
        The schema (``amur.network.schema.NODE_COLUMNS`` and the like).
    origin : str
        Where the table came from (a file path or a table name), used in messages.

    Returns
    -------
    pandas.DataFrame
        A new table with every schema column present and typed; optional columns that were
        absent are added empty; columns not in the schema are kept as they are.

    Raises
    ------
    InputError
        On a missing required column, an empty required cell, a value that is not a number,
        a number below its minimum, or a value not among the allowed choices.
    """
    frame = frame.reset_index(drop=True).copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    if missing:
        expected = ", ".join(c.name for c in columns if c.required)
        raise InputError(
            f"{origin}: missing column {missing[0]!r} (required columns: {expected})",
            field=missing[0],
        )
    out = frame
    for col in columns:
        if col.name not in out.columns:
            out[col.name] = _empty(col, len(out))
            continue
        out[col.name] = _coerce_column(out, col, origin)
    return out


def _empty(col: Column, n: int) -> pd.Series:
    if col.kind == "float":
        return pd.Series(np.full(n, np.nan), dtype="float64")
    if col.kind == "int":
        return pd.Series([pd.NA] * n, dtype="Int64")
    if col.kind == "bool":
        return pd.Series(np.ones(n, dtype=bool))
    return pd.Series([None] * n, dtype="object")


def _coerce_column(frame: pd.DataFrame, col: Column, origin: str) -> pd.Series:
    raw = frame[col.name]
    blank = _is_blank(raw)
    if not col.nullable and col.kind != "bool" and blank.any():
        row = int(np.flatnonzero(blank)[0])
        raise InputError(
            f"{_where(origin, row, frame)}, column {col.name!r}: empty; expected {col.doc}",
            field=col.name,
        )
    if col.kind in ("float", "int"):
        return _coerce_number(frame, raw, blank, col, origin)
    if col.kind == "bool":
        return _coerce_bool(frame, raw, blank, col, origin)
    values = pd.Series(
        [None if empty else str(v).strip() for v, empty in zip(raw.tolist(), blank, strict=True)],
        dtype="object",
    )
    if col.choices is not None:
        choices = set(col.choices)
        bad = np.array([v is not None and v not in choices for v in values.tolist()], dtype=bool)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{_where(origin, row, frame)}, column {col.name!r}: {values.iloc[row]!r} is not "
                f"a known value; expected one of {', '.join(col.choices)}",
                field=col.name,
            )
    return values


def _coerce_number(
    frame: pd.DataFrame, raw: pd.Series, blank: np.ndarray, col: Column, origin: str
) -> pd.Series:
    numbers = pd.to_numeric(raw.where(~blank, None), errors="coerce").astype("float64")
    bad = numbers.isna().to_numpy() & ~blank
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{_where(origin, row, frame)}, column {col.name!r}: {raw.iloc[row]!r} is not a "
            f"number; expected {col.doc}",
            field=col.name,
        )
    values = numbers.to_numpy()
    if col.minimum is not None:
        below = values <= col.minimum if col.exclusive_minimum else values < col.minimum
        below &= ~np.isnan(values)
        if below.any():
            row = int(np.flatnonzero(below)[0])
            bound = f"> {col.minimum:g}" if col.exclusive_minimum else f">= {col.minimum:g}"
            raise InputError(
                f"{_where(origin, row, frame)}, column {col.name!r}: {values[row]:g} is out of "
                f"range; expected {bound} ({col.doc})",
                field=col.name,
            )
    if np.isinf(values).any():
        row = int(np.flatnonzero(np.isinf(values))[0])
        raise InputError(
            f"{_where(origin, row, frame)}, column {col.name!r}: infinite; expected {col.doc}",
            field=col.name,
        )
    if col.kind == "int":
        frac = ~np.isnan(values) & (values != np.round(values))
        if frac.any():
            row = int(np.flatnonzero(frac)[0])
            raise InputError(
                f"{_where(origin, row, frame)}, column {col.name!r}: {values[row]:g} is not a "
                f"whole number; expected {col.doc}",
                field=col.name,
            )
        return pd.Series(numbers.round(), dtype="Int64")
    return pd.Series(values, dtype="float64")


def _coerce_bool(
    frame: pd.DataFrame, raw: pd.Series, blank: np.ndarray, col: Column, origin: str
) -> pd.Series:
    out = np.ones(len(raw), dtype=bool)
    for row, (value, empty) in enumerate(zip(raw.tolist(), blank, strict=True)):
        if empty:
            continue
        if isinstance(value, bool | np.bool_):
            out[row] = bool(value)
            continue
        text = str(value).strip().lower()
        if text in _TRUE:
            out[row] = True
        elif text in _FALSE:
            out[row] = False
        else:
            raise InputError(
                f"{_where(origin, row, frame)}, column {col.name!r}: {value!r} is not true or "
                f"false; expected {col.doc}",
                field=col.name,
            )
    return pd.Series(out)


def check_identifiers(frame: pd.DataFrame, origin: str, snake_case: bool) -> None:
    """Check that the ``id`` column is unique (and snake_case where asked).

    Raises
    ------
    InputError
        On a duplicate or badly formed identifier.
    """
    ids = frame["id"]
    dup = ids.duplicated().to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0])
        raise InputError(
            f"{origin}, row {row + 1}, column 'id': {ids.iloc[row]!r} appears twice; "
            "expected unique identifiers",
            field="id",
        )
    if snake_case:
        bad = ids.map(lambda v: not _SNAKE.match(v)).to_numpy(dtype=bool)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{origin}, row {row + 1}, column 'id': {ids.iloc[row]!r} is not snake_case; "
                "expected lower-case letters, digits and '_' starting with a letter",
                field="id",
            )


def parse_months(text: str | None) -> int:
    """Turn a months field into a 12-bit mask (bit 0 = January).

    Parameters
    ----------
    text : str or None
        Empty or ``"all"`` for all year; a range ``"5-10"`` (May to October) or a wrapping
        range ``"12-3"`` (December to March); a list ``"1,2,3"``; or lists of ranges
        ``"1-3,12"``.

    Returns
    -------
    int
        Bit ``m - 1`` is set when the link runs in month ``m``.

    Raises
    ------
    ValueError
        If a month is not a whole number from 1 to 12 or the text has another form.

    Examples
    --------
    >>> parse_months("12-2") == (1 << 11) | 1 | 2
    True
    """
    if text is None or str(text).strip().lower() in ("", "all", "1-12"):
        return (1 << 12) - 1
    mask = 0
    for part in str(text).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            first_text, last_text = part.split("-", 1)
            first, last = _month(first_text), _month(last_text)
            month = first
            while True:
                mask |= 1 << (month - 1)
                if month == last:
                    break
                month = month % 12 + 1
        else:
            mask |= 1 << (_month(part) - 1)
    if mask == 0:
        raise ValueError(f"{text!r} names no month")
    return mask


def _month(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError(f"{text!r} is not a month; expected a whole number from 1 to 12")
    return int(text)


#: Prefix of the network parameters naming borders without controls (``open_border:BY-RU``).
OPEN_BORDER_PREFIX = "open_border:"


def open_border_pair(name: str) -> frozenset[str] | None:
    """The two countries of an ``open_border:AA-BB`` parameter name, or None for another name.

    Raises
    ------
    ValueError
        If the name starts with ``open_border:`` but is not two ISO 3166-1 alpha-2 codes
        joined by '-'.

    Examples
    --------
    >>> sorted(open_border_pair("open_border:BY-RU"))
    ['BY', 'RU']
    """
    if not name.startswith(OPEN_BORDER_PREFIX):
        return None
    codes = name[len(OPEN_BORDER_PREFIX) :].split("-")
    if (
        len(codes) != 2
        or not all(len(c) == 2 and c.isalpha() and c.isupper() for c in codes)
        or codes[0] == codes[1]
    ):
        raise ValueError(
            f"{name!r} is not an open border; expected open_border:AA-BB with two "
            "different ISO country codes, such as open_border:BY-RU"
        )
    return frozenset(codes)
