"""amur.options: each domain's bounds, and properties of the check over any number."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amur.errors import InputError
from amur.options import DOMAINS, check, check_choice, check_pareto, query_bounds


@given(
    name=st.sampled_from(sorted(DOMAINS)),
    value=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(10**20), 10**20),
        st.text(max_size=8),
    ),
)
def test_check_accepts_exactly_the_domain(name: str, value: object) -> None:
    """Never another exception: a value is returned as a float if and only if it lies in the
    domain; a refusal names the value's name."""
    domain = DOMAINS[name]
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    inside = domain.contains(number)
    try:
        got = check(name, value, "--flag")
    except InputError as exc:
        assert not inside
        assert exc.message.startswith("--flag: ") and exc.field == "--flag"
        assert domain.describe() in exc.message
    else:
        assert inside and got == number


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("year", [1800, 2026, 2200], [1799, 2201, 2020.5]),
        ("month", [1, 12], [0, 13]),
        ("value_usd_per_teu", [1e-9, 1e9], [0.0, -5.0, 1e10]),
        ("time_value_pct_per_day", [0.0, 100.0], [-1e-9, 100.1]),
        ("gap", [0.0, 1e-12, 1.0], [-1e-9, 1.5]),
        ("logit_theta", [1e-9, 100.0], [0.0, 100.5]),
        ("draws", [0, 20_000], [-1, 20_001]),
        ("discount_pct", [0.0, 30.0], [-50.0, 30.5]),
        ("theta", [4.0, 50.0], [0.0, 1e308]),
    ],
)
def test_bounds(name: str, inside: list[float], outside: list[float]) -> None:
    for value in inside:
        assert check(name, value) == value
    for value in [*outside, math.nan, math.inf, -math.inf]:
        with pytest.raises(InputError, match=f"^{name}: "):
            check(name, value)


def test_query_bounds_state_the_domain() -> None:
    assert query_bounds("month") == {"ge": 1, "le": 12}
    assert query_bounds("logit_theta") == {"gt": 0.0, "le": 100.0, "allow_inf_nan": False}


def test_choices_and_combinations() -> None:
    with pytest.raises(InputError, match=r"did you mean 'time'"):
        check_choice("by", "tiem", ("time", "cost"), what="criterion")
    check_pareto()
    with pytest.raises(InputError, match="via cannot go with pareto"):
        check_pareto(via=["a"])
