"""Named corridors: the crossings and ports a route must pass, in order."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from amur.errors import InputError


@dataclass(frozen=True)
class Corridor:
    """A named corridor: the places (crossings, ports) a route must pass, in order, and the
    places it must not (``avoid``: e.g. the Russian Pacific ports for an all-water port
    corridor, whose sea leg would otherwise end at a land bridge).
    """

    id: str
    name: str
    via: tuple[str, ...]
    description: str = ""
    avoid: tuple[str, ...] = ()


def read_corridors(frame: pd.DataFrame, origin: str = "corridors.csv") -> list[Corridor]:
    """Corridors from a table with columns id, name, via ('|'-separated place ids) and,
    optionally, avoid (likewise).

    Raises
    ------
    InputError
        On a missing column or an empty via.
    """
    for column in ("id", "name", "via"):
        if column not in frame.columns:
            raise InputError(
                f"{origin}: missing column {column!r} (required: id, name, via)", field=column
            )
    out = []
    for row, rec in enumerate(frame.to_dict("records"), start=1):
        via = tuple(v.strip() for v in str(rec.get("via") or "").split("|") if v.strip())
        if not via:
            raise InputError(
                f"{origin}, row {row} (id {rec['id']!r}), column 'via': empty; "
                "expected place ids separated by '|'",
                field="via",
            )
        text = rec.get("avoid")
        text = "" if text is None or (isinstance(text, float) and text != text) else str(text)
        avoid = tuple(v.strip() for v in text.split("|") if v.strip())
        out.append(
            Corridor(
                str(rec["id"]), str(rec["name"]), via, str(rec.get("description") or ""), avoid
            )
        )
    return out
