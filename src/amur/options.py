"""The domain of every user-facing option, declared once, checked the same way everywhere.

The command line, the HTTP API and the Python API call the same checks, so a value refused
in one is refused in all, with the same message: ``<name>: <value>; expected <domain>``.
Each check raises :class:`amur.errors.InputError` whose ``field`` is the name the caller
gave (a CLI flag such as ``--cargo-value``, a query parameter, or a Python argument).

Settings objects (frozen dataclasses) call these checks in ``__post_init__``.

Examples
--------
>>> from amur.options import check
>>> check("discount_pct", 6.0)
6.0
>>> check("discount_pct", -50.0)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
amur.errors.InputError: discount_pct: -50; expected discount rate in % a year, ...
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from amur.errors import InputError

__all__ = [
    "DOMAINS",
    "QUERY_DOMAINS",
    "Domain",
    "check",
    "check_choice",
    "check_pareto",
    "check_route_choice",
    "query_bounds",
]


@dataclass(frozen=True)
class Domain:
    """The values an option may take.

    Attributes
    ----------
    what : str
        What the value is, with its unit ("cargo value in USD per TEU").
    low, high : float
        Bounds of the range.
    low_open, high_open : bool
        Whether a bound is excluded (``(0, 30]`` has ``low_open``).
    integer : bool
        Whether the value must be a whole number.
    """

    what: str
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def describe(self) -> str:
        """The domain in words, for error messages."""
        kind = "a whole number" if self.integer else "a finite number"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        if math.isinf(self.low) and math.isinf(self.high):
            bounds = ""
        elif math.isinf(self.high):
            bounds = f" {'above' if self.low_open else 'of at least'} {_num(self.low)}"
        elif math.isinf(self.low):
            bounds = f" {'below' if self.high_open else 'of at most'} {_num(self.high)}"
        else:
            bounds = f" in {left}{_num(self.low)}, {_num(self.high)}{right}"
        return f"{self.what}, {kind}{bounds}"

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the domain."""
        if not math.isfinite(value):
            return False
        if self.integer and value != int(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


def _num(x: float) -> str:
    return f"{int(x)}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


#: Every numeric option of amur and its domain. The bounds are where an answer stops being
#: meaningful (a month 13, a negative cargo value) or where the work would exhaust memory
#: (draws: about ten arrays of draws x years x 8 bytes, under 0.1 GB at the bound).
DOMAINS: dict[str, Domain] = {
    "value_usd_per_teu": Domain("cargo value in USD per TEU", 0.0, 1e9, low_open=True),
    "time_value_pct_per_day": Domain("cost of a day in transit in % of cargo value", 0.0, 100.0),
    "alternatives": Domain("number of routes", 1, 10, integer=True),
    "year": Domain("year", 1800, 2200, integer=True),
    "month": Domain("month", 1, 12, integer=True),
    "gap": Domain("relative gap (0: run to the iteration limit)", 0.0, 1.0),
    "max_iterations": Domain("number of iterations", 1, 1_000_000, integer=True),
    "logit_theta": Domain("logit dispersion per unit of cost", 0.0, 100.0, low_open=True),
    "vc": Domain("volume over capacity", 0.0, 100.0, low_open=True),
    "draws": Domain("number of Monte Carlo draws", 0, 20_000, integer=True),
    "seed": Domain("random seed", 0, 2**32 - 1, integer=True),
    "discount_pct": Domain("discount rate in % a year", 0.0, 30.0),
    "theta": Domain(
        "trade elasticity (the literature puts it at about 4 to 8)", 0.0, 50.0, low_open=True
    ),
    "traffic": Domain("traffic per year", 0.0, 1e12),
}


def check(name: str, value: object, field: str | None = None) -> float:
    """Check a number against the domain declared for ``name`` in :data:`DOMAINS`.

    Parameters
    ----------
    name : str
        A key of :data:`DOMAINS` (the Python argument's name).
    value : object
        The value given: a number, or text that reads as one.
    field : str, optional
        The name the user gave it under (a CLI flag, a query parameter); ``name`` by default.

    Returns
    -------
    float
        The value as a float (a whole number for integer domains, still a float).

    Raises
    ------
    InputError
        If the value is not a number, is NaN or infinite, or lies outside the domain; the
        message names the field and the domain.
    """
    domain = DOMAINS[name]
    label = field or name
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(
            f"{label}: {value!r} is not a number; expected {domain.describe()}", field=label
        ) from None
    if isinstance(value, bool) or not domain.contains(number):
        whole = domain.integer and math.isfinite(number) and number.is_integer()
        shown = f"{int(number)}" if whole and abs(number) < 1e18 else f"{number:g}"
        raise InputError(f"{label}: {shown}; expected {domain.describe()}", field=label)
    return number


def query_bounds(name: str) -> dict[str, Any]:
    """The bounds of a domain as keyword arguments of FastAPI's ``Query`` (``ge``, ``gt``,
    ``le``, ``lt`` and ``allow_inf_nan``), so that the HTTP API's schema states them.
    """
    domain = DOMAINS[name]
    out: dict[str, Any] = {}
    if math.isfinite(domain.low):
        low = int(domain.low) if domain.integer else domain.low
        out["gt" if domain.low_open else "ge"] = low
    if math.isfinite(domain.high):
        high = int(domain.high) if domain.integer else domain.high
        out["lt" if domain.high_open else "le"] = high
    if not domain.integer:
        out["allow_inf_nan"] = False
    return out


#: The HTTP API's query parameters and the domains they take (for its 422 messages).
QUERY_DOMAINS = {
    "year": "year",
    "month": "month",
    "alternatives": "alternatives",
    "theta": "theta",
    "draws": "draws",
    "seed": "seed",
    "discount": "discount_pct",
    "gap": "gap",
    "vc": "vc",
    "logit": "logit_theta",
    "max_iterations": "max_iterations",
}


def check_choice(
    name: str, value: str, known: Collection[str], field: str | None = None, what: str = "value"
) -> str:
    """Check that ``value`` is one of ``known`` (a criterion, an algorithm, a commodity).

    Raises
    ------
    InputError
        ``<field>: unknown <what> 'x'; expected one of a, b, c`` (with a "did you mean"
        where one is close).
    """
    if value in known:
        return value
    import difflib

    label = field or name
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise InputError(
        f"{label}: unknown {what} {value!r}; expected one of {', '.join(map(str, known))}{hint}",
        field=label,
    )


def check_pareto(
    *,
    via: Sequence[str] = (),
    alternatives: int = 1,
    by: str | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """Refuse options that a Pareto query would ignore.

    The Pareto set is over time and cost, between two places: a criterion, a number of
    alternatives or places to pass do not apply to it.

    Parameters
    ----------
    via, alternatives, by
        The other options of the query (``by=None`` when not given).
    names : dict, optional
        How the caller names ``pareto``, ``via``, ``alternatives`` and ``by`` (CLI flags).

    Raises
    ------
    InputError
        Naming the option that cannot go with ``pareto``.
    """
    n = {
        "pareto": "pareto",
        "via": "via",
        "alternatives": "alternatives",
        "by": "by",
        **(names or {}),
    }
    for given, key in (
        (bool(via), "via"),
        (alternatives != 1, "alternatives"),
        (by is not None, "by"),
    ):
        if given:
            raise InputError(
                f"{n[key]} cannot go with {n['pareto']}: the Pareto set is every "
                f"route not beaten on both time and cost; drop {n[key]} or "
                f"{n['pareto']}",
                field=n[key],
            )


def check_route_choice(
    *, system_optimum: bool, logit_theta: float | None, names: dict[str, str] | None = None
) -> None:
    """Refuse logit route choice together with the system optimum (one route choice only).

    Raises
    ------
    InputError
        Naming both options.
    """
    n = {"logit_theta": "logit_theta", "system_optimum": "system_optimum", **(names or {})}
    if system_optimum and logit_theta is not None:
        raise InputError(
            f"{n['logit_theta']} and {n['system_optimum']}: choose one route "
            "choice (logit spreads freight over routes; the system optimum "
            "minimises total cost)",
            field=n["system_optimum"],
        )
    if logit_theta is not None:
        check("logit_theta", logit_theta, n["logit_theta"])
