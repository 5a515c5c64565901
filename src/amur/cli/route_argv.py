"""A plain ``amur route`` command line read without Typer's option machinery.

Typer builds a validator for every option of a command before running it, which costs about
0.1-0.2 s at each start (it imports pydantic); ``amur route`` is the command whose start-up
counts. :func:`read_route_argv` reads the plain forms of its command line (``route A B``
with ``--by X``, ``--via X``, ``-k N``, ``--month N``, ``--json`` and the other options
spelled out, values as plain numbers) into the arguments of
:func:`amur.cli.route.route_command`, running the same option checks. Anything else — help,
an unknown or repeated option, ``--opt=value``, a value that is not a plain number, an
option value that a check refuses — is left to Typer (``None``), so help, usage errors and
their messages stay Typer's own. A test keeps :data:`OPTIONS` equal to the command's
declared options.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["OPTIONS", "read_route_argv"]

#: Each option of ``amur route``: its spellings, and the parameter and kind it fills
#: (``str``, ``int`` and ``float`` take a value; ``list`` takes one each time it is given;
#: ``True`` and ``False`` are flags that set the parameter to that value).
OPTIONS: dict[str, tuple[str, str | bool]] = {
    "--by": ("by", "str"),
    "--via": ("via", "list"),
    "--avoid": ("avoid", "list"),
    "--alternatives": ("alternatives", "int"),
    "-k": ("alternatives", "int"),
    "--pareto": ("pareto", True),
    "--no-pareto": ("pareto", False),
    "--cargo-value": ("cargo_value", "float"),
    "--time-value": ("time_value", "float"),
    "--year": ("year", "int"),
    "--month": ("month", "int"),
    "--scenario": ("scenario", "str"),
    "-s": ("scenario", "str"),
    "--commodity": ("commodity", "str"),
    "--network": ("network", "str"),
    "-n": ("network", "str"),
    "--legs": ("legs", True),
    "--no-legs": ("legs", False),
    "--json": ("as_json", True),
}

#: Options whose value the command checks in an option callback, with the flag it names.
CHECKED = {
    "alternatives": ("alternatives", "--alternatives"),
    "cargo_value": ("value_usd_per_teu", "--cargo-value"),
    "time_value": ("time_value_pct_per_day", "--time-value"),
    "year": ("year", "--year"),
    "month": ("month", "--month"),
}

_INT = re.compile(r"[0-9]{1,9}")
_FLOAT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,15})?")


def read_route_argv(argv: Sequence[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``route_command`` for a plain ``route ...`` command line,
    or ``None`` for any other (left to Typer).

    Parameters
    ----------
    argv : sequence of str
        The arguments after the program's name.

    Returns
    -------
    dict or None
        Arguments by parameter name (options not given are left to their defaults).
    """
    if len(argv) < 3 or argv[0] != "route":
        return None
    places: list[str] = []
    found: dict[str, Any] = {}
    tokens = iter(argv[1:])
    for token in tokens:
        if not token.startswith("-"):
            places.append(token)
            continue
        option = OPTIONS.get(token)
        if option is None:
            return None  # help, --opt=value, -k3, --, an unknown option: Typer's
        name, kind = option
        if kind == "list":
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
            found.setdefault(name, []).append(value)
            continue
        if name in found:
            return None  # given twice: Typer's rule
        if isinstance(kind, bool):
            found[name] = kind
            continue
        value = next(tokens, None)
        if value is None or value.startswith("-"):
            return None
        if kind == "int":
            if not _INT.fullmatch(value):
                return None
            found[name] = int(value)
        elif kind == "float":
            if not _FLOAT.fullmatch(value):
                return None
            found[name] = float(value)
        else:
            found[name] = value
    if len(places) != 2 or not _checks_pass(found):
        return None
    return {"origin": places[0], "destination": places[1], **found}


def _checks_pass(found: dict[str, Any]) -> bool:
    """Whether every value passes the check its option callback runs (a value refused is
    left to Typer, which reports it as it does for every command).
    """
    from amur.errors import AmurError
    from amur.options import check

    for name, (domain, flag) in CHECKED.items():
        if name in found:
            try:
                check(domain, found[name], flag)
            except AmurError:
                return False
    return True
