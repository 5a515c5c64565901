"""The assignment's settings object: checked once, at construction, naming the field."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from amur.assign import assign, build_graph
from amur.assign.options import ALGORITHMS, AssignmentOptions
from amur.errors import ConvergenceWarning, InputError


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"algorithm": "magic"}, "algorithm"),
        ({"vdf": "linear"}, "vdf"),
        ({"logit_paths": "all"}, "logit_paths"),
        ({"gap": -1e-5}, "gap"),
        ({"gap": math.nan}, "gap"),
        ({"gap": math.inf}, "gap"),
        ({"max_iterations": 0}, "max_iterations"),
        ({"max_iterations": 2.5}, "max_iterations"),
        ({"max_seconds": -1.0}, "max_seconds"),
        ({"logit_theta": 0.0}, "logit_theta"),
        ({"logit_theta": math.nan}, "logit_theta"),
        ({"logit_theta": 0.1, "system_optimum": True}, "system_optimum"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        AssignmentOptions(**changes)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert field.split("_")[0] in caught.value.message
    assert isinstance(caught.value, ValueError)


@given(
    algorithm=st.sampled_from(ALGORITHMS),
    gap=st.floats(1e-12, 1.0),
    iterations=st.integers(1, 10_000),
    theta=st.none() | st.floats(1e-6, 100.0),
)
def test_good_settings_round_trip(
    algorithm: str, gap: float, iterations: int, theta: float | None
) -> None:
    options = AssignmentOptions(algorithm, gap, iterations, logit_theta=theta)
    assert (options.algorithm, options.gap, options.max_iterations) == (algorithm, gap, iterations)
    assert options.route_choice.startswith("logit" if theta else "user equilibrium")
    assert options.with_(gap=gap / 2).gap == gap / 2


def test_options_and_keywords_together_are_refused() -> None:
    g = build_graph([0], [1], [10.0], [1.0])
    with pytest.raises(InputError, match="gap"):
        assign(g, np.array([[0.0, 1.0], [0.0, 0.0]]), AssignmentOptions(), gap=1e-3)


def test_the_engine_warns_when_it_stops_short_and_not_otherwise() -> None:
    g = build_graph([0, 0], [1, 1], [10.0, 10.0], [1.0, 2.0])
    trips = np.array([[0.0, 30.0], [0.0, 0.0]])
    with pytest.warns(ConvergenceWarning, match="after 1 iterations"):
        short = assign(g, trips, AssignmentOptions("msa", 1e-12, 1))
    assert short.relative_gap > 1e-12
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        done = assign(g, trips, AssignmentOptions("b", 1e-10))
    assert done.relative_gap <= 1e-10
